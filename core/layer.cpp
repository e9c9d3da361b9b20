#include "core/layer.hpp"

#include "core/errors.hpp"

#include <stdexcept>

namespace convscope {

bool Layer::operator==(const Layer& o) const {
    return kind == o.kind && in_channels == o.in_channels && out_channels == o.out_channels &&
           kernel == o.kernel && stride == o.stride && padding == o.padding &&
           dilation == o.dilation && output_padding == o.output_padding && groups == o.groups &&
           bias == o.bias && padding_mode == o.padding_mode && ceil_mode == o.ceil_mode &&
           count_include_pad == o.count_include_pad && name == o.name;
}

void unreachable_kind(LayerKind kind) {
    throw std::logic_error("layer kind " + std::to_string(int(kind)) + " is not handled");
}

bool has_weights(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d: return true;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return false;
    }
    unreachable_kind(kind);
}

bool Layer::is_pool() const {
    switch (kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d: return false;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return true;
    }
    unreachable_kind(kind);
}

std::int64_t channels_after(const Layer& L, std::int64_t in_channels) {
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d: return L.out_channels;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return in_channels;
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
    }
    return L;
}

const char* op_name(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d: return "conv2d";
        case LayerKind::ConvTranspose2d: return "conv_transpose2d";
        case LayerKind::MaxPool2d: return "max_pool2d";
        case LayerKind::AvgPool2d: return "avg_pool2d";
    }
    unreachable_kind(kind);
}

const char* class_name(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d: return "Conv2d";
        case LayerKind::ConvTranspose2d: return "ConvTranspose2d";
        case LayerKind::MaxPool2d: return "MaxPool2d";
        case LayerKind::AvgPool2d: return "AvgPool2d";
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
            throw UserError(std::string(what) + " " + pair_text(p) + " is not allowed: " + rule);
        if (p[a] > kMaxGeometry)
            throw UserError(std::string(what) + " " + pair_text(p) + " exceeds the limit of " +
                            std::to_string(kMaxGeometry));
    }
}

void require_count(const char* what, std::int64_t v) {
    if (v < 1) throw UserError(std::string(what) + " " + std::to_string(v) + " must be at least 1");
    if (v > kMaxGeometry)
        throw UserError(std::string(what) + " " + std::to_string(v) + " exceeds the limit of " +
                        std::to_string(kMaxGeometry));
}

}  // namespace

namespace {

void validate_pool(const Layer& L) {
    if (L.padding.kind != PaddingKind::Explicit)
        throw UserError(std::string(class_name(L.kind)) + " takes numeric padding only, not 'same' or 'valid'");
    if (L.kind == LayerKind::AvgPool2d && L.dilation != Pair{1, 1})
        throw UserError("AvgPool2d has no dilation (got " + pair_text(L.dilation) + ")");
    // PyTorch: "pad should be at most half of kernel size" (effective kernel for max pool).
    for (int a = 0; a < 2; ++a)
        if (L.padding.value[a] * 2 > L.kernel[a])
            throw UserError("padding " + pair_text(L.padding.value) + " must be at most half of kernel_size " +
                            pair_text(L.kernel) + " in a pooling layer");
}

void validate_channels(const Layer& L) {
    require_count("in_channels", L.in_channels);
    require_count("out_channels", L.out_channels);
    require_count("groups", L.groups);
    if (L.in_channels % L.groups != 0)
        throw UserError("in_channels " + std::to_string(L.in_channels) + " must be divisible by groups " +
                        std::to_string(L.groups));
    if (L.out_channels % L.groups != 0)
        throw UserError("out_channels " + std::to_string(L.out_channels) + " must be divisible by groups " +
                        std::to_string(L.groups));
}

void validate_conv2d(const Layer& L) {
    validate_channels(L);
    if (L.padding.kind == PaddingKind::Same && L.stride != Pair{1, 1})
        throw UserError("padding='same' is not supported with stride " + pair_text(L.stride) + ": 'same' needs stride 1");
}

void validate_conv_transpose2d(const Layer& L) {
    validate_channels(L);
    if (L.padding.kind != PaddingKind::Explicit)
        throw UserError(std::string("padding='") + (L.padding.kind == PaddingKind::Same ? "same" : "valid") +
                        "' is not supported by ConvTranspose2d: give numbers");
    if (L.padding_mode != PaddingMode::Zeros)
        throw UserError(std::string("padding_mode '") + padding_mode_name(L.padding_mode) +
                        "' is not supported by ConvTranspose2d: only 'zeros' is");
    require_range("output_padding", L.output_padding, 0, "output_padding cannot be negative");
    // ATen: output_padding must be smaller than either stride or dilation, per axis.
    for (int a = 0; a < 2; ++a)
        if (L.output_padding[a] >= L.stride[a] && L.output_padding[a] >= L.dilation[a])
            throw UserError("output_padding " + pair_text(L.output_padding) + " must be smaller than either stride " +
                            pair_text(L.stride) + " or dilation " + pair_text(L.dilation));
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
    }
}

}  // namespace convscope
