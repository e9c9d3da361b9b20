#include "core/learn/grad.hpp"

#include "core/nn/conv_kernels.hpp"
#include "core/base/errors.hpp"
#include "core/nn/layer_ops.hpp"

namespace convscope {

GradCase grad_case_from_json(const nlohmann::json& j) {
    GradCase c;
    c.layer_case = case_from_json(j);
    if (!j.contains("grad_output") || j.at("grad_output").is_null())
        throw UserError("grad_output is missing: give a tensor of the output's shape");
    c.grad_output = tensor_from_json(j.at("grad_output"), "grad_output", true);
    return c;
}

LayerGradients layer_gradients(const Layer& layer, const Tensor4& x, const ConvWeights& w, const Tensor4& grad_output) {
    LayerGradients g;
    if (!has_weights(layer.kind)) {
        g.output = forward(layer, x, nullptr);
        check_grad_output_shape(shape_of(g.output), grad_output);
        g.grad_input = input_gradient_parameter_free(layer, x, g.output, grad_output);
        return g;
    }
    ConvGradients grads = conv_backward(layer, x, w, grad_output, &g.output);
    g.grad_input = std::move(grads.input);
    g.grad_weight = std::move(grads.weight);
    if (grads.has_bias) g.grad_bias = std::move(grads.bias);
    return g;
}

std::string gradients_to_json_text(const LayerGradients& g) {
    std::string out = "{\"output\": " + tensor_to_json_text(g.output);
    out += ",\n\"grad_input\": " + tensor_to_json_text(g.grad_input);
    out += ",\n\"grad_weight\": " + (g.grad_weight ? tensor_to_json_text(*g.grad_weight) : std::string("null"));
    out += ",\n\"grad_bias\": " + (g.grad_bias ? tensor_to_json_text(*g.grad_bias) : std::string("null"));
    return out + "}";
}

}  // namespace convscope
