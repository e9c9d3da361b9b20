#include "core/learn/train.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/nn/activation.hpp"
#include "core/base/errors.hpp"
#include "core/io/json_fields.hpp"
#include "core/io/json_io.hpp"
#include "core/nn/layer_ops.hpp"
#include "core/nn/tap_geometry.hpp"
#include "core/io/pycode.hpp"

namespace convscope {

using nlohmann::json;
using std::int64_t;

namespace {

std::string shape_text(const std::vector<int64_t>& s) {
    std::string t = "[";
    for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

/// PyTorch's at::uniform_real_distribution<double> on its mt19937 (see the header).
double torch_uniform(std::mt19937& gen, double from, double to) {
    const std::uint64_t r1 = gen(), r2 = gen();
    const std::uint64_t bits = (r1 << 32) | r2;
    const double u = double(bits & ((std::uint64_t{1} << 53) - 1)) * (1.0 / double(std::uint64_t{1} << 53));
    return std::fma(u, to - from, from);
}

/// y = activation(x) cell by cell into y's buffer (kept from step to step), with
/// activation.hpp's function: the same numbers as layer_ops' forward.
void activation_into(const Layer& L, const Tensor4& x, Tensor4& y) {
    if (y.shape() != x.shape()) y.resize(x.shape());
    const double* a = x.data();
    double* b = y.data();
    for (std::size_t i = 0; i < x.size(); ++i) b[i] = activation_value(L, a[i]);
}

/// dL/dx of an activation into gx's buffer, with activation.hpp's derivative.
void activation_gradient_into(const Layer& L, const Tensor4& x, const Tensor4& y, const Tensor4& gy, Tensor4& gx) {
    if (gx.shape() != x.shape()) gx.resize(x.shape());
    for (std::size_t i = 0; i < x.size(); ++i)
        gx.data()[i] = activation_gradient(L, x.data()[i], y.data()[i], gy.data()[i]);
}

/// A finite number (JSON int or float), or UserError naming the field.
double want_number(const json& j, const std::string& field) {
    if (!j.is_number()) throw UserError(field + " must be a number, got " + j.dump().substr(0, 60));
    const double v = j.get<double>();
    if (!std::isfinite(v)) throw UserError(field + " must be a finite number");
    return v;
}

double want_at_least(const json& j, const std::string& field, double lo, const char* rule) {
    const double v = want_number(j, field);
    if (v < lo) throw UserError(field + " " + j.dump().substr(0, 30) + " is not allowed: " + rule);
    return v;
}

OptimizerSettings optimizer_from_json(const json& o) {
    want_object(o, "optimizer");
    OptimizerSettings s;
    if (!o.contains("name")) throw UserError("optimizer.name is missing: adam or sgd");
    const std::string name = want_string(o.at("name"), "optimizer.name");
    std::vector<std::string> allowed;
    if (name == "adam") {
        s.kind = OptimizerSettings::Kind::Adam;
        allowed = {"name", "lr", "betas", "eps", "weight_decay", "amsgrad"};
    } else if (name == "sgd") {
        s.kind = OptimizerSettings::Kind::Sgd;
        allowed = {"name", "lr", "momentum", "dampening", "weight_decay", "nesterov"};
    } else {
        throw UserError("optimizer.name '" + name.substr(0, 40) + "' is unknown: expected adam or sgd");
    }
    for (const auto& item : o.items())
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
            throw UserError("optimizer." + item.key().substr(0, 40) + " is not a parameter of " +
                            (name == "adam" ? "torch.optim.Adam" : "torch.optim.SGD"));
    auto has = [&](const char* k) { return o.contains(k) && !o.at(k).is_null(); };
    if (has("lr")) s.lr = want_at_least(o.at("lr"), "optimizer.lr", 0, "the learning rate cannot be negative");
    else if (name == "sgd") throw UserError("optimizer.lr is missing: torch.optim.SGD has no default learning rate");
    if (has("weight_decay"))
        s.weight_decay = want_at_least(o.at("weight_decay"), "optimizer.weight_decay", 0, "weight decay cannot be negative");
    if (name == "adam") {
        if (has("betas")) {
            const json& b = o.at("betas");
            if (!b.is_array() || b.size() != 2) throw UserError("optimizer.betas must be a pair [beta1, beta2]");
            s.beta1 = want_number(b[0], "optimizer.betas[0]");
            s.beta2 = want_number(b[1], "optimizer.betas[1]");
            for (double v : {s.beta1, s.beta2})
                if (v < 0 || v >= 1) throw UserError("optimizer.betas " + b.dump() + " is not allowed: each beta must be in [0, 1)");
        }
        if (has("eps")) s.eps = want_at_least(o.at("eps"), "optimizer.eps", 0, "eps cannot be negative");
        if (has("amsgrad") && want_bool(o.at("amsgrad"), "optimizer.amsgrad"))
            throw UserError("optimizer.amsgrad true is not supported: ConvScope implements Adam without amsgrad");
    } else {
        if (has("momentum")) s.momentum = want_at_least(o.at("momentum"), "optimizer.momentum", 0, "momentum cannot be negative");
        if (has("dampening")) s.dampening = want_number(o.at("dampening"), "optimizer.dampening");
        if (has("nesterov")) s.nesterov = want_bool(o.at("nesterov"), "optimizer.nesterov");
        if (s.nesterov && (s.momentum <= 0 || s.dampening != 0))
            throw UserError("optimizer.nesterov true needs a momentum above 0 and zero dampening (as torch.optim.SGD)");
    }
    return s;
}

}  // namespace

std::vector<int64_t> model_output_shape(const std::vector<Layer>& layers, const std::vector<int64_t>& input_shape) {
    int64_t n = input_shape.at(0), c = input_shape.at(1), h = input_shape.at(2), w = input_shape.at(3);
    int64_t total = checked_elements(n, c, h, w, "the input");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        LayerGeometry geo;
        try {
            geo = resolve_layer(layers[i], n, c, h, w);
        } catch (const UserError& e) {
            throw UserError("model layer " + std::to_string(i) + " (" + class_name(layers[i].kind) + "): " + e.what());
        }
        c = geo.out_channels;
        h = geo.h().out;
        w = geo.w().out;
        total = checked_add(total, checked_elements(n, c, h, w, "layer " + std::to_string(i) + "'s output"), "the model");
        if (total > kMaxTensorElements)
            throw UserError("the model's activations hold " + std::to_string(total) + " numbers after layer " +
                            std::to_string(i) + ", above the limit of 2^28");
    }
    return {n, c, h, w};
}

ConvWeights default_parameters(const Layer& L, std::mt19937& gen) {
    const auto shape = weight_shape(L);
    ConvWeights w;
    w.weight = make_tensor(shape[0], shape[1], shape[2], shape[3], "the weight");
    const double fan_in = double(w.weight.shape()[1] * w.weight.shape()[2] * w.weight.shape()[3]);
    // init.kaiming_uniform_(weight, a=math.sqrt(5)): gain = sqrt(2 / (1 + a^2)),
    // std = gain / sqrt(fan_in), bound = sqrt(3) * std; evaluated in PyTorch's order.
    const double a = std::sqrt(5.0);
    const double gain = std::sqrt(2.0 / (1 + a * a));
    const double bound = std::sqrt(3.0) * (gain / std::sqrt(fan_in));
    for (double& v : w.weight) v = torch_uniform(gen, -bound, bound);
    w.has_bias = L.bias;
    if (L.bias) {
        const double b = 1 / std::sqrt(fan_in);
        w.bias = Tensor1::from_shape({std::size_t(L.out_channels)});
        for (double& v : w.bias) v = torch_uniform(gen, -b, b);
    }
    return w;
}

std::vector<ConvWeights> default_parameters(const std::vector<Layer>& layers, std::uint32_t seed) {
    std::mt19937 gen(seed);
    std::vector<ConvWeights> out;
    for (const Layer& L : layers)
        if (has_weights(L.kind)) out.push_back(default_parameters(L, gen));
    return out;
}

TrainRun train_run_from_json(const json& j) {
    want_object(j, "the training run");
    TrainRun run;
    // Cheap fields first: a hostile run is refused before its tensors are read.
    if (!j.contains("steps")) throw UserError("steps is missing");
    run.steps = want_int(j.at("steps"), "steps");
    if (run.steps < 1 || run.steps > kMaxTrainSteps)
        throw UserError("steps " + std::to_string(run.steps) + " is not allowed: it must be between 1 and " +
                        std::to_string(kMaxTrainSteps));
    if (!j.contains("loss")) throw UserError("loss is missing: mse or l1");
    run.loss = parse_loss_name(want_string(j.at("loss"), "loss"), "loss");
    if (!j.contains("optimizer")) throw UserError("optimizer is missing");
    run.optimizer = optimizer_from_json(j.at("optimizer"));

    if (!j.contains("model")) throw UserError("model is missing: PyTorch code such as nn.Sequential(...)");
    const std::string code = want_string(j.at("model"), "model");
    try {
        run.layers = parse_pytorch_code(code);
    } catch (const CodeError& e) {
        throw UserError("model: cannot read the code at column " + std::to_string(e.column()) + ": " + e.reason());
    }
    if (run.layers.size() > kMaxModelLayers)
        throw UserError("model has " + std::to_string(run.layers.size()) + " layers, above the limit of " +
                        std::to_string(kMaxModelLayers));

    if (!j.contains("input")) throw UserError("input is missing");
    run.input = tensor_from_json(j.at("input"), "input", true);
    // The layers take an empty batch, but the mean loss over no cells is 0/0: PyTorch's
    // MSE of an empty tensor is NaN, and so would every step be.
    if (run.input.shape()[0] == 0)
        throw UserError("input has an empty batch (N = 0): the mean loss over no samples is NaN (0/0), so there is "
                        "nothing to train on; give at least one sample");
    (void)model_output_shape(run.layers, shape_of(run.input));
    if (!j.contains("target")) throw UserError("target is missing");
    run.target = tensor_from_json(j.at("target"), "target");

    if (!j.contains("parameters")) throw UserError("parameters is missing: one {\"weight\", \"bias\"} per layer with parameters");
    const json& params = j.at("parameters");
    if (!params.is_array()) throw UserError("parameters must be a list of {\"weight\", \"bias\"}");
    std::size_t wanted = 0;
    for (const Layer& L : run.layers) wanted += has_weights(L.kind) ? 1 : 0;
    if (params.size() != wanted)
        throw UserError("parameters has " + std::to_string(params.size()) + " entries but the model has " +
                        std::to_string(wanted) + " layers with parameters");
    for (std::size_t i = 0; i < params.size(); ++i) {
        const std::string where = "parameters[" + std::to_string(i) + "]";
        want_object(params[i], where);
        ConvWeights w;
        if (!params[i].contains("weight")) throw UserError(where + ".weight is missing");
        w.weight = tensor_from_json(params[i].at("weight"), where + ".weight");
        if (params[i].contains("bias") && !params[i].at("bias").is_null()) {
            w.bias = vector_from_json(params[i].at("bias"), where + ".bias");
            w.has_bias = true;
        }
        run.parameters.push_back(std::move(w));
    }
    return run;
}

Trainer::Trainer(std::vector<Layer> layers, std::vector<ConvWeights> parameters, Tensor4 input, Tensor4 target,
                 LossKind loss, const OptimizerSettings& optimizer)
    : layers_(std::move(layers)), params_(std::move(parameters)), target_(std::move(target)), loss_(loss),
      optimizer_(optimizer) {
    if (layers_.empty()) throw UserError("model holds no layer");
    activations_.resize(layers_.size() + 1);
    grad_activations_.resize(layers_.size() + 1);
    const auto s = shape_of(input);
    activations_[0] = std::move(input);
    int64_t c = s[1], h = s[2], w = s[3];
    std::size_t next_param = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const Layer& L = layers_[i];
        geometry_.push_back(resolve_layer(L, s[0], c, h, w));
        c = geometry_.back().out_channels;
        h = geometry_.back().h().out;
        w = geometry_.back().w().out;
        if (!has_weights(L.kind)) {
            param_index_.push_back(-1);
            continue;
        }
        if (next_param >= params_.size())
            throw UserError("parameters has " + std::to_string(params_.size()) + " entries but layer " +
                            std::to_string(i) + " needs one more");
        try {
            check_weights(L, params_[next_param]);
        } catch (const UserError& e) {
            throw UserError("parameters[" + std::to_string(next_param) + "]: " + e.what());
        }
        param_index_.push_back(int(next_param++));
    }
    if (next_param != params_.size())
        throw UserError("parameters has " + std::to_string(params_.size()) + " entries but the model has " +
                        std::to_string(next_param) + " layers with parameters");
    const std::vector<int64_t> out_shape = {s[0], c, h, w};
    if (shape_of(target_) != out_shape)
        throw UserError("target has shape " + shape_text(shape_of(target_)) + " but the model's output has shape " +
                        shape_text(out_shape));
    grads_.resize(params_.size());
    workspaces_.resize(layers_.size());
    first_trained_ = std::size_t(std::find_if(layers_.begin(), layers_.end(), [](const Layer& l) { return has_weights(l.kind); }) -
                                 layers_.begin());
}

void Trainer::forward() {
    // The layers before the first one with weights (e.g. a leading nn.Upsample) see the
    // same input at every step: their outputs are computed once and kept.
    const std::size_t start = prefix_done_ ? first_trained_ : 0;
    prefix_done_ = true;
    for (std::size_t i = start; i < layers_.size(); ++i) {
        const int p = param_index_[i];
        if (p >= 0)
            conv_forward_into(layers_[i], geometry_[i], activations_[i], params_[std::size_t(p)], activations_[i + 1],
                              workspaces_[i]);
        else if (is_activation(layers_[i].kind))
            activation_into(layers_[i], activations_[i], activations_[i + 1]);
        else  // upsampling, pixel (un)shuffle, pools: a fresh output (glibc reuses the block)
            activations_[i + 1] = convscope::forward(layers_[i], activations_[i], nullptr);
    }
}

void Trainer::backward() {
    // grad_activations_[i] = dL/d(activations_[i]); each keeps its buffer from step to step.
    // Only the layers from the first one with weights on take part: below it no
    // parameter needs a gradient.
    for (std::size_t i = layers_.size(); i-- > first_trained_;) {
        const int p = param_index_[i];
        const bool want_input = i > first_trained_;
        const Tensor4& grad_output = grad_activations_[i + 1];
        if (p >= 0) {
            ConvGradients& g = grads_[std::size_t(p)];
            std::swap(g.input, grad_activations_[i]);
            conv_backward_into(layers_[i], geometry_[i], activations_[i], params_[std::size_t(p)], grad_output,
                               want_input, g, workspaces_[i]);
            std::swap(g.input, grad_activations_[i]);
        } else if (want_input && is_activation(layers_[i].kind)) {
            activation_gradient_into(layers_[i], activations_[i], activations_[i + 1], grad_output, grad_activations_[i]);
        } else if (want_input) {
            grad_activations_[i] =
                input_gradient_parameter_free(layers_[i], activations_[i], activations_[i + 1], grad_output);
        }
    }
}

double Trainer::step() {
    forward();
    const double loss = loss_and_grad(loss_, activations_.back(), target_, grad_activations_.back());
    if (!std::isfinite(loss)) {
        char buf[120];
        std::snprintf(buf, sizeof buf, "training diverged at step %ld (loss %s): lower the learning rate",
                      optimizer_.steps() + 1, std::isnan(loss) ? "NaN" : loss > 0 ? "inf" : "-inf");
        throw UserError(buf);
    }
    backward();
    optimizer_.begin_step();
    for (std::size_t p = 0; p < params_.size(); ++p) {
        ConvWeights& w = params_[p];
        const ConvGradients& g = grads_[p];
        optimizer_.update(2 * p, w.weight.data(), g.weight.data(), w.weight.size());
        if (w.has_bias) optimizer_.update(2 * p + 1, w.bias.data(), g.bias.data(), w.bias.size());
    }
    return loss;
}

std::size_t Trainer::held_bytes() const {
    std::size_t n = target_.size();
    for (const Tensor4& t : activations_) n += t.size();
    for (const Tensor4& t : grad_activations_) n += t.size();
    for (const ConvWeights& w : params_) n += w.weight.size() + w.bias.size();
    for (const ConvGradients& g : grads_) n += g.input.size() + g.weight.size() + g.bias.size();
    for (const ConvWorkspace& ws : workspaces_)
        n += ws.columns.capacity() + ws.column_grads.capacity() + ws.padded.size() + ws.padded_grad.size();
    return n * sizeof(double) + optimizer_.state_bytes();
}

const Tensor4& Trainer::output() {
    forward();
    return activations_.back();
}

TrainResult train(const TrainRun& run, const std::function<void(int64_t, int64_t, double)>& progress) {
    Trainer trainer(run.layers, run.parameters, run.input, run.target, run.loss, run.optimizer);
    TrainResult result;
    result.losses.reserve(std::size_t(run.steps));
    for (int64_t k = 0; k < run.steps; ++k) {
        result.losses.push_back(trainer.step());
        if (progress) progress(k + 1, run.steps, result.losses.back());
    }
    result.output = trainer.output();
    result.parameters = trainer.parameters();
    return result;
}

std::string train_result_to_json_text(const TrainResult& r) {
    std::string out = "{\"losses\": [";
    char buf[40];
    for (std::size_t i = 0; i < r.losses.size(); ++i) {
        const int n = std::snprintf(buf, sizeof buf, "%.17g", r.losses[i]);
        if (i) out += ", ";
        out.append(buf, std::size_t(n));
    }
    out += "],\n\"parameters\": [";
    for (std::size_t i = 0; i < r.parameters.size(); ++i) {
        const ConvWeights& w = r.parameters[i];
        out += i ? ",\n{\"weight\": " : "\n{\"weight\": ";
        out += tensor_to_json_text(w.weight);
        out += ", \"bias\": " + (w.has_bias ? tensor_to_json_text(w.bias) : std::string("null")) + "}";
    }
    out += "],\n\"output\": " + tensor_to_json_text(r.output);
    return out + "}";
}

}  // namespace convscope
