#include "core/learn/lab.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#if defined(__linux__)
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <xtensor/xnpy.hpp>
#include <xtensor/xview.hpp>

#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/io/json_fields.hpp"
#include "core/io/json_io.hpp"
#include "core/io/pycode.hpp"

namespace convscope {

namespace {

constexpr std::int64_t kMinLabSize = 8;
constexpr std::int64_t kMaxLabSize = 512;

// --- reading a model ----------------------------------------------------------------------

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

}  // namespace

LabModelSpec make_lab_model(const std::string& name, const std::string& code, bool icnr) {
    LabModelSpec spec;
    spec.name = name;
    spec.code = code;
    spec.layers = parse_pytorch_code(code);
    if (std::none_of(spec.layers.begin(), spec.layers.end(), [](const Layer& l) { return l.is_conv(); }))
        throw CodeError(1, "the model holds no layer with weights to learn");
    // ICNR applies to the conv right before a final PixelShuffle(r), r > 1.
    const std::size_t n = spec.layers.size();
    spec.icnr = icnr && n >= 2 && spec.layers[n - 1].kind == LayerKind::PixelShuffle &&
                spec.layers[n - 1].shuffle_factor > 1 && spec.layers[n - 2].is_conv();
    return spec;
}

// --- presets ------------------------------------------------------------------------------

const std::vector<std::string>& lab_preset_names() {
    static const std::vector<std::string> names{"lab-upsampling", "lab-upsampling-stacked", "lab-upsampling-damped"};
    return names;
}

bool is_lab_preset(const std::string& name) {
    const auto& n = lab_preset_names();
    return std::find(n.begin(), n.end(), name) != n.end();
}

std::int64_t lab_upsampling_factor(const std::string& preset) {
    if (!is_lab_preset(preset)) throw UserError("'" + preset + "' is not a lab preset (lab-upsampling, lab-upsampling-stacked, lab-upsampling-damped)");
    return preset == "lab-upsampling" ? 2 : 4;
}

std::vector<LabModelSpec> lab_models(const LabSettings& settings, std::int64_t channels) {
    const std::string C = std::to_string(channels), C4 = std::to_string(4 * channels),
                      C16 = std::to_string(16 * channels);
    const std::string k3 = "nn.ConvTranspose2d(" + C + ", " + C + ", kernel_size=3, stride=2, padding=1, output_padding=1)";
    const std::string k4 = "nn.ConvTranspose2d(" + C + ", " + C + ", kernel_size=4, stride=2, padding=1)";
    const std::string conv = "nn.Conv2d(" + C + ", " + C + ", kernel_size=3, padding=1)";
    const std::string up_n = "nn.Upsample(scale_factor=2, mode='nearest')";
    const std::string up_b = "nn.Upsample(scale_factor=2, mode='bilinear')";
    auto seq = [](std::initializer_list<std::string> layers) {
        std::string s = "nn.Sequential(";
        bool first = true;
        for (const std::string& l : layers) {
            s += (first ? "" : ", ") + l;
            first = false;
        }
        return s + ")";
    };
    std::vector<LabModelSpec> models;
    if (settings.preset == "lab-upsampling") {
        models.push_back(make_lab_model("ConvTranspose2d k=3 s=2", k3));
        models.push_back(make_lab_model("ConvTranspose2d k=4 s=2", k4));
        models.push_back(make_lab_model("nearest + Conv2d", seq({up_n, conv})));
        models.push_back(make_lab_model("bilinear + Conv2d", seq({up_b, conv})));
        models.push_back(make_lab_model(settings.icnr ? "Conv2d + PixelShuffle (ICNR)" : "Conv2d + PixelShuffle",
                                        seq({"nn.Conv2d(" + C + ", " + C4 + ", kernel_size=3, padding=1)", "nn.PixelShuffle(2)"}),
                                        settings.icnr));
    } else if (settings.preset == "lab-upsampling-stacked") {
        models.push_back(make_lab_model("2 x ConvTranspose2d k=3 s=2", seq({k3, k3})));
        models.push_back(make_lab_model("2 x ConvTranspose2d k=4 s=2", seq({k4, k4})));
        models.push_back(make_lab_model("nearest x4 + Conv2d", seq({up_n, up_n, conv})));
        models.push_back(make_lab_model("bilinear x4 + Conv2d", seq({up_b, up_b, conv})));
        models.push_back(make_lab_model(settings.icnr ? "Conv2d + PixelShuffle(4) (ICNR)" : "Conv2d + PixelShuffle(4)",
                                        seq({"nn.Conv2d(" + C + ", " + C16 + ", kernel_size=3, padding=1)", "nn.PixelShuffle(4)"}),
                                        settings.icnr));
    } else if (settings.preset == "lab-upsampling-damped") {
        models.push_back(make_lab_model("2 x ConvTranspose2d k=3 s=2", seq({k3, k3})));
        models.push_back(make_lab_model("2 x k=3 s=2 + Conv2d k=3", seq({k3, k3, conv})));
        models.push_back(make_lab_model("2 x ConvTranspose2d k=4 s=2", seq({k4, k4})));
        models.push_back(make_lab_model("2 x k=4 s=2 + Conv2d k=3", seq({k4, k4, conv})));
        models.push_back(make_lab_model("nearest x4 + Conv2d", seq({up_n, up_n, conv})));
    } else {
        lab_upsampling_factor(settings.preset);  // throws the message naming the presets
    }
    if (!trim(settings.custom_code).empty()) models.push_back(make_lab_model("custom", settings.custom_code));
    return models;
}

std::vector<xt::xtensor<int, 2>> phase_masks(const Layer& layer) {
    const std::int64_t sh = layer.stride.h, sw = layer.stride.w;
    std::vector<xt::xtensor<int, 2>> masks;
    const std::int64_t ph = layer.padding.value.h, pw = layer.padding.value.w;
    for (std::int64_t a = 0; a < sh; ++a)
        for (std::int64_t b = 0; b < sw; ++b) {
            xt::xtensor<int, 2> m = xt::zeros<int>({std::size_t(layer.kernel.h), std::size_t(layer.kernel.w)});
            for (std::int64_t t = 0; t < layer.kernel.h; ++t)
                for (std::int64_t u = 0; u < layer.kernel.w; ++u) {
                    // o = i*s - p + t*d, so o mod s = (t*d - p) mod s.
                    const std::int64_t oa = (((t * layer.dilation.h - ph) % sh) + sh) % sh;
                    const std::int64_t ob = (((u * layer.dilation.w - pw) % sw) + sw) % sw;
                    m(std::size_t(t), std::size_t(u)) = (oa == a && ob == b) ? 1 : 0;
                }
            masks.push_back(std::move(m));
        }
    return masks;
}

xt::xtensor<int, 2> overlap_counts(const Layer& L, std::int64_t in_h, std::int64_t in_w) {
    const LayerGeometry g = resolve_layer(L, 1, L.in_channels, in_h, in_w);
    // Per axis: how many (input cell, tap) pairs land on each output cell.
    auto axis_counts = [&](int a, std::int64_t in) {
        const std::int64_t out = a == 0 ? g.h().out : g.w().out;
        const std::int64_t s = L.stride[a], p = L.padding.value[a], d = L.dilation[a], k = L.kernel[a];
        std::vector<int> n(std::size_t(out), 0);
        for (std::int64_t i = 0; i < in; ++i)
            for (std::int64_t t = 0; t < k; ++t) {
                const std::int64_t o = i * s - p + t * d;
                if (o >= 0 && o < out) ++n[std::size_t(o)];
            }
        return n;
    };
    const std::vector<int> rows = axis_counts(0, in_h), cols = axis_counts(1, in_w);
    xt::xtensor<int, 2> c = xt::zeros<int>({rows.size(), cols.size()});
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t q = 0; q < cols.size(); ++q) c(r, q) = rows[r] * cols[q];
    return c;
}

std::vector<LayerOverlap> model_overlaps(const std::vector<Layer>& layers, const std::vector<std::int64_t>& input_shape) {
    std::vector<LayerOverlap> out;
    std::vector<std::int64_t> shape = input_shape;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& L = layers[i];
        if (L.kind == LayerKind::ConvTranspose2d && (L.stride.h > 1 || L.stride.w > 1))
            out.push_back({i, overlap_counts(L, shape[2], shape[3])});
        shape = model_output_shape({L}, shape);
    }
    return out;
}

std::string overlap_note(const std::vector<Layer>& layers) {
    const auto conv = std::find_if(layers.rbegin(), layers.rend(), [](const Layer& l) { return l.is_conv(); });
    if (conv == layers.rend()) return "no layer with weights";
    const bool resize = std::any_of(layers.begin(), layers.end(), [](const Layer& l) { return l.kind == LayerKind::Upsample; });
    const bool shuffle =
        std::any_of(layers.begin(), layers.end(), [](const Layer& l) { return l.kind == LayerKind::PixelShuffle; });
    const std::string taps = std::to_string(conv->kernel.h * conv->kernel.w);
    const std::string k = std::string(class_name(conv->kind)) + " k=" + std::to_string(conv->kernel.h);
    if (shuffle)
        return "no transposed layer: " + k + " + PixelShuffle, every output cell gets " + taps + " taps (its own channel)";
    return std::string("no transposed layer: ") + (resize ? "resize + " : "") + k + ", every output cell gets " + taps +
           " taps";
}

double psnr(const Tensor4& output, const Tensor4& target) {
    double sum = 0;
    for (std::size_t i = 0; i < output.size(); ++i) {
        const double d = output.data()[i] - target.data()[i];
        sum += d * d;
    }
    const double mse = sum / double(std::max<std::size_t>(1, output.size()));
    return mse <= 1e-10 ? 99.0 : 10.0 * std::log10(1.0 / mse);
}

// --- the lab --------------------------------------------------------------------------------

namespace {

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
}

void Lab::step() {
    for (std::size_t m = 0; m < trainers_.size(); ++m) {
        try {
            losses_[m].push_back(trainers_[m]->step());
        } catch (const UserError& e) {
            throw UserError("model '" + specs_[m].name + "': " + e.what());
        }
    }
    ++steps_;
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
    if (target_score_ < 0) target_score_ = checkerboard_score(target_, s.stride, s.stride).score;
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
        ms.score = checkerboard_score(ms.output, s.stride, s.stride);
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
    score_steps_.clear();
}

nlohmann::json lab_save_to_json(const LabSave& save) {
    const LabSettings& s = save.settings;
    nlohmann::json j;
    j["preset"] = s.preset;
    j["image"] = s.image_path;
    j["size"] = s.size;
    j["seed"] = s.seed;
    j["optimizer"] = s.optimizer.kind == OptimizerSettings::Kind::Adam ? "adam" : "sgd";
    j["lr"] = s.optimizer.lr;
    j["momentum"] = s.optimizer.momentum;
    j["loss"] = loss_name(s.loss);
    j["icnr"] = s.icnr;
    j["custom_model"] = s.custom_code;
    j["steps"] = save.steps;
    j["parameters"] = nlohmann::json::array();
    for (const auto& model : save.parameters) {
        nlohmann::json layers = nlohmann::json::array();
        for (const ConvWeights& w : model)
            layers.push_back({{"weight", nlohmann::json::parse(tensor_to_json_text(w.weight))},
                              {"bias", w.has_bias ? nlohmann::json::parse(tensor_to_json_text(w.bias)) : nlohmann::json()}});
        j["parameters"].push_back(layers);
    }
    return j;
}

LabSave lab_save_from_json(const nlohmann::json& j) {
    want_object(j, "lab");
    LabSave save;
    LabSettings& s = save.settings;
    auto has = [&](const char* k) { return j.contains(k) && !j.at(k).is_null(); };
    if (!has("preset")) throw UserError("lab.preset is missing");
    s.preset = want_string(j.at("preset"), "lab.preset");
    lab_upsampling_factor(s.preset);  // refuses an unknown lab preset, naming the known ones
    if (has("image")) s.image_path = want_string(j.at("image"), "lab.image");
    if (has("size")) s.size = want_int(j.at("size"), "lab.size");
    if (has("seed")) {
        const std::int64_t seed = want_int(j.at("seed"), "lab.seed");
        if (seed < 0 || seed > std::int64_t(UINT32_MAX)) throw UserError("lab.seed " + std::to_string(seed) + " must be in 0..4294967295");
        s.seed = std::uint32_t(seed);
    }
    if (has("optimizer")) {
        const std::string o = want_string(j.at("optimizer"), "lab.optimizer");
        if (o == "adam") s.optimizer.kind = OptimizerSettings::Kind::Adam;
        else if (o == "sgd") s.optimizer.kind = OptimizerSettings::Kind::Sgd;
        else throw UserError("lab.optimizer '" + o.substr(0, 40) + "' must be adam or sgd");
    }
    auto number = [&](const char* k, double& out) {
        if (!has(k)) return;
        if (!j.at(k).is_number() || !std::isfinite(j.at(k).get<double>()) || j.at(k).get<double>() < 0)
            throw UserError(std::string("lab.") + k + " must be a number of at least 0");
        out = j.at(k).get<double>();
    };
    number("lr", s.optimizer.lr);
    number("momentum", s.optimizer.momentum);
    if (!(s.optimizer.lr > 0)) throw UserError("lab.lr must be above 0");
    if (has("loss")) s.loss = parse_loss_name(want_string(j.at("loss"), "lab.loss"), "lab.loss");
    if (has("icnr")) {
        if (!j.at("icnr").is_boolean()) throw UserError("lab.icnr must be true or false");
        s.icnr = j.at("icnr").get<bool>();
    }
    if (has("custom_model")) s.custom_code = want_string(j.at("custom_model"), "lab.custom_model");
    if (has("steps")) save.steps = want_int(j.at("steps"), "lab.steps");
    if (has("parameters")) {
        const auto& models = j.at("parameters");
        if (!models.is_array() || models.size() > 16) throw UserError("lab.parameters must be a list of at most 16 models");
        for (std::size_t m = 0; m < models.size(); ++m) {
            const std::string where = "lab.parameters[" + std::to_string(m) + "]";
            if (!models[m].is_array() || models[m].size() > kMaxModelLayers) throw UserError(where + " must be a list of layers");
            std::vector<ConvWeights> layers;
            for (std::size_t l = 0; l < models[m].size(); ++l) {
                const auto& e = models[m][l];
                const std::string at = where + "[" + std::to_string(l) + "]";
                want_object(e, at);
                if (!e.contains("weight")) throw UserError(at + ".weight is missing");
                ConvWeights w;
                w.weight = tensor_from_json(e.at("weight"), at + ".weight");
                if (e.contains("bias") && !e.at("bias").is_null()) {
                    w.bias = vector_from_json(e.at("bias"), at + ".bias");
                    w.has_bias = true;
                }
                layers.push_back(std::move(w));
            }
            save.parameters.push_back(std::move(layers));
        }
    }
    return save;
}

// --- the worker --------------------------------------------------------------------------

LabRunner::LabRunner(std::unique_ptr<Lab> lab) : lab_(std::move(lab)) {
    snapshot_ = std::make_shared<const LabSnapshot>(lab_->snapshot());
    worker_ = std::thread([this] { run(); });
}

LabRunner::~LabRunner() {
    // quit_ is atomic and set without the lock: a worker busy stepping sees it after the
    // step under way, instead of this thread waiting for a free moment of the lock.
    quit_ = true;
    {
        std::lock_guard<std::mutex> lock(mutex_);  // a worker about to wait sees quit_ first
    }
    wake_.notify_all();
    worker_.join();
}

void LabRunner::play() {
    {
        std::lock_guard<std::mutex> published(published_mutex_);
        error_.clear();
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        playing_ = true;
    }
    wake_.notify_all();
}

void LabRunner::pause() { playing_ = false; }

void LabRunner::step_once() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        playing_ = false;
        ++pending_steps_;
    }
    wake_.notify_all();
}

void LabRunner::replace(std::unique_ptr<Lab> lab) {
    auto first = std::make_shared<const LabSnapshot>(lab->snapshot());
    std::lock_guard<std::mutex> lock(mutex_);  // waits for the step under way, if any
    lab_ = std::move(lab);
    pending_steps_ = 0;
    std::lock_guard<std::mutex> published(published_mutex_);
    snapshot_ = std::move(first);
    error_.clear();
}

LabSave LabRunner::save() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lab_->save();
}

void LabRunner::set_optimizer(const OptimizerSettings& optimizer) {
    std::lock_guard<std::mutex> lock(mutex_);
    lab_->set_optimizer(optimizer);
}

std::shared_ptr<const LabSnapshot> LabRunner::snapshot() const {
    std::lock_guard<std::mutex> published(published_mutex_);
    return snapshot_;
}

std::string LabRunner::error() const {
    std::lock_guard<std::mutex> published(published_mutex_);
    return error_;
}

void LabRunner::run() {
#if defined(__linux__)
    // The UI thread draws while this one trains, on as few as two cores (and a software
    // rasterizer's threads): nice +5 for this thread only, so a frame gets a core first
    // when both want one, while training still takes every core the UI leaves idle.
    setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 5);
    pthread_setname_np(pthread_self(), "lab-training");  // so top and perf tell it from the window's thread
#endif
    using clock = std::chrono::steady_clock;
    auto window_start = clock::now();
    std::int64_t window_steps = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return quit_ || playing_ || pending_steps_ > 0; });
        if (quit_) return;
        // The lab is stepped under its lock, which only the UI's actions (reset, a new
        // optimizer, save) wait for; drawing reads the published snapshot under its own
        // lock, held only to copy a pointer, so a frame never waits for a step.
        const auto step_start = clock::now();
        try {
            lab_->step();
            if (pending_steps_ > 0) --pending_steps_;
            ++window_steps;
            if (lab_->steps_done() % lab_->settings().snapshot_every == 0 || !playing_) {
                auto snap = std::make_shared<const LabSnapshot>(lab_->snapshot());
                std::lock_guard<std::mutex> published(published_mutex_);
                snapshot_ = std::move(snap);
            }
        } catch (const UserError& e) {
            std::lock_guard<std::mutex> published(published_mutex_);
            error_ = e.what();
            playing_ = false;
            pending_steps_ = 0;
        }
        const double seconds = std::chrono::duration<double>(clock::now() - window_start).count();
        if (seconds >= 1.0) {
            rate_ = playing_ ? double(window_steps) / seconds : 0.0;
            window_steps = 0;
            window_start = clock::now();
        }
        if (quit_) return;
        // Let the UI thread take the lock between steps (a std::mutex is not fair, and
        // yield() returns before the woken UI thread runs: under a sanitizer a Save at quit
        // waited seconds for it), and leave the UI half of the core this thread would
        // take: rest as long as the step took. On two cores the window's frame and the
        // rasterizer's threads need both; the lab still makes about 50 steps a second with
        // its snapshots (the bare steps: `convscope bench --case lab_upsampling_step`).
        const auto rest = std::max<clock::duration>(std::chrono::microseconds(100), clock::now() - step_start);
        lock.unlock();
        std::this_thread::sleep_for(rest);
        lock.lock();
    }
}

// --- weights and the PyTorch script ---------------------------------------------------

namespace {

std::string file_stem(std::size_t m, std::size_t l) { return "m" + std::to_string(m) + "_l" + std::to_string(l); }

std::string python_model(const LabModelSpec& spec) {
    // The code as the student wrote it is PyTorch already: nn.Upsample, nn.PixelShuffle
    // and the layers with weights are all torch.nn modules.
    return spec.code;
}

}  // namespace

std::string lab_pytorch_script(const Lab& lab) {
    const LabSettings& s = lab.settings();
    std::ostringstream py;
    py << "#!/usr/bin/env python3\n"
          "\"\"\"The models of ConvScope's upsampling lab (" << s.preset << "), rebuilt in PyTorch.\n\n"
          "Written by `convscope export --preset " << s.preset << " ... --weights DIR` next to the .npy files\n"
          "it loads: input.npy (1 x C x h x w), target.npy (1 x C x H x W) and per model m and\n"
          "layer with weights l: m<m>_l<l>_weight_init.npy / _bias_init.npy (where training started)\n"
          "and m<m>_l<l>_weight.npy / _bias.npy (what it learned).\n\n"
          "  python3 lab_models.py            # the learned models' loss and PSNR on the target\n"
          "  python3 lab_models.py --retrain  # train again from the initial weights, losses as JSON\n"
          "\"\"\"\n"
          "import json\nimport math\nimport os\nimport sys\n\nimport numpy as np\nimport torch\nfrom torch import nn\n\n"
          "torch.set_default_dtype(torch.float64)\n"
          "HERE = os.path.dirname(os.path.abspath(__file__))\n"
          "STEPS = int(os.environ.get('LAB_STEPS', '" << lab.steps_done() << "'))\n\n\n"
          "def load(name):\n    return torch.from_numpy(np.load(os.path.join(HERE, name)))\n\n\n"
          "def models():\n    \"\"\"Every model of the lab, in order, with its name.\"\"\"\n    return [\n";
    for (const LabModelSpec& spec : lab.models())
        py << "        (" << nlohmann::json(spec.name).dump() << ", " << python_model(spec) << "),\n";
    py << "    ]\n\n\n"
          "def with_weights(model, index, suffix):\n"
          "    \"\"\"Copies the weights m<index>_l<l>_weight<suffix>.npy into the layers that have them.\"\"\"\n"
          "    layers = list(model) if isinstance(model, nn.Sequential) else [model]\n"
          "    learned = [m for m in layers if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]\n"
          "    with torch.no_grad():\n"
          "        for l, layer in enumerate(learned):\n"
          "            layer.weight.copy_(load('m%d_l%d_weight%s.npy' % (index, l, suffix)))\n"
          "            if layer.bias is not None:\n"
          "                layer.bias.copy_(load('m%d_l%d_bias%s.npy' % (index, l, suffix)))\n"
          "    return model\n\n\n"
          "def main():\n"
          "    x, target = load('input.npy'), load('target.npy')\n"
          "    loss_fn = nn." << (s.loss == LossKind::Mse ? "MSELoss" : "L1Loss") << "()\n"
          "    if '--retrain' in sys.argv:\n"
          "        losses = {}\n"
          "        for index, (name, model) in enumerate(models()):\n"
          "            with_weights(model, index, '_init')\n";
    if (s.optimizer.kind == OptimizerSettings::Kind::Adam)
        py << "            optimizer = torch.optim.Adam(model.parameters(), lr=" << s.optimizer.lr << ", betas=("
           << s.optimizer.beta1 << ", " << s.optimizer.beta2 << "), eps=" << s.optimizer.eps
           << ", weight_decay=" << s.optimizer.weight_decay << ")\n";
    else
        py << "            optimizer = torch.optim.SGD(model.parameters(), lr=" << s.optimizer.lr
           << ", momentum=" << s.optimizer.momentum << ", weight_decay=" << s.optimizer.weight_decay
           << ", nesterov=" << (s.optimizer.nesterov ? "True" : "False") << ")\n";
    py << "            losses[name] = []\n"
          "            for _ in range(STEPS):\n"
          "                optimizer.zero_grad()\n"
          "                loss = loss_fn(model(x), target)\n"
          "                losses[name].append(loss.item())\n"
          "                loss.backward()\n"
          "                optimizer.step()\n"
          "        print(json.dumps(losses))\n"
          "        return\n"
          "    for index, (name, model) in enumerate(models()):\n"
          "        with_weights(model, index, '')\n"
          "        with torch.no_grad():\n"
          "            y = model(x)\n"
          "        mse = torch.mean((y - target) ** 2).item()\n"
          "        psnr = 99.0 if mse <= 1e-10 else 10 * math.log10(1 / mse)\n"
          "        print('%-32s loss %.6g  PSNR %.2f dB' % (name, loss_fn(y, target).item(), psnr))\n\n\n"
          "if __name__ == '__main__':\n"
          "    main()\n";
    return py.str();
}

std::vector<std::string> export_lab_weights(const Lab& lab, const std::string& folder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec || !fs::is_directory(folder)) throw UserError("--weights '" + folder + "' is not a folder that can be created");
    std::vector<std::string> written;
    auto npy = [&](const std::string& name, const auto& tensor) {
        const std::string path = (fs::path(folder) / name).string();
        xt::dump_npy(path + ".part", tensor);
        fs::rename(path + ".part", path, ec);
        if (ec) throw UserError("cannot write '" + path + "': " + ec.message());
        written.push_back(path);
    };
    npy("input.npy", lab.input());
    npy("target.npy", lab.target());
    nlohmann::json losses = nlohmann::json::object();
    for (std::size_t m = 0; m < lab.models().size(); ++m) {
        const auto& now = lab.parameters(m);
        const auto& init = lab.initial_parameters()[m];
        for (std::size_t l = 0; l < now.size(); ++l) {
            npy(file_stem(m, l) + "_weight.npy", now[l].weight);
            npy(file_stem(m, l) + "_weight_init.npy", init[l].weight);
            if (now[l].has_bias) {
                npy(file_stem(m, l) + "_bias.npy", now[l].bias);
                npy(file_stem(m, l) + "_bias_init.npy", init[l].bias);
            }
        }
        losses[lab.models()[m].name] = lab.losses(m);
    }
    const std::string script = (fs::path(folder) / "lab_models.py").string();
    write_file_atomically(script, lab_pytorch_script(lab));
    written.push_back(script);
    const std::string loss_path = (fs::path(folder) / "losses.json").string();
    write_file_atomically(loss_path, losses.dump() + "\n");
    written.push_back(loss_path);
    return written;
}

}  // namespace convscope
