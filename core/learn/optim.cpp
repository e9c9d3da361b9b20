#include "core/learn/optim.hpp"

#include <cmath>

#include "core/base/errors.hpp"

namespace convscope {

const char* loss_name(LossKind kind) {
    switch (kind) {
        case LossKind::Mse: return "mse";
        case LossKind::L1: return "l1";
    }
    return "?";
}

LossKind parse_loss_name(const std::string& s, const std::string& field) {
    for (LossKind k : {LossKind::Mse, LossKind::L1})
        if (s == loss_name(k)) return k;
    throw UserError(field + " '" + s.substr(0, 40) + "' is unknown: expected mse or l1");
}

double loss_and_grad(LossKind kind, const Tensor4& y, const Tensor4& target, Tensor4& grad) {
    if (grad.shape() != y.shape()) grad.resize(y.shape());
    const std::size_t n = y.size();
    const double* a = y.data();
    const double* t = target.data();
    double* g = grad.data();
    double sum = 0;
    switch (kind) {
        case LossKind::Mse: {
            const double norm = 2.0 / double(n);
            for (std::size_t i = 0; i < n; ++i) {
                const double d = a[i] - t[i];
                sum += d * d;
                g[i] = d * norm;
            }
            break;
        }
        case LossKind::L1: {
            const double norm = 1.0 / double(n);
            for (std::size_t i = 0; i < n; ++i) {
                const double d = a[i] - t[i];
                sum += std::fabs(d);
                g[i] = d > 0 ? norm : d < 0 ? -norm : 0.0;
            }
            break;
        }
    }
    return sum / double(n);
}

void Optimizer::update(std::size_t index, double* p, const double* grad, std::size_t count) {
    if (first_.size() <= index) {
        first_.resize(index + 1);
        second_.resize(index + 1);
    }
    std::vector<double>& m = first_[index];
    std::vector<double>& v = second_[index];
    const bool fresh = m.empty();
    if (fresh) {
        m.assign(count, 0.0);
        if (s_.kind == OptimizerSettings::Kind::Adam) v.assign(count, 0.0);
    }
    if (scratch_.size() < count) scratch_.resize(count);
    double* g = scratch_.data();
    for (std::size_t i = 0; i < count; ++i) g[i] = s_.weight_decay != 0 ? grad[i] + s_.weight_decay * p[i] : grad[i];

    if (s_.kind == OptimizerSettings::Kind::Sgd) {
        if (s_.momentum != 0) {
            for (std::size_t i = 0; i < count; ++i) {
                // torch.clone(d_p) on the first step, then buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
                m[i] = fresh ? g[i] : m[i] * s_.momentum + (1 - s_.dampening) * g[i];
                g[i] = s_.nesterov ? g[i] + s_.momentum * m[i] : m[i];
            }
        }
        for (std::size_t i = 0; i < count; ++i) p[i] += -s_.lr * g[i];
        return;
    }
    const double t = double(steps_);
    const double bias_correction1 = 1 - std::pow(s_.beta1, t);
    const double bias_correction2 = 1 - std::pow(s_.beta2, t);
    const double step_size = s_.lr / bias_correction1;
    const double bias_correction2_sqrt = std::sqrt(bias_correction2);
    for (std::size_t i = 0; i < count; ++i) {
        m[i] = m[i] * s_.beta1 + (1 - s_.beta1) * g[i];
        v[i] = v[i] * s_.beta2 + (1 - s_.beta2) * (g[i] * g[i]);
        const double denom = std::sqrt(v[i]) / bias_correction2_sqrt + s_.eps;
        p[i] += -step_size * (m[i] / denom);
    }
}

std::size_t Optimizer::state_bytes() const {
    std::size_t n = scratch_.capacity();
    for (const auto& v : first_) n += v.capacity();
    for (const auto& v : second_) n += v.capacity();
    return n * sizeof(double);
}

}  // namespace convscope
