#pragma once
/// \file layer_ops.hpp
/// One dispatcher over every layer kind, for the code that runs whole models
/// (`convscope grad`, `convscope train`, the app's stacks): the forward pass, and the
/// input gradient of every layer that has no parameters. The layers with parameters
/// (Conv2d, ConvTranspose2d) get their gradients from the convolution backward code.
#include "core/nn/conv.hpp"
#include "core/nn/layer.hpp"
#include "core/base/tensor.hpp"

namespace convscope {

/// y = layer(x). `weights` is required (non-null) for the kinds with parameters and
/// ignored (may be null) for the others. Throws UserError on any configuration or
/// input PyTorch refuses.
Tensor4 forward(const Layer& layer, const Tensor4& x, const ConvWeights* weights);

/// d sum(y * grad_output) / d x for a layer without parameters, where y = forward(layer,
/// x, nullptr) (tanh and sigmoid read their derivative from y). grad_output must have
/// y's shape (UserError otherwise). A layer with parameters is a UserError here.
Tensor4 input_gradient_parameter_free(const Layer& layer, const Tensor4& x, const Tensor4& y,
                                      const Tensor4& grad_output);

/// forward() with the weights by reference (ignored for the kinds without parameters).
Tensor4 apply_layer(const Tensor4& x, const ConvWeights& w, const Layer& layer);

}  // namespace convscope
