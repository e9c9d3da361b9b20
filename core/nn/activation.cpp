#include "core/nn/activation.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/base/errors.hpp"

namespace convscope {

bool is_activation(LayerKind kind) {
    switch (kind) {
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return true;
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: return false;
    }
    unreachable_kind(kind);
}

namespace {

[[noreturn]] void not_an_activation(const Layer& L) {
    throw std::logic_error(std::string(class_name(L.kind)) + " is not an activation");
}

}  // namespace

double activation_value(const Layer& L, double x) {
    switch (L.kind) {
        case LayerKind::ReLU: return std::isnan(x) ? x : (x > 0 ? x : 0.0);
        case LayerKind::LeakyReLU: return x > 0 ? x : x * L.negative_slope;
        case LayerKind::Tanh: return std::tanh(x);
        case LayerKind::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: break;
    }
    not_an_activation(L);
}

double activation_gradient(const Layer& L, double x, double y, double g) {
    switch (L.kind) {
        case LayerKind::ReLU: return y <= 0 ? 0.0 : g;  // threshold_backward(grad, result, 0)
        case LayerKind::LeakyReLU: return x > 0 ? g : g * L.negative_slope;
        case LayerKind::Tanh: return g * (1.0 - y * y);
        case LayerKind::Sigmoid: return g * (1.0 - y) * y;
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: break;
    }
    not_an_activation(L);
}

Tensor4 activation(const Tensor4& x, const Layer& L) {
    validate_layer(L);
    if (!is_activation(L.kind)) not_an_activation(L);
    const auto s = shape_of(x);
    Tensor4 y = make_tensor(s[0], s[1], s[2], s[3], "the output");
    for (std::size_t i = 0; i < x.size(); ++i) y.data()[i] = activation_value(L, x.data()[i]);
    return y;
}

Tensor4 activation_input_gradient(const Tensor4& x, const Tensor4& y, const Layer& L, const Tensor4& grad_output) {
    if (!is_activation(L.kind)) not_an_activation(L);
    const auto s = shape_of(x);
    Tensor4 gx = make_tensor(s[0], s[1], s[2], s[3], "the input gradient");
    for (std::size_t i = 0; i < x.size(); ++i)
        gx.data()[i] = activation_gradient(L, x.data()[i], y.data()[i], grad_output.data()[i]);
    return gx;
}

}  // namespace convscope
