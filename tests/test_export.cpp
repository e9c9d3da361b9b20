// Export: every format of the seed presets drawn without a display, checked by
// content; determinism; refusals that leave no file behind.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "app/export/exporter.hpp"
#include "app/export/figure.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/base/files.hpp"
#include "core/anim/session.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::count_of;
using namespace convscope::exporting;
namespace fs = std::filesystem;

namespace {

/// A fresh, empty folder for one test's files.
std::string scratch_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("convscope_export_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

/// Width and height from a PNG's IHDR chunk.
std::pair<int, int> png_size(const std::string& bytes) {
    REQUIRE(bytes.size() > 24);
    REQUIRE(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    auto be32 = [&](std::size_t at) {
        return int((unsigned char)bytes[at] << 24 | (unsigned char)bytes[at + 1] << 16 | (unsigned char)bytes[at + 2] << 8 |
                   (unsigned char)bytes[at + 3]);
    };
    return {be32(16), be32(20)};
}

std::size_t files_in_folder(const std::string& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

TEST_CASE("an SVG figure has one rect per input, kernel and output cell, and text as text", "[export][svg]") {
    // (The seeds draw the chain slide or one of its halves, whose maps are locators and whose
    // kernel is written in its taps: tests/test_seed_slides.cpp.)
    const std::string preset = GENERATE("arith-dilation", "checkerboard-k3s2", "wavenet");
    const Session s = session_from_preset(preset);
    const Animation a(s);
    ExportRequest req;
    const Scene scene = animation_scene(a, a.frame_count() - 1, export_scene_options(s, req));
    const std::string svg = render_svg(scene, 1);
    const StepEngine& e = a.engine();
    const std::int64_t in_cells = e.is_scatter() ? e.geometry().h().in * e.geometry().w().in : e.grid_rows() * e.grid_cols();
    CHECK(count_of(svg, "class=\"cell input\"") == std::size_t(in_cells));
    CHECK(count_of(svg, "class=\"cell kernel\"") == std::size_t(e.layer().kernel.h * e.layer().kernel.w));
    CHECK(count_of(svg, "class=\"cell output\"") == std::size_t(e.geometry().h().out * e.geometry().w().out));
    CHECK(svg.find("<text") != std::string::npos);
    // (A 64x64 seed's slide figure leaves the default values out of it.)
    const std::string caption = std::regex_replace(layer_caption(e.layer(), e.geometry()), std::regex(">"), "&gt;");
    CHECK((svg.find(caption) != std::string::npos || svg.find(caption_without_defaults(caption)) != std::string::npos));
    CHECK(svg.rfind("</svg>\n") == svg.size() - 7);
}

TEST_CASE("the caption carries the configuration and the PyTorch line", "[export]") {
    const Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    ExportRequest req;
    const std::string svg = render_svg(animation_scene(a, 0, export_scene_options(s, req)), 1);
    // (The seed is drawn as the chain slide's left half: its message, then its code as a student types it, with the shapes.)
    CHECK(svg.find("Dilation 2: 9 weights see a 5\u00d75 span of the input, not 3\u00d73") != std::string::npos);
    CHECK(svg.find("nn.Conv2d(3, 16, 3, dilation=2, padding=2)  # 3\u00d764\u00d764 \u2192 16\u00d764\u00d764") != std::string::npos);
    // Without the arithmetic, the title says what the layer is.
    req.show_arithmetic = false;
    CHECK(render_svg(animation_scene(a, 0, export_scene_options(s, req)), 1).find("Conv2d: 64\u00d764 \u2192 64\u00d764") != std::string::npos);
    req.show_arithmetic = true;
    req.show_code = false;
    CHECK(render_svg(animation_scene(a, 0, export_scene_options(s, req)), 1).find("nn.Conv2d") == std::string::npos);
}

TEST_CASE("PNG and SVG exports of the same session and step are byte-identical", "[export][determinism]") {
    const std::string dir = scratch_dir("determinism");
    const Format format = GENERATE(Format::Png, Format::Svg);
    ExportRequest req;
    req.format = format;
    req.step = 5;
    const Session s = session_from_preset("seed-upconv");
    req.out = dir + "/a";
    run_export(s, req);
    req.out = dir + "/b";
    run_export(s, req);
    CHECK(read_file(dir + "/a", 1 << 26) == read_file(dir + "/b", 1 << 26));
    fs::remove_all(dir);
}

TEST_CASE("a PNG has the scene's size times the scale, and a PDF is complete", "[export][png][pdf]") {
    const Session s = session_from_preset("arith-strides");
    const Animation a(s);
    const Scene scene = animation_scene(a, a.frame_count() - 1, export_scene_options(s, ExportRequest{}));
    const double scale = GENERATE(1.0, 2.0, 4.0);
    const auto [w, h] = png_size(render_png(scene, scale));
    CHECK(w == int(std::ceil(scene.width * scale)));
    CHECK(h == int(std::ceil(scene.height * scale)));
    const std::string pdf = render_pdf(scene, scale);
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    CHECK(pdf.find("%%EOF", pdf.size() - 8) != std::string::npos);
}

TEST_CASE("all steps go into a folder of numbered files (--all-steps)", "[export]") {
    const std::string dir = scratch_dir("all_steps");
    ExportRequest req;
    req.format = Format::Svg;
    req.all_steps = true;
    req.out = dir + "/frames";
    const Session s = session_from_preset("arith-no-padding");
    const ExportResult r = run_export(s, req);
    CHECK(r.frames == Animation(s).frame_count());
    CHECK(files_in_folder(req.out) == std::size_t(r.frames));
    CHECK(fs::exists(req.out + "/frame_0000.svg"));
    parse_step_range("1:3", req);  // one output cell a frame: 2x2 cells, 4 frames
    fs::remove_all(req.out);
    CHECK(run_export(s, req).frames == 3);
    CHECK(fs::exists(req.out + "/frame_0001.svg"));
    CHECK_FALSE(fs::exists(req.out + "/frame_0000.svg"));
    fs::remove_all(dir);
}

TEST_CASE("an animation of the seed is one GIF with a frame per step", "[export][gif]") {
    const std::string dir = scratch_dir("gif");
    ExportRequest req;
    req.format = Format::Gif;
    req.out = dir + "/seed.gif";
    parse_step_range("0:3", req);
    const ExportResult r = run_export(session_from_preset("seed-upconv"), req);
    CHECK(r.frames == 4);
    const std::string gif = read_file(req.out, 1 << 26);
    CHECK(gif.rfind("GIF89a", 0) == 0);
    CHECK(files_in_folder(dir) == 1);  // no temporary file left
    fs::remove_all(dir);
}

TEST_CASE("an animation is encoded at the size of its largest frame, so no frame is cut", "[export][gif]") {
    // seed-dilated by rows: the magnified inset of the first row (kernel in the top
    // padding) and of the last differ from the interior's; the still of each step gives
    // its own height, and the GIF must hold every one of them.
    const std::string dir = scratch_dir("gif-size");
    const Session s = session_from_preset("seed-dilated");
    int tallest = 0;
    for (const char* step : {"0", "1", "32", "63"}) {
        ExportRequest still;
        still.format = Format::Png;
        still.out = dir + "/step" + step + ".png";
        parse_step_range(std::string(step) + ":" + step, still);
        tallest = std::max(tallest, run_export(s, still).height);
    }
    ExportRequest req;
    req.format = Format::Gif;
    req.out = dir + "/rows.gif";
    parse_step_range("0:63", req);
    CHECK(run_export(s, req).height >= tallest);
    fs::remove_all(dir);
}

TEST_CASE("refused exports say why and leave nothing behind", "[export][errors]") {
    const std::string dir = scratch_dir("refusals");
    const Session s = session_from_preset("arith-strides");
    ExportRequest req;
    req.out = dir + "/out.png";
    struct Case {
        const char* what;
        std::function<void(ExportRequest&)> edit;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"a directory as the target", [&](ExportRequest& r) { r.out = dir; }, "is a directory"},
        {"a folder that does not exist", [&](ExportRequest& r) { r.out = dir + "/no/such/out.png"; }, "does not exist"},
        {"a step past the end", [](ExportRequest& r) { r.step = 999; }, "--step 999 is outside"},
        {"a huge scale", [](ExportRequest& r) { r.scale = 16; r.format = Format::Png; }, "above the limit"},
        {"a zero frame rate", [](ExportRequest& r) { r.fps = 0; r.format = Format::Gif; }, "--fps"},
        {"a range past the end", [](ExportRequest& r) { r.format = Format::Gif; r.first = 0; r.last = 500; }, "is outside the animation"},
        {"--step with an animation", [](ExportRequest& r) { r.format = Format::Mp4; r.step = 1; }, "--step and --all-steps are for png"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        ExportRequest r = req;
        c.edit(r);
        if (r.out == req.out) r.out = dir + "/out." + format_name(r.format);  // the format's own extension
        try {
            run_export(s, r);
            FAIL("not refused");
        } catch (const UserError& e) {
            CHECK_THAT(e.what(), Catch::Contains(c.message));
        }
        CHECK(files_in_folder(dir) == 0);
    }
    ExportRequest big = req;
    big.format = Format::Gif;
    big.granularity = Granularity::Tap;  // 4096 cells x 27 taps
    big.out = dir + "/out.gif";
    CHECK_THROWS_WITH(run_export(session_from_preset("seed-dilated"), big), Catch::Contains("above the limit of 10000"));
    CHECK_THROWS_WITH(parse_step_range("5:2", big), Catch::Contains("runs backwards"));
    CHECK_THROWS_WITH(parse_step_range("a:b", big), Catch::Contains("whole numbers"));
    CHECK_THROWS_WITH(parse_format("jpeg"), Catch::Contains("expected png, gif, mp4, svg or pdf"));
    CHECK(files_in_folder(dir) == 0);
    fs::remove_all(dir);
}

TEST_CASE("a cancelled animation leaves no file", "[export][cancel]") {
    const std::string dir = scratch_dir("cancel");
    ExportRequest req;
    req.format = Format::Gif;
    req.out = dir + "/cancelled.gif";
    ExportProgress progress;
    progress.cancel = true;  // cancelled as soon as the first frame is drawn
    CHECK_THROWS_WITH(run_export(session_from_preset("seed-upconv"), req, &progress), "export cancelled");
    CHECK(progress.done == 1);
    CHECK(files_in_folder(dir) == 0);
    fs::remove_all(dir);
}

TEST_CASE("export: --layer picks the layer of a stack: seed-combined's last layer is the up-convolution to 128x128", "[export][layers]") {
    const std::string dir = scratch_dir("layers");
    const Session s = session_from_preset("seed-combined");
    ExportRequest req;
    req.format = Format::Svg;
    req.out = dir + "/layer.svg";
    req.layer = 1;
    run_export(s, req);
    const std::string up = read_file(req.out, 1 << 28);
    // Its slide is the chain it ends: the output named with its shape under the 2x2 block, the title.
    CHECK(up.find("3\u00d7128\u00d7128") != std::string::npos);
    CHECK(up.find("A 5\u00d75 span of the input \u2192 16 features at one cell \u2192 one 2\u00d72 output block") != std::string::npos);
    req.layer = 0;
    run_export(s, req);
    const std::string dilated = read_file(req.out, 1 << 28);
    CHECK(count_of(dilated, "class=\"cell output\" data-layer=\"1\"") == 64 * 64);
    req.layer = 2;
    CHECK_THROWS_WITH(run_export(s, req), Catch::Contains("--layer 2 is outside the stack's 2 layers (0..1)"));
    fs::remove_all(dir);
}

TEST_CASE("export: --all-layers draws the whole stack as one pipeline of maps", "[export][layers]") {
    const std::string dir = scratch_dir("pipeline");
    Session s = session_from_preset("seed-combined");
    ExportRequest req;
    req.format = Format::Svg;
    req.out = dir + "/all.svg";
    req.all_layers = true;
    req.layer = 1;
    run_export(s, req);
    const std::string svg = read_file(req.out, 1 << 28);
    CHECK(count_of(svg, "class=\"cell input\" data-layer=\"0\"") == 64 * 64);
    CHECK(count_of(svg, "class=\"cell output\" data-layer=\"1\"") == 64 * 64);
    CHECK(count_of(svg, "class=\"cell output\" data-layer=\"2\"") == 128 * 128);
    CHECK(svg.find("input 3x64x64 -&gt; 16x64x64 -&gt; 3x128x128") != std::string::npos);
    req.format = Format::Png;
    req.out = dir + "/all.png";
    const ExportResult r = run_export(s, req);
    CHECK(png_size(read_file(req.out, 1 << 26)) == std::pair<int, int>{r.width, r.height});
    fs::remove_all(dir);
}

TEST_CASE("export: --style chooses schematic or values, by default the preset's", "[export][style]") {
    const std::string dir = scratch_dir("style");
    const Session s = session_from_preset("arith-dilation");
    REQUIRE(s.style == SceneStyle::Schematic);
    ExportRequest req;
    req.format = Format::Svg;
    req.out = dir + "/x.svg";
    run_export(s, req);
    const std::string preset_default = read_file(req.out, 1 << 24);
    req.style = SceneStyle::Schematic;
    run_export(s, req);
    CHECK(read_file(req.out, 1 << 24) == preset_default);
    req.style = SceneStyle::Values;
    run_export(s, req);
    const std::string values = read_file(req.out, 1 << 24);
    CHECK(values != preset_default);
    // Values: the colour bar and numbers; schematic: the key, and no numbers unless asked.
    CHECK(values.find("output value") != std::string::npos);
    CHECK(preset_default.find("skipped by dilation") != std::string::npos);
    CHECK(count_of(values, "text-anchor=\"middle\"") > count_of(preset_default, "text-anchor=\"middle\""));
    req.style = SceneStyle::Schematic;
    req.numbers = true;
    run_export(s, req);
    CHECK(count_of(read_file(req.out, 1 << 24), "text-anchor=\"middle\"") > count_of(preset_default, "text-anchor=\"middle\""));
    CHECK_THROWS_WITH(parse_scene_style("fancy", "--style"), "--style 'fancy' is unknown: expected schematic, values or perspective");
    fs::remove_all(dir);
}

TEST_CASE("an --out whose extension names another format is refused, and nothing is written", "[export][errors]") {
    const std::string dir = scratch_dir("extension");
    const Session s = session_from_preset("arith-no-padding");
    ExportRequest req;
    req.format = Format::Gif;
    req.out = dir + "/x.png";
    CHECK_THROWS_WITH(run_export(s, req), Catch::Contains("--out '" + req.out + "' has the extension .png but --format is gif"));
    req.format = Format::Png;
    req.out = dir + "/x.JPG";
    CHECK_THROWS_WITH(run_export(s, req), Catch::Contains("has the extension .jpg but --format is png"));
    CHECK(files_in_folder(dir) == 0);
    req.out = dir + "/x.PNG";  // the format's own extension, any case, is fine
    run_export(s, req);
    req.out = dir + "/figure";  // no extension: fine
    run_export(s, req);
    CHECK(files_in_folder(dir) == 2);
    fs::remove_all(dir);
}

TEST_CASE("SVG cells say which layer, channel, row and column they are (kernel cells: which filter)", "[export][svg]") {
    Session s = session_from_preset("seed-dilated");
    s.in_channel = 2;
    s.out_channel = 5;
    const Animation a(s);
    SceneOptions usual = export_scene_options(s, ExportRequest{});
    usual.chain_halves = false;  // the figure with the three grids (the chain's left half: below)
    const std::string svg = render_svg(animation_scene(a, a.frame_count() - 1, usual), 1);
    // The padded input: rows and columns -2..65 of input channel 2 (negative: padding).
    CHECK(count_of(svg, "class=\"cell input\" data-layer=\"0\" data-channel=\"2\"") == 68 * 68);
    CHECK(svg.find("class=\"cell input\" data-layer=\"0\" data-channel=\"2\" data-row=\"-2\" data-col=\"-2\"") != std::string::npos);
    CHECK(svg.find("class=\"cell input\" data-layer=\"0\" data-channel=\"2\" data-row=\"63\" data-col=\"65\"") != std::string::npos);
    CHECK(count_of(svg, "class=\"cell kernel\" data-layer=\"0\" data-channel=\"2\"") == 9);
    CHECK(count_of(svg, "data-filter=\"5\"") == 9);
    CHECK(count_of(svg, "class=\"cell output\" data-layer=\"1\" data-channel=\"5\"") == 64 * 64);
    CHECK(svg.find("class=\"cell output\" data-layer=\"1\" data-channel=\"5\" data-row=\"63\" data-col=\"63\"") != std::string::npos);
    // The slide a default export draws (the chain's left half): both whole maps cell by cell,
    // the output's cells with their state, the taps in input coordinates.
    const std::string slide = render_svg(animation_scene(a, a.representative_frame(), export_scene_options(s, ExportRequest{})), 1);
    CHECK(count_of(slide, "class=\"cell input\" data-layer=\"0\" data-channel=\"2\"") == 64 * 64);
    CHECK(count_of(slide, "class=\"cell output\" data-layer=\"1\" data-channel=\"5\"") == 64 * 64);
    CHECK(count_of(slide, "class=\"cell output\" data-layer=\"1\" data-channel=\"5\" data-row=\"0\" data-col=\"0\" data-state=\"done\"") == 1);
    CHECK(count_of(slide, "class=\"cell output\" data-layer=\"1\" data-channel=\"5\" data-row=\"63\" data-col=\"63\" data-state=\"empty\"") == 1);
    CHECK(count_of(slide, "class=\"tap\" data-state=\"summed\"") == 9);
}

TEST_CASE("export --pass backward draws the input gradient with its caption; the stack views refuse it", "[export][backward]") {
    const std::string dir = scratch_dir("backward");
    const std::string out = dir + "/grad.svg";
    const auto r = test::run_cli("export --preset arith-dilation --pass backward --format svg --out '" + out + "'");
    CHECK(r.status == 0);
    const std::string svg = read_file(out, 1 << 24);
    CHECK(svg.find("grad_input = ConvTranspose2d(1, 1, k=3, s=1, p=0, d=2) of grad_output") != std::string::npos);
    CHECK(svg.find("the transpose of this Conv2d") != std::string::npos);
    const auto bad = test::run_cli("export --preset arith-dilation --pass sideways --format svg --out '" + out + "x.svg'");
    CHECK(bad.status >= 1);
    CHECK(bad.status <= 127);
    CHECK_THAT(bad.err, Catch::StartsWith("error: --pass 'sideways' is unknown"));
    Session s = session_from_preset("seed-combined");
    s.pass = Pass::Backward;
    ExportRequest req;
    req.format = Format::Svg;
    req.out = dir + "/stack.svg";
    req.all_layers = true;
    CHECK_THROWS_WITH(run_export(s, req), Catch::Contains("--pass backward draws one layer's input gradient"));
    CHECK_FALSE(fs::exists(req.out));
    fs::remove_all(dir);
}
