#pragma once
/// \file conv.hpp
/// PyTorch-exact 2-D convolution, transposed convolution and pooling on NCHW float64
/// tensors. The convolutions lower to matrix products (im2col / col2im around
/// OpenBLAS's dgemm), which is also how PyTorch's CPU kernels compute them, so the
/// results agree to rounding.
#include <cstdint>

#include "core/layer.hpp"
#include "core/shape.hpp"
#include "core/tensor.hpp"

namespace convscope {

/// Weights of a convolution layer, in PyTorch's layout:
/// conv2d `[C_out, C_in/groups, kH, kW]`, conv_transpose2d `[C_in, C_out/groups, kH, kW]`.
/// `bias` has C_out entries, or none when the layer has `bias=False`.
struct ConvWeights {
    Tensor4 weight;
    Tensor1 bias;  ///< empty when there is no bias
    bool has_bias = false;
};

/// Throws UserError unless `w` has the shapes `layer` requires.
void check_weights(const Layer& layer, const ConvWeights& w);

/// Where padded coordinate `pos` (0 = first padding cell) reads from, as an index into
/// the real input on that axis, following the padding mode; -1 for a zero.
///   reflect:   ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...   (edge not repeated)
///   replicate: ... 0 0 | 0 1 2 ... n-1 | n-1 n-1 ...
///   circular:  ... n-2 n-1 | 0 1 ... n-1 | 0 1 ...
std::int64_t padded_source(std::int64_t pos, std::int64_t pad_before, std::int64_t in, PaddingMode mode);

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

/// Dispatch on the layer kind (weights are ignored for pools).
Tensor4 apply_layer(const Tensor4& x, const ConvWeights& w, const Layer& layer);

}  // namespace convscope
