#pragma once
/// \file layer.hpp
/// One layer's parameters exactly as PyTorch's modules take them (nn.Conv2d,
/// nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d), and the construction-time checks
/// that PyTorch's modules and functionals make before any data is seen.
#include <cstdint>
#include <string>
#include <vector>

namespace convscope {

enum class LayerKind { Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d };
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
    std::string name;                ///< optional label shown in stacks

    bool is_conv() const { return kind == LayerKind::Conv2d || kind == LayerKind::ConvTranspose2d; }
    bool is_pool() const { return !is_conv(); }
    bool operator==(const Layer& o) const;
};

/// "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d" (the JSON spelling).
const char* op_name(LayerKind kind);
/// "Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d" (the PyTorch class name).
const char* class_name(LayerKind kind);
const char* padding_mode_name(PaddingMode mode);
/// Parse the JSON spellings; throw UserError naming the field on anything else.
LayerKind parse_op_name(const std::string& s);
PaddingMode parse_padding_mode(const std::string& s);

/// Checks PyTorch makes when the module is built: positive sizes, groups dividing the
/// channels, 'same' without stride, padding modes, output_padding below stride or
/// dilation, pool padding at most half the kernel. Throws UserError.
void validate_layer(const Layer& layer);

}  // namespace convscope
