#pragma once
/// \file resample.hpp
/// nn.Upsample (nearest, bilinear with and without align_corners), nn.PixelShuffle and
/// nn.PixelUnshuffle, forward and input gradient, exactly as PyTorch 1.13's CPU
/// kernels compute them (aten/src/ATen/native/UpSample.h, PixelShuffle.cpp).
#include <cstdint>
#include <vector>

#include "core/nn/layer.hpp"
#include "core/nn/shape.hpp"
#include "core/base/tensor.hpp"

namespace convscope {

/// Where one output position of an upsampling layer reads along one axis: nearest
/// reads `index0` with weight 1 (weight1 = 0, index1 = index0); bilinear blends
/// `index0` and `index1` with `weight0 + weight1 = 1`.
struct AxisSource {
    std::int64_t index0 = 0, index1 = 0;
    double weight0 = 1, weight1 = 0;
};

/// The sources of every output position on `axis` (0 = H, 1 = W), for an input of `in`
/// and an output of `out` cells. PyTorch's rules:
///   scale = 1/scale_factor when the user gave one (and recompute_scale_factor is off),
///           else in/out                                          (compute_scales_value)
///   nearest:  src = min(floor(dst * scale), in - 1)        (the float floorf of ATen)
///   bilinear, align_corners: src = dst * (in-1)/(out-1)  (0 when out = 1)
///   bilinear, otherwise:     src = max(scale * (dst + 0.5) - 0.5, 0)
///             index0 = floor(src), index1 = index0 + (index0 < in-1),
///             weight1 = clamp(src - index0, 0, 1), weight0 = 1 - weight1
///   (out == in copies: index0 = index1 = dst, weights 1 and 0).
std::vector<AxisSource> upsample_axis_sources(const Layer& layer, int axis, std::int64_t in, std::int64_t out);

/// nn.Upsample forward.
Tensor4 upsample(const Tensor4& x, const Layer& layer);
/// d sum(upsample(x) * grad_output) / d x: nearest sums the gradient of every output
/// cell that reads a source; bilinear applies the transpose of the interpolation weights.
Tensor4 upsample_input_gradient(const Tensor4& x, const Layer& layer, const Tensor4& grad_output);

/// nn.PixelShuffle(r): y[n, c, h*r + i, w*r + j] = x[n, c*r^2 + i*r + j, h, w];
/// nn.PixelUnshuffle(r) is its inverse. Both only move values, so each one's input
/// gradient is the other applied to grad_output.
Tensor4 pixel_shuffle(const Tensor4& x, const Layer& layer);
Tensor4 pixel_shuffle_input_gradient(const Tensor4& x, const Layer& layer, const Tensor4& grad_output);

}  // namespace convscope
