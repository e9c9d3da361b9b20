#pragma once
/// \file layer.hpp
/// One layer's parameters exactly as PyTorch's modules take them (nn.Conv2d,
/// nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d), and the construction-time checks
/// that PyTorch's modules and functionals make before any data is seen.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace convscope {

/// Every kind of layer, in one place: the enum and kAllLayerKinds are both generated from
/// this list, so a kind cannot be added to one and not the other. Code that depends on
/// the kind switches over it with no `default:` (the build has -Werror=switch), so adding
/// a kind makes the compiler list every place that must handle it.
#define CONVSCOPE_LAYER_KINDS(X)                                                        \
    X(Conv2d) X(ConvTranspose2d) X(MaxPool2d) X(AvgPool2d) /* windows of kernel taps */ \
    X(Upsample) X(PixelShuffle) X(PixelUnshuffle)          /* resampling, no parameters */ \
    X(ReLU) X(LeakyReLU) X(Tanh) X(Sigmoid)                /* elementwise activations */

#define CONVSCOPE_LAYER_KIND_ENUMERATOR(name) name,
enum class LayerKind { CONVSCOPE_LAYER_KINDS(CONVSCOPE_LAYER_KIND_ENUMERATOR) };
#undef CONVSCOPE_LAYER_KIND_ENUMERATOR

/// Every kind, in declaration order (for readers that look a name up).
#define CONVSCOPE_LAYER_KIND_VALUE(name) LayerKind::name,
inline constexpr LayerKind kAllLayerKinds[] = {CONVSCOPE_LAYER_KINDS(CONVSCOPE_LAYER_KIND_VALUE)};
#undef CONVSCOPE_LAYER_KIND_VALUE
/// How many kinds there are.
inline constexpr std::size_t kLayerKindCount = sizeof(kAllLayerKinds) / sizeof(kAllLayerKinds[0]);
/// After an exhaustive switch over LayerKind: reached only with a value outside the
/// enum (a programmer error), so it throws std::logic_error.
[[noreturn]] void unreachable_kind(LayerKind kind);

/// True for the kinds with learnable parameters (weight and optional bias).
bool has_weights(LayerKind kind);

/// True for the layers that slide a window of kernel taps (convolutions and pools):
/// they use `kernel`, `stride`, `padding`, `dilation`.
bool has_window(LayerKind kind);

/// nn.Upsample's interpolation modes that ConvScope computes.
enum class UpsampleMode { Nearest, Bilinear };

enum class PaddingMode { Zeros, Reflect, Replicate, Circular };
/// Explicit numbers, or the two strings nn.Conv2d also accepts.
enum class PaddingKind { Explicit, Same, Valid };

/// (height, width): PyTorch's `_pair`. Every geometric parameter is one of these.
struct Pair {
    std::int64_t h = 0;
    std::int64_t w = 0;
    bool operator==(const Pair& o) const { return h == o.h && w == o.w; }
    bool operator!=(const Pair& o) const { return !(*this == o); }
    std::int64_t operator[](int axis) const { return axis == 0 ? h : w; }
};

struct Padding {
    PaddingKind kind = PaddingKind::Explicit;
    Pair value{0, 0};  ///< only for PaddingKind::Explicit
    bool operator==(const Padding& o) const { return kind == o.kind && value == o.value; }
};

/// Largest kernel, stride, dilation, padding or channel count accepted: far beyond any
/// real network, small enough that no size arithmetic on them can overflow.
inline constexpr std::int64_t kMaxGeometry = std::int64_t{1} << 20;
/// Largest PixelShuffle / PixelUnshuffle factor (r^2 channels per output channel).
inline constexpr std::int64_t kMaxShuffleFactor = std::int64_t{1} << 10;

/// One layer. Pools use `kernel`, `stride`, `padding`, `dilation` (max pool only) and
/// `ceil_mode`; convolutions use everything else. Defaults are PyTorch's.
struct Layer {
    LayerKind kind = LayerKind::Conv2d;
    std::int64_t in_channels = 1;
    std::int64_t out_channels = 1;
    Pair kernel{3, 3};
    Pair stride{1, 1};
    Padding padding{};
    Pair dilation{1, 1};
    Pair output_padding{0, 0};  ///< ConvTranspose2d only
    std::int64_t groups = 1;
    bool bias = true;
    PaddingMode padding_mode = PaddingMode::Zeros;
    bool ceil_mode = false;          ///< pools only
    bool count_include_pad = true;   ///< AvgPool2d only
    // nn.Upsample: exactly one of `size` and `scale_factor` (per axis, as floats).
    UpsampleMode upsample_mode = UpsampleMode::Nearest;
    std::optional<Pair> size;
    std::optional<std::array<double, 2>> scale_factor;
    std::optional<bool> align_corners;    ///< None, True or False (bilinear only)
    bool recompute_scale_factor = false;  ///< True: the kernel uses in/out, not the factor
    std::int64_t shuffle_factor = 2;      ///< PixelShuffle upscale / PixelUnshuffle downscale factor
    double negative_slope = 0.01;         ///< LeakyReLU
    std::string name;                ///< optional label shown in stacks

    /// Conv2d or ConvTranspose2d: the layer has a weight (and maybe a bias).
    bool is_conv() const { return has_weights(kind); }
    /// MaxPool2d or AvgPool2d.
    bool is_pool() const;
    bool operator==(const Layer& o) const;
};

/// Channels a layer outputs for `in_channels` input channels (pools keep them).
std::int64_t channels_after(const Layer& layer, std::int64_t in_channels);

/// The layer the stack editor adds for `kind` after a map of `channels` channels:
/// Conv2d k=3 padding 1 (size kept), ConvTranspose2d k=2 s=2 and pools k=2 s=2
/// (size doubled or halved), channels kept.
Layer default_layer(LayerKind kind, std::int64_t channels);

/// "nearest", "bilinear"; parse refuses other modes with PyTorch's list.
const char* upsample_mode_name(UpsampleMode mode);
UpsampleMode parse_upsample_mode(const std::string& s);

/// "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d" (the JSON spelling).
const char* op_name(LayerKind kind);
/// "Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", ... (the PyTorch class name).
const char* class_name(LayerKind kind);
const char* padding_mode_name(PaddingMode mode);
/// A layer's class and the arguments that differ from PyTorch's defaults, in PyTorch's
/// order: "Conv2d k=3 s=2 p=1 d=2", "ConvTranspose2d k=3 s=2 op=1" (output_padding). A
/// pair that differs per axis reads "3x5". `padding` is what follows "p=" ("" leaves the
/// padding out: the figure words it, or the question does not need it). A layer without
/// a window (an activation, an upsample) is its class name alone.
std::string layer_short_words(const Layer& layer, const std::string& padding);
/// The padding as layer_short_words writes it: "2", "1x2", "'same'", "" for none.
std::string padding_words(const Layer& layer);
/// "3" for a square pair, "3x5" otherwise (rows x columns).
std::string pair_words(const Pair& pair);
/// A float as Python's repr prints it: "2.0", "1.5", "0.2", "1e+30" (shortest round trip).
std::string python_float(double v);
/// The upsampling factors as Python prints the module's: "2.0" or "(2.0, 1.5)".
std::string scale_factor_text(const std::array<double, 2>& s);

/// Parse the JSON spellings; throw UserError naming the field on anything else.
LayerKind parse_op_name(const std::string& s);
PaddingMode parse_padding_mode(const std::string& s);

/// Checks PyTorch makes when the module is built: positive sizes, groups dividing the
/// channels, 'same' without stride, padding modes, output_padding below stride or
/// dilation, pool padding at most half the kernel. Throws UserError.
void validate_layer(const Layer& layer);

}  // namespace convscope
