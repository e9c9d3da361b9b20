#pragma once
/// \file optim.hpp
/// Losses and optimizers with torch.optim's exact update rules (PyTorch 1.13,
/// `torch/optim/sgd.py` and `adam.py`, `_single_tensor_*`), so that a run matches
/// PyTorch's to rounding.
#include <cstddef>
#include <string>
#include <vector>

#include "core/base/tensor.hpp"

namespace convscope {

/// Mean-reduced losses of torch.nn.functional.
enum class LossKind { Mse, L1 };
const char* loss_name(LossKind kind);
/// "mse" or "l1"; anything else is a UserError naming `field`.
LossKind parse_loss_name(const std::string& s, const std::string& field);

/// The loss of y against target, and dL/dy into `grad` (reshaped as needed):
///   mse: mean((y - t)^2),  dL/dy = (y - t) * (2 / numel)      (mse_loss_backward)
///   l1:  mean(|y - t|),    dL/dy = sign(y - t) * (1 / numel), sign(0) = 0 (abs, mean)
double loss_and_grad(LossKind kind, const Tensor4& y, const Tensor4& target, Tensor4& grad);

struct OptimizerSettings {
    enum class Kind { Sgd, Adam } kind = Kind::Adam;
    double lr = 1e-3;
    double weight_decay = 0;
    // SGD
    double momentum = 0;
    double dampening = 0;
    bool nesterov = false;
    // Adam
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

/// One optimizer over a fixed list of parameter tensors, with its per-tensor state
/// (SGD's momentum buffer, Adam's moments), allocated at the first step.
///
///   SGD:  g += wd*p;  buf = g (first step) or momentum*buf + (1 - dampening)*g;
///         g = nesterov ? g + momentum*buf : buf (when momentum != 0);  p -= lr*g
///   Adam: t += 1;  g += wd*p;  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g;
///         p -= lr/(1 - b1^t) * m / (sqrt(v)/sqrt(1 - b2^t) + eps)
class Optimizer {
public:
    explicit Optimizer(const OptimizerSettings& settings) : s_(settings) {}
    /// Starts one step (Adam's step count).
    void begin_step() { ++steps_; }
    /// Updates parameter tensor number `index` (the same index every step) in place.
    void update(std::size_t index, double* value, const double* grad, std::size_t count);
    long steps() const { return steps_; }
    /// Bytes of the per-parameter state (momentum buffers, Adam's moments).
    std::size_t state_bytes() const;

private:
    OptimizerSettings s_;
    long steps_ = 0;
    std::vector<std::vector<double>> first_;   ///< momentum buffer / Adam's exp_avg
    std::vector<std::vector<double>> second_;  ///< Adam's exp_avg_sq
    std::vector<double> scratch_;              ///< the gradient with weight decay added
};

}  // namespace convscope
