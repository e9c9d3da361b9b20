// The lab's tensors as .npy files, its losses as JSON, and the PyTorch script that
// rebuilds its models from them.
#include "core/learn/lab.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include <xtensor/xnpy.hpp>

#include "core/base/errors.hpp"
#include "core/base/files.hpp"

namespace convscope {

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

nlohmann::json lab_scores_json(const LabSnapshot& snap) {
    // JSON has no NaN or infinity: a value that is not a number is null.
    auto number = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
    nlohmann::json j;
    j["picture_score"] = number(snap.target_score);
    j["models"] = nlohmann::json::array();
    for (const LabModelSnapshot& m : snap.models)
        j["models"].push_back({{"name", m.name},
                               {"checkerboard_score", number(m.score.score)},
                               {"psnr_db", number(m.psnr)},
                               {"loss", number(m.loss)}});
    return j;
}

std::vector<std::string> export_lab_weights(Lab& lab, const std::string& folder) {
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
    const std::string score_path = (fs::path(folder) / "scores.json").string();
    write_file_atomically(score_path, lab_scores_json(lab.snapshot()).dump(2) + "\n");
    written.push_back(score_path);
    return written;
}

}  // namespace convscope
