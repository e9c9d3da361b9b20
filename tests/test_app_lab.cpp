// The app's lab and pictures without a window: opening a lab preset starts training,
// a refused picture keeps the current one and says why, the lab takes its tile.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "app/logic/app_lab.hpp"
#include "app/logic/app_state.hpp"
#include "app/logic/documents.hpp"
#include "app/logic/layout.hpp"
#include "core/base/files.hpp"
#include "helpers.hpp"

using namespace convscope;
using namespace convscope::gui;
using convscope::test::data_path;

TEST_CASE("opening the lab preset trains its models on a worker thread", "[app][lab]") {
    AppState state;
    state.lab_settings.size = 32;
    load_preset(state, "lab-upsampling");
    REQUIRE(state.lab);
    REQUIRE(state.lab->playing());
    for (int i = 0; i < 4000 && state.lab->snapshot()->step < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    REQUIRE(state.lab->snapshot()->step >= 5);
    REQUIRE(reset_lab(state));
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
