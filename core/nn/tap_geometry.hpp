#pragma once
/// \file tap_geometry.hpp
/// The geometry every convolution-like layer shares, written once: where a kernel tap
/// reads or lands, which cell a position belongs to, the weight tensor's shape and the
/// grouped weight lookup. conv, steps, rf, scene and the app use these instead of
/// spelling the formulas again.
///
/// One relation links a cell of the "small" side to a position on the "big" side:
///
///     o = i*s - p + t*d
///
/// conv2d and pools (gather): output cell o, tap t reads input position i = o*s - p + t*d.
/// conv_transpose2d (scatter): input cell i, tap t lands on output position o = i*s - p + t*d.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "core/base/errors.hpp"
#include "core/nn/layer.hpp"
#include "core/nn/shape.hpp"
#include "core/base/tensor.hpp"

namespace convscope {

/// Position reached by tap `tap` of cell `cell`: cell*s - p + tap*d.
inline std::int64_t tap_position(const AxisGeometry& g, std::int64_t cell, std::int64_t tap) {
    return cell * g.stride - g.pad_before + tap * g.dilation;
}

/// The inverse: the cell whose tap `tap` reaches `position`, i.e. (position + p - tap*d)/s
/// when that division is exact; false when no cell's tap `tap` reaches it.
inline bool tap_cell(const AxisGeometry& g, std::int64_t position, std::int64_t tap, std::int64_t& cell) {
    const std::int64_t num = position + g.pad_before - tap * g.dilation;
    if (num % g.stride != 0) return false;
    cell = num / g.stride;
    return true;
}

/// Which way a layer's taps connect cells (see the file comment).
enum class TapDirection { Gather, Scatter };

/// Gather for conv2d and pools, scatter for conv_transpose2d; only for the layers with
/// a window (has_window): asking for another kind is a programmer error (logic_error).
inline TapDirection tap_direction(LayerKind kind) {
    switch (kind) {
        case LayerKind::Conv2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return TapDirection::Gather;
        case LayerKind::ConvTranspose2d: return TapDirection::Scatter;
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    throw std::logic_error(std::string("tap_direction: ") + class_name(kind) + " has no kernel taps");
}

/// PyTorch's weight layout: conv2d `[C_out, C_in/groups, kH, kW]`, conv_transpose2d
/// `[C_in, C_out/groups, kH, kW]`. A layer without weights is a programmer error here.
inline std::array<std::int64_t, 4> weight_shape(const Layer& L) {
    switch (L.kind) {
        case LayerKind::Conv2d: return {L.out_channels, L.in_channels / L.groups, L.kernel.h, L.kernel.w};
        case LayerKind::ConvTranspose2d: return {L.in_channels, L.out_channels / L.groups, L.kernel.h, L.kernel.w};
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    throw UserError(std::string(class_name(L.kind)) + " has no weight");
}

/// The layout's name for messages: "[C_out, C_in/groups, kH, kW]" or its transpose.
inline const char* weight_layout_text(const Layer& L) {
    return tap_direction(L.kind) == TapDirection::Scatter ? "[C_in, C_out/groups, kH, kW]" : "[C_out, C_in/groups, kH, kW]";
}

/// True when input channel `ci` feeds output channel `co` (same group).
inline bool same_group(const Layer& L, std::int64_t ci, std::int64_t co) {
    return ci / (L.in_channels / L.groups) == co / (L.out_channels / L.groups);
}

/// The weight of tap (ky, kx) from input channel `ci` to output channel `co`, read from
/// PyTorch's grouped layout; 0 when the two channels are in different groups.
inline double tap_weight(const Layer& L, const Tensor4& weight, std::int64_t ci, std::int64_t co, std::int64_t ky,
                         std::int64_t kx) {
    if (!same_group(L, ci, co)) return 0.0;
    const std::int64_t Cgi = L.in_channels / L.groups, Cgo = L.out_channels / L.groups;
    switch (L.kind) {
        case LayerKind::Conv2d: return weight(co, ci % Cgi, ky, kx);
        case LayerKind::ConvTranspose2d: return weight(ci, co % Cgo, ky, kx);
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    throw UserError(std::string(class_name(L.kind)) + " has no weight");
}

}  // namespace convscope
