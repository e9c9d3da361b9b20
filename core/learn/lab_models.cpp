// The lab's models: a model read from PyTorch code, and the presets' model lists.
#include "core/learn/lab.hpp"

#include <algorithm>

#include "core/base/errors.hpp"
#include "core/io/pycode.hpp"

namespace convscope {

namespace {

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

}  // namespace convscope
