#pragma once
/// \file train.hpp
/// Training a small model exactly as torch.optim would (../shared/CONTRACT.md,
/// "train"): a model read from PyTorch code (never evaluated), its parameters, a loss
/// and an optimizer; and PyTorch's default initialisation, bit for bit.
///
/// A step is forward (keeping every layer's output), loss, backward (layer by layer,
/// last to first), update. Every buffer is sized at the first step and reused, in the
/// spirit of llm.c: after the first step a step allocates nothing.
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/nn/conv_kernels.hpp"
#include "core/learn/optim.hpp"

namespace convscope {

inline constexpr std::int64_t kMaxTrainSteps = 1000000;  ///< more is refused before any work
inline constexpr std::size_t kMaxModelLayers = 1000;

/// The output shape of the layers applied in turn to an input of `input_shape`;
/// UserError (naming the layer) where a layer refuses its input, or when the
/// activations together exceed the core's limit of 2^28 numbers.
std::vector<std::int64_t> model_output_shape(const std::vector<Layer>& layers,
                                             const std::vector<std::int64_t>& input_shape);

/// PyTorch's default initialisation of one layer (`reset_parameters` of nn.Conv2d and
/// nn.ConvTranspose2d): weight ~ U(-b, b) with b = sqrt(3) * sqrt(2 / (1 + 5)) / sqrt(fan_in)
/// (kaiming_uniform_ with a = sqrt(5), i.e. b ~ 1/sqrt(fan_in)), then bias ~ U(-1/sqrt(fan_in),
/// 1/sqrt(fan_in)), where fan_in = weight.size(1) * kH * kW (C_in/groups for Conv2d,
/// C_out/groups for ConvTranspose2d, as _calculate_fan_in_and_fan_out computes it).
///
/// The generator is PyTorch's CPU generator: a 32-bit Mersenne Twister (std::mt19937);
/// each double takes two draws r1, r2, u = ((r1 << 32 | r2) mod 2^53) / 2^53, value =
/// fma(u, to - from, from). So `torch.manual_seed(seed)` followed by building the same
/// layers in float64 (`torch.set_default_dtype(torch.float64)`) gives the same numbers.
ConvWeights default_parameters(const Layer& layer, std::mt19937& generator);
/// One entry per layer with parameters, in order, from one generator seeded with `seed`.
std::vector<ConvWeights> default_parameters(const std::vector<Layer>& layers, std::uint32_t seed);

/// A training run as `convscope train` reads it.
struct TrainRun {
    std::vector<Layer> layers;
    std::vector<ConvWeights> parameters;  ///< one per layer with parameters
    Tensor4 input;
    Tensor4 target;
    LossKind loss = LossKind::Mse;
    OptimizerSettings optimizer;
    std::int64_t steps = 1;
};

/// Reads and checks a run before any work: the model code and its layer count, the
/// step count, the loss and optimizer names and numbers, every parameter's shape and
/// the target's shape against the model's output. Each refusal names the field.
TrainRun train_run_from_json(const nlohmann::json& j);

/// The model, its parameters and every buffer of a step, reused from step to step.
class Trainer {
public:
    /// Checks the layers against the input, the parameters against the layers and the
    /// target against the output (UserError naming the field).
    Trainer(std::vector<Layer> layers, std::vector<ConvWeights> parameters, Tensor4 input, Tensor4 target,
            LossKind loss, const OptimizerSettings& optimizer);

    /// Forward, loss, backward, update. Returns the loss before the update; a loss that
    /// is not finite is a UserError ("training diverged at step K ...") and nothing is
    /// updated.
    double step();
    /// The model's output with the current parameters.
    const Tensor4& output();
    const std::vector<ConvWeights>& parameters() const { return params_; }
    const std::vector<Layer>& layers() const { return layers_; }
    long steps_done() const { return optimizer_.steps(); }
    /// Bytes of every tensor and buffer the trainer holds (parameters, their gradients
    /// and optimizer state, activations and their gradients, column workspaces): what
    /// the resident memory of a long run should stay close to.
    std::size_t held_bytes() const;

private:
    void forward();
    void backward();

    std::vector<Layer> layers_;
    std::vector<LayerGeometry> geometry_;
    std::vector<int> param_index_;  ///< per layer: index into params_, or -1
    std::vector<ConvWeights> params_;
    std::vector<ConvGradients> grads_;
    std::vector<ConvWorkspace> workspaces_;
    std::vector<Tensor4> activations_;  ///< [0] = input, [i+1] = output of layer i
    Tensor4 target_;
    std::vector<Tensor4> grad_activations_;  ///< [i] = dL/d(activations_[i])
    LossKind loss_;
    Optimizer optimizer_;
    std::size_t first_trained_ = 0;  ///< index of the first layer with weights
    bool prefix_done_ = false;       ///< the layers before it have run on the input
};

struct TrainResult {
    std::vector<double> losses;  ///< before each update
    std::vector<ConvWeights> parameters;
    Tensor4 output;
};

/// Runs `run.steps` steps; `progress(step, steps, loss)` after each one.
TrainResult train(const TrainRun& run, const std::function<void(std::int64_t, std::int64_t, double)>& progress = {});

/// `{"losses": [...], "parameters": [{"weight": T, "bias": T or null}, ...], "output": T}`.
std::string train_result_to_json_text(const TrainResult& result);

}  // namespace convscope
