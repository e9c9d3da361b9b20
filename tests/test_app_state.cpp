// The app's logic without a window: AppState driven as the panels drive it (presets,
// the code panel, refused edits, layer selection, files, the file chooser, settings).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

#include "app/logic/app_state.hpp"
#include "app/logic/deck_actions.hpp"
#include "app/logic/documents.hpp"
#include "app/logic/file_chooser.hpp"
#include "app/logic/settings.hpp"
#include "core/base/files.hpp"
#include "core/io/pycode.hpp"
#include "core/anim/stack_edit.hpp"

using namespace convscope;
using namespace convscope::gui;
namespace fs = std::filesystem;
using Shape = std::array<std::int64_t, 4>;

namespace {

/// A fresh folder under the temporary directory, removed at the end of the test.
struct TempFolder {
    fs::path path;
    TempFolder() {
        static int count = 0;
        path = fs::temp_directory_path() / ("convscope_app_state_" + std::to_string(::getpid()) + "_" + std::to_string(count++));
        fs::create_directories(path);
    }
    ~TempFolder() { fs::remove_all(path); }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
};

const char* kCombinedCode =
    "nn.Sequential(nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2), nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2))";

}  // namespace

TEST_CASE("a preset opens playing, drawn, with its code in the code panel", "[app_state]") {
    AppState state;
    load_preset(state, "seed-dilated");
    REQUIRE(state.animation);
    CHECK(state.playing);
    CHECK(state.error.empty());
    CHECK(state.drawn.preset == "seed-dilated");
    CHECK(state.drawn.layers == state.session.layers);
    CHECK(state.code_text == to_pytorch_code(state.session.layers));
    CHECK(window_title(state) == "ConvScope: seed-dilated");
    CHECK_THROWS_AS(load_preset(state, "no-such-preset"), UserError);
    CHECK(state.drawn.preset == "seed-dilated");
}

namespace {

/// Every line of `code` at most `columns` characters.
bool fits_columns(const std::string& code, std::size_t columns) {
    std::size_t start = 0;
    while (start <= code.size()) {
        const std::size_t end = std::min(code.find('\n', start), code.size());
        if (end - start > columns) return false;
        start = end + 1;
    }
    return true;
}

}  // namespace

TEST_CASE("the code panel's code fits the field from launch, after a preset or an edit, continued as PEP 8 has it",
          "[app_state][code]") {
    AppState state;
    load_preset(state, "seed-dilated");
    // The course's line is 80 characters: the field of the 1280x800 window holds about 60.
    const std::string course = "nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2, padding=2)";
    REQUIRE(state.code_text == course);
    set_code_columns(state, 60);
    CHECK(state.code_text == "nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3,\n          dilation=2, padding=2)");
    set_code_columns(state, 78);  // all but the last argument fit on the first line
    CHECK(state.code_text == "nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3, dilation=2,\n          padding=2)");
    CHECK(parse_pytorch_code(state.code_text) == state.session.layers);
    // Every preset loaded afterwards, and the code after a parameter changes, keep the width.
    for (const char* preset : {"seed-combined", "seed-upconv", "encoder-decoder", "wavenet"}) {
        CAPTURE(preset);
        load_preset(state, preset);
        CHECK(fits_columns(state.code_text, 78));
        CHECK(parse_pytorch_code(state.code_text) == state.session.layers);
    }
    state.session.layers[0].dilation = {3, 3};
    state.code_text = generated_code(state);  // as the parameters panel does after a change
    CHECK(fits_columns(state.code_text, 78));
    CHECK(parse_pytorch_code(state.code_text) == state.session.layers);
    // Text the user edited is theirs: a new width leaves it as typed.
    state.code_text = "nn.Conv2d(1, 1, 3)  # mine";
    set_code_columns(state, 40);
    CHECK(state.code_text == "nn.Conv2d(1, 1, 3)  # mine");
}

TEST_CASE("applying the course's nn.Sequential draws both layers and the name stops claiming the preset", "[app_state]") {
    AppState state;
    load_preset(state, "seed-dilated");
    const std::string code = std::string("# the course's third example\n") + kCombinedCode;
    REQUIRE(apply_code(state, code));
    CHECK(state.code_error.empty());
    CHECK(state.code_text == code);  // what the user typed stays, comment and all
    REQUIRE(state.session.layers.size() == 2);
    CHECK(state.session.layer_index == 0);
    CHECK(state.session.preset == "seed-dilated-edited");
    CHECK(session_name(state) == "seed-dilated-edited");
    CHECK(window_title(state) == "ConvScope: seed-dilated-edited");
    CHECK(state.drawn.layers == state.session.layers);
    const auto shapes = stack_output_shapes(state.drawn.layers, state.drawn.input_shape);
    REQUIRE(shapes.size() == 2);
    CHECK(shapes[0] == Shape{1, 16, 64, 64});
    CHECK(shapes[1] == Shape{1, 3, 128, 128});
}

TEST_CASE("an edit in the panels renames the session as an edit of the code does; looking around does not", "[app_state]") {
    AppState state;
    load_preset(state, "seed-upconv");
    auto edit = GENERATE(as<std::string>{}, "add a max pool", "stride slider", "input H", "kernel holds", "seed");
    SECTION("an edit that changes the numbers") {
        Session& s = state.session;
        if (edit == "add a max pool") insert_layer_after_selected(s, LayerKind::MaxPool2d);
        if (edit == "stride slider") s.layers[0].stride = Pair{3, 3};
        if (edit == "input H") s.input_shape[2] = 20;
        if (edit == "kernel holds") s.kernel = KernelPattern::Box;
        if (edit == "seed") s.seed = 7;
        rebuild(state, true);  // what every panel calls after changing the session
        INFO(edit);
        CHECK(state.error.empty());
        CHECK(state.session.preset == "seed-upconv-edited");
        CHECK(window_title(state) == "ConvScope: seed-upconv-edited");
        CHECK(drawn_session(state).preset == "seed-upconv-edited");  // what is saved for the next launch
        CHECK(fs::path(default_export_path(state, exporting::Format::Png)).filename() == "seed-upconv-edited.png");
        rebuild(state, true);  // a second commit does not add a second suffix
        CHECK(state.session.preset == "seed-upconv-edited");
    }
    SECTION("choosing what to look at") {
        Session& s = state.session;
        s.out_channel = 2;
        s.view = TransposedView::AsConvolution;
        s.granularity = Granularity::Row;
        s.frame = 5;
        rebuild(state, true);
        CHECK(state.session.preset == "seed-upconv");
    }
}

TEST_CASE("a refused slider value already marks the session edited, and a new preset is itself again", "[app_state]") {
    AppState state;
    load_preset(state, "seed-dilated");
    state.session.layers[0].dilation = Pair{40, 40};  // the span exceeds the input
    rebuild(state, true);
    CHECK_FALSE(state.error.empty());
    CHECK(state.session.preset == "seed-dilated-edited");
    load_preset(state, "seed-combined");
    CHECK(window_title(state) == "ConvScope: seed-combined");
}

TEST_CASE("applying the code panel's own text keeps what the user typed", "[app_state]") {
    AppState state;
    load_preset(state, "seed-dilated");
    state.code_text = std::string("# typed in class\n") + kCombinedCode;
    REQUIRE(apply_code(state, state.code_text));  // as the Apply button calls it
    CHECK(state.code_text == std::string("# typed in class\n") + kCombinedCode);
    CHECK(state.session.layers.size() == 2);
}

TEST_CASE("applying the code already on screen keeps the preset's name", "[app_state]") {
    AppState state;
    load_preset(state, "seed-combined");
    REQUIRE(apply_code(state, state.code_text));
    CHECK(state.session.preset == "seed-combined");
}

TEST_CASE("code the core refuses keeps the last picture and says why under the code", "[app_state]") {
    AppState state;
    load_preset(state, "arith-padding-strides-odd");
    Session small = state.session;
    small.input_shape = {1, 1, 8, 8};
    std::string message;
    REQUIRE(set_session(state, small, message));
    const Animation* before = state.animation.get();
    const std::uint64_t generation = state.generation;
    const std::vector<Layer> layers = state.session.layers;

    SECTION("a kernel wider than the input") {
        CHECK_FALSE(apply_code(state, "nn.Conv2d(1, 1, 3, dilation=10)"));
    }
    SECTION("code that does not parse, with its column") {
        CHECK_FALSE(apply_code(state, "nn.Conv2d(1, 1, 3,, 2)"));
        CHECK_THAT(state.code_error, Catch::StartsWith("line 1, column 19: "));
        CHECK(state.code_error_offset == 19);
    }
    SECTION("a layer the input's size refuses, marked at the argument on its line") {
        const std::string code = "nn.Sequential(\n    nn.Conv2d(1, 1, 3),\n    nn.Conv2d(1, 1, 3, dilation=10),\n)";
        CHECK_FALSE(apply_code(state, code));
        CHECK_THAT(state.code_error, Catch::StartsWith("line 3, column 24: ") && Catch::Contains("dilation 10"));
        CHECK(code.substr(state.code_error_offset - 1, 8) == "dilation");
        CHECK(line_and_column(code, state.code_error_offset) == std::array<std::size_t, 2>{3, 24});
    }
    CHECK_FALSE(state.code_error.empty());
    CHECK(state.animation.get() == before);
    CHECK(state.generation == generation);
    CHECK(state.session.layers == layers);
    CHECK(state.drawn.layers == layers);
    CHECK(state.session.preset == "arith-padding-strides-odd");
}

TEST_CASE("a slider value the core refuses keeps the last picture and the message goes under that slider", "[app_state]") {
    AppState state;
    load_preset(state, "seed-dilated");
    const Animation* before = state.animation.get();
    const std::uint64_t generation = state.generation;
    state.session.layers[0].dilation = {40, 40};  // a span of 81 cells on a 64x64 input padded by 2
    state.error_control = "dilation";
    rebuild(state);
    CHECK_THAT(state.error, Catch::Contains("dilation") || Catch::Contains("kernel"));
    CHECK(state.error_control == "dilation");
    CHECK(state.animation.get() == before);
    CHECK(state.generation == generation);
    CHECK(state.drawn.layers[0].dilation == Pair{2, 2});  // captions describe what is drawn
    // So does the code beside the drawn shapes: the refused dilation=40 is not printed.
    CHECK(generated_code(state).find("dilation=2") != std::string::npos);
    CHECK(generated_code(state).find("dilation=40") == std::string::npos);

    state.session.frame = 5;
    const Session kept = drawn_session(state);  // exported and kept for the next launch
    CHECK(kept.layers[0].dilation == Pair{2, 2});
    CHECK(kept.frame == 5);

    state.session.layers[0].dilation = {3, 3};
    rebuild(state);
    CHECK(drawn_session(state).layers[0].dilation == Pair{3, 3});
    CHECK(state.error.empty());
    CHECK(state.generation == generation + 1);
    CHECK(state.drawn.layers[0].dilation == Pair{3, 3});
}

TEST_CASE("selecting the second layer of the combined stack animates the upconvolution on 16 channels", "[app_state]") {
    AppState state;
    load_preset(state, "seed-combined");
    state.session.frame = 9;
    select_layer(state.session, 1);
    rebuild(state);
    REQUIRE(state.error.empty());
    CHECK(state.session.frame == 0);
    const LayerGeometry& g = state.animation->engine().geometry();
    CHECK(g.in_channels == 16);
    CHECK(g.out_channels == 3);
    CHECK(g.h().in == 64);
    CHECK(g.h().out == 128);
    CHECK(g.w().out == 128);
    CHECK(state.drawn.layer_index == 1);
}

TEST_CASE("channels picked beyond a newly selected layer's are brought inside it", "[app_state]") {
    AppState state;
    load_preset(state, "seed-combined");
    state.session.out_channel = 15;  // layer 0 has 16 output channels
    state.session.in_channel = 2;
    rebuild(state);
    select_layer(state.session, 1);  // 16 -> 3
    rebuild(state);
    CHECK(state.session.out_channel == 2);
    CHECK(state.session.in_channel == 2);
    CHECK(state.animation->engine().out_channel() == 2);
}

TEST_CASE("a reopened session starts paused on its saved frame", "[app_state]") {
    TempFolder folder;
    AppState state;
    load_preset(state, "seed-upconv");
    state.session.frame = 17;
    REQUIRE(save_session_file(state, folder / "lecture3.json"));
    AppState reopened;
    load_preset(reopened, "seed-dilated");
    REQUIRE(reopened.playing);
    REQUIRE(open_session_file(reopened, folder / "lecture3.json"));
    CHECK_FALSE(reopened.playing);
    CHECK(reopened.session.frame == 17);
    advance(reopened, 2.0);
    CHECK(reopened.session.frame == 17);
    CHECK(session_name(reopened) == "lecture3");
    CHECK(window_title(reopened) == "ConvScope: lecture3");
    load_preset(reopened, "seed-combined");  // a new document: no longer the file
    CHECK(reopened.session_path.empty());
    CHECK(window_title(reopened) == "ConvScope: seed-combined");
}

TEST_CASE("a session file the core refuses keeps the picture and says why in the file message", "[app_state]") {
    TempFolder folder;
    Session bad = session_from_preset("seed-dilated");
    bad.layers[0].dilation = {40, 40};
    save_session(bad, folder / "bad.json");
    AppState state;
    load_preset(state, "seed-upconv");
    const Animation* before = state.animation.get();
    CHECK_FALSE(open_session_file(state, folder / "bad.json"));
    CHECK(state.file_message_is_error);
    CHECK_THAT(state.file_message, Catch::Contains("bad.json"));
    CHECK(state.animation.get() == before);
    CHECK(state.session.preset == "seed-upconv");
    CHECK(state.session_path.empty());
    CHECK(state.playing);
}

TEST_CASE("the export path follows the format and defaults to the session's folder and name", "[app_state]") {
    CHECK(with_format_extension("figures/seed.png", exporting::Format::Svg) == "figures/seed.svg");
    CHECK(with_format_extension("figures/seed", exporting::Format::Gif) == "figures/seed.gif");
    CHECK(with_format_extension("figures/seed.v2.png", exporting::Format::Pdf) == "figures/seed.v2.pdf");
    AppState state;
    load_preset(state, "seed-combined");
    state.session_path = "/data/lectures/lecture3.json";
    CHECK(default_export_path(state, exporting::Format::Mp4) == "/data/lectures/lecture3.mp4");
    state.session_path.clear();
    const char* home = std::getenv("HOME");
    if (home && *home) CHECK(default_export_path(state, exporting::Format::Png) == (fs::path(home) / "seed-combined.png").string());
}

TEST_CASE("zenity is asked for a file of the right kind", "[app_state]") {
    ChooserRequest r;
    r.title = "Export as gif";
    r.save = true;
    r.initial_path = "/home/t/seed.gif";
    r.filter_name = "gif";
    r.filter_pattern = "*.gif";
    const std::vector<std::string> expected = {"--file-selection", "--title=Export as gif", "--save", "--confirm-overwrite",
                                               "--filename=/home/t/seed.gif", "--file-filter=gif | *.gif",
                                               "--file-filter=All files | *"};
    CHECK(zenity_arguments(r) == expected);
}

TEST_CASE("the desktop chooser's answer opens the session without the frame loop waiting for it", "[app_state]") {
    TempFolder folder;
    AppState saved;
    load_preset(saved, "seed-upconv");
    REQUIRE(save_session_file(saved, folder / "chosen.json"));
    // A stand-in zenity on PATH that answers with that file.
    const std::string fake = folder / "zenity";
    {
        std::ofstream out(fake);
        out << "#!/bin/sh\necho \"$@\" > '" << (folder / "args") << "'\necho '" << (folder / "chosen.json") << "'\n";
    }
    ::chmod(fake.c_str(), 0755);
    const char* old_path = std::getenv("PATH");
    const std::string saved_path = old_path ? old_path : "";
    ::setenv("PATH", (folder.path.string() + ":" + saved_path).c_str(), 1);

    AppState state;
    load_preset(state, "seed-dilated");
    const bool started = choose_file(state, AppState::ChooserPurpose::OpenSession);
    ::setenv("PATH", saved_path.c_str(), 1);
    REQUIRE(started);
    for (int i = 0; i < 500 && state.chooser; ++i) {  // poll as frames would, up to 10 s
        poll_file_chooser(state);
        if (state.chooser) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_FALSE(state.chooser);
    CHECK(state.session.preset == "seed-upconv");
    CHECK(state.session_path == folder / "chosen.json");
    std::ifstream args(folder / "args");
    std::string line;
    std::getline(args, line);
    CHECK_THAT(line, Catch::StartsWith("--file-selection --title=Open a ConvScope session"));
}

TEST_CASE("without zenity the chooser does not start and the typed path is the way", "[app_state]") {
    const char* old_path = std::getenv("PATH");
    const std::string saved_path = old_path ? old_path : "";
    TempFolder empty;
    ::setenv("PATH", empty.path.c_str(), 1);
    AppState state;
    const bool started = choose_file(state, AppState::ChooserPurpose::SaveSession);
    ::setenv("PATH", saved_path.c_str(), 1);
    CHECK_FALSE(started);
    CHECK_FALSE(state.chooser);
}

TEST_CASE("the text size is kept in the settings, and a damaged file gives the defaults", "[app_state]") {
    TempFolder folder;
    const std::string path = folder / "sub/settings.json";
    CHECK(load_settings(path).text_size_percent == 100);
    CHECK_FALSE(load_settings(path).text_size_chosen);  // no file: the screen decides
    Settings chosen;
    chosen.text_size_percent = 150;
    chosen.text_size_chosen = true;
    save_settings(chosen, path);
    CHECK(load_settings(path).text_size_percent == 150);
    CHECK(load_settings(path).text_size_chosen);
    std::ofstream(path) << "{\"text_size_percent\": 137}";
    CHECK(load_settings(path).text_size_percent == 100);
    CHECK_FALSE(load_settings(path).text_size_chosen);
    std::ofstream(path) << "{not json";
    CHECK(load_settings(path).text_size_percent == 100);
}

TEST_CASE("a projector-sized screen starts at 150 % text, a laptop's at 100 %, whatever its content scale", "[app_state][text_size]") {
    struct Screen {
        int rows;
        float content_scale;
        int percent;
    };
    const Screen screen = GENERATE(Screen{800, 1.0f, 100},    // a 1280x800 laptop
                                   Screen{1050, 1.0f, 100},   // a 1680x1050 desk monitor
                                   Screen{1080, 1.0f, 150},   // a 1920x1080 projector
                                   Screen{1200, 1.0f, 150},   // 1920x1200
                                   Screen{2160, 2.0f, 150},   // a 4K screen at 200 % scale: 1080 logical rows
                                   Screen{1800, 2.0f, 100},   // a HiDPI laptop, 900 logical rows
                                   Screen{1080, 0.5f, 150},   // a scale below 1 counts as 1
                                   Screen{0, 1.0f, 100});     // unknown (benchmarks, no monitor)
    INFO(screen.rows << " rows at scale " << screen.content_scale);
    CHECK(default_text_size_percent(screen.rows, screen.content_scale) == screen.percent);
    CHECK(std::find(kTextSizePercents.begin(), kTextSizePercents.end(), screen.percent) != kTextSizePercents.end());
}

TEST_CASE("at 200 % text the canvas scene is built for half the canvas and drawn twice as large, clicks still on their cell",
          "[app_state][text_size]") {
    AppState state;
    load_preset(state, "seed-dilated");
    REQUIRE(state.animation);
    const Scene half = current_scene(state, 500, 350);  // 100 %: the scene for a canvas half as large
    state.text_size_percent = 200;
    const Scene doubled = current_scene(state, 1000, 700);
    CHECK(doubled.width == 2 * half.width);
    REQUIRE(doubled.texts.size() == half.texts.size());
    REQUIRE(!half.texts.empty());
    CHECK(doubled.texts.front().text == half.texts.front().text);  // the caption
    for (std::size_t i = 0; i < half.texts.size(); ++i) {
        CHECK(doubled.texts[i].size == 2 * half.texts[i].size);
        CHECK(doubled.texts[i].x == 2 * half.texts[i].x);
    }
    // A click at the canvas point of output cell (3, 5) finds that cell on the drawn grid.
    const Scene::GridPlacement& g = doubled.output_grid;
    const Scene::GridPlacement& h = half.output_grid;
    CHECK(g.cell == 2 * h.cell);
    const float click_x = 2 * (h.x + 5.5f * h.cell), click_y = 2 * (h.y + 3.5f * h.cell);
    REQUIRE(g.contains(click_x, click_y));
    CHECK(std::int64_t((click_y - g.y) / g.cell) == 3);
    CHECK(std::int64_t((click_x - g.x) / g.cell) == 5);
    // Back at 100 % the cached scene is rebuilt for the whole canvas.
    state.text_size_percent = 100;
    CHECK(current_scene(state, 1000, 700).texts.front().size < doubled.texts.front().size);
}

TEST_CASE("a short canvas draws a small layer's cells large enough to read, its text no smaller than 3/4 of the chosen size",
          "[app_state][text_size]") {
    // The canvas with the Deck panel open on a 1280x800 window at 150 % text: 700 x 450 px.
    // Laid out on 467 x 300 text units, the figure's band under the grids left the 3x3 ->
    // 5x5 layer 1 px a cell.
    AppState state;
    load_preset(state, "arith-t-padding-strides");
    state.canvas_whole_stack = false;
    state.text_size_percent = 150;
    const Scene& short_canvas = current_scene(state, 700, 450);
    CHECK(short_canvas.output_grid.cell >= 20);
    CHECK(short_canvas.input_grid.cell == short_canvas.output_grid.cell);
    REQUIRE(!short_canvas.texts.empty());
    const SceneText caption = short_canvas.texts.front();
    CHECK(short_canvas.output_grid.y + short_canvas.output_grid.cell * float(short_canvas.output_grid.rows) <= 450);
    CHECK(short_canvas.width <= 700.5f);
    // A canvas with room is drawn at the chosen size, not stretched; the short one's
    // caption is smaller, and at least 3/4 of its size at 100 %.
    const Scene& roomy = current_scene(state, 1400, 1000);
    REQUIRE(roomy.texts.front().text == caption.text);
    CHECK(caption.size < roomy.texts.front().size);
    const float roomy_cell = roomy.output_grid.cell, roomy_caption = roomy.texts.front().size;
    state.text_size_percent = 100;
    const Scene& at_100 = current_scene(state, 1400 / 1.5f, 1000 / 1.5f);
    CHECK(at_100.output_grid.cell * 1.5f == Approx(roomy_cell));
    CHECK(at_100.texts.front().size * 1.5f == Approx(roomy_caption));
    CHECK(caption.size >= 0.75f * at_100.texts.front().size);
}

TEST_CASE("the backward pass draws grad_input under its caption; a layer without a transpose keeps the last picture",
          "[app_state][backward]") {
    AppState state;
    load_preset(state, "reflect-padding");
    const Animation* before = state.animation.get();
    state.session.pass = Pass::Backward;
    state.error_control = "pass";
    rebuild(state, true);
    CHECK_THAT(state.error, Catch::Contains("padding_mode 'reflect' has no transposed convolution"));
    CHECK(state.animation.get() == before);
    CHECK_FALSE(state.animation->backward());

    state.session.layers[0].padding_mode = PaddingMode::Zeros;
    rebuild(state, true);
    REQUIRE(state.error.empty());
    REQUIRE(state.animation->backward());
    const Scene& scene = current_scene(state, 1000, 600);
    CHECK(std::any_of(scene.texts.begin(), scene.texts.end(), [](const SceneText& t) {
        return t.text.rfind("grad_input = ConvTranspose2d(1, 1, k=3, s=1, p=2, d=1) of grad_output", 0) == 0;
    }));
}

TEST_CASE("every layer kind the stack editor adds animates after a 4-channel map; pixel shuffle of 1 channel is refused",
          "[app_state][stack]") {
    const LayerKind kind = GENERATE(LayerKind::Upsample, LayerKind::PixelShuffle, LayerKind::PixelUnshuffle, LayerKind::ReLU,
                                    LayerKind::LeakyReLU, LayerKind::Tanh, LayerKind::Sigmoid);
    AppState state;
    load_preset(state, "subpixel");  // layer 0: Conv2d(1, 4, 3, padding=1) on 4x4
    select_layer(state.session, 0);
    insert_layer_after_selected(state.session, kind);
    rebuild(state, true);
    CHECK(state.error.empty());
    CHECK(state.session.layer_index == 1);
    CHECK(state.animation->engine().layer().kind == kind);
    CHECK(state.animation->frame_count() > 0);

    load_preset(state, "resize-conv");  // one channel throughout
    insert_layer_after_selected(state.session, LayerKind::PixelShuffle);
    rebuild(state, true);
    CHECK_THAT(state.error, Catch::Contains("upscale_factor") || Catch::Contains("channels"));
}

TEST_CASE("opening the export dialog pauses playback, so the frame it announces is the one written", "[app_state][export]") {
    AppState state;
    load_preset(state, "seed-dilated");
    state.playing = true;
    state.session.frame = 39;
    open_export_dialog(state);
    CHECK(state.show_export);
    CHECK_FALSE(state.playing);
    advance(state, 1.0);  // a second of wall time passes while the dialog is open
    CHECK(state.session.frame == 39);
}

namespace {

/// The styles of every output cell of feature map `map` drawn on the scene.
std::vector<CellStyle> output_styles(const Scene& scene, std::int64_t map) {
    std::vector<CellStyle> styles;
    for (const SceneHeatmap& h : scene.heatmaps)
        if (h.role == RectRole::OutputCell && h.layer == map) styles.insert(styles.end(), h.styles.begin(), h.styles.end());
    return styles;
}

bool any_text_contains(const Scene& scene, const std::string& what) {
    return std::any_of(scene.texts.begin(), scene.texts.end(), [&](const SceneText& t) { return t.text.find(what) != std::string::npos; });
}

}  // namespace

TEST_CASE("the canvas hides the output to work out by hand, and a deck's slide opens hidden as it says", "[app_state][deck]") {
    AppState state;
    load_preset(state, "arith-t-strides");  // 2x2 -> 5x5 (k3 s2)
    state.canvas_whole_stack = false;
    state.session.frame = last_frame(state);
    const std::vector<CellStyle> shown = output_styles(current_scene(state, 1000, 700), 1);
    REQUIRE(shown.size() == 25);
    CHECK(std::count(shown.begin(), shown.end(), CellStyle::Empty) == 0);  // the last step: every cell done
    CHECK(any_text_contains(current_scene(state, 1000, 700), "5x5"));

    state.canvas_hide.output = true;
    const std::vector<CellStyle> hidden = output_styles(current_scene(state, 1000, 700), 1);
    CHECK(std::count(hidden.begin(), hidden.end(), CellStyle::Empty) == 25);
    CHECK(any_text_contains(current_scene(state, 1000, 700), "5x5"));  // the size is still given

    state.canvas_hide.shape = true;
    CHECK(output_styles(current_scene(state, 1000, 700), 1).empty());
    CHECK_FALSE(any_text_contains(current_scene(state, 1000, 700), "5x5"));

    // The view as it is, added as a slide, hides the same; opened again, it hides it again.
    new_deck(state.deck_editor);
    REQUIRE(add_view_as_slide(state));
    REQUIRE(state.deck_editor.deck.slides.size() == 1);
    CHECK(state.deck_editor.deck.slides[0].hide.output);
    CHECK(state.deck_editor.deck.slides[0].hide.shape);
    state.canvas_hide = {};
    load_preset(state, "seed-dilated");
    REQUIRE(open_slide_in_app(state, 0));
    CHECK(state.session.preset == "arith-t-strides");
    CHECK(state.canvas_hide.output);
    CHECK(state.canvas_hide.shape);
    CHECK_FALSE(any_text_contains(current_scene(state, 1000, 700), "5x5"));
}

TEST_CASE("while a deck is presented the title says which slide is shown and whether its answer is", "[app][present]") {
    AppState state;
    load_preset(state, "seed-dilated");
    const std::string path = asset_path("decks/transposed.json");
    start_presenting(state, load_deck(path), path, 0, true);
    CHECK(window_title(state) == "ConvScope: transposed, slide 1 / 13");
    state.slide_show->keys().press(PresenterKey::Next);
    CHECK(window_title(state) == "ConvScope: transposed, slide 1 / 13, answer shown");
    state.slide_show->keys().press(PresenterKey::Last);
    CHECK(window_title(state) == "ConvScope: transposed, slide 13 / 13");
    state.slide_show.reset();
    CHECK(window_title(state) == "ConvScope: seed-dilated");
}

TEST_CASE("a chooser slot holds one chooser: its answer once closed, with what it was for, and the slot is free again", "[app_state][chooser]") {
    TempFolder folder;
    const std::string fake = folder / "zenity";
    {
        std::ofstream out(fake);
        out << "#!/bin/sh\necho '" << (folder / "deck.json") << "'\n";
    }
    ::chmod(fake.c_str(), 0755);
    enum class For { Open, Save };
    ChooserSlot<For> slot;
    CHECK_FALSE(slot);
    CHECK_FALSE(slot.take());  // nothing started: nothing to take
    const char* old_path = std::getenv("PATH");
    const std::string saved_path = old_path ? old_path : "";
    ::setenv("PATH", folder.path.c_str(), 1);
    const bool started = slot.start(ChooserRequest{"Save the deck", "", true, "", ""}, For::Save);
    ::setenv("PATH", "/nonexistent", 1);
    ChooserSlot<For> without;
    const bool started_without = without.start(ChooserRequest{}, For::Open);
    ::setenv("PATH", saved_path.c_str(), 1);
    REQUIRE(started);
    CHECK(slot);
    CHECK_FALSE(started_without);  // no zenity: nothing started, the typed path is the way
    CHECK_FALSE(without);
    std::optional<std::string> answer;
    for (int i = 0; i < 500 && !answer; ++i) {  // poll as frames would, up to 10 s
        answer = slot.take();
        if (!answer) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(answer);
    CHECK(*answer == folder / "deck.json");
    CHECK(slot.purpose() == For::Save);
    CHECK_FALSE(slot);  // free for the next one
}
