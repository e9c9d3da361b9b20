#include "core/nn/layer.hpp"

#include "core/base/errors.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <stdexcept>

namespace convscope {

bool Layer::operator==(const Layer& o) const {
    return kind == o.kind && in_channels == o.in_channels && out_channels == o.out_channels &&
           kernel == o.kernel && stride == o.stride && padding == o.padding &&
           dilation == o.dilation && output_padding == o.output_padding && groups == o.groups &&
           bias == o.bias && padding_mode == o.padding_mode && ceil_mode == o.ceil_mode &&
           count_include_pad == o.count_include_pad && upsample_mode == o.upsample_mode && size == o.size &&
           scale_factor == o.scale_factor && align_corners == o.align_corners &&
           recompute_scale_factor == o.recompute_scale_factor && shuffle_factor == o.shuffle_factor &&
           negative_slope == o.negative_slope && name == o.name;
}

std::string python_float(double v) {
    char buf[400];
    int digits = 1;  // the fewest significant digits that read back as v
    for (; digits < 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    // repr writes positional notation for 1e-4 <= |v| < 1e16, else an exponent.
    const double a = std::fabs(v);
    if (std::isfinite(v) && (a == 0 || (a >= 1e-4 && a < 1e16))) {
        const int exponent = a == 0 ? 0 : int(std::floor(std::log10(a)));
        std::snprintf(buf, sizeof buf, "%.*f", std::max(0, digits - 1 - exponent), v);
        std::string s = buf;
        if (s.find('.') == std::string::npos) s += ".0";
        return s;
    }
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

std::string scale_factor_text(const std::array<double, 2>& s) {
    return s[0] == s[1] ? python_float(s[0]) : "(" + python_float(s[0]) + ", " + python_float(s[1]) + ")";
}

const char* upsample_mode_name(UpsampleMode mode) {
    switch (mode) {
        case UpsampleMode::Nearest: return "nearest";
        case UpsampleMode::Bilinear: return "bilinear";
    }
    return "?";
}

UpsampleMode parse_upsample_mode(const std::string& s) {
    for (UpsampleMode m : {UpsampleMode::Nearest, UpsampleMode::Bilinear})
        if (s == upsample_mode_name(m)) return m;
    if (s == "bicubic" || s == "area" || s == "nearest-exact")
        throw ParameterError("mode", "mode '" + s + "' is not computed by ConvScope: use 'nearest' or 'bilinear'");
    if (s == "linear" || s == "trilinear")
        throw ParameterError("mode", "mode '" + s + "' needs a " + (s == "linear" ? "3" : "5") +
                                         "D input (PyTorch: Got 4D input, but " + s + " mode needs " +
                                         (s == "linear" ? "3" : "5") + "D input): use 'nearest' or 'bilinear'");
    throw ParameterError("mode", "mode '" + s.substr(0, 40) +
                                     "' is unknown: PyTorch's modes are nearest | linear | bilinear | bicubic | "
                                     "trilinear | area | nearest-exact, and ConvScope computes nearest and bilinear");
}

void unreachable_kind(LayerKind kind) {
    throw std::logic_error("layer kind " + std::to_string(int(kind)) + " is not handled");
}

bool has_weights(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d: return true;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return false;
    }
    unreachable_kind(kind);
}

bool has_window(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return true;
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return false;
    }
    unreachable_kind(kind);
}

bool Layer::is_pool() const { return kind == LayerKind::MaxPool2d || kind == LayerKind::AvgPool2d; }

std::int64_t channels_after(const Layer& L, std::int64_t in_channels) {
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d: return L.out_channels;
        case LayerKind::PixelShuffle: return in_channels / (L.shuffle_factor * L.shuffle_factor);
        case LayerKind::PixelUnshuffle:
            return checked_mul(in_channels, L.shuffle_factor * L.shuffle_factor, "the pixel_unshuffle channel count");
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return in_channels;
    }
    unreachable_kind(L.kind);
}

Layer default_layer(LayerKind kind, std::int64_t channels) {
    Layer L;
    L.kind = kind;
    switch (kind) {
        case LayerKind::Conv2d:
            L.in_channels = L.out_channels = channels;
            L.padding.value = {1, 1};
            break;
        case LayerKind::ConvTranspose2d:
            L.in_channels = L.out_channels = channels;
            L.kernel = L.stride = {2, 2};
            break;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: L.kernel = L.stride = {2, 2}; break;
        case LayerKind::Upsample: L.scale_factor = std::array<double, 2>{2.0, 2.0}; break;
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: L.shuffle_factor = 2; break;
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    return L;
}

const char* op_name(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d: return "conv2d";
        case LayerKind::ConvTranspose2d: return "conv_transpose2d";
        case LayerKind::MaxPool2d: return "max_pool2d";
        case LayerKind::AvgPool2d: return "avg_pool2d";
        case LayerKind::Upsample: return "upsample";
        case LayerKind::PixelShuffle: return "pixel_shuffle";
        case LayerKind::PixelUnshuffle: return "pixel_unshuffle";
        case LayerKind::ReLU: return "relu";
        case LayerKind::LeakyReLU: return "leaky_relu";
        case LayerKind::Tanh: return "tanh";
        case LayerKind::Sigmoid: return "sigmoid";
    }
    unreachable_kind(kind);
}

std::string pair_words(const Pair& p) { return p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "x" + std::to_string(p.w); }

std::string padding_words(const Layer& L) {
    if (L.padding.kind == PaddingKind::Same) return "'same'";
    return L.padding.value == Pair{0, 0} ? "" : pair_words(L.padding.value);
}

std::string layer_short_words(const Layer& L, const std::string& padding) {
    std::string words = class_name(L.kind);
    if (!has_window(L.kind)) return words;
    words += " k=" + pair_words(L.kernel);
    if (L.stride != Pair{1, 1}) words += " s=" + pair_words(L.stride);
    if (!padding.empty()) words += " p=" + padding;
    if (L.dilation != Pair{1, 1}) words += " d=" + pair_words(L.dilation);
    if (L.kind == LayerKind::ConvTranspose2d && L.output_padding != Pair{0, 0}) words += " op=" + pair_words(L.output_padding);
    return words;
}

const char* class_name(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d: return "Conv2d";
        case LayerKind::ConvTranspose2d: return "ConvTranspose2d";
        case LayerKind::MaxPool2d: return "MaxPool2d";
        case LayerKind::AvgPool2d: return "AvgPool2d";
        case LayerKind::Upsample: return "Upsample";
        case LayerKind::PixelShuffle: return "PixelShuffle";
        case LayerKind::PixelUnshuffle: return "PixelUnshuffle";
        case LayerKind::ReLU: return "ReLU";
        case LayerKind::LeakyReLU: return "LeakyReLU";
        case LayerKind::Tanh: return "Tanh";
        case LayerKind::Sigmoid: return "Sigmoid";
    }
    unreachable_kind(kind);
}

const char* padding_mode_name(PaddingMode mode) {
    switch (mode) {
        case PaddingMode::Zeros: return "zeros";
        case PaddingMode::Reflect: return "reflect";
        case PaddingMode::Replicate: return "replicate";
        case PaddingMode::Circular: return "circular";
    }
    return "?";
}

LayerKind parse_op_name(const std::string& s) {
    std::string names;
    for (LayerKind k : kAllLayerKinds) {
        if (s == op_name(k)) return k;
        names += std::string(names.empty() ? "" : ", ") + op_name(k);
    }
    throw UserError("op '" + s.substr(0, 40) + "' is unknown: expected one of " + names);
}

PaddingMode parse_padding_mode(const std::string& s) {
    for (PaddingMode m : {PaddingMode::Zeros, PaddingMode::Reflect, PaddingMode::Replicate,
                          PaddingMode::Circular})
        if (s == padding_mode_name(m)) return m;
    throw UserError("padding_mode '" + s +
                    "' is unknown: expected zeros, reflect, replicate or circular");
}

namespace {

std::string pair_text(const Pair& p) {
    return p.h == p.w ? std::to_string(p.h) : "(" + std::to_string(p.h) + ", " + std::to_string(p.w) + ")";
}

void require_range(const char* what, const Pair& p, std::int64_t lo, const char* rule) {
    for (int a = 0; a < 2; ++a) {
        if (p[a] < lo)
            throw ParameterError(what, std::string(what) + " " + pair_text(p) + " is not allowed: " + rule);
        if (p[a] > kMaxGeometry)
            throw ParameterError(what, std::string(what) + " " + pair_text(p) + " exceeds the limit of " +
                                           std::to_string(kMaxGeometry));
    }
}

void require_count(const char* what, std::int64_t v) {
    if (v < 1) throw ParameterError(what, std::string(what) + " " + std::to_string(v) + " must be at least 1");
    if (v > kMaxGeometry)
        throw ParameterError(what, std::string(what) + " " + std::to_string(v) + " exceeds the limit of " +
                                       std::to_string(kMaxGeometry));
}

}  // namespace

namespace {

void validate_pool(const Layer& L) {
    if (L.padding.kind != PaddingKind::Explicit)
        throw ParameterError("padding", std::string(class_name(L.kind)) + " takes numeric padding only, not 'same' or 'valid'");
    if (L.kind == LayerKind::AvgPool2d && L.dilation != Pair{1, 1})
        throw ParameterError("dilation", "AvgPool2d has no dilation (got " + pair_text(L.dilation) + ")");
    // PyTorch: "pad should be at most half of kernel size" (effective kernel for max pool).
    for (int a = 0; a < 2; ++a)
        if (L.padding.value[a] * 2 > L.kernel[a])
            throw ParameterError("padding", "padding " + pair_text(L.padding.value) + " must be at most half of kernel_size " +
                            pair_text(L.kernel) + " in a pooling layer");
}

void validate_channels(const Layer& L) {
    require_count("in_channels", L.in_channels);
    require_count("out_channels", L.out_channels);
    require_count("groups", L.groups);
    if (L.in_channels % L.groups != 0)
        throw ParameterError("groups", "in_channels " + std::to_string(L.in_channels) + " must be divisible by groups " +
                        std::to_string(L.groups));
    if (L.out_channels % L.groups != 0)
        throw ParameterError("groups", "out_channels " + std::to_string(L.out_channels) + " must be divisible by groups " +
                        std::to_string(L.groups));
}

void validate_conv2d(const Layer& L) {
    validate_channels(L);
    if (L.padding.kind == PaddingKind::Same && L.stride != Pair{1, 1})
        throw ParameterError("padding", "padding='same' is not supported with stride " + pair_text(L.stride) + ": 'same' needs stride 1");
}

void validate_conv_transpose2d(const Layer& L) {
    validate_channels(L);
    if (L.padding.kind != PaddingKind::Explicit)
        throw ParameterError("padding", std::string("padding='") + (L.padding.kind == PaddingKind::Same ? "same" : "valid") +
                        "' is not supported by ConvTranspose2d: give numbers");
    if (L.padding_mode != PaddingMode::Zeros)
        throw ParameterError("padding_mode", std::string("padding_mode '") + padding_mode_name(L.padding_mode) +
                        "' is not supported by ConvTranspose2d: only 'zeros' is");
    require_range("output_padding", L.output_padding, 0, "output_padding cannot be negative");
    // ATen: output_padding must be smaller than either stride or dilation, per axis.
    for (int a = 0; a < 2; ++a)
        if (L.output_padding[a] >= L.stride[a] && L.output_padding[a] >= L.dilation[a])
            throw ParameterError("output_padding", "output_padding " + pair_text(L.output_padding) + " must be smaller than either stride " +
                            pair_text(L.stride) + " or dilation " + pair_text(L.dilation));
}

void validate_upsample(const Layer& L) {
    if (L.size && L.scale_factor)
        throw ParameterError("size", "Upsample takes size or scale_factor, not both (PyTorch: only one of size or "
                                     "scale_factor should be defined)");
    if (!L.size && !L.scale_factor)
        throw ParameterError("scale_factor", "Upsample needs size or scale_factor (PyTorch: either size or "
                                             "scale_factor should be defined)");
    if (L.scale_factor) {
        for (double f : *L.scale_factor) {
            if (!std::isfinite(f) || f <= 0)
                throw ParameterError("scale_factor", "scale_factor " + scale_factor_text(*L.scale_factor) +
                                                         " is not allowed: it must be positive (PyTorch: Input and "
                                                         "output sizes should be greater than 0)");
            if (f > double(kMaxGeometry))
                throw ParameterError("scale_factor", "scale_factor " + scale_factor_text(*L.scale_factor) +
                                                         " exceeds the limit of " + std::to_string(kMaxGeometry));
        }
    }
    if (L.size) {
        for (int a = 0; a < 2; ++a) {
            if ((*L.size)[a] < 1)
                throw ParameterError("size", "size " + pair_text(*L.size) +
                                                 " is not allowed: Input and output sizes should be greater than 0");
            if ((*L.size)[a] > kMaxTensorElements)
                throw ParameterError("size", "size " + pair_text(*L.size) + " exceeds the limit of 2^28 per side");
        }
        if (L.recompute_scale_factor)
            throw ParameterError("recompute_scale_factor",
                                 "recompute_scale_factor=True is not meaningful with an explicit size");
    }
    if (L.align_corners && L.upsample_mode == UpsampleMode::Nearest)
        throw ParameterError("align_corners", "align_corners option can only be set with the interpolating modes: "
                                              "linear | bilinear | bicubic | trilinear (not with mode 'nearest')");
}

/// Kernel, stride, dilation and padding of the layers that slide a window.
void validate_window(const Layer& L) {
    require_range("kernel_size", L.kernel, 1, "every kernel size must be at least 1");
    require_range("stride", L.stride, 1, "stride must be at least 1");
    require_range("dilation", L.dilation, 1, "dilation must be at least 1");
    if (L.padding.kind == PaddingKind::Explicit) require_range("padding", L.padding.value, 0, "padding cannot be negative");
}

}  // namespace

void validate_layer(const Layer& L) {
    switch (L.kind) {
        case LayerKind::Conv2d:
            validate_window(L);
            validate_conv2d(L);
            return;
        case LayerKind::ConvTranspose2d:
            validate_window(L);
            validate_conv_transpose2d(L);
            return;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
            validate_window(L);
            validate_pool(L);
            return;
        case LayerKind::Upsample: validate_upsample(L); return;
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: {
            const bool up = L.kind == LayerKind::PixelShuffle;
            const char* what = up ? "upscale_factor" : "downscale_factor";
            if (L.shuffle_factor < 1)
                throw ParameterError(what, std::string(what) + " " + std::to_string(L.shuffle_factor) + " is not allowed: " +
                                               (up ? "pixel_shuffle" : "pixel_unshuffle") + " expects a positive " + what);
            if (L.shuffle_factor > kMaxShuffleFactor)
                throw ParameterError(what, std::string(what) + " " + std::to_string(L.shuffle_factor) +
                                               " exceeds the limit of " + std::to_string(kMaxShuffleFactor));
            return;
        }
        case LayerKind::LeakyReLU:
            if (!std::isfinite(L.negative_slope))
                throw ParameterError("negative_slope", "negative_slope " + python_float(L.negative_slope) + " must be a finite number");
            return;
        case LayerKind::ReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return;
    }
}

}  // namespace convscope
