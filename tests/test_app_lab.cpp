// The app's lab and pictures without a window: opening a lab preset starts training,
// a refused picture keeps the current one and says why, the lab takes its tile.
#include <chrono>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <random>
#include <thread>

#include <catch2/catch.hpp>

#include "app/logic/app_lab.hpp"
#include "app/logic/app_state.hpp"
#include "app/logic/documents.hpp"
#include "app/logic/layout.hpp"
#include "core/base/files.hpp"
#include "core/scene/scene_lab.hpp"
#include "helpers.hpp"

using namespace convscope;
using namespace convscope::gui;
using convscope::test::data_path;

TEST_CASE("the lab preset opens paused at step 0, trains on a worker thread, and Reset returns to step 0 paused",
          "[app][lab]") {
    AppState state;
    state.lab_settings.size = 32;
    load_preset(state, "lab-upsampling");
    REQUIRE(state.lab);
    REQUIRE_FALSE(state.lab->playing());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(state.lab->snapshot()->step == 0);
    lab_train(state);
    REQUIRE(state.lab->playing());
    for (int i = 0; i < 4000 && state.lab->snapshot()->step < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    REQUIRE(state.lab->snapshot()->step >= 5);
    REQUIRE(reset_lab(state));
    REQUIRE_FALSE(state.lab->playing());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE(state.lab->snapshot()->step == 0);
    // A custom model typed in the panel: refused (it does not upsample) the lab stays.
    state.lab_settings.custom_code = "nn.Conv2d(3, 3, 3, padding=1)";
    REQUIRE_FALSE(reset_lab(state));
    REQUIRE_THAT(state.lab_message, Catch::Contains("does not upsample"));
    REQUIRE(state.lab->snapshot()->models.size() == 5);
    state.lab_settings.custom_code = "nn.ConvTranspose2d(3, 3, 6, stride=2, padding=2)";
    REQUIRE(reset_lab(state));
    REQUIRE(state.lab->snapshot()->models.size() == 6);
    REQUIRE(state.lab_message.empty());
    load_preset(state, "seed-dilated");
    REQUIRE_FALSE(state.lab);
}

TEST_CASE("a refused picture keeps the current one and says why", "[app][lab][picture]") {
    AppState state;
    state.lab_settings.size = 32;
    load_preset(state, "lab-upsampling");
    state.lab->pause();
    const Tensor4 before = state.lab->snapshot()->target;
    REQUIRE_FALSE(open_picture(state, data_path("golden/README.md")));
    REQUIRE(state.picture_message_is_error);
    REQUIRE_THAT(state.picture_message, Catch::Contains("README.md") && Catch::Contains("current picture stays"));
    REQUIRE((state.lab->snapshot()->target == before));
    // A grey picture: the lab restarts on it with one channel.
    const std::string grey = (std::filesystem::temp_directory_path() / "convscope_app_lab_grey.pgm").string();
    {
        std::ofstream out(grey, std::ios::binary);
        out << "P5\n16 16\n255\n" << std::string(256, char(100));
    }
    REQUIRE(open_picture(state, grey));
    REQUIRE_FALSE(state.picture_message_is_error);
    REQUIRE(state.lab->snapshot()->target.shape()[1] == 1);
    // Without the lab, a picture becomes the session's input.
    load_preset(state, "seed-dilated");
    REQUIRE(open_picture(state, asset_path("landscape.png")));
    REQUIRE(state.session.input == InputPattern::Image);
    REQUIRE(state.session.input_shape[1] == 3);
    REQUIRE_FALSE(open_picture(state, data_path("golden/README.md")));
    REQUIRE(state.session.input == InputPattern::Image);
}

TEST_CASE("the lab takes the canvas's and the code's tile", "[app][lab][layout]") {
    LayoutRequest request;
    request.lab = true;
    request.receptive_field = GENERATE(false, true);
    const Layout L = tile_window(request);
    REQUIRE_FALSE(L.lab.empty());
    REQUIRE(L.canvas.empty());
    REQUIRE(L.code.empty());
    REQUIRE_FALSE(overlaps(L.lab, L.parameters));
    REQUIRE_FALSE(overlaps(L.lab, L.receptive_field));
    REQUIRE(L.lab.bottom() == request.height);
}

namespace {

/// No text of the lab's scene reads a non-number as a number, and every colour is one.
void require_scene_tells_the_truth(const LabSnapshot& snap, bool log_steps) {
    LabSceneOptions options;
    options.log_steps = log_steps;
    const Scene scene = build_lab_scene(snap, options);
    for (const SceneText& t : scene.texts) {
        CAPTURE(t.text);
        REQUIRE(t.text.find("nan") == std::string::npos);
    }
    for (const SceneHeatmap& h : scene.heatmaps)
        for (std::int64_t r = 0; r < h.rows; ++r)
            for (std::int64_t c = 0; c < h.cols; ++c) {
                const Color col = h.cell_color(r, c);
                REQUIRE((std::isfinite(col.r) && std::isfinite(col.g) && std::isfinite(col.b)));
            }
    for (const SceneLine& l : scene.lines) REQUIRE((std::isfinite(l.x0) && std::isfinite(l.y0) && std::isfinite(l.x1) && std::isfinite(l.y1)));
}

}  // namespace

TEST_CASE("a seeded rough use of the lab's toolbar keeps the lab consistent and never shows a NaN as a number",
          "[app][lab][rough]") {
    const std::uint32_t seed = GENERATE(1u, 2u, 3u);
    CAPTURE(seed);
    std::mt19937 random(seed);
    AppState state;
    state.lab_settings.size = 16;
    load_preset(state, "lab-upsampling");
    const double rates[] = {1e-4, 0.01, 0.5, 1, 10, 0, -1, 11, std::nan(""), 1e308};
    for (int action = 0; action < 60; ++action) {
        switch (random() % 6) {
            case 0: {
                const double lr = rates[random() % (sizeof rates / sizeof rates[0])];
                const bool accepted = lr > 0 && lr <= 10;  // NaN fails both
                const auto kind = random() % 2 ? OptimizerSettings::Kind::Sgd : OptimizerSettings::Kind::Adam;
                REQUIRE(set_lab_optimizer(state, kind, lr) == accepted);
                if (accepted) REQUIRE(state.lab_settings.optimizer.lr == lr);
                else REQUIRE_THAT(state.lab_message, Catch::Contains("must be above 0 and at most 10"));
                break;
            }
            case 1: REQUIRE(reset_lab(state)); REQUIRE(state.lab->snapshot()->step == 0); break;
            case 2: lab_train(state); break;
            case 3: lab_pause(state); break;
            case 4: lab_step(state); break;
            case 5: std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40)); break;
        }
        for (const std::string& note : new_lab_notes(state)) REQUIRE_THAT(note, Catch::StartsWith("model '"));
        REQUIRE(state.lab->error().empty());
        const auto snap = state.lab->snapshot();
        for (const LabModelSnapshot& m : snap->models) {
            CAPTURE(m.name, m.diverged, m.steps, snap->step);
            // A model still training has done every step; one that stopped says why and stopped early.
            if (m.diverged.empty()) {
                REQUIRE(m.steps == snap->step);
                for (double loss : m.losses) REQUIRE(std::isfinite(loss));
            } else {
                REQUIRE_THAT(m.diverged, Catch::Contains("diverged at step") && Catch::Contains("lower the learning rate"));
                REQUIRE(m.steps < snap->step);
            }
            REQUIRE(m.losses.size() == std::size_t(m.steps));
        }
        require_scene_tells_the_truth(*snap, random() % 2);
    }
}

TEST_CASE("the lab's launch rule for learning rates", "[app][lab][errors]") {
    CHECK(lab_lr_problem(10).empty());
    CHECK(lab_lr_problem(0.01).empty());
    CHECK(lab_lr_problem(0) == "learning rate 0 must be above 0 and at most 10");
    CHECK(lab_lr_problem(-1) == "learning rate -1 must be above 0 and at most 10");
    CHECK(lab_lr_problem(std::nan("")) == "learning rate nan must be above 0 and at most 10");
    CHECK(lab_lr_problem(10.5) == "learning rate 10.5 must be above 0 and at most 10");
}
