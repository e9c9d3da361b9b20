#pragma once
/// \file backward_view.hpp
/// The duality behind the name "transposed convolution", as steps to animate: the
/// gradient of a convolution's input is the transposed convolution of the output's
/// gradient with the same weights (same stride, padding, dilation and groups), and the
/// gradient of a transposed convolution's input is the convolution of the output's
/// gradient with the same weights. conv_backward.hpp computes these with gemms; here
/// they become a StepEngine (core/anim/steps.hpp) whose replay gives the same numbers.
#include <cstdint>

#include "core/anim/steps.hpp"

namespace convscope {

/// The layer whose forward pass maps grad_output to grad_input for `layer` on an input
/// of in_h x in_w: ConvTranspose2d(C_out, C_in) for a Conv2d, with output_padding
/// chosen so that its output is in_h x in_w; Conv2d(C_out, C_in) for a ConvTranspose2d.
/// No bias (the gradient is linear in grad_output). Refuses (UserError) what has no such
/// layer: padding modes other than zeros, 'same' padding split unevenly, and transposed
/// layers whose output_padding reaches a whole stride.
Layer input_gradient_layer(const Layer& layer, std::int64_t in_h, std::int64_t in_w);

/// The steps of grad_input = input_gradient_layer(layer)(grad_output) with the layer's
/// own weights, for batch item `batch` and input channel `in_channel` of `layer`.
/// `input_shape` is the shape of the layer's input.
StepEngine input_gradient_steps(const Layer& layer, const std::vector<std::int64_t>& input_shape,
                                const ConvWeights& weights, const Tensor4& grad_output, std::int64_t batch = 0,
                                std::int64_t in_channel = 0);

}  // namespace convscope
