// A lab as a session saves it (session format version 2), written and read back.
#include "core/learn/lab.hpp"

#include <cmath>

#include "core/base/errors.hpp"
#include "core/io/json_fields.hpp"
#include "core/io/json_io.hpp"

namespace convscope {

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

}  // namespace convscope
