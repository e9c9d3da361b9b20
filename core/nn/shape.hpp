#pragma once
/// \file shape.hpp
/// Output-size arithmetic of one layer, resolved for a concrete input, with the
/// formula spelled out with the numbers filled in, as the app displays it and
/// `convscope shape` prints it.
///
///   conv2d            H_out = floor((H + p_top + p_bottom - d*(k-1) - 1) / s) + 1
///   conv_transpose2d  H_out = (H - 1)*s - 2*p + d*(k-1) + output_padding + 1
///   max/avg pool      H_out = floor_or_ceil((H + 2*p - d*(k-1) - 1) / s) + 1, and with
///                     ceil_mode the last window must start inside the input or the
///                     left padding (PyTorch's pooling_output_shape).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"

namespace convscope {

/// One spatial axis of a layer applied to a concrete input size.
struct AxisGeometry {
    std::int64_t in = 0;          ///< input size on this axis
    std::int64_t pad_before = 0;  ///< resolved padding (top/left); 'same' splits smaller half first
    std::int64_t pad_after = 0;   ///< resolved padding (bottom/right)
    std::int64_t kernel = 1;
    std::int64_t stride = 1;
    std::int64_t dilation = 1;
    std::int64_t output_padding = 0;
    std::int64_t out = 0;         ///< output size
    std::string formula;          ///< e.g. "H_out = floor((64 + 2*2 - 2*(3-1) - 1) / 1) + 1 = 64"

    /// d*(k-1)+1: how many input cells one kernel window spans.
    std::int64_t span() const { return dilation * (kernel - 1) + 1; }
    std::int64_t padded() const { return in + pad_before + pad_after; }
};

/// A layer resolved for an input of shape N x C x H x W.
struct LayerGeometry {
    std::array<AxisGeometry, 2> axis;  ///< [0] = height, [1] = width
    std::int64_t batch = 1;
    std::int64_t in_channels = 1;
    std::int64_t out_channels = 1;
    /// How the channel count changes, when it does by arithmetic: "C_out = 12 / 2^2 = 3"
    /// (pixel shuffle), "C_out = 1 * 2^2 = 4" (unshuffle); empty otherwise.
    std::string channel_formula;
    const AxisGeometry& h() const { return axis[0]; }
    const AxisGeometry& w() const { return axis[1]; }
};

/// Resolve `layer` for an input of N x C x H x W (N = 0, an empty batch, included, as
/// PyTorch takes it): validates the layer (validate_layer),
/// the channel count, padding against the input (reflect/circular), the kernel against
/// the padded input and the output size, then fills in every number and formula.
/// Throws UserError with a message naming the parameter, the value and the rule.
LayerGeometry resolve_layer(const Layer& layer, std::int64_t n, std::int64_t c, std::int64_t h,
                            std::int64_t w);

/// Just the spatial part, for stacks where channels do not matter (receptive fields).
LayerGeometry resolve_spatial(const Layer& layer, std::int64_t h, std::int64_t w);

/// "torch.Size([1, 16, 64, 64])", as `print(y.shape)` shows it.
std::string torch_size_text(const std::vector<std::int64_t>& shape);
/// "[1, 16, 64, 64]": a shape in the error messages about tensors handed in.
std::string shape_list_text(const std::vector<std::int64_t>& shape);

}  // namespace convscope
