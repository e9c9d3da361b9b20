// Figures a teacher puts on a slide (issue 19): the footprint drawn whole from a
// step's first frame, output cells done only when nothing more lands on them, the
// ring a transposed layer's padding crops, the default granularity, a representative
// still, hidden outputs, and text that reads on a projector.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unistd.h>
#include <map>
#include <string>

#include "app/export/exporter.hpp"
#include "app/export/figure.hpp"
#include "core/anim/session.hpp"
#include "core/base/files.hpp"
#include "core/scene/animation_scene.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::count_of;
using namespace convscope::exporting;

namespace {

/// The scene a single-frame export draws (fitted to its content, the preset's style).
Scene export_scene(const Session& s, std::int64_t frame, const ExportRequest& req = {}) {
    const Animation a(s);
    return animation_scene(a, frame, export_scene_options(s, req));
}

/// Taps on the input grid by state (the rects the SVG tags with data-state).
std::map<TapState, int> input_tap_states(const Scene& sc) {
    std::map<TapState, int> n;
    for (const SceneRect& r : sc.rects)
        if (r.state != TapState::None && sc.input_grid.contains(r.x + 0.5f, r.y + 0.5f)) ++n[r.state];
    return n;
}

std::map<CellState, int> output_states(const Scene& sc) {
    std::map<CellState, int> n;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.role == RectRole::OutputCell)
            for (CellState s : h.states) ++n[s];
    return n;
}

const SceneHeatmap& output_map(const Scene& sc) {
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.role == RectRole::OutputCell) return h;
    FAIL("no output grid");
    return sc.heatmaps.front();
}

/// WCAG contrast ratio of two opaque colours.
double contrast(const Color& a, const Color& b) {
    auto lin = [](float c) { return c <= 0.03928f ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    auto lum = [&](const Color& c) { return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b); };
    const double la = lum(a), lb = lum(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

/// What is under point (x, y): the topmost opaque rect or heat-map cell, else the background.
Color backdrop(const Scene& sc, float x, float y) {
    for (auto r = sc.rects.rbegin(); r != sc.rects.rend(); ++r)
        if (r->fill.a >= 0.99f && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h) return r->fill;
    for (auto h = sc.heatmaps.rbegin(); h != sc.heatmaps.rend(); ++h) {
        const GridPlacement g{h->x, h->y, h->cell, h->rows, h->cols};
        if (g.contains(x, y)) return h->cell_color(std::int64_t((y - h->y) / h->cell), std::int64_t((x - h->x) / h->cell));
    }
    return sc.background;
}

Color over(const Color& c, const Color& under) {
    return {c.r * c.a + under.r * (1 - c.a), c.g * c.a + under.g * (1 - c.a), c.b * c.a + under.b * (1 - c.a), 1};
}

}  // namespace

TEST_CASE("dilation: the whole footprint (k x k taps, holes between) is drawn from an output cell's first tap", "[figures][dilation]") {
    Session s = session_from_preset("arith-dilation");  // 7x7, k=3, d=2 -> 3x3
    s.granularity = Granularity::Tap;
    const Animation a(s);
    const std::int64_t taps = GENERATE(1, 5, 8);  // (the ninth finishes the cell)
    const Scene sc = animation_scene(a, taps - 1, SceneOptions{});  // output (0, 0), `taps` taps added
    auto n = input_tap_states(sc);
    CHECK(n[TapState::Current] == 1);
    CHECK(n[TapState::Summed] == taps - 1);
    CHECK(n[TapState::Pending] == 9 - taps);
    // In input coordinates, two apart: rows and columns 0, 2, 4.
    const std::string svg = render_svg(sc, 1);
    CHECK(count_of(svg, "class=\"tap\" data-state=") == 9);
    CHECK(count_of(svg, "data-state=\"pending\"") == std::size_t(9 - taps));
    for (int r : {0, 2, 4})
        for (int c : {0, 2, 4})
            CHECK(count_of(svg, "data-row=\"" + std::to_string(r) + "\" data-col=\"" + std::to_string(c) + "\" x=") >= 1);
}

TEST_CASE("padding taps carry input coordinates below 0 or past the size", "[figures][dilation]") {
    Session s = session_from_preset("arith-padding-strides");  // 5x5, k=3, s=2, p=1 -> 3x3
    s.granularity = Granularity::Cell;
    const Animation a(s);
    const std::string svg = render_svg(animation_scene(a, 0, SceneOptions{}), 1);  // output (0, 0) reads rows -1..1
    CHECK(count_of(svg, "data-state=\"current\" data-row=\"-1\"") == 3);
    CHECK(count_of(svg, "data-state=\"current\"") == 9);
}

TEST_CASE("scatter: an output cell is partial while contributions still land on it, done when the last has", "[figures][scatter]") {
    Session s = session_from_preset("arith-t-strides");  // 2x2, k=3, s=2 -> 5x5
    const Animation a(s);
    REQUIRE(a.timeline().granularity == Granularity::Cell);
    // After input (0, 0): its 3x3 stamp; the 2x2 corner only it reaches is done, the
    // five cells its neighbours reach too are partial.
    const Scene first = animation_scene(a, 0, SceneOptions{});
    auto n = output_states(first);
    CHECK(n[CellState::Done] == 4);
    CHECK(n[CellState::Partial] == 5);
    CHECK(n[CellState::Empty] == 16);
    // Cell (2, 1) gets taps from inputs (0, 0) and (1, 0): partial after steps 1 and 2, done after step 3.
    const std::size_t cell = 2 * 5 + 1;
    CHECK(output_map(animation_scene(a, 0, SceneOptions{})).states[cell] == CellState::Partial);
    CHECK(output_map(animation_scene(a, 1, SceneOptions{})).states[cell] == CellState::Partial);
    CHECK(output_map(animation_scene(a, 2, SceneOptions{})).states[cell] == CellState::Done);
    const std::string svg = render_svg(first, 1);
    CHECK(count_of(svg, "data-state=\"partial\"") == 5);
    CHECK(count_of(svg, "data-state=\"done\"") == 4);
    CHECK(count_of(svg, "data-state=\"empty\"") == 16);
    // A partial cell says how many of its taps have landed: the middle cell 1 of 4.
    bool one_of_four = false;
    for (const SceneText& t : first.texts) one_of_four |= t.text == "1/4";
    CHECK(one_of_four);
    // At the end every cell is done.
    CHECK(output_states(animation_scene(a, a.frame_count() - 1, SceneOptions{}))[CellState::Done] == 25);
}

TEST_CASE("scatter with padding draws the ring the padding crops, so an edge cell's stamp is whole", "[figures][scatter][crop]") {
    struct Case {
        const char* preset;
        std::size_t cropped;
        const char* crop_words;
    };
    // 3x3 -> 5x5, p=1: the uncropped 7x7 minus 5x5; with output_padding 1 (-> 6x6) the
    // bottom and right ring is the extra row and column, kept: 7x7 minus 6x6.
    // (With output_padding the ring is cropped at the top and left only: the words say so.)
    const Case c = GENERATE(Case{"arith-t-padding-strides", 24, "padding=1 crops the ring: the 7x7 stamped cells become the 5x5 output"},
                            Case{"arith-t-padding-strides-odd", 13,
                                 "padding=1 crops each side of the 7x7 stamped cells, output_padding=1 keeps the bottom and right: the 6x6 output"});
    Session s = session_from_preset(c.preset);
    const Animation a(s);
    CHECK(a.timeline().crop_act);
    CHECK(a.frame_count() == 9 + 1);  // nine stamps, then the crop
    const Scene first = animation_scene(a, 0, SceneOptions{});
    const std::string svg = render_svg(first, 1);
    CHECK(count_of(svg, "class=\"cell cropped\"") == c.cropped);
    CHECK(count_of(svg, "class=\"cell cropped\" data-row=\"-1\" data-col=\"-1\"") == 1);
    // Input (0, 0)'s stamp: its 9 taps drawn, 5 of them on the ring.
    int landed = 0;
    for (const SceneRect& r : first.rects) landed += r.role == RectRole::Highlight && r.x >= first.output_grid.x - first.output_grid.cell;
    CHECK(landed == 9);
    // The last act: no stamp, the arithmetic says what the crop does.
    const Scene last = animation_scene(a, a.frame_count() - 1, SceneOptions{});
    bool says = false;
    for (const SceneText& t : last.texts) says |= t.text == c.crop_words;
    CHECK(says);
}

TEST_CASE("default granularity: one output cell (one stamp) a step under 300 frames, else one row", "[figures][granularity]") {
    struct Case {
        const char* preset;
        Granularity granularity;
        std::int64_t frames;
    };
    const Case c = GENERATE(Case{"seed-dilated", Granularity::Row, 64}, Case{"seed-upconv", Granularity::Row, 32},
                            Case{"seed-combined", Granularity::Row, 64}, Case{"arith-t-strides", Granularity::Cell, 4},
                            Case{"arith-dilation", Granularity::Cell, 9}, Case{"arith-no-padding", Granularity::Cell, 4},
                            Case{"arith-padding-strides", Granularity::Cell, 9}, Case{"arith-full-padding", Granularity::Cell, 49},
                            Case{"arith-t-padding-strides", Granularity::Cell, 10});
    Session s = session_from_preset(c.preset);
    if (std::string(c.preset) == "seed-combined") s.layer_index = 1;
    const Animation a(s);
    CHECK(a.timeline().granularity == c.granularity);
    CHECK(a.frame_count() == c.frames);
    CHECK(parse_granularity("input-cell") == Granularity::Cell);
    CHECK(parse_granularity("output-cell") == Granularity::Cell);
    CHECK_THROWS_AS(parse_granularity("pixel"), UserError);
}

TEST_CASE("a still without --step shows an interior cell whose footprint lies inside the input, not the last step", "[figures][representative]") {
    const std::string name = GENERATE("arith-no-padding", "arith-arbitrary-padding", "arith-same-padding", "arith-full-padding",
                                      "arith-strides", "arith-padding-strides", "arith-padding-strides-odd", "arith-dilation",
                                      "seed-dilated", "reflect-padding", "same-even-k4");
    Session s = session_from_preset(name);
    const Animation a(s);
    const StepEngine& e = a.engine();
    const std::int64_t k = e.representative_step();
    CHECK(k < e.step_count() - 1);
    const GatherStep step = e.gather_step(k);
    for (const GatherTap& t : step.taps) CHECK_FALSE(t.in_padding);
    // Part-way: not the first step either, where there is room.
    if (e.step_count() > 2) CHECK(k > 0);
    // The frame drawn shows that step.
    const FramePosition p = a.timeline().at(a.representative_frame());
    const std::int64_t shown = p.shown_step >= 0 ? p.shown_step : p.extra_taps > 0 ? p.steps_done : p.steps_done - 1;
    CHECK(shown == k);
}

TEST_CASE("a scatter still shows an interior input cell whose stamp lands inside the output", "[figures][representative]") {
    const std::string name = GENERATE("arith-t-padding-strides", "arith-t-full-padding", "seed-upconv", "checkerboard-k3s2");
    const Animation a(session_from_preset(name));
    const StepEngine& e = a.engine();
    const std::int64_t k = e.representative_step();
    CHECK(k < e.step_count() - 1);
    for (const ScatterTap& t : e.scatter_step(k).taps) CHECK(t.inside);
}

TEST_CASE("an exported still without --step draws the representative step", "[figures][representative][export]") {
    Session s = session_from_preset("arith-dilation");  // 3x3 output: only (1, 1)... every footprint fits: the middle
    ExportRequest req;
    req.format = Format::Svg;
    req.out = (std::filesystem::temp_directory_path() / ("convscope_rep_" + std::to_string(::getpid()) + ".svg")).string();
    run_export(s, req);
    const std::string svg = read_file(req.out, 1 << 24);
    std::filesystem::remove(req.out);
    const Animation a(s);
    CHECK(svg == render_svg(animation_scene(a, a.representative_frame(), export_scene_options(s, req)), 1));
    CHECK(a.representative_frame() != a.frame_count() - 1);
}

TEST_CASE("hiding the output (--hide output) leaves the output cells empty; --hide shape leaves out its size too", "[figures][hide]") {
    Session s = session_from_preset("arith-t-strides");
    s.granularity = Granularity::Cell;
    SceneOptions opt;
    opt.style = SceneStyle::Values;
    hide_in_scene(opt, "output");
    const Animation a(s);
    const Scene sc = animation_scene(a, 2, opt);
    const SceneHeatmap& out = output_map(sc);
    for (CellStyle st : out.styles) CHECK(st == CellStyle::Empty);
    for (CellState st : out.states) CHECK(st == CellState::Empty);
    for (const SceneText& t : sc.texts) CHECK_FALSE(sc.output_grid.contains(t.x, t.y));
    SceneOptions shape;
    hide_in_scene(shape, "shape");
    CHECK(shape.hide_output);
    const Scene no_shape = animation_scene(a, 2, shape);
    for (const SceneHeatmap& h : no_shape.heatmaps) CHECK(h.role != RectRole::OutputCell);
    CHECK(no_shape.texts.front().text.find("5x5") == std::string::npos);
    CHECK_THROWS_AS(hide_in_scene(shape, "kernel"), UserError);
}

TEST_CASE("figures join the footprint to its cell with two lines, not a line per tap", "[figures][clutter]") {
    Session s = session_from_preset("arith-dilation");
    const Scene sc = export_scene(s, 4);
    CHECK(sc.lines.size() == 2);
}

TEST_CASE("every text of an exported figure is at least 1/40 of its height and contrasts 4.5:1 with what is under it",
          "[figures][type]") {
    const std::string name = GENERATE("arith-dilation", "arith-t-strides", "arith-t-padding-strides", "arith-no-padding",
                                      "arith-padding-strides");
    const Session s = session_from_preset(name);
    const Animation a(s);
    const Scene sc = export_scene(s, a.representative_frame());
    for (const SceneText& t : sc.texts) {
        INFO(name << ": '" << t.text << "' at " << t.size << " px, figure " << sc.height << " px high");
        CHECK(t.size >= sc.height / 40 - 0.01f);
        const float cx = t.centered ? t.x : t.x + 0.3f * t.size, cy = t.centered ? t.y : t.y + 0.5f * t.size;
        const Color under = backdrop(sc, cx, cy);
        CHECK(contrast(over(t.color, under), under) >= 4.5);
    }
}

TEST_CASE("the guide's and the teaching presets hold whole numbers a student can check by hand", "[figures][numbers]") {
    const std::string name = GENERATE("arith-no-padding", "arith-dilation", "arith-t-strides", "arith-t-padding-strides-odd",
                                      "checkerboard-k3s2", "reflect-padding", "same-even-k4");
    const LayerData d = make_layer_data(session_from_preset(name));
    for (double v : d.input) {
        CHECK(v == std::round(v));
        CHECK((v >= 0 && v <= 3));
    }
    for (double w : d.weights.weight) {
        CHECK(w == std::round(w));
        CHECK((w >= -1 && w <= 2));
    }
    // Not all alike: a figure of zeros teaches nothing.
    CHECK(*std::max_element(d.input.begin(), d.input.end()) > *std::min_element(d.input.begin(), d.input.end()));
}

TEST_CASE("the arithmetic line's product and running sum follow from the factors it shows", "[figures][numbers]") {
    Session s = session_from_preset("seed-dilated");  // two-decimal random values
    s.granularity = Granularity::Tap;
    const Animation a(s);
    const std::int64_t frame = GENERATE(0, 4, 27 * 70 + 13, 27 * 200 + 25);  // (tap 27 would finish the cell)
    const Scene sc = animation_scene(a, frame, SceneOptions{});
    std::string line;
    for (const SceneText& t : sc.texts)
        if (t.text.find("  ->  ") != std::string::npos) line = t.text;
    REQUIRE(!line.empty());
    // "... = V  x  w[c=0](ky, kx) = W  ->  P;  running sum S"
    const std::size_t x = line.find("  x  w");
    const double value = std::stod(line.substr(line.rfind(" = ", x) + 3));
    const std::size_t arrow = line.find("  ->  ");
    const double weight = std::stod(line.substr(line.rfind(" = ", arrow) + 3));
    const double product = std::stod(line.substr(arrow + 6));
    INFO(line);
    CHECK(std::fabs(value * weight - product) < 1e-9);
}

TEST_CASE("an 8x8 input at 1280x800 shows its numbers", "[figures][numbers]") {
    Session s = session_from_preset("arith-same-padding");
    s.input_shape = {1, 1, 8, 8};
    s.style = SceneStyle::Values;
    const Animation a(s);
    SceneOptions app;
    app.width = 1280;
    app.height = 800;
    const Scene sc = animation_scene(a, 0, app);
    std::size_t numbers = 0;
    for (const SceneText& t : sc.texts) numbers += t.centered && sc.input_grid.contains(t.x, t.y);
    INFO("cells of " << sc.input_grid.cell << " px");
    CHECK(sc.input_grid.cell >= 18);
    CHECK(numbers >= 8 * 8);  // every real cell (and the padding's zeros)
}

TEST_CASE("a 64x64 seed figure magnifies its step as the main view, the whole map a small locator with a callout",
          "[figures][seed][scene]") {
    // Exported with default options: the magnified region around the representative step
    // is the largest thing drawn; the map it comes from (the input for a gather, the
    // output for a scatter) is drawn whole and small, its rectangle exactly that region,
    // joined by two lines to the main view; no text under 1/40 of the figure's height.
    // (The seeds are drawn as the chain slide or one of its halves, with a locator under
    // each magnified part: tests/test_seed_slides.cpp.)
    const std::string name = GENERATE("wavenet");
    const SceneStyle style = GENERATE(SceneStyle::Schematic, SceneStyle::Values);
    INFO(name << (style == SceneStyle::Values ? " values" : " schematic"));
    Session s = session_from_preset(name);
    s.style = style;
    const Animation a(s);
    const Scene sc = export_scene(s, a.representative_frame());
    const bool scatter = a.engine_for(0).is_scatter();
    const GridPlacement& main = sc.inset_grid;
    const GridPlacement& locator = scatter ? sc.output_grid : sc.input_grid;
    REQUIRE(main.rows > 0);
    CHECK(main.cell >= 8 * locator.cell);
    CHECK(main.cell * float(main.rows) > locator.cell * float(locator.rows));
    CHECK(locator.rows >= 64);  // the whole map, not a part of it
    // The region's box on the locator: centred on the region, at least 18 px, in a thick line.
    const float cx = locator.x + (float(sc.inset_col0) + float(main.cols) / 2) * locator.cell;
    const float cy = locator.y + (float(sc.inset_row0) + float(main.rows) / 2) * locator.cell;
    const SceneRect* box = nullptr;
    for (const SceneRect& r : sc.rects)
        if (r.role == RectRole::Marker && r.fill.a == 0 && std::abs(r.x + r.w / 2 - cx) < 0.01f && std::abs(r.y + r.h / 2 - cy) < 0.01f &&
            r.w >= float(main.cols) * locator.cell && r.h >= float(main.rows) * locator.cell && r.stroke_width >= 3)
            box = &r;
    REQUIRE(box != nullptr);
    CHECK(box->w >= 18);
    CHECK(box->h >= 18);
    // The two lines from the main view's right edge to the box's left edge, crossing no word.
    std::size_t joining = 0;
    const float main_right = main.x + main.cell * float(main.cols) + 2;
    for (const SceneLine& l : sc.lines) {
        if (std::abs(l.x0 - main_right) > 0.01f || std::abs(l.x1 - box->x) > 0.01f) continue;
        ++joining;
        for (const SceneText& t : sc.texts) {
            if (t.centered) continue;  // a number in a cell
            const float tx0 = t.x, tx1 = t.x + 0.6f * t.size * float(t.text.size()), ty0 = t.y, ty1 = t.y + t.size;
            bool crosses = false;
            for (int k = 0; k <= 100; ++k) {
                const float f = float(k) / 100, x = l.x0 + f * (l.x1 - l.x0), y = l.y0 + f * (l.y1 - l.y0);
                crosses |= x > tx0 && x < tx1 && y > ty0 && y < ty1;
            }
            INFO("the line crosses '" << t.text << "'");
            CHECK_FALSE(crosses);
        }
    }
    CHECK(joining == 2);
    for (const SceneText& t : sc.texts) {
        INFO("'" << t.text << "' at " << t.size << " px, figure " << sc.height << " px high");
        CHECK(t.size >= sc.height / 40 - 0.01f);
        // Words read from the back row (a slide shows the figure at its height): 1/25 of it
        // in the seeds' default (schematic) style; the values style's colour bars are taller.
        if (!t.centered && style == SceneStyle::Schematic) CHECK(t.size >= sc.height / 25 - 0.01f);
        CHECK(t.x + 0.6f * t.size * float(t.text.size()) <= sc.width + 0.5f);
    }
}

TEST_CASE("a 64x64 seed's SVG holds the whole map as a locator beside the magnified view", "[figures][seed][export]") {
    Session s = session_from_preset("seed-dilated");
    ExportRequest req;
    req.format = Format::Svg;
    req.out = (std::filesystem::temp_directory_path() / ("convscope_seed_" + std::to_string(::getpid()) + ".svg")).string();
    run_export(s, req);
    const std::string svg = read_file(req.out, 1 << 24);
    std::filesystem::remove(req.out);
    // (Drawn as the chain slide's left half: the magnified span, the output cell it makes, a locator under each.)
    CHECK(count_of(svg, "<rect class=\"cell input\"") == 64 * 64);             // the input's locator, every cell
    CHECK(count_of(svg, "<rect class=\"cell output\" data-layer") == 64 * 64);  // the output's
    CHECK(count_of(svg, "<rect class=\"inset\"") == 5 * 5);                    // the main view: the 5x5 span
    CHECK(count_of(svg, "<rect class=\"tap\"") == 9);                          // its taps
    CHECK(count_of(svg, "<rect class=\"marker\"") >= 2);             // the callout's rectangle and the main view's frame
    CHECK(count_of(svg, "<line ") >= 2);                             // the callout's two lines
}

TEST_CASE("a 64x64 seed's still writes its kernel's weights, keys only what it draws, and titles only what is not a default",
          "[figures][seed][scene]") {
    const std::string name = GENERATE("seed-dilated", "seed-upconv", "seed-combined");
    INFO(name);
    const Session s = session_from_preset(name);
    const Animation a(s);
    const Scene sc = export_scene(s, a.representative_frame());
    std::size_t weights = 0;
    bool padding_key = false, partial_key = false, defaults = false;
    for (const SceneText& t : sc.texts) {
        weights += t.centered && sc.kernel_grid.contains(t.x, t.y);
        padding_key |= t.text == "zero padding";
        partial_key |= t.text.find("partial") != std::string::npos;
        defaults |= t.text.find(" s=1 ") != std::string::npos || t.text.find(" d=1,") != std::string::npos ||
                    t.text.find(" p=0 ") != std::string::npos;
    }
    CHECK(weights == std::size_t(sc.kernel_grid.rows * sc.kernel_grid.cols));
    CHECK_FALSE(defaults);
    // The main view is inside the input, no padding in it; a stamp of a stride-2 2x2 kernel
    // leaves no cell half summed.
    CHECK_FALSE(padding_key);
    CHECK_FALSE(partial_key);
}
