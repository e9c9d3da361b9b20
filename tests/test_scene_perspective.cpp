// The perspective style: the guide's stacked planes, drawn as vectors and keyed.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "app/export/exporter.hpp"
#include "core/base/files.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/scene/scene_perspective.hpp"
#include "core/anim/session.hpp"
#include "core/nn/shape.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::count_of;
namespace fs = std::filesystem;

namespace {

Session perspective_session(const std::string& preset, TransposedView view = TransposedView::Scatter) {
    Session s = session_from_preset(preset);
    s.style = SceneStyle::Perspective;
    s.view = view;
    s.granularity = Granularity::Cell;
    return s;
}

/// Frame `frame` of the preset in the perspective style, trimmed as an export is.
Scene perspective_frame(const std::string& preset, std::int64_t frame, TransposedView view = TransposedView::Scatter,
                        Granularity granularity = Granularity::Cell) {
    Session s = perspective_session(preset, view);
    s.granularity = granularity;
    const Animation a(s);
    SceneOptions o;
    o.style = SceneStyle::Perspective;
    o.fit_content = true;
    return animation_scene(a, frame, o);
}

std::size_t count_role(const Scene& sc, RectRole role) {
    std::size_t n = 0;
    for (const ScenePolygon& p : sc.polygons) n += p.role == role;
    return n;
}

bool has_text(const Scene& sc, const std::string& text) {
    for (const SceneText& t : sc.texts)
        if (t.text == text) return true;
    return false;
}

/// WCAG relative luminance and contrast ratio.
double luminance(const Color& c) {
    auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

double contrast_ratio(const Color& a, const Color& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

/// Whether segment a-b passes through the box (sampled finely: boxes are text lines).
bool crosses(float x0, float y0, float x1, float y1, float bx0, float by0, float bx1, float by1) {
    for (int i = 0; i <= 400; ++i) {
        const float t = float(i) / 400, x = x0 + t * (x1 - x0), y = y0 + t * (y1 - y0);
        if (x >= bx0 && x <= bx1 && y >= by0 && y <= by1) return true;
    }
    return false;
}

std::string scratch_folder(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("convscope_persp_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

}  // namespace

TEST_CASE("perspective: one parallelogram per cell of the grid read and of the output", "[scene][perspective]") {
    struct Case {
        std::string preset;
        TransposedView view;
        std::size_t input, output, cropped;
    };
    const Case c = GENERATE(Case{"arith-dilation", TransposedView::Scatter, 49, 9, 0},
                            Case{"arith-padding-strides", TransposedView::Scatter, 7 * 7, 9, 0},  // 5x5 padded by 1
                            Case{"arith-t-strides", TransposedView::Scatter, 4, 25, 0},
                            Case{"arith-t-strides", TransposedView::AsConvolution, 7 * 7, 25, 0},  // 3x3 zero-inserted, padded by 2
                            Case{"arith-t-padding-strides", TransposedView::Scatter, 9, 25, 7 * 7 - 25});
    INFO(c.preset);
    const Scene sc = perspective_frame(c.preset, 1, c.view);
    CHECK(count_role(sc, RectRole::InputCell) == c.input);
    CHECK(count_role(sc, RectRole::OutputCell) == c.output);
    CHECK(count_role(sc, RectRole::CroppedCell) == c.cropped);
    CHECK(sc.heatmaps.empty());  // the flat grids are not drawn under the planes
}

TEST_CASE("perspective: padding is dashed and keyed, inserted zeros hatched and keyed apart", "[scene][perspective]") {
    // 5x5 padded by 1: 24 padding cells, each a dashed outline (the key's swatch is a
    // legend). Frame 4 computes output (1, 1), whose footprint reads no padding.
    const Scene padded = perspective_frame("arith-padding-strides", 4);
    std::size_t dashed = 0;
    for (const ScenePolygon& p : padded.polygons) dashed += p.role == RectRole::Marker && p.dash > 0;
    CHECK(dashed == 24);
    CHECK(has_text(padded, "zero padding"));
    CHECK_FALSE(has_text(padded, "inserted zero"));
    // The transposed layer as a convolution: 2x2 with one zero inserted between cells (5
    // inserted zeros in the 3x3 core), three hatching strokes each, and three in the key.
    // Frame 0 computes output (0, 0), whose footprint covers no inserted zero.
    const Scene inserted = perspective_frame("arith-t-strides", 0, TransposedView::AsConvolution);
    std::size_t strokes = 0;
    for (const ScenePolygon& p : inserted.polygons) strokes += p.role == RectRole::Marker && !p.closed;
    CHECK(strokes == 5 * 3 + 3);
    CHECK(has_text(inserted, "inserted zero"));
    CHECK(has_text(inserted, "zero padding"));
}

TEST_CASE("perspective: the ring a transposed layer's padding crops is drawn in the scatter view and keyed", "[scene][perspective]") {
    const Scene sc = perspective_frame("arith-t-padding-strides", 0);
    // 3x3, k=3, s=2, p=1: the uncropped stamp covers rows and columns -1..5 of the 5x5 output.
    std::int64_t lo = 0, hi = 0;
    for (const ScenePolygon& p : sc.polygons)
        if (p.role == RectRole::CroppedCell) {
            lo = std::min({lo, p.row, p.col});
            hi = std::max({hi, p.row, p.col});
        }
    CHECK(lo == -1);
    CHECK(hi == 5);
    CHECK(has_text(sc, "cropped by padding"));
    CHECK(has_text(sc, "output 5x5"));
}

TEST_CASE("perspective: the footprint's outline is joined by its four corner lines to the output cell it makes", "[scene][perspective]") {
    // arith-dilation at cell granularity: frame 4 finishes output cell (1, 1).
    const Scene sc = perspective_frame("arith-dilation", 4);
    std::vector<const ScenePolygon*> windows, connectors;
    const ScenePolygon* cell = nullptr;
    for (const ScenePolygon& p : sc.polygons) {
        if (p.role == RectRole::Window) windows.push_back(&p);
        if (p.role == RectRole::Connector) connectors.push_back(&p);
        if (p.role == RectRole::OutputCell && p.row == 1 && p.col == 1) cell = &p;
    }
    REQUIRE(windows.size() == 2);
    REQUIRE(connectors.size() == 4);
    REQUIRE(cell != nullptr);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(connectors[i]->points[0] == windows[0]->points[i]);  // a corner of the footprint's outline
        CHECK(connectors[i]->points[1] == windows[1]->points[i]);  // the same corner of the cell made
        CHECK(windows[1]->points[i] == cell->points[i]);
    }
    // The footprint: 3x3 taps, dilation 2, so the outline spans 5x5 cells with holes in it.
    // Output (1, 1) reads input rows and columns 1, 3 and 5: two apart.
    std::size_t taps = 0;
    for (const ScenePolygon& p : sc.polygons)
        if (p.role == RectRole::Highlight) {
            ++taps;
            CHECK((p.row == 1 || p.row == 3 || p.row == 5));
            CHECK((p.col == 1 || p.col == 3 || p.col == 5));
            CHECK(std::string(p.state) == "current");
        }
    CHECK(taps == 9);
}

TEST_CASE("perspective: tap by tap, taps are current, summed or pending, and the cell partial", "[scene][perspective]") {
    // Output cell 0 of arith-no-padding, its fourth tap being added.
    const Scene sc = perspective_frame("arith-no-padding", 3, TransposedView::Scatter, Granularity::Tap);
    std::map<std::string, int> states;
    for (const ScenePolygon& p : sc.polygons)
        if (p.role == RectRole::Highlight) ++states[p.state];
    CHECK(states["current"] == 1);
    CHECK(states["summed"] + states["pending"] == 8);
    CHECK(states["pending"] > 0);
    std::string cell0;
    for (const ScenePolygon& p : sc.polygons)
        if (p.role == RectRole::OutputCell && p.row == 0 && p.col == 0) cell0 = p.state;
    CHECK(cell0 == "partial");
}

TEST_CASE("perspective: the one-line caption names the layer and both sizes", "[scene][perspective]") {
    CHECK(has_text(perspective_frame("arith-dilation", 0), "Conv2d k=3 d=2: 7x7 -> 3x3"));
    CHECK(has_text(perspective_frame("arith-t-strides", 0), "ConvTranspose2d k=3 s=2: 2x2 -> 5x5"));
    CHECK(has_text(perspective_frame("arith-padding-strides", 0), "Conv2d k=3 s=2 p=1: 5x5 -> 3x3"));
    CHECK(has_text(perspective_frame("arith-dilation", 0), "input 7x7"));
    CHECK(has_text(perspective_frame("arith-padding-strides", 0), "padded to 7x7"));
}

TEST_CASE("perspective: the transposed layer's grid is labelled only with what is true of it", "[scene][perspective]") {
    // Seen as a convolution, ConvTranspose2d(k, s, p) on n cells inserts s-1 zeros between
    // them and pads by k-1-p on each side (d=1, output_padding 0): 4 cells, s=1, k=3, p=2
    // is the input itself, and says nothing.
    const std::int64_t s = GENERATE(1, 2, 3), p = GENERATE(0, 1, 2, 3), k = GENERATE(1, 2, 3, 4), n = 4;
    const std::int64_t out = (n - 1) * s - 2 * p + k;
    if (out < 1 || p >= k + (n - 1) * s) return;  // not a layer PyTorch builds
    INFO("s=" << s << " p=" << p << " k=" << k);
    Layer L;
    L.kind = LayerKind::ConvTranspose2d;
    L.kernel = {k, k};
    L.stride = {s, s};
    L.padding.value = {p, p};
    const LayerGeometry geo = resolve_spatial(L, n, n);
    REQUIRE(geo.h().out == out);
    const std::int64_t pad = k - 1 - p, grid = (n - 1) * s + 1 + 2 * pad;
    const std::string size = std::to_string(grid) + "x" + std::to_string(grid);
    const std::string label = as_convolution_grid_label(geo);
    if (s > 1 && pad > 0) CHECK(label == "zeros inserted, padded: " + size);
    if (s > 1 && pad == 0) CHECK(label == "zeros inserted: " + size);
    if (s > 1 && pad < 0) CHECK(label == "zeros inserted, cropped: " + size);
    if (s == 1 && pad > 0) CHECK(label == "padded to " + size);
    if (s == 1 && pad == 0) CHECK(label.empty());
    if (s == 1 && pad < 0) CHECK(label == "cropped to " + size);
    CHECK((label.find("inserted") != std::string::npos) == (s > 1));
    CHECK((label.find("padded") != std::string::npos) == (pad > 0));
}

TEST_CASE("perspective: the guide's full-padding transposed figure says no zeros are inserted and none padded", "[scene][perspective]") {
    // ConvTranspose2d k=3 p=2 on 7x7: stride 1 inserts nothing, k-1-p = 0 pads nothing.
    const Scene sc = perspective_frame("arith-t-full-padding", 12, TransposedView::AsConvolution);
    CHECK(has_text(sc, "input 7x7"));
    for (const SceneText& t : sc.texts) {
        INFO(t.text);
        CHECK(t.text.find("inserted") == std::string::npos);
        CHECK(t.text.find("padd") == std::string::npos);
    }
}

TEST_CASE("perspective: the key and the figure's size are the same on every frame", "[scene][perspective]") {
    // The key names what any frame shows (not only this one), in the same places, and the
    // labels keep their places: an animation of the frames does not jump.
    const std::string preset = GENERATE(as<std::string>{}, "arith-padding-strides", "arith-no-padding", "arith-dilation", "arith-t-padding-strides");
    const TransposedView view = GENERATE(TransposedView::Scatter, TransposedView::AsConvolution);
    const Granularity granularity = GENERATE(Granularity::Cell, Granularity::Tap);
    INFO(preset);
    Session s = perspective_session(preset, view);
    s.granularity = granularity;
    const Animation a(s);
    SceneOptions o;
    o.style = SceneStyle::Perspective;
    o.fit_content = true;
    auto fixed_texts = [](const Scene& sc) {
        std::vector<std::string> v;
        for (const SceneText& t : sc.texts) v.push_back(t.text + "@" + std::to_string(int(t.x)) + "," + std::to_string(int(t.y)));
        return v;
    };
    const Scene first = animation_scene(a, 0, o);
    const std::size_t legend = count_role(first, RectRole::Legend);
    for (std::int64_t f = 1; f < a.frame_count(); ++f) {
        INFO("frame " << f);
        const Scene sc = animation_scene(a, f, o);
        CHECK(sc.width == first.width);
        CHECK(sc.height == first.height);
        CHECK(count_role(sc, RectRole::Legend) == legend);
        CHECK(fixed_texts(sc) == fixed_texts(first));
    }
}

TEST_CASE("perspective: cells are squares seen at three quarters, each bordered; taps are separate cells", "[scene][perspective]") {
    const Scene sc = perspective_frame("arith-no-padding", 0);
    const ScenePolygon* cell = nullptr;
    std::size_t tap_borders = 0;
    for (const ScenePolygon& p : sc.polygons) {
        if (p.role == RectRole::InputCell && !cell) cell = &p;
        if (p.role == RectRole::Highlight && p.stroke_width >= 1.5f && p.stroke.a == 1.0f) ++tap_borders;
    }
    REQUIRE(cell != nullptr);
    // Two edges from one corner: their lengths close (a square, foreshortened) and the
    // area they span at least 0.9 of a square on the longer one (not a flattened sliver).
    const float ux = cell->points[1][0] - cell->points[0][0], uy = cell->points[1][1] - cell->points[0][1];
    const float vx = cell->points[3][0] - cell->points[0][0], vy = cell->points[3][1] - cell->points[0][1];
    const float u = std::hypot(ux, uy), v = std::hypot(vx, vy);
    CHECK(std::min(u, v) / std::max(u, v) > 0.8f);
    CHECK(std::abs(ux * vy - uy * vx) > 0.75f * u * u);
    CHECK(tap_borders == 9);  // all nine taps of a 3x3 kernel, each with its own border
    std::size_t grid_lines = 0;
    for (const ScenePolygon& p : sc.polygons) grid_lines += !p.closed && p.role == RectRole::Other && p.count == 2;
    CHECK(grid_lines == 5 + 5 + 3 + 3);  // the borders of a 4x4 input and a 2x2 output
}

TEST_CASE("perspective: text is at least 1/40 of the figure's height, 4.5:1 on the background, and no line crosses it",
          "[scene][perspective]") {
    const std::string preset = GENERATE(as<std::string>{}, "arith-dilation", "arith-no-padding", "arith-padding-strides", "arith-t-strides",
                                        "arith-t-padding-strides", "arith-t-full-padding", "seed-dilated", "seed-upconv");
    const bool dark = GENERATE(false, true);
    INFO(preset << (dark ? " dark" : " light"));
    Session s = perspective_session(preset);
    s.dark = dark;
    const Animation a(s);
    SceneOptions o;
    o.style = SceneStyle::Perspective;
    o.fit_content = true;
    o.dark = dark;
    const Scene sc = animation_scene(a, a.frame_count() / 2, o);
    REQUIRE_FALSE(sc.texts.empty());
    for (const SceneText& t : sc.texts) {
        INFO(t.text);
        CHECK(t.size >= sc.height / 40);
        CHECK(t.color.a == 1.0f);
        CHECK(contrast_ratio(t.color, sc.background) >= 4.5);
        CHECK(t.x >= 0);
        CHECK(t.x + 0.6f * t.size * float(t.text.size()) <= sc.width);
        for (const ScenePolygon& p : sc.polygons)
            if (p.role == RectRole::Connector)
                CHECK_FALSE(crosses(p.points[0][0], p.points[0][1], p.points[1][0], p.points[1][1], t.x, t.y,
                                    t.x + 0.6f * t.size * float(t.text.size()), t.y + 1.2f * t.size));
    }
}

TEST_CASE("perspective: the style is saved in a session as \"perspective\" and read back, and the CLI takes it", "[scene][perspective][session]") {
    Session s = session_from_preset("arith-dilation");
    s.style = SceneStyle::Perspective;
    const nlohmann::json j = session_to_json(s);
    CHECK(j.at("style") == "perspective");
    CHECK(session_from_json(j).style == SceneStyle::Perspective);
    CHECK(parse_scene_style("perspective", "--style") == SceneStyle::Perspective);
    CHECK(std::string(scene_style_name(SceneStyle::Perspective)) == "perspective");
    const std::string dir = scratch_folder("cli");
    const test::RunResult r = test::run_cli("export --preset arith-dilation --style perspective --format svg --out " + dir + "/x.svg");
    CHECK(r.status == 0);
    CHECK(count_of(read_file(dir + "/x.svg", 1 << 24), "class=\"connector\"") == 4);
    fs::remove_all(dir);
}

TEST_CASE("perspective: every export format draws it; the SVG keeps the contract's classes", "[export][perspective]") {
    using namespace exporting;
    const std::string dir = scratch_folder("formats");
    const Session s = perspective_session("arith-dilation");
    ExportRequest req;
    req.style = SceneStyle::Perspective;
    req.format = Format::Svg;
    req.out = dir + "/x.svg";
    run_export(s, req);
    const std::string svg = read_file(req.out, 1 << 24);
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
    CHECK(count_of(svg, "<path ") == count_of(svg, "/>\n") - count_of(svg, "<rect ") - count_of(svg, "<line "));  // every path closed
    CHECK(count_of(svg, "<path class=\"cell input\" data-layer=\"0\" data-channel=\"0\" data-row=") == 49);
    CHECK(count_of(svg, "<path class=\"cell output\"") == 9);
    CHECK(count_of(svg, "<path class=\"tap\"") == 9);
    CHECK(count_of(svg, "class=\"connector\"") == 4);
    CHECK(count_of(svg, "data-state=\"done\"") + count_of(svg, "data-state=\"empty\"") == 9);
    req.format = Format::Png;
    req.out = dir + "/x.png";
    const ExportResult png = run_export(s, req);
    const std::string bytes = read_file(req.out, 1 << 24);
    REQUIRE(bytes.size() > 24);
    auto be32 = [&](std::size_t at) {
        return int((unsigned char)bytes[at] << 24 | (unsigned char)bytes[at + 1] << 16 | (unsigned char)bytes[at + 2] << 8 |
                   (unsigned char)bytes[at + 3]);
    };
    CHECK(be32(16) == png.width);
    CHECK(be32(20) == png.height);
    CHECK(png.width > 300);
    CHECK(png.height > 300);
    req.format = Format::Pdf;
    req.out = dir + "/x.pdf";
    run_export(s, req);
    CHECK(read_file(req.out, 1 << 24).rfind("%PDF", 0) == 0);
    req.format = Format::Gif;
    req.out = dir + "/x.gif";
    parse_step_range("0:2", req);
    CHECK(run_export(s, req).frames == 3);
    CHECK(read_file(req.out, 1 << 24).rfind("GIF89a", 0) == 0);
    req.format = Format::Mp4;
    req.out = dir + "/x.mp4";
    CHECK(run_export(s, req).frames == 3);
    CHECK(read_file(req.out, 1 << 24).find("ftyp") != std::string::npos);
    fs::remove_all(dir);
}
