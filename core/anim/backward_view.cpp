#include "core/anim/backward_view.hpp"

#include <string>

#include "core/nn/conv_kernels.hpp"
#include "core/base/errors.hpp"

namespace convscope {

using std::int64_t;

Layer input_gradient_layer(const Layer& L, int64_t in_h, int64_t in_w) {
    const LayerGeometry geo = resolve_spatial(L, in_h, in_w);
    Layer g;
    g.in_channels = L.out_channels;
    g.out_channels = L.in_channels;
    g.kernel = L.kernel;
    g.stride = L.stride;
    g.dilation = L.dilation;
    g.groups = L.groups;
    g.bias = false;
    g.padding.value = {geo.h().pad_before, geo.w().pad_before};
    switch (L.kind) {
        case LayerKind::Conv2d: {
            const bool pads = geo.h().pad_before || geo.h().pad_after || geo.w().pad_before || geo.w().pad_after;
            if (L.padding_mode != PaddingMode::Zeros && pads)
                throw UserError(std::string("padding_mode '") + padding_mode_name(L.padding_mode) +
                                "' has no transposed convolution: its gradient folds the padding back (only zeros padding does not)");
            for (const AxisGeometry& a : geo.axis)
                if (a.pad_before != a.pad_after)
                    throw UserError("padding='same' split unevenly (" + std::to_string(a.pad_before) + " before, " +
                                    std::to_string(a.pad_after) + " after) has no transposed convolution with one padding");
            g.kind = LayerKind::ConvTranspose2d;
            // (H_out - 1)*s - 2p + d*(k-1) + 1 + output_padding = H: output_padding is the
            // rows the forward pass's floor division dropped (always below the stride).
            int64_t extra[2];
            for (int a = 0; a < 2; ++a) {
                const AxisGeometry& ax = geo.axis[a];
                extra[a] = ax.in - ((ax.out - 1) * ax.stride - 2 * ax.pad_before + ax.dilation * (ax.kernel - 1) + 1);
            }
            g.output_padding = {extra[0], extra[1]};
            return g;
        }
        case LayerKind::ConvTranspose2d: {
            // conv2d of grad_output gives floor((H_out + 2p - d(k-1) - 1)/s) + 1 = H + floor(op/s) rows.
            if (L.output_padding.h >= L.stride.h || L.output_padding.w >= L.stride.w)
                throw UserError("output_padding " + std::to_string(std::max(L.output_padding.h, L.output_padding.w)) +
                                " reaches a whole stride: the convolution of the gradient would have extra rows");
            g.kind = LayerKind::Conv2d;
            return g;
        }
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    throw UserError(std::string(class_name(L.kind)) + " is not a convolution: its backward pass is no transposed op");
}

StepEngine input_gradient_steps(const Layer& L, const std::vector<int64_t>& input_shape, const ConvWeights& w,
                                const Tensor4& grad_output, int64_t batch, int64_t in_channel) {
    const LayerGeometry geo = resolve_layer(L, input_shape.at(0), input_shape.at(1), input_shape.at(2), input_shape.at(3));
    check_weights(L, w);
    check_grad_output_shape({geo.batch, geo.out_channels, geo.h().out, geo.w().out}, grad_output);
    // A conv2d weight [C_out, C_in/g, kH, kW] is exactly the weight of a ConvTranspose2d
    // from C_out to C_in channels, and the other way round: the same tensor serves both.
    ConvWeights same;
    same.weight = w.weight;
    return StepEngine(input_gradient_layer(L, input_shape[2], input_shape[3]), grad_output, same, batch, in_channel);
}

}  // namespace convscope
