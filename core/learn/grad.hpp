#pragma once
/// \file grad.hpp
/// One layer's forward and backward pass, as `convscope grad` computes it: the
/// gradients of sum(output * grad_output) with respect to the layer's input, weight
/// and bias, as PyTorch's autograd gives them (../shared/CONTRACT.md, "grad").
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/io/json_io.hpp"

namespace convscope {

/// A case of `eval` plus `grad_output`, a tensor of the output's shape.
struct GradCase {
    ConvCase layer_case;
    Tensor4 grad_output;
};

/// The layer's output and the three gradients (weight and bias only where the layer
/// has them).
struct LayerGradients {
    Tensor4 output;
    Tensor4 grad_input;
    std::optional<Tensor4> grad_weight;
    std::optional<Tensor1> grad_bias;
};

/// Reads the case; a missing or malformed `grad_output` is a UserError naming it.
GradCase grad_case_from_json(const nlohmann::json& j);

/// Forward and backward of one layer. Refuses (UserError) what the forward pass
/// refuses, and a grad_output whose shape is not the output's.
LayerGradients layer_gradients(const Layer& layer, const Tensor4& x, const ConvWeights& w, const Tensor4& grad_output);

/// `{"output": T, "grad_input": T, "grad_weight": T or null, "grad_bias": T or null}`,
/// every number in round-trip precision.
std::string gradients_to_json_text(const LayerGradients& g);

}  // namespace convscope
