#pragma once
/// \file conv_kernels.hpp
/// The kernels of conv2d and conv_transpose2d: the forward pass every stack runs
/// (conv.hpp's operators call it) and the backward pass, exact against PyTorch's
/// autograd, both reusing a workspace (a training step allocates nothing once its
/// buffers exist).
///
/// Both ops are a gather (im2col) or a scatter (col2im) around one matrix product per
/// group. With cols = im2col(x) (K x P, K = C_in/g * kH * kW taps, P output cells):
///
///   conv2d            y  = W cols + b          (W: C_out/g x K)
///                     dW = dY cols^T           dx = col2im(W^T dY)     db = sum dY
///   conv_transpose2d  y  = col2im(W^T x) + b   (W: C_in/g x M, M = C_out/g * kH * kW)
///                     dW = x im2col(dY)^T      dx = W im2col(dY)       db = sum dY
///
/// so the gradient of a convolution's input is the transposed convolution of dY with
/// the same weights, and the other way round (the reason for the name "transposed").
/// Padding modes other than zeros pad explicitly (as F.pad does), and their gradient
/// folds the padded cells back onto the input cells they copied.
#include <vector>

#include "core/nn/conv_weights.hpp"
#include "core/nn/shape.hpp"

namespace convscope {

/// The gradients of sum(y * grad_output) with respect to one layer's input, weight
/// and bias.
struct ConvGradients {
    Tensor4 input;   ///< dL/dx, the input's shape
    Tensor4 weight;  ///< dL/dW, the weight's shape
    Tensor1 bias;    ///< dL/db, C_out entries (empty without a bias)
    bool has_bias = false;
};

/// Scratch buffers of the kernels: sized on first use, reused afterwards.
struct ConvWorkspace {
    std::vector<double> columns;       ///< im2col of one band of cells
    std::vector<double> column_grads;  ///< W^T dY of one band (conv2d backward)
    Tensor4 padded;                    ///< input padded by its padding mode
    Tensor4 padded_grad;               ///< gradient of the padded input
};

/// Give `t` this shape, reallocating only when the element count changes.
void ensure_shape(Tensor4& t, std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, const char* what);

/// y = the layer (Conv2d or ConvTranspose2d) applied to x, into `y` (reshaped as
/// needed). `geo` is resolve_layer(layer, x's shape); the weights are checked by the
/// caller (check_weights).
void conv_forward_into(const Layer& layer, const LayerGeometry& geo, const Tensor4& x, const ConvWeights& w,
                       Tensor4& y, ConvWorkspace& ws);

/// The gradients of sum(y * grad_output) into `grads` (reshaped as needed); the input
/// gradient only when `want_input` (the first layer of a model needs none).
void conv_backward_into(const Layer& layer, const LayerGeometry& geo, const Tensor4& x, const ConvWeights& w,
                        const Tensor4& grad_output, bool want_input, ConvGradients& grads, ConvWorkspace& ws);

/// One-shot form for `convscope grad`: validates everything (the layer against x, the
/// weights, grad_output's shape against the output's) and returns the gradients; with
/// `output`, also the forward pass into it (conv2d then gathers its input only once).
ConvGradients conv_backward(const Layer& layer, const Tensor4& x, const ConvWeights& w, const Tensor4& grad_output,
                            Tensor4* output = nullptr);

/// UserError unless grad_output has the output's shape.
void check_grad_output_shape(const std::vector<std::int64_t>& output_shape, const Tensor4& grad_output);

}  // namespace convscope
