// The Lab: the picture scaled down and up, every model's Trainer, its steps, snapshots,
// saves and restores.
#include "core/learn/lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <xtensor/xview.hpp>

#include "core/base/errors.hpp"
#include "core/base/files.hpp"

namespace convscope {

// --- the lab --------------------------------------------------------------------------------

namespace {

constexpr std::int64_t kMinLabSize = 8;
constexpr std::int64_t kMaxLabSize = 512;

Picture lab_picture(const LabSettings& s) {
    return read_picture(s.image_path.empty() ? asset_path("landscape.png") : s.image_path);
}

std::string optimizer_label(const OptimizerSettings& o) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "%s lr=%g", o.kind == OptimizerSettings::Kind::Adam ? "Adam" : "SGD", o.lr);
    std::string s = buf;
    if (o.kind == OptimizerSettings::Kind::Sgd && o.momentum != 0) {
        std::snprintf(buf, sizeof buf, " momentum=%g", o.momentum);
        s += buf;
    }
    return s;
}

/// ICNR (Aitken et al. 2017, "Checkerboard artifact free sub-pixel convolution"): the
/// conv before PixelShuffle(r) starts as a conv of C_out / r^2 channels (PyTorch's default
/// initialisation) with each output channel repeated r^2 times, so that at initialisation
/// the model equals nearest upsampling followed by that conv: no checkerboard.
std::vector<ConvWeights> icnr_parameters(const std::vector<Layer>& layers, std::uint32_t seed) {
    // make_lab_model sets icnr only for [..., conv, PixelShuffle(r)].
    const std::int64_t r = layers.back().shuffle_factor;
    std::vector<Layer> small = layers;
    Layer& last = small[small.size() - 2];
    last.out_channels /= r * r;
    std::vector<ConvWeights> p = default_parameters(small, seed);
    ConvWeights& w = p.back();
    const auto s = shape_of(w.weight);
    ConvWeights full;
    full.has_bias = w.has_bias;
    full.weight = make_tensor(s[0] * r * r, s[1], s[2], s[3], "ICNR weight");
    if (w.has_bias) full.bias = xt::zeros<double>({std::size_t(s[0] * r * r)});
    for (std::int64_t o = 0; o < s[0] * r * r; ++o) {
        xt::view(full.weight, o) = xt::view(w.weight, o / (r * r));
        if (w.has_bias) full.bias(std::size_t(o)) = w.bias(std::size_t(o / (r * r)));
    }
    w = std::move(full);
    return p;
}

}  // namespace

Lab::Lab(const LabSettings& settings) : settings_(settings) { build(lab_picture(settings_)); }

Lab::Lab(const LabSettings& settings, const Picture& picture) : settings_(settings) { build(picture); }

void Lab::build(const Picture& source) {
    const std::int64_t factor = lab_upsampling_factor(settings_.preset);
    if (settings_.size < kMinLabSize || settings_.size > kMaxLabSize)
        throw UserError("lab size " + std::to_string(settings_.size) + " must be between " + std::to_string(kMinLabSize) +
                        " and " + std::to_string(kMaxLabSize));
    if (settings_.snapshot_every < 1 || settings_.snapshot_every > 100000)
        throw UserError("snapshot interval " + std::to_string(settings_.snapshot_every) + " must be between 1 and 100000");
    // The target: the picture scaled to fit size x size, each side a multiple of the
    // factor (so that the input is exactly 1/factor of it).
    const Picture fitted = fit_picture(source, settings_.size, &picture_note_);
    const std::int64_t h = std::max(factor, fitted.height / factor * factor);
    const std::int64_t w = std::max(factor, fitted.width / factor * factor);
    const Picture target_picture = (h == fitted.height && w == fitted.width) ? fitted : resize_area(fitted, h, w);
    const Picture input_picture = resize_area(target_picture, h / factor, w / factor);
    const std::int64_t channels = source.channels;
    target_ = picture_to_tensor(target_picture, channels);
    input_ = picture_to_tensor(input_picture, channels);
    specs_ = lab_models(settings_, channels);
    for (const LabModelSpec& spec : specs_) {
        // The model's output must be the target's shape (the Trainer checks, naming it).
        const auto out = model_output_shape(spec.layers, shape_of(input_));
        if (out != shape_of(target_))
            throw UserError("model '" + spec.name + "' does not upsample " + std::to_string(w / factor) + "x" +
                            std::to_string(h / factor) + " to the target's " + std::to_string(w) + "x" +
                            std::to_string(h) + " with " + std::to_string(channels) + " channel(s)");
        std::vector<ConvWeights> p = spec.icnr ? icnr_parameters(spec.layers, settings_.seed)
                                               : default_parameters(spec.layers, settings_.seed);
        initial_.push_back(p);
        trainers_.push_back(
            std::make_unique<Trainer>(spec.layers, std::move(p), input_, target_, settings_.loss, settings_.optimizer));
    }
    losses_.assign(specs_.size(), {});
    scores_.assign(specs_.size(), {});
    diverged_.assign(specs_.size(), "");
    model_steps_.assign(specs_.size(), 0);
}

namespace {

/// The contract's words for a model that stopped: the Trainer's "training diverged at
/// step K (loss inf): lower the learning rate" with the model named.
std::string divergence_message(const std::string& model, const std::string& trainer_message) {
    const std::string prefix = "training diverged";
    if (trainer_message.rfind(prefix, 0) == 0)
        return "model '" + model + "' diverged" + trainer_message.substr(prefix.size());
    return "model '" + model + "' stopped: " + trainer_message;
}

}  // namespace

void Lab::step() {
    for (std::size_t m = 0; m < trainers_.size(); ++m) {
        if (!diverged_[m].empty()) continue;  // stopped: its parameters and losses stay as they were
        try {
            losses_[m].push_back(trainers_[m]->step());
            ++model_steps_[m];
        } catch (const UserError& e) {
            diverged_[m] = divergence_message(specs_[m].name, e.what());
        }
    }
    ++steps_;
}

bool Lab::all_diverged() const {
    return std::all_of(diverged_.begin(), diverged_.end(), [](const std::string& d) { return !d.empty(); });
}

void Lab::set_optimizer(const OptimizerSettings& optimizer) {
    settings_.optimizer = optimizer;
    for (std::size_t m = 0; m < trainers_.size(); ++m)
        trainers_[m] = std::make_unique<Trainer>(trainers_[m]->layers(), trainers_[m]->parameters(), input_, target_,
                                                 settings_.loss, optimizer);
}

LabSnapshot Lab::snapshot() {
    LabSnapshot s;
    s.step = steps_;
    s.stride = lab_upsampling_factor(settings_.preset);
    s.input = input_;
    s.target = target_;
    s.optimizer = optimizer_label(settings_.optimizer);
    s.picture_note = picture_note_;
    if (target_score_ < 0) target_score_ = checkerboard_score(target_, s.stride, s.stride, kLabScoreWindow).score;
    s.target_score = target_score_;
    if (score_steps_.empty() || score_steps_.back() != steps_) score_steps_.push_back(steps_);
    const bool new_scores = scores_.empty() || scores_[0].size() < score_steps_.size();
    Tensor4 grad;
    for (std::size_t m = 0; m < trainers_.size(); ++m) {
        LabModelSnapshot ms;
        const LabModelSpec& spec = specs_[m];
        ms.name = spec.name;
        ms.code = spec.code;
        ms.output = trainers_[m]->output();
        ms.loss = loss_and_grad(settings_.loss, ms.output, target_, grad);
        ms.psnr = psnr(ms.output, target_);
        ms.score = checkerboard_score(ms.output, s.stride, s.stride, kLabScoreWindow);
        ms.steps = model_steps_[m];
        ms.diverged = diverged_[m];
        const std::size_t C = ms.output.shape()[1], H = ms.output.shape()[2], W = ms.output.shape()[3];
        ms.error = xt::zeros<double>({H, W});
        xt::xtensor<double, 2> mean = xt::zeros<double>({H, W});
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t r = 0; r < H; ++r)
                for (std::size_t q = 0; q < W; ++q) {
                    ms.error(r, q) += std::abs(ms.output(0, c, r, q) - target_(0, c, r, q)) / double(C);
                    mean(r, q) += ms.output(0, c, r, q) / double(C);
                }
        ms.spectrum = log_power_spectrum(mean);
        ms.layers = spec.layers;
        ms.parameters = trainers_[m]->parameters();
        ms.losses = losses_[m];
        if (new_scores) scores_[m].push_back(ms.score.score);
        ms.scores = scores_[m];
        s.models.push_back(std::move(ms));
    }
    s.score_steps = score_steps_;
    return s;
}

LabSave Lab::save() const {
    LabSave save;
    save.settings = settings_;
    save.steps = steps_;
    for (const auto& t : trainers_) save.parameters.push_back(t->parameters());
    return save;
}

void Lab::restore(const LabSave& save) {
    if (save.parameters.size() != trainers_.size())
        throw UserError("the saved lab has " + std::to_string(save.parameters.size()) + " models, this one " +
                        std::to_string(trainers_.size()));
    if (save.steps < 0 || save.steps > kMaxTrainSteps) throw UserError("lab.steps " + std::to_string(save.steps) + " is out of range");
    for (std::size_t m = 0; m < trainers_.size(); ++m) {
        const auto& now = trainers_[m]->parameters();
        const auto& saved = save.parameters[m];
        if (saved.size() != now.size())
            throw UserError("lab.parameters[" + std::to_string(m) + "] has " + std::to_string(saved.size()) +
                            " layers with weights, the model '" + specs_[m].name + "' " + std::to_string(now.size()));
        for (std::size_t l = 0; l < now.size(); ++l)
            if (shape_of(saved[l].weight) != shape_of(now[l].weight) || saved[l].has_bias != now[l].has_bias ||
                (saved[l].has_bias && saved[l].bias.size() != now[l].bias.size()))
                throw UserError("lab.parameters[" + std::to_string(m) + "][" + std::to_string(l) +
                                "] does not have the shape of the model '" + specs_[m].name + "'");
    }
    for (std::size_t m = 0; m < trainers_.size(); ++m)
        trainers_[m] = std::make_unique<Trainer>(trainers_[m]->layers(), save.parameters[m], input_, target_,
                                                 settings_.loss, settings_.optimizer);
    steps_ = save.steps;
    losses_.assign(specs_.size(), {});
    scores_.assign(specs_.size(), {});
    diverged_.assign(specs_.size(), "");
    model_steps_.assign(specs_.size(), save.steps);
    score_steps_.clear();
}

}  // namespace convscope
