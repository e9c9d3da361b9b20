#pragma once
/// \file activation.hpp
/// nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid: a function applied cell by cell, and its
/// derivative as PyTorch's autograd takes it (relu'(0) = 0; leaky_relu'(0) = slope).
#include "core/nn/layer.hpp"
#include "core/base/tensor.hpp"

namespace convscope {

/// The activation of one value: relu max(x, 0) (NaN stays NaN), leaky_relu x > 0 ? x :
/// x*slope, tanh, sigmoid 1/(1 + e^-x).
double activation_value(const Layer& layer, double x);
/// d activation / d x at x with value y = activation_value(x), times g, as PyTorch's
/// backward kernels: relu g*(y > 0), leaky_relu x > 0 ? g : g*slope, tanh g*(1 - y^2),
/// sigmoid g*(1 - y)*y.
double activation_gradient(const Layer& layer, double x, double y, double g);

Tensor4 activation(const Tensor4& x, const Layer& layer);
/// y = activation(x); grad_output of y's shape (the caller checks).
Tensor4 activation_input_gradient(const Tensor4& x, const Tensor4& y, const Layer& layer, const Tensor4& grad_output);

/// True for ReLU, LeakyReLU, Tanh and Sigmoid.
bool is_activation(LayerKind kind);

}  // namespace convscope
