// The upsampling lab: its models read from PyTorch code, trained exactly as PyTorch
// (golden runs), the checkerboard score at initialisation on the shipped picture, the
// phase sub-kernels, the worker thread, the .npy weights and the PyTorch script, and
// the lab's scene.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <xtensor/xnpy.hpp>

#include "core/io/json_io.hpp"
#include "core/learn/lab.hpp"
#include "core/lecture/figure_words.hpp"
#include "core/io/pycode.hpp"
#include "core/scene/scene_lab.hpp"
#include "core/anim/session.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::data_path;

namespace {

LabSettings small_lab(const std::string& preset = "lab-upsampling") {
    LabSettings s;
    s.preset = preset;
    s.size = 32;
    s.snapshot_every = 1;
    return s;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Trains `spec` as the lab does on a golden `convscope train` run and returns the losses.
std::vector<double> lab_losses_on_golden(const nlohmann::json& j, TrainResult& result) {
    const LabModelSpec spec = make_lab_model("golden", j.at("model").get<std::string>());
    std::vector<ConvWeights> params;
    for (const auto& p : j.at("parameters")) {
        ConvWeights w;
        w.weight = tensor_from_json(p.at("weight"), "weight");
        if (!p.at("bias").is_null()) {
            w.bias = vector_from_json(p.at("bias"), "bias");
            w.has_bias = true;
        }
        params.push_back(w);
    }
    OptimizerSettings opt;
    const auto& o = j.at("optimizer");
    opt.kind = o.at("name") == "adam" ? OptimizerSettings::Kind::Adam : OptimizerSettings::Kind::Sgd;
    opt.lr = o.at("lr");
    if (o.contains("momentum")) opt.momentum = o.at("momentum");
    if (o.contains("betas")) {
        opt.beta1 = o.at("betas")[0];
        opt.beta2 = o.at("betas")[1];
    }
    if (o.contains("eps")) opt.eps = o.at("eps");
    const Tensor4 input = tensor_from_json(j.at("input"), "input"), target = tensor_from_json(j.at("target"), "target");
    Trainer trainer(spec.layers, params, input, target, parse_loss_name(j.at("loss"), "loss"), opt);
    std::vector<double> losses;
    for (int k = 0; k < j.at("steps").get<int>(); ++k) losses.push_back(trainer.step());
    result.output = trainer.output();
    result.parameters = trainer.parameters();
    return losses;
}

}  // namespace

TEST_CASE("the lab trains a resize-conv and a sub-pixel model exactly as PyTorch's golden runs", "[lab][golden]") {
    const std::string name = GENERATE(std::string("s11_resize_conv_nearest"), std::string("s11_subpixel"));
    CAPTURE(name);
    const nlohmann::json j = read_json_file(data_path("golden/learn/train/" + name + ".json"));
    TrainResult result;
    const std::vector<double> losses = lab_losses_on_golden(j, result);
    const auto expected = j.at("expected_losses").get<std::vector<double>>();
    REQUIRE(losses.size() == expected.size());
    for (std::size_t k = 0; k < losses.size(); ++k) REQUIRE(losses[k] == Approx(expected[k]).epsilon(1e-8));
    const Tensor4 out = tensor_from_json(j.at("expected_output"), "expected_output");
    REQUIRE(shape_of(result.output) == shape_of(out));
    for (std::size_t i = 0; i < out.size(); ++i) REQUIRE(result.output.data()[i] == Approx(out.data()[i]).epsilon(1e-8).margin(1e-12));
}

TEST_CASE("a short training of every lab preset lowers every model's loss", "[lab]") {
    const std::string preset = GENERATE(from_range(lab_preset_names()));
    CAPTURE(preset);
    Lab lab(small_lab(preset));
    REQUIRE(lab.models().size() == 5);
    for (int k = 0; k < 30; ++k) lab.step();
    REQUIRE(lab.steps_done() == 30);
    for (std::size_t m = 0; m < lab.models().size(); ++m) {
        CAPTURE(lab.models()[m].name);
        REQUIRE(lab.losses(m).size() == 30);
        REQUIRE(lab.losses(m).back() < 0.5 * lab.losses(m).front());
    }
}

TEST_CASE("a lab model trains to the same numbers as convscope train on the same model", "[lab][train]") {
    Lab lab(small_lab());
    for (int k = 0; k < 12; ++k) lab.step();
    // Every model is a plain layer stack: `convscope train` runs each as it is.
    for (std::size_t m = 0; m < lab.models().size(); ++m) {
        CAPTURE(lab.models()[m].name);
        TrainRun run;
        run.layers = lab.models()[m].layers;
        run.parameters = lab.initial_parameters()[m];
        run.input = lab.input();
        run.target = lab.target();
        run.optimizer = lab.settings().optimizer;
        run.steps = 12;
        const TrainResult r = train(run);
        REQUIRE(r.losses == lab.losses(m));
        REQUIRE((r.parameters[0].weight == lab.parameters(m)[0].weight));
    }
}

TEST_CASE("at initialisation on the shipped picture k=3 s=2 scores a checkerboard and the resize-convs none",
          "[lab][spectrum]") {
    LabSettings s;  // the default lab: 128x128 target from assets/landscape.png
    Lab lab(s);
    const LabSnapshot snap = lab.snapshot();
    REQUIRE(snap.target.shape()[2] == 128);
    REQUIRE(snap.target.shape()[3] == 128);
    REQUIRE(snap.input.shape()[2] == 64);
    REQUIRE(snap.models.size() == 5);
    const double k3 = snap.models[0].score.score, k4 = snap.models[1].score.score;
    const double nearest = snap.models[2].score.score, bilinear = snap.models[3].score.score;
    const double icnr = snap.models[4].score.score;
    CAPTURE(k3, k4, nearest, bilinear, icnr);
    // The lab's score counts kLabScoreWindow bins around the stride's frequencies.
    REQUIRE(k3 > 0.5);        // most of the output's energy is the checkerboard (0.92 measured)
    REQUIRE(k4 > 0.5);        // k=4 s=2 starts with unequal phase sums too (0.93)
    REQUIRE(nearest < 3e-3);  // the picture's own fine detail near those frequencies (2.0e-3)
    REQUIRE(bilinear < 3e-3); // (1.2e-3)
    REQUIRE(icnr < 3e-3);     // ICNR starts as nearest upsampling of a conv (7.4e-4)
    REQUIRE(k3 > 300 * std::max({nearest, bilinear, icnr}));
    // Exactly at the stride's frequencies ICNR has no energy at all: each r x r block is equal.
    REQUIRE(checkerboard_score(snap.models[4].output, 2, 2, 0).score < 1e-12);
}

TEST_CASE("a strided transposed convolution's phases each see their own sub-kernel", "[lab]") {
    SECTION("k=3 s=2 p=1: the phases get 1, 2, 2 and 4 taps (the checkerboard)") {
        const Layer L = parse_pytorch_code("nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)")[0];
        const auto m = phase_masks(L);
        REQUIRE(m.size() == 4);
        REQUIRE((m[0] == xt::xtensor<int, 2>{{0, 0, 0}, {0, 1, 0}, {0, 0, 0}}));
        REQUIRE((m[1] == xt::xtensor<int, 2>{{0, 0, 0}, {1, 0, 1}, {0, 0, 0}}));
        REQUIRE((m[2] == xt::xtensor<int, 2>{{0, 1, 0}, {0, 0, 0}, {0, 1, 0}}));
        REQUIRE((m[3] == xt::xtensor<int, 2>{{1, 0, 1}, {0, 0, 0}, {1, 0, 1}}));
    }
    SECTION("k=4 s=2 p=1: every phase gets 4 taps") {
        const Layer L = parse_pytorch_code("nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)")[0];
        const auto m = phase_masks(L);
        REQUIRE(m.size() == 4);
        for (const auto& p : m) REQUIRE(int(xt::sum(p)()) == 4);
        REQUIRE((m[0] == xt::xtensor<int, 2>{{0, 0, 0, 0}, {0, 1, 0, 1}, {0, 0, 0, 0}, {0, 1, 0, 1}}));
    }
}

TEST_CASE("the lab reads models typed as PyTorch code and refuses what it cannot run", "[lab][errors]") {
    const LabModelSpec a = make_lab_model(
        "a", "nn.Sequential(nn.Upsample(scale_factor=2, mode='bilinear'), nn.Conv2d(3, 3, 3, padding=1))");
    REQUIRE(a.layers.size() == 2);
    REQUIRE(a.layers[0].kind == LayerKind::Upsample);
    REQUIRE(a.layers[0].upsample_mode == UpsampleMode::Bilinear);
    REQUIRE(a.layers[1].kind == LayerKind::Conv2d);
    const LabModelSpec b = make_lab_model("b", "nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.PixelShuffle(2))", true);
    REQUIRE(b.layers.back().kind == LayerKind::PixelShuffle);
    REQUIRE(b.icnr);
    // ICNR needs a final PixelShuffle after a conv.
    REQUIRE_FALSE(make_lab_model("c", "nn.ConvTranspose2d(3, 3, 2, stride=2)", true).icnr);
    // Plain layer stacks: an upsample after a conv is a model like any other.
    REQUIRE(make_lab_model("d", "nn.Sequential(nn.Conv2d(3, 3, 3, padding=1), nn.Upsample(scale_factor=2))").layers.size() == 2);
    REQUIRE_THROWS_WITH(make_lab_model("e", "nn.Sequential(nn.Upsample(scale_factor=2), nn.PixelShuffle(1))"),
                        Catch::Contains("no layer with weights"));
    REQUIRE_THROWS_AS(make_lab_model("f", "nn.Sequential(nn.Conv2d(3, 3, 3)"), CodeError);
    LabSettings s = small_lab();
    s.custom_code = "nn.Conv2d(3, 3, 3, padding=1)";  // does not upsample
    REQUIRE_THROWS_WITH(Lab(s), Catch::Contains("does not upsample 16x16 to the target's 32x32"));
    s.custom_code = "nn.ConvTranspose2d(3, 3, 2, stride=2)";
    const Lab with_custom(s);
    REQUIRE(with_custom.models().size() == 6);
    REQUIRE(with_custom.models().back().name == "custom");
    s.image_path = data_path("golden/README.md");
    REQUIRE_THROWS_WITH(Lab(s), Catch::Contains("README.md"));
}

/// A 16x16 grey binary PGM (P5) with a smooth ramp, written to the temporary folder.
static std::string grey_picture() {
    const std::string path = (std::filesystem::temp_directory_path() / "convscope_lab_grey.pgm").string();
    std::ofstream out(path, std::ios::binary);
    out << "P5\n16 16\n255\n";
    for (int r = 0; r < 16; ++r)
        for (int c = 0; c < 16; ++c) out.put(char(8 * r + 4 * c));
    return path;
}

TEST_CASE("a grey picture gives the lab one channel", "[lab]") {
    LabSettings s = small_lab();
    s.image_path = grey_picture();
    Lab lab(s);
    REQUIRE(lab.target().shape()[1] == 1);
    REQUIRE(lab.models()[0].layers[0].in_channels == 1);
    lab.step();
    REQUIRE(lab.losses(0).size() == 1);
}

TEST_CASE("the lab trains on a worker thread while the reader takes snapshots", "[lab][thread]") {
    LabRunner runner(std::make_unique<Lab>(small_lab()));
    REQUIRE(runner.snapshot()->step == 0);
    runner.step_once();
    for (int i = 0; i < 2000 && runner.snapshot()->step < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(runner.snapshot()->step == 1);
    runner.play();
    std::int64_t seen = 0;
    for (int i = 0; i < 4000 && seen < 10; ++i) {
        const auto snap = runner.snapshot();  // read while the worker trains
        REQUIRE(snap->models.size() == 5);
        seen = snap->step;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(seen >= 10);
    runner.pause();
    OptimizerSettings sgd;
    sgd.kind = OptimizerSettings::Kind::Sgd;
    sgd.lr = 0.1;
    runner.set_optimizer(sgd);
    runner.replace(std::make_unique<Lab>(small_lab()));
    REQUIRE(runner.snapshot()->step == 0);
    REQUIRE(runner.error().empty());
}

TEST_CASE("play_until trains up to the step asked, stops there and publishes that step", "[lab][thread]") {
    LabRunner runner(std::make_unique<Lab>(small_lab()));
    const auto stopped_at = [&](std::int64_t step) {
        for (int i = 0; i < 4000 && (runner.playing() || runner.snapshot()->step < step); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return runner.snapshot()->step;
    };
    runner.play_until(7);
    REQUIRE(stopped_at(7) == 7);
    REQUIRE_FALSE(runner.playing());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(runner.snapshot()->step == 7);  // held there
    runner.play_until(5);                   // already past: nothing to do
    REQUIRE_FALSE(runner.playing());
    runner.play_until(12);
    REQUIRE(stopped_at(12) == 12);
    runner.play();  // no end any more
    for (int i = 0; i < 4000 && runner.snapshot()->step < 14; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    REQUIRE(runner.snapshot()->step >= 14);
    REQUIRE(runner.error().empty());
}

TEST_CASE("the lab's slide layout sets every word at the projector's size, none running into another", "[lab][scene][deck]") {
    const bool custom = GENERATE(false, true);
    LabSettings settings = small_lab();
    settings.size = 64;
    if (custom) settings.custom_code = "nn.Sequential(nn.Upsample(scale_factor=2, mode='nearest'), nn.Conv2d(3, 3, 5, padding=2))";
    Lab lab(settings);
    for (int k = 0; k < 3; ++k) lab.step();
    const LabSnapshot snap = lab.snapshot();
    LabSceneOptions options;
    options.slide = true;
    options.picture_cell = 3;
    const Scene scene = build_lab_scene(snap, options);
    CAPTURE(custom, scene.width, scene.height);
    // A deck page fills 1920x1080 with it at about 1x: its words need no growing there.
    for (const SceneText& t : scene.texts) {
        CAPTURE(t.text);
        CHECK(t.size >= 20);
        CHECK(t.x >= 0);
        CHECK(text_box(t)[2] <= scene.width);
    }
    for (std::size_t a = 0; a < scene.texts.size(); ++a)
        for (std::size_t b = a + 1; b < scene.texts.size(); ++b) {
            const auto p = text_box(scene.texts[a]), q = text_box(scene.texts[b]);
            CAPTURE(scene.texts[a].text, scene.texts[b].text);
            CHECK((p[2] <= q[0] || q[2] <= p[0] || p[3] <= q[1] || q[3] <= p[1]));
        }
    // The input, the target, every model's output and its error map, each 192 px wide,
    // and the outputs in one row.
    REQUIRE(scene.heatmaps.size() == 2 + 2 * snap.models.size());
    std::vector<float> rows;
    for (const SceneHeatmap& h : scene.heatmaps) {
        CHECK(h.cell * float(h.cols) == 192);
        rows.push_back(h.y);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    CHECK(rows.size() == 2);
    // Each model's three numbers under its output, e.g. "27.21 dB".
    std::size_t decibels = 0;
    for (const SceneText& t : scene.texts) decibels += t.text.size() > 3 && t.text.compare(t.text.size() - 3, 3, " dB") == 0;
    CHECK(decibels == snap.models.size());
    CHECK(scene.width <= 1920);
}

TEST_CASE("a lab whose every model diverges stops training and says so per model", "[lab][thread][errors]") {
    LabSettings s = small_lab();
    s.optimizer.kind = OptimizerSettings::Kind::Sgd;
    s.optimizer.lr = 1e6;
    LabRunner runner(std::make_unique<Lab>(s));
    runner.play();
    // Stopped, and the snapshot published after the last step (it follows the stop).
    auto every_model_stopped = [&] {
        const auto snapshot = runner.snapshot();  // held: the worker may publish another meanwhile
        for (const LabModelSnapshot& m : snapshot->models)
            if (m.diverged.empty()) return false;
        return true;
    };
    for (int i = 0; i < 20000 && (runner.playing() || !every_model_stopped()); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    REQUIRE_FALSE(runner.playing());
    REQUIRE(runner.error().empty());  // a divergence is the models', not an error of the worker
    const auto last = runner.snapshot();
    for (const LabModelSnapshot& m : last->models)
        REQUIRE_THAT(m.diverged, Catch::StartsWith("model '" + m.name + "' diverged at step ") &&
                                     Catch::EndsWith("): lower the learning rate"));
}

TEST_CASE("with SGD at learning rate 10 the diverging models stop with the message, the others train on, and Reset "
          "brings them back", "[lab][errors]") {
    LabSettings s;  // the shipped lab-upsampling, 128x128
    s.optimizer.kind = OptimizerSettings::Kind::Sgd;
    s.optimizer.lr = 10;
    s.optimizer.momentum = 0.9;  // as the app and `export --optimizer sgd` train SGD
    Lab lab(s);
    constexpr int kSteps = 90;  // the resize-convs diverge at step 86
    for (int k = 0; k < kSteps; ++k) lab.step();
    const LabSnapshot snap = lab.snapshot();
    std::size_t diverged = 0, training = 0;
    for (const LabModelSnapshot& m : snap.models) {
        CAPTURE(m.name, m.diverged, m.steps);
        if (m.diverged.empty()) {
            ++training;
            REQUIRE(m.steps == kSteps);
            REQUIRE(m.losses.size() == std::size_t(kSteps));
            for (double loss : m.losses) REQUIRE(std::isfinite(loss));
            REQUIRE(std::isfinite(m.loss));
        } else {
            ++diverged;
            REQUIRE_THAT(m.diverged, Catch::StartsWith("model '" + m.name + "' diverged at step "));
            REQUIRE_THAT(m.diverged, Catch::Matches(".* diverged at step [0-9]+ \\(loss (inf|nan)\\): lower the learning rate"));
            REQUIRE(m.steps < kSteps);
            REQUIRE(m.losses.size() == std::size_t(m.steps));
        }
    }
    REQUIRE(diverged >= 1);
    REQUIRE(training >= 1);
    REQUIRE_FALSE(lab.all_diverged());
    // The scene shows the diverged model's state without reading a NaN as a number.
    const Scene scene = build_lab_scene(snap, LabSceneOptions{});
    bool message = false;
    for (const SceneText& t : scene.texts) {
        REQUIRE(t.text.find("nan") == std::string::npos);
        if (t.text.find("lower the learning rate") != std::string::npos) message = true;
    }
    REQUIRE(message);
    // Reset: the lab rebuilt from its settings, every model at step 0 and training.
    Lab reset(s);
    for (const LabModelSnapshot& m : reset.snapshot().models) {
        REQUIRE(m.diverged.empty());
        REQUIRE(m.steps == 0);
    }
}

TEST_CASE("the lab's weights export as .npy with the PyTorch script that rebuilds the models", "[lab][export]") {
    Lab lab(small_lab());
    for (int k = 0; k < 3; ++k) lab.step();
    const std::string dir = (std::filesystem::temp_directory_path() / "convscope_lab_weights").string();
    std::filesystem::remove_all(dir);
    const auto files = export_lab_weights(lab, dir);
    REQUIRE(files.size() == 2 + 5 * 4 + 3);
    const auto w = xt::load_npy<double>(dir + "/m0_l0_weight.npy");
    REQUIRE((w == lab.parameters(0)[0].weight));
    const auto w0 = xt::load_npy<double>(dir + "/m4_l0_weight_init.npy");
    REQUIRE((w0 == lab.initial_parameters()[4][0].weight));
    REQUIRE((xt::load_npy<double>(dir + "/target.npy") == lab.target()));
    const auto losses = nlohmann::json::parse(read_text(dir + "/losses.json"));
    REQUIRE(losses.at("ConvTranspose2d k=3 s=2").get<std::vector<double>>() == lab.losses(0));
    // scores.json: the contract's fields, after the last step.
    const auto scores = nlohmann::json::parse(read_text(dir + "/scores.json"));
    const LabSnapshot snap = lab.snapshot();
    REQUIRE(scores.at("picture_score").get<double>() == snap.target_score);
    REQUIRE(scores.at("models").size() == 5);
    for (std::size_t m = 0; m < 5; ++m) {
        const auto& e = scores.at("models")[m];
        REQUIRE(e.at("name") == snap.models[m].name);
        REQUIRE(e.at("checkerboard_score").get<double>() == snap.models[m].score.score);
        REQUIRE(e.at("psnr_db").get<double>() == snap.models[m].psnr);
        REQUIRE(e.at("loss").get<double>() == snap.models[m].loss);
        REQUIRE(e.size() == 4);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("the lab's PyTorch script is the golden text", "[lab][export]") {
    LabSettings s;
    s.size = 32;
    const Lab lab(s);
    REQUIRE(lab_pytorch_script(lab) == read_text(data_path("lab/lab_models.py")));
}

TEST_CASE("the lab's scene shows every model's output, error, spectrum, kernels and the two charts", "[lab][scene]") {
    Lab lab(small_lab());
    for (int k = 0; k < 5; ++k) {
        lab.step();
        lab.snapshot();
    }
    const LabSnapshot snap = lab.snapshot();
    const Scene scene = build_lab_scene(snap, LabSceneOptions{});
    // input + target, then per model: output, error, spectrum, kernel; k=3 s=2 and k=4
    // s=2 add their four phase sub-kernels and their overlap map.
    REQUIRE(scene.heatmaps.size() == 2 + 5 * 4 + 2 * 4 + 2);
    std::size_t pictures = 0;
    for (const SceneHeatmap& h : scene.heatmaps) pictures += h.colors.empty() ? 0 : 1;
    REQUIRE(pictures == 2 + 5);
    REQUIRE(scene.heatmaps[2].rows == 32);
    auto has_text = [&](const std::string& t) {
        for (const SceneText& x : scene.texts)
            if (x.text.find(t) != std::string::npos) return true;
        return false;
    };
    REQUIRE(has_text("loss (log scale)"));
    REQUIRE(has_text("checkerboard score"));
    REQUIRE(has_text("phase sub-kernels"));
    REQUIRE(has_text("step 5"));
    for (const auto& m : snap.models) REQUIRE(has_text(m.name));
    // Curves: 4 loss segments per model (5 losses) and 4 score segments (snapshots at steps 1..5).
    std::size_t curve_segments = 0;
    for (const SceneLine& l : scene.lines) curve_segments += l.width > 1 ? 1 : 0;
    REQUIRE(curve_segments == 5 * 4 + 5 * 4);
    REQUIRE(snap.score_steps == std::vector<std::int64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("the lab draws its pictures at whole screen pixels per picture pixel, so a checkerboard stays one", "[lab][scene]") {
    Lab lab(small_lab());
    const LabSnapshot snap = lab.snapshot();
    const float asked = GENERATE(1.0f, 1.5f, 2.0f, 2.9f);
    LabSceneOptions options;
    options.picture_cell = asked;
    const Scene scene = build_lab_scene(snap, options);
    for (const SceneHeatmap& h : scene.heatmaps)
        if (!h.colors.empty()) {  // the input is drawn at the target's size: each of its pixels 2x2
            CHECK(h.cell / std::floor(asked) == std::floor(h.cell / std::floor(asked)));
            CHECK(h.cell >= std::floor(asked));
        }
}

TEST_CASE("a long training's curves are drawn with a segment per pixel or so, their jumps kept", "[lab][scene]") {
    Lab lab(small_lab());
    lab.step();
    LabSnapshot snap = lab.snapshot();
    // 20,000 smoothly falling losses, with one spike at step 10,000.
    for (LabModelSnapshot& m : snap.models) {
        m.losses.resize(20000);
        for (std::size_t i = 0; i < m.losses.size(); ++i) m.losses[i] = 0.1 / (1.0 + double(i) / 100.0);
        m.losses[10000] = 1.0;
    }
    snap.step = 20000;
    const Scene scene = build_lab_scene(snap, LabSceneOptions{});
    float top = 1e9f;
    std::size_t curve_segments = 0;
    for (const SceneLine& l : scene.lines)
        if (l.width > 1) {
            ++curve_segments;
            top = std::min({top, l.y0, l.y1});
        }
    // Far fewer segments than steps (the charts are a few hundred pixels wide)...
    CHECK(curve_segments < 5 * 2000);
    // ...and the spike still reaches the top of the loss chart (the highest value).
    const auto spike = std::count_if(scene.lines.begin(), scene.lines.end(),
                                     [&](const SceneLine& l) { return l.width > 1 && std::min(l.y0, l.y1) == top; });
    CHECK(spike >= 5);
}

TEST_CASE("a session saves the lab with its learned weights and still reads version 1", "[lab][session]") {
    Lab lab(small_lab());
    for (int k = 0; k < 3; ++k) lab.step();
    Session s = session_from_preset("lab-upsampling");
    s.lab = std::make_shared<const LabSave>(lab.save());
    const nlohmann::json j = session_to_json(s);
    REQUIRE(j.at("convscope_session") == 2);
    const Session back = session_from_json(nlohmann::json::parse(j.dump()));
    REQUIRE(back.lab);
    REQUIRE(back.lab->steps == 3);
    REQUIRE(back.lab->settings.size == 32);
    Lab reopened(back.lab->settings);
    reopened.restore(*back.lab);
    REQUIRE(reopened.steps_done() == 3);
    for (std::size_t m = 0; m < lab.models().size(); ++m) {
        REQUIRE((reopened.parameters(m)[0].weight == lab.parameters(m)[0].weight));
        REQUIRE((reopened.parameters(m)[0].bias == lab.parameters(m)[0].bias));
    }
    // Version 1 (no lab) still opens.
    nlohmann::json v1 = session_to_json(session_from_preset("seed-dilated"));
    v1["convscope_session"] = 1;
    REQUIRE_FALSE(session_from_json(v1).lab);
    // A saved lab whose weights do not fit its models is refused, naming the field.
    nlohmann::json bad = j;
    bad["lab"]["parameters"][0][0]["weight"] = nlohmann::json::parse(tensor_to_json_text(Tensor4(xt::zeros<double>({1, 1, 1, 1}))));
    const Session wrong = session_from_json(bad);
    Lab other(wrong.lab->settings);
    REQUIRE_THROWS_WITH(other.restore(*wrong.lab), Catch::Contains("lab.parameters[0][0]"));
    bad = j;
    bad["lab"]["preset"] = "lab-nothing";
    REQUIRE_THROWS_WITH(session_from_json(bad), Catch::Contains("lab-nothing"));
}

TEST_CASE("the overlap map counts the kernel taps landing on each output cell", "[lab][overlap]") {
    SECTION("k=3 s=2 p=1 output_padding=1: 1, 2 and 4 taps alternate (the checkerboard)") {
        const Layer L = parse_pytorch_code("nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)")[0];
        const auto c = overlap_counts(L, 3, 3);
        // Per axis: even outputs get tap 1 only, odd ones taps 0 and 2, the last one only tap 2.
        REQUIRE((c == xt::xtensor<int, 2>{{1, 2, 1, 2, 1, 1},
                                          {2, 4, 2, 4, 2, 2},
                                          {1, 2, 1, 2, 1, 1},
                                          {2, 4, 2, 4, 2, 2},
                                          {1, 2, 1, 2, 1, 1},
                                          {1, 2, 1, 2, 1, 1}}));
    }
    SECTION("k=4 s=2 p=1: 4 taps everywhere inside, 2 on the edges, 1 in the corners") {
        const Layer L = parse_pytorch_code("nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)")[0];
        const auto c = overlap_counts(L, 3, 3);
        REQUIRE((c == xt::xtensor<int, 2>{{1, 2, 2, 2, 2, 1},
                                          {2, 4, 4, 4, 4, 2},
                                          {2, 4, 4, 4, 4, 2},
                                          {2, 4, 4, 4, 4, 2},
                                          {2, 4, 4, 4, 4, 2},
                                          {1, 2, 2, 2, 2, 1}}));
    }
    SECTION("every model of the stacked lab: one map per transposed layer, or a note") {
        Lab lab(small_lab("lab-upsampling-stacked"));
        const auto in = shape_of(lab.input());
        const auto two = model_overlaps(lab.models()[0].layers, in);
        REQUIRE(two.size() == 2);
        REQUIRE(two[0].layer == 0);
        REQUIRE(two[1].layer == 1);
        REQUIRE(two[0].counts.shape()[0] == 16);  // 8x8 input -> 16x16 -> 32x32
        REQUIRE(two[1].counts.shape()[0] == 32);
        REQUIRE(model_overlaps(lab.models()[2].layers, in).empty());
        REQUIRE(overlap_note(lab.models()[2].layers) == "no transposed layer: resize + Conv2d k=3, every output cell gets 9 taps");
        REQUIRE(overlap_note(lab.models()[4].layers) ==
                "no transposed layer: Conv2d k=3 + PixelShuffle, every output cell gets 9 taps (its own channel)");
    }
}

TEST_CASE("the lab's scene draws each transposed layer's overlap map with its counts and a legend", "[lab][scene][overlap]") {
    Lab lab(small_lab());
    const Scene s = build_lab_scene(lab.snapshot(), LabSceneOptions{});
    // Model 0 (k=3 s=2): an 8x8 corner of its 32x32 overlap map, the counts 1, 2, 4.
    const auto map = std::find_if(s.heatmaps.begin(), s.heatmaps.end(),
                                  [](const SceneHeatmap& h) { return h.rows == 8 && h.cols == 8 && h.colors.empty() && h.hi == 4; });
    REQUIRE(map != s.heatmaps.end());
    REQUIRE(map->values[0] == 1);
    REQUIRE(map->values[1] == 2);
    REQUIRE(map->values[9] == 4);
    auto has_text = [&](const std::string& t) {
        return std::any_of(s.texts.begin(), s.texts.end(), [&](const SceneText& x) { return x.text == t; });
    };
    REQUIRE(has_text("overlap: taps per"));
    REQUIRE(has_text("output cell (corner)"));
    REQUIRE(has_text("taps:"));
    REQUIRE(has_text("no transposed layer:"));
    REQUIRE(has_text("resize + Conv2d k=3,"));
    REQUIRE(has_text("every output cell gets 9 taps"));
    const auto legend = std::count_if(s.rects.begin(), s.rects.end(), [](const SceneRect& r) { return r.role == RectRole::Legend; });
    REQUIRE(legend == 2 * 5);  // models 0 and 1: swatches for 0..4 taps
}

TEST_CASE("the compact lab fits the lab's tile of a 1280x800 window with all five models and both charts", "[lab][scene]") {
    LabSettings s;  // the shipped lab: 128x128, five models
    Lab lab(s);
    lab.step();
    const LabSnapshot snap = lab.snapshot();
    LabSceneOptions options;
    options.picture_cell = 1;
    options.compact = true;
    const Scene scene = build_lab_scene(snap, options);
    // The lab's tile at 1280x800 is 920 px wide (the controls take 360) and about 690 px
    // of it is left under the lab's toolbar.
    CAPTURE(scene.width, scene.height);
    REQUIRE(scene.width <= 900);
    REQUIRE(scene.height <= 680);
    // Every picture, map and text inside the scene: nothing clipped.
    for (const SceneHeatmap& h : scene.heatmaps) {
        REQUIRE(h.x + h.cell * float(h.cols) <= scene.width);
        REQUIRE(h.y + h.cell * float(h.rows) <= scene.height);
    }
    for (const SceneLine& l : scene.lines) REQUIRE(std::max(l.x0, l.x1) <= scene.width);
    const Scene classic = build_lab_scene(snap, LabSceneOptions{});
    REQUIRE(classic.width > 900);  // why the compact layout exists
}

TEST_CASE("the lab's charts can put the steps on a log axis, spreading the early drop", "[lab][scene]") {
    Lab lab(small_lab());
    for (int k = 0; k < 100; ++k) lab.step();
    const LabSnapshot snap = lab.snapshot();
    auto step_10_x = [&](bool log_steps) {
        LabSceneOptions options;
        options.log_steps = log_steps;
        const Scene scene = build_lab_scene(snap, options);
        // The loss chart's curve of model 0: its 11th point is step 10.
        std::vector<float> xs;
        for (const SceneLine& l : scene.lines)
            if (l.width > 1 && l.color.r == lab_model_color(0).r && l.color.g == lab_model_color(0).g) xs.push_back(l.x1);
        REQUIRE(xs.size() > 10);
        return std::make_pair(xs.front(), xs[9]);
    };
    const auto linear = step_10_x(false), log = step_10_x(true);
    // On the log axis step 10 sits half way (log 11 / log 101 = 0.52), on the linear one at 10%.
    REQUIRE(log.second - log.first > 3 * (linear.second - linear.first));
}
