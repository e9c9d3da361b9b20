#include "core/nn/layer_ops.hpp"

#include <string>

#include "core/nn/activation.hpp"
#include "core/base/errors.hpp"
#include "core/nn/resample.hpp"
#include "core/nn/shape.hpp"

namespace convscope {

Tensor4 forward(const Layer& L, const Tensor4& x, const ConvWeights* weights) {
    if (has_weights(L.kind) && weights == nullptr)
        throw UserError(std::string(class_name(L.kind)) + " needs its weight (and bias) to run");
    switch (L.kind) {
        case LayerKind::Conv2d: return conv2d(x, *weights, L);
        case LayerKind::ConvTranspose2d: return conv_transpose2d(x, *weights, L);
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return pool2d(x, L);
        case LayerKind::Upsample: return upsample(x, L);
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: return pixel_shuffle(x, L);
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return activation(x, L);
    }
    unreachable_kind(L.kind);
}

Tensor4 input_gradient_parameter_free(const Layer& L, const Tensor4& x, const Tensor4& y, const Tensor4& grad_output) {
    const auto xs = shape_of(x);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    const std::vector<std::int64_t> out_shape = {geo.batch, geo.out_channels, geo.h().out, geo.w().out};
    if (shape_of(grad_output) != out_shape)
        throw UserError("grad_output has shape " + shape_list_text(shape_of(grad_output)) + " but the " + class_name(L.kind) +
                        " output has shape " + shape_list_text(out_shape));
    if (shape_of(y) != out_shape)
        throw UserError("the output passed in has shape " + shape_list_text(shape_of(y)) + " but the " + class_name(L.kind) +
                        " output has shape " + shape_list_text(out_shape));
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
            throw UserError(std::string(class_name(L.kind)) +
                            " has parameters: its gradients come from the convolution backward pass");
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return pool2d_input_gradient(x, L, grad_output);
        case LayerKind::Upsample: return upsample_input_gradient(x, L, grad_output);
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: return pixel_shuffle_input_gradient(x, L, grad_output);
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return activation_input_gradient(x, y, L, grad_output);
    }
    unreachable_kind(L.kind);
}

Tensor4 apply_layer(const Tensor4& x, const ConvWeights& w, const Layer& L) {
    return forward(L, x, has_weights(L.kind) ? &w : nullptr);
}

}  // namespace convscope
