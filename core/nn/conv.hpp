#pragma once
/// \file conv.hpp
/// PyTorch-exact 2-D convolution, transposed convolution and pooling on NCHW float64
/// tensors. The convolutions lower to matrix products (im2col / col2im around
/// OpenBLAS's dgemm), which is also how PyTorch's CPU kernels compute them, so the
/// results agree to rounding.
#include <cstdint>

#include "core/nn/conv_weights.hpp"
#include "core/nn/layer.hpp"
#include "core/nn/shape.hpp"
#include "core/base/tensor.hpp"

namespace convscope {


/// y = conv2d(x, weight, bias) with every nn.Conv2d parameter, including padding_mode.
Tensor4 conv2d(const Tensor4& x, const ConvWeights& w, const Layer& layer);

/// y = conv_transpose2d(x, weight, bias) with every nn.ConvTranspose2d parameter.
Tensor4 conv_transpose2d(const Tensor4& x, const ConvWeights& w, const Layer& layer);

/// nn.MaxPool2d / nn.AvgPool2d forward.
Tensor4 pool2d(const Tensor4& x, const Layer& layer);

/// d sum(pool2d(x) * grad_output) / d x: max pool sends each output's gradient to the
/// member it picked, avg pool shares it over the window's real members by its divisor.
Tensor4 pool2d_input_gradient(const Tensor4& x, const Layer& layer, const Tensor4& grad_output);

/// AvgPool2d's divisor for window (oy, ox) with `real_count` members inside the input:
/// the window clipped to the padded input (count_include_pad) or the real members.
std::int64_t avg_pool_divisor(const Layer& layer, const LayerGeometry& geo, std::int64_t oy, std::int64_t ox,
                              std::int64_t real_count);
/// MaxPool2d's pick among `count` members (flat indices into `plane`), as PyTorch scans:
/// the first largest value, or the last NaN; -1 when the window is empty.
std::int64_t max_pool_pick(const double* plane, const std::int64_t* members, std::int64_t count);


}  // namespace convscope
