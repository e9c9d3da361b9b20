// The picture of a frame, without a window: what lights up, what is counted, what is said.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/scene/animation_scene.hpp"
#include "core/io/pycode.hpp"
#include "core/scene/scene.hpp"
#include "core/scene/scene_pipeline.hpp"
#include "core/scene/scene_theme.hpp"
#include "core/anim/session.hpp"
#include "helpers.hpp"

using namespace convscope;

namespace {

/// Grid cells outlined as active taps on a grid placement.
std::set<std::pair<std::int64_t, std::int64_t>> highlighted(const Scene& sc, const Scene::GridPlacement& g, const Color& color) {
    std::set<std::pair<std::int64_t, std::int64_t>> cells;
    for (const SceneRect& r : sc.rects)
        if (r.role == RectRole::Highlight && r.stroke.r == color.r && r.stroke.g == color.g && r.x >= g.x &&
            r.x < g.x + g.cell * float(g.cols) && r.y >= g.y && r.y < g.y + g.cell * float(g.rows))
            cells.insert({std::int64_t((r.y - g.y) / g.cell + 0.5f), std::int64_t((r.x - g.x) / g.cell + 0.5f)});
    return cells;
}

const Color kTap{1.0f, 0.45f, 0.0f, 1};

}  // namespace

TEST_CASE("at step k of the seed convolution the taps light up d cells apart around output k", "[scene]") {
    Session s = session_from_preset("seed-dilated");
    s.granularity = Granularity::Cell;
    const Animation a(s);
    // Frame k shows output cell k finished; (row 5, column 7) reads the padded grid at
    // (5 + 2*i, 7 + 2*j), i, j in 0..2 (padding 2 shifts the grid by 2, dilation 2 spreads the taps).
    const std::int64_t k = 5 * 64 + 7;
    const Scene sc = animation_scene(a, k, SceneOptions{});
    std::set<std::pair<std::int64_t, std::int64_t>> expected;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) expected.insert({5 + 2 * i, 7 + 2 * j});
    CHECK(highlighted(sc, sc.input_grid, kTap) == expected);
    CHECK(highlighted(sc, sc.kernel_grid, kTap).size() == 9);
    // The output shows cells 0..k computed and the rest empty.
    const SceneHeatmap& out = sc.heatmaps[2];
    REQUIRE(out.role == RectRole::OutputCell);
    CHECK(out.styles[std::size_t(k)] == CellStyle::Value);
    CHECK(out.styles[std::size_t(k + 1)] == CellStyle::Empty);
}

TEST_CASE("the scatter view counts the taps landed on each output cell: the checkerboard of k3 s2", "[scene][scatter]") {
    Session s = session_from_preset("checkerboard-k3s2");  // 4x4 -> 9x9
    s.granularity = Granularity::Cell;
    const Animation a(s);
    const Scene sc = animation_scene(a, a.frame_count() - 1, SceneOptions{});
    // Per axis, output o of a k=3, s=2 transposed conv receives 2 taps when o is even
    // and inside, 1 when odd, and 1 on the two borders: counts multiply across axes.
    auto taps = [](std::int64_t o) { return (o % 2 == 0 && o > 0 && o < 8) ? 2 : 1; };
    std::size_t checked = 0;
    const Scene::GridPlacement& g = sc.output_grid;
    for (const SceneText& t : sc.texts) {
        if (t.text.empty() || t.text[0] != 'x' || t.x < g.x || t.y < g.y) continue;
        const std::int64_t r = std::int64_t((t.y - g.y) / g.cell), c = std::int64_t((t.x - g.x) / g.cell);
        CHECK(t.text == "x" + std::to_string(taps(r) * taps(c)));
        ++checked;
    }
    CHECK(checked == 81);
}

TEST_CASE("tap by tap, the taps of the input cell being stamped are counted as they land", "[scene][scatter]") {
    // arith-t-strides: ConvTranspose2d(1, 1, 3, stride=2) on 2x2 -> 5x5. Input cell (0, 1)
    // is step 1; its taps land on rows 0-2, columns 2-4, where column 2 already holds
    // the taps of input cell (0, 0).
    Session s = session_from_preset("arith-t-strides");
    const Animation a(s);
    const StepEngine& e = a.engine();
    REQUIRE(e.is_scatter());
    FramePosition f;
    f.steps_done = 1;
    f.extra_taps = 4;  // taps (0,0) (0,1) (0,2) (1,0) of input cell (0, 1): outputs (0,2) (0,3) (0,4) (1,2)
    const Scene sc = build_scene(e, f, SceneOptions{});
    std::map<std::pair<std::int64_t, std::int64_t>, std::string> counts;
    const Scene::GridPlacement& g = sc.output_grid;
    for (const SceneText& t : sc.texts)
        if (g.contains(t.x, t.y)) counts[{std::int64_t((t.y - g.y) / g.cell), std::int64_t((t.x - g.x) / g.cell)}] = t.text;
    // A cell whose every tap has landed says how many ("x2"); one still receiving taps
    // how many of how many ("1/4").
    CHECK(counts[{0, 2}] == "x2");  // from input (0, 0) and now from (0, 1): done
    CHECK(counts[{0, 3}] == "x1");  // the tap just stamped
    CHECK(counts[{1, 2}] == "x2");
    CHECK(counts[{1, 3}] == "0/1");  // not reached yet
    CHECK(counts[{2, 2}] == "1/4");  // input (0, 0)'s tap; (0, 1), (1, 0) and (1, 1) to come
    std::size_t reached = 0;
    for (const auto& kv : counts) reached += kv.second.rfind("0/", 0) != 0;
    CHECK(reached == 9 + 2);  // input (0, 0)'s 3x3, plus (0, 3) and (0, 4)
}

TEST_CASE("the caption and legend say what is drawn", "[scene]") {
    const Session s = session_from_preset("seed-upconv");
    const Animation a(s);
    const Scene sc = animation_scene(a, 0, SceneOptions{});
    auto has = [&](const std::string& text) {
        return std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return t.text == text; });
    };
    CHECK(has("ConvTranspose2d k=2 s=2 p=0 d=1, 32x32 -> 64x64"));
    CHECK(has("input value"));
    CHECK(has("output value (final range)"));
    // Frame 0 is the first row; its middle cell is shown, not the last (the right edge).
    CHECK(has("input cell (0, 16) stamps value x kernel onto the output, for each of its 16 channels"));
}

TEST_CASE("tap by tap, the arithmetic line shows the value, the weight, the product and the running sum", "[scene]") {
    Session s = session_from_preset("arith-no-padding");  // 4x4 -> 2x2, 9 taps per cell
    s.granularity = Granularity::Tap;
    const Animation a(s);
    const GatherStep step = a.engine().gather_step(0);
    const Scene sc = animation_scene(a, 4, SceneOptions{});  // the fifth tap of the first cell
    const GatherTap& t = step.taps[4];
    auto text_with = [&](const std::string& part) {
        return std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& x) { return x.text.find(part) != std::string::npos; });
    };
    CHECK(text_with("output (0, 0), tap 5/9: x(1, 1) = "));
    CHECK(text_with("x  w(1, 1) = "));
    CHECK(t.grid_y == 1);
    CHECK(t.grid_x == 1);
}

namespace {

/// Cells filled with the tap colour (the schematic style's active taps) on a grid.
std::set<std::pair<std::int64_t, std::int64_t>> filled(const Scene& sc, const Scene::GridPlacement& g) {
    std::set<std::pair<std::int64_t, std::int64_t>> cells;
    for (const SceneRect& r : sc.rects)
        if (r.role == RectRole::Highlight && r.fill.a > 0 && r.fill.r == kTap.r && r.fill.g == kTap.g && g.contains(r.x + 0.5f, r.y + 0.5f))
            cells.insert({std::int64_t((r.y - g.y) / g.cell + 0.5f), std::int64_t((r.x - g.x) / g.cell + 0.5f)});
    return cells;
}

const SceneHeatmap& map_of(const Scene& sc, RectRole role) {
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.role == role) return h;
    FAIL("no heat map of that role");
    return sc.heatmaps.front();
}

SceneOptions schematic() {
    SceneOptions o;
    o.style = SceneStyle::Schematic;
    o.width = 1200;
    o.height = 900;
    return o;
}

}  // namespace

TEST_CASE("the schematic style paints uniform planes, fills the taps and draws lines to the cell computed", "[scene][schematic]") {
    Session s = session_from_preset("seed-dilated");
    CHECK(s.style == SceneStyle::Schematic);  // the seeds open as slides
    s.granularity = Granularity::Cell;
    const Animation a(s);
    const std::int64_t k = 20 * 64 + 30;
    const Scene sc = animation_scene(a, k, schematic());
    const SceneHeatmap& in = map_of(sc, RectRole::InputCell);
    CHECK(in.flat);
    // Uniform: two real cells of different values have one colour.
    const Color c0 = in.cell_color(10, 10), c1 = in.cell_color(10, 11);
    CHECK(in.values[10 * 68 + 10] != in.values[10 * 68 + 11]);
    CHECK((c0.r == c1.r && c0.g == c1.g && c0.b == c1.b));
    // Padding is its own kind of cell: blank (8 px cells are too small for dashes; the
    // inset draws them).
    CHECK(in.styles[0] == CellStyle::Padding);
    const Color pad = in.cell_color(0, 0);
    CHECK((pad.r == sc.background.r && pad.g == sc.background.g && pad.b == sc.background.b));
    std::set<std::pair<std::int64_t, std::int64_t>> taps;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) taps.insert({20 + 2 * i, 30 + 2 * j});
    CHECK(filled(sc, sc.input_grid) == taps);
    CHECK(filled(sc, sc.kernel_grid).size() == 9);
    // The footprint joined to output (20, 30) by two lines, to the cell's left-hand corners
    // (not a line per tap).
    const float ox = sc.output_grid.x + 30 * sc.output_grid.cell, top = sc.output_grid.y + 20 * sc.output_grid.cell;
    const auto to_cell = std::count_if(sc.lines.begin(), sc.lines.end(), [&](const SceneLine& l) {
        return l.x1 == ox && (l.y1 == top || l.y1 == top + sc.output_grid.cell);
    });
    CHECK(to_cell == 2);
    CHECK(sc.lines.size() == 2);
    // No numbers unless asked.
    CHECK(std::none_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return t.centered && sc.input_grid.contains(t.x, t.y); }));
}

TEST_CASE("a flat heat map is drawn as blocks of equal colour that cover each cell once", "[scene][schematic]") {
    Session s = session_from_preset("seed-dilated");
    s.granularity = Granularity::Cell;
    const Animation a(s);
    const std::int64_t step = GENERATE(0, 20 * 64 + 30, 64 * 64 - 1);
    const Scene sc = animation_scene(a, step, schematic());
    for (const SceneHeatmap& h : sc.heatmaps) {
        if (!h.flat) continue;
        std::vector<int> covered(std::size_t(h.rows * h.cols), 0);
        for (const CellBlock& b : equal_colour_blocks(h)) {
            REQUIRE(b.first_row < b.end_row);
            REQUIRE(b.first_col < b.end_col);
            for (std::int64_t r = b.first_row; r < b.end_row; ++r)
                for (std::int64_t c = b.first_col; c < b.end_col; ++c) {
                    ++covered[std::size_t(r * h.cols + c)];
                    const Color cell = h.cell_color(r, c);
                    REQUIRE((cell.r == b.color.r && cell.g == b.color.g && cell.b == b.color.b && cell.a == b.color.a));
                }
        }
        CHECK(std::all_of(covered.begin(), covered.end(), [](int n) { return n == 1; }));
    }
    // The padded input is its blank frame around one blue plane: 5 blocks (top, left,
    // plane, right, bottom), not 68 rows of strips.
    const SceneHeatmap& in = map_of(sc, RectRole::InputCell);
    CHECK(equal_colour_blocks(in).size() == 5);
}

TEST_CASE("inserted zeros are hatched and padding dashed: told apart from real cells and from each other", "[scene][schematic]") {
    Session s = session_from_preset("arith-t-padding-strides");  // 3x3, k3 s2 p1 -> 5x5
    s.view = TransposedView::AsConvolution;
    const Animation a(s);
    const Scene sc = animation_scene(a, a.frame_count() - 1, schematic());
    const SceneHeatmap& in = map_of(sc, RectRole::InputCell);
    // Grid: pad 1, then x0 0 x1 0 x2, then pad 1: 7x7.
    REQUIRE(in.rows == 7);
    CHECK(in.styles[0] == CellStyle::Padding);
    CHECK(in.styles[1 * 7 + 1] == CellStyle::Value);
    CHECK(in.styles[1 * 7 + 2] == CellStyle::InsertedZero);
    CHECK(in.styles[2 * 7 + 2] == CellStyle::InsertedZero);
    std::size_t dashed = 0, hatch = 0;
    for (const SceneRect& r : sc.rects)
        if (r.role == RectRole::Marker && r.dash > 0 && sc.input_grid.contains(r.x, r.y)) ++dashed;
    for (const SceneLine& l : sc.lines)
        if (sc.input_grid.contains(std::min(l.x0, l.x1), std::min(l.y0, l.y1)) && l.x0 != l.x1 && l.y0 != l.y1 &&
            std::fabs((l.x1 - l.x0) + (l.y1 - l.y0)) < 1e-3f)
            ++hatch;  // 45-degree strokes
    CHECK(dashed == 7 * 7 - 5 * 5);
    CHECK(hatch == 3 * (5 * 5 - 3 * 3));
}

TEST_CASE("the 64x64 seeds get a magnified inset around the active taps; small maps do not", "[scene][inset]") {
    const std::string preset = GENERATE("seed-dilated", "seed-upconv", "arith-dilation");
    Session s = session_from_preset(preset);
    const Animation a(s);
    const Scene sc = animation_scene(a, 10, schematic());
    const bool small = sc.input_grid.cell < kInsetBelowCell;
    CHECK(small == (preset != "arith-dilation"));
    CHECK((sc.inset_grid.rows > 0) == small);
    if (!small) return;
    CHECK(sc.inset_grid.cell >= 20);
    // The inset copies the cells it magnifies and fills the same taps.
    const SceneHeatmap& inset = map_of(sc, RectRole::Inset);
    const GridPlacement& g = a.engine().is_scatter() ? sc.output_grid : sc.input_grid;
    std::set<std::pair<std::int64_t, std::int64_t>> main_taps, inset_taps;
    for (auto [r, c] : filled(sc, g))
        if (r >= sc.inset_row0 && c >= sc.inset_col0 && r < sc.inset_row0 + inset.rows && c < sc.inset_col0 + inset.cols) main_taps.insert({r, c});
    for (auto [r, c] : filled(sc, sc.inset_grid)) inset_taps.insert({r + sc.inset_row0, c + sc.inset_col0});
    CHECK(!main_taps.empty());
    CHECK(main_taps == inset_taps);
}

TEST_CASE("row granularity shows the kernel crossing the interior: the middle cell of each row", "[scene][timeline]") {
    Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    REQUIRE(a.timeline().granularity == Granularity::Row);
    const std::int64_t row = GENERATE(0, 10, 63);
    const FramePosition p = a.timeline().at(row);
    CHECK(p.steps_done == (row + 1) * 64);
    CHECK(p.shown_step == row * 64 + 32);
    const Scene sc = animation_scene(a, row, SceneOptions{});
    std::set<std::pair<std::int64_t, std::int64_t>> expected;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) expected.insert({row + 2 * i, 32 + 2 * j});
    CHECK(highlighted(sc, sc.input_grid, kTap) == expected);
}

TEST_CASE("one colour scale for the whole animation: a computed cell keeps its colour to the last frame", "[scene][colour]") {
    const std::string preset = GENERATE("seed-dilated", "seed-upconv", "arith-padding-strides");
    const Session s = session_from_preset(preset);
    const Animation a(s);
    const Scene first = animation_scene(a, a.frame_count() / 2, SceneOptions{}), last = animation_scene(a, a.frame_count() - 1, SceneOptions{});
    const SceneHeatmap &o0 = map_of(first, RectRole::OutputCell), &o1 = map_of(last, RectRole::OutputCell);
    CHECK(o0.lo == o1.lo);
    CHECK(o0.hi == o1.hi);
    const auto range = a.output_range(a.engine().out_channel());
    CHECK(o1.lo == float(range[0]));
    CHECK(o1.hi == float(range[1]));
    std::size_t compared = 0;
    for (std::size_t i = 0; i < o0.styles.size(); ++i)
        if (o0.styles[i] == CellStyle::Value && (preset != "seed-upconv")) {
            const Color c0 = o0.cell_color(std::int64_t(i) / o0.cols, std::int64_t(i) % o0.cols);
            const Color c1 = o1.cell_color(std::int64_t(i) / o1.cols, std::int64_t(i) % o1.cols);
            CHECK((c0.r == c1.r && c0.g == c1.g && c0.b == c1.b));
            ++compared;
        }
    CHECK((preset == "seed-upconv" || compared > 0));
}

TEST_CASE("at tap granularity the drawn channel is the one the arithmetic quotes", "[scene][captions]") {
    Session s = session_from_preset("seed-dilated");
    s.granularity = Granularity::Tap;
    const Animation a(s);
    // Frame 41: cell 1, tap 15 of 27 = input channel 1, kernel tap (1, 2).
    const GatherTap t = a.engine().gather_step(1).taps[14];
    REQUIRE(t.in_channel == 1);
    const Scene sc = animation_scene(a, 41, SceneOptions{});
    const SceneHeatmap& in = map_of(sc, RectRole::InputCell);
    const SceneHeatmap& k = map_of(sc, RectRole::KernelCell);
    CHECK(in.channel == 1);
    CHECK(k.values[std::size_t(t.ky * 3 + t.kx)] == float(t.weight));
    auto text_with = [&](const std::string& part) {
        return std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& x) { return x.text.find(part) != std::string::npos; });
    };
    CHECK(text_with("w[c=1](1, 2) = " + number_text(t.weight)));
    CHECK(text_with("input, padded (channel 1 of 3)"));
}

TEST_CASE("the as-a-convolution view draws the kernel flipped, as it is used", "[scene][captions]") {
    Session s = session_from_preset("arith-t-no-padding");
    s.view = TransposedView::AsConvolution;
    const Animation a(s);
    const Scene sc = animation_scene(a, 0, SceneOptions{});
    const SceneHeatmap& k = map_of(sc, RectRole::KernelCell);
    const auto& w = a.engine().weights().weight;
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) CHECK(k.values[std::size_t(y * 3 + x)] == float(w(0, 0, 2 - y, 2 - x)));
    CHECK(std::any_of(sc.texts.begin(), sc.texts.end(), [](const SceneText& t) { return t.text.find("flipped") != std::string::npos; }));
}

TEST_CASE("padding='same' with an even kernel says how it splits", "[scene][captions]") {
    const Layer L = parse_pytorch_code("nn.Conv2d(1, 1, 4, padding='same')").front();
    CHECK(layer_caption(L, resolve_spatial(L, 8, 8)) == "Conv2d k=4 s=1 p=same: 1 top/left, 2 bottom/right d=1, 8x8 -> 8x8");
    const Layer odd = parse_pytorch_code("nn.Conv2d(1, 1, 3, padding='same')").front();
    CHECK(layer_caption(odd, resolve_spatial(odd, 8, 8)) == "Conv2d k=3 s=1 p=same (1) d=1, 8x8 -> 8x8");
}

TEST_CASE("numbers are drawn from 18 px cells, at least 11 px, in black or white against the cell", "[scene][numbers]") {
    const float width = GENERATE(300.0f, 420.0f, 1200.0f);
    Session s = session_from_preset("arith-full-padding");  // 9x9 padded grid, 7x7 output
    const Animation a(s);
    SceneOptions o;
    o.width = width;
    o.height = 900;
    const Scene sc = animation_scene(a, a.frame_count() - 1, o);
    std::size_t numbers = 0;
    for (const SceneText& t : sc.texts)
        if (t.centered && (sc.input_grid.contains(t.x, t.y) || sc.output_grid.contains(t.x, t.y))) {
            CHECK(t.size >= 11);
            CHECK(0.6f * t.size * float(t.text.size()) <= sc.input_grid.cell);  // fits its cell
            CHECK((t.color.r == t.color.g && (t.color.r == 0 || t.color.r == 1)));
            ++numbers;
        }
    CHECK((numbers > 0) == (sc.input_grid.cell >= 18));
}

TEST_CASE("the all-ones kernel sums the window", "[scene][patterns]") {
    Session s = session_from_preset("arith-no-padding");
    s.kernel = KernelPattern::Ones;
    s.input = InputPattern::Ones;
    const LayerData d = make_layer_data(s);
    for (double w : d.weights.weight) CHECK(w == 1.0);
    CHECK(kernel_pattern_name(KernelPattern::Ones) == std::string("ones"));
}

TEST_CASE("the pipeline scene draws every map of the stack, 64x64 -> 64x64 -> 128x128 for seed-combined", "[scene][pipeline]") {
    Session s = session_from_preset("seed-combined");
    s.layer_index = 1;
    const Animation a(s);
    const PipelineData data(s);
    const Scene mid = build_pipeline_scene(s, data, a, 5, schematic());
    REQUIRE(mid.stack_maps.size() == 3);
    CHECK(mid.stack_maps[0].rows == 64);
    CHECK(mid.stack_maps[1].rows == 64);
    CHECK(mid.stack_maps[2].rows == 128);
    CHECK(mid.stack_maps[2].cols == 128);
    CHECK(mid.stack_maps[0].cell == mid.stack_maps[2].cell);  // one scale: the up-convolution doubles the map
    // The animated layer is layer 1: its input is map 1, its output map 2, partly computed.
    CHECK(mid.input_grid.x == mid.stack_maps[1].x);
    CHECK(mid.output_grid.x == mid.stack_maps[2].x);
    const SceneHeatmap& out = mid.heatmaps[2];
    CHECK(std::count(out.styles.begin(), out.styles.end(), CellStyle::Empty) > 0);
    CHECK(std::count(out.styles.begin(), out.styles.end(), CellStyle::Value) > 0);
    // The map after the animated layer is the layer's output; the maps before are whole.
    CHECK(std::count(mid.heatmaps[1].styles.begin(), mid.heatmaps[1].styles.end(), CellStyle::Value) == 64 * 64);
    const Scene end = build_pipeline_scene(s, data, a, a.frame_count() - 1, schematic());
    CHECK(std::count(end.heatmaps[2].styles.begin(), end.heatmaps[2].styles.end(), CellStyle::Value) == 128 * 128);
    // The animated layer's result in the pipeline is the stack's own output.
    CHECK(end.heatmaps[2].values[1000] == float(data.maps[2](0, 0, 1000 / 128, 1000 % 128)));
}

TEST_CASE("on a 700 px canvas the pipeline fits its width and draws the map after the animated layer", "[scene][pipeline]") {
    const std::string preset = GENERATE(std::string("seed-combined"), std::string("gridding"));
    CAPTURE(preset);
    Session s = session_from_preset(preset);
    s.layer_index = 0;  // every map after the first layer's output comes after the animated layer
    const Animation a(s);
    const PipelineData data(s);
    SceneOptions o = schematic();
    o.width = 700;
    o.height = 520;
    const Scene sc = build_pipeline_scene(s, data, a, 0, o);
    for (const SceneText& t : sc.texts) {
        CAPTURE(t.text);
        const float w = 0.6f * t.size * float(t.text.size());
        CHECK((t.centered ? t.x + w / 2 : t.x + w) <= o.width);
        CHECK((t.centered ? t.x - w / 2 : t.x) >= 0);
    }
    for (const SceneRect& r : sc.rects) CHECK(r.x + r.w <= o.width);
    for (const SceneHeatmap& h : sc.heatmaps) CHECK(h.x + float(h.cols) * h.cell <= o.width);
    // The last map is drawn with its final values, faded (not computed yet in this
    // animation), at frame 0 of an earlier layer's animation, and large enough to see.
    const SceneHeatmap& last = sc.heatmaps[sc.stack_maps.size() - 1];
    REQUIRE(s.layers.size() >= 2);
    CHECK(std::count(last.styles.begin(), last.styles.end(), CellStyle::FadedValue) == std::int64_t(last.styles.size()));
    CHECK(float(last.cols) * last.cell >= 60);
}

TEST_CASE("a pipeline cut to its content names every map at the same size, the last one too, and widens to hold it", "[scene][pipeline][deck]") {
    Session s = session_from_preset("wavenet");  // four 64x64 maps after the input: the last one's map is narrower than its name
    s.layer_index = 3;
    const Animation a(s);
    const PipelineData data(s);
    SceneOptions o = schematic();
    o.fit_content = true;
    const Scene sc = build_pipeline_scene(s, data, a, 5, o);
    float name_size = 0;
    std::size_t names = 0;
    for (const SceneText& t : sc.texts) {
        if (t.text.find(" output 1x64x64") == std::string::npos && t.text != "input 1x64x64") continue;
        CAPTURE(t.text);
        if (names++ == 0) name_size = t.size;
        CHECK(t.size == name_size);
        CHECK(t.x + 0.6f * t.size * float(t.text.size()) <= sc.width);
    }
    CHECK(names == 5);
    CHECK(name_size == 14);
}

namespace {

bool has_text_starting(const Scene& sc, const std::string& start) {
    return std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return t.text.rfind(start, 0) == 0; });
}

/// Centred texts (cell numbers) inside grid g.
std::size_t numbers_in(const Scene& sc, const GridPlacement& g) {
    return std::size_t(std::count_if(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return t.centered && g.contains(t.x, t.y); }));
}

}  // namespace

TEST_CASE("the values style says in words when its cells are too small for their numbers, and where to read them", "[scene][numbers]") {
    const Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    SceneOptions app;  // a tall canvas, 64x64 maps of a few pixels a cell: room for an inset of 34 px cells
    app.height = 1100;
    const Scene sc = animation_scene(a, 70, app);
    REQUIRE(sc.input_grid.cell < 20);
    CHECK(numbers_in(sc, sc.input_grid) == 0);
    const std::string cell_px = std::to_string(int(std::floor(sc.input_grid.cell)));
    CHECK(has_text_starting(sc, "values hidden: cells are " + cell_px + " px, numbers need 18 px; zoom in (wheel) or read the magnified inset"));
    // The inset writes the values the grid cannot: every real cell of the footprint's region.
    REQUIRE(sc.inset_grid.rows > 0);
    CHECK(sc.inset_grid.cell >= 20);
    const SceneHeatmap& magnified = map_of(sc, RectRole::Inset);
    const auto real = std::count_if(magnified.styles.begin(), magnified.styles.end(),
                                    [](CellStyle c) { return c == CellStyle::Value || c == CellStyle::FadedValue; });
    CHECK(real > 0);
    CHECK(numbers_in(sc, sc.inset_grid) == std::size_t(real));  // every real cell, not the zero padding
    // A lower canvas leaves the inset too small for some numbers: the note then does not point at it.
    app.height = 560;
    const Scene low = animation_scene(a, 70, app);
    REQUIRE(low.inset_grid.rows > 0);
    if (numbers_in(low, low.inset_grid) < std::size_t(real)) {
        CHECK(has_text_starting(low, "values hidden: cells are "));
        CHECK(!has_text_starting(low, "values hidden: cells are " + std::to_string(int(std::floor(low.input_grid.cell))) +
                                          " px, numbers need 18 px; zoom in (wheel) or read"));
    }
    // An export has no wheel: it points at the inset alone.
    SceneOptions figure;
    figure.fit_content = true;
    figure.chain_halves = false;  // (the seed's slide is the chain's left half, whose numbers are all written)
    CHECK(has_text_starting(animation_scene(a, 70, figure), "values hidden: cells are "));
    CHECK(!has_text_starting(animation_scene(a, 70, figure), "values hidden: cells are " + cell_px + " px, numbers need 18 px; zoom"));
    // Maps whose cells carry their numbers, and the schematic style (no numbers asked), say nothing.
    const Animation small(session_from_preset("arith-no-padding"));
    CHECK(!has_text_starting(animation_scene(small, 0, app), "values hidden"));
    CHECK(!has_text_starting(animation_scene(a, 70, schematic()), "values hidden"));
}

TEST_CASE("tap by tap, the tap being added is ringed and those already summed are paler, on the grids, the kernel and in the inset",
          "[scene][taps]") {
    Session s = session_from_preset("seed-dilated");
    s.granularity = Granularity::Tap;
    const Animation a(s);
    const Color summed = SceneTheme::make(false).summed;
    const GatherStep step = a.engine().gather_step(0);
    REQUIRE(step.taps[4].in_channel == step.taps[0].in_channel);  // the first five taps read one channel
    const GatherTap& now = step.taps[4];
    for (SceneStyle style : {SceneStyle::Values, SceneStyle::Schematic}) {
        CAPTURE(scene_style_name(style));
        SceneOptions o = schematic();
        o.style = style;
        const Scene sc = animation_scene(a, 4, o);  // cell 0, tap 5: four taps summed, the fifth being added
        const auto taps_in = [&](const GridPlacement& g, const Color& c) {
            std::set<std::pair<std::int64_t, std::int64_t>> cells;
            for (const SceneRect& r : sc.rects) {
                const Color& paint = style == SceneStyle::Schematic ? r.fill : r.stroke;  // filled, or outlined
                // (the taps to come are a faint fill of the tap colour: not counted)
                if (r.role == RectRole::Highlight && paint.a > 0.2f && paint.r == c.r && paint.g == c.g && g.contains(r.x + 0.5f, r.y + 0.5f))
                    cells.insert({std::int64_t((r.y - g.y) / g.cell + 0.5f), std::int64_t((r.x - g.x) / g.cell + 0.5f)});
            }
            return cells;
        };
        CHECK(taps_in(sc.input_grid, kTap) == std::set<std::pair<std::int64_t, std::int64_t>>{{now.grid_y, now.grid_x}});
        CHECK(taps_in(sc.input_grid, summed).size() == 4);
        CHECK(taps_in(sc.kernel_grid, kTap) == std::set<std::pair<std::int64_t, std::int64_t>>{{now.ky, now.kx}});
        CHECK(taps_in(sc.kernel_grid, summed).size() == 4);
        // The magnified inset marks the same tap as being added.
        REQUIRE(sc.inset_grid.rows > 0);
        CHECK(taps_in(sc.inset_grid, kTap) ==
              std::set<std::pair<std::int64_t, std::int64_t>>{{now.grid_y - sc.inset_row0, now.grid_x - sc.inset_col0}});
        // A ring around it on the input (at least 14 px across), and the legend names both.
        const float cx = sc.input_grid.x + (float(now.grid_x) + 0.5f) * sc.input_grid.cell;
        const float cy = sc.input_grid.y + (float(now.grid_y) + 0.5f) * sc.input_grid.cell;
        CHECK(std::any_of(sc.rects.begin(), sc.rects.end(), [&](const SceneRect& r) {
            return r.role == RectRole::Marker && r.w >= 14 && std::fabs(r.x + r.w / 2 - cx) < 0.01f && std::fabs(r.y + r.h / 2 - cy) < 0.01f;
        }));
        CHECK(has_text_starting(sc, "tap being added"));
        CHECK(has_text_starting(sc, "taps summed"));
    }
    // At cell granularity every tap of the cell is added at once: all in the tap colour.
    s.granularity = Granularity::Cell;
    const Scene cell = animation_scene(Animation(s), 0, SceneOptions{});
    CHECK(highlighted(cell, cell.input_grid, kTap).size() == 9);
    CHECK(highlighted(cell, cell.input_grid, summed).empty());
    CHECK(!has_text_starting(cell, "tap being added"));
}

TEST_CASE("the pipeline of seed-combined magnifies the dilated taps of its animated layer under its small maps", "[scene][pipeline]") {
    Session s = session_from_preset("seed-combined");
    s.layer_index = 0;
    s.granularity = Granularity::Cell;
    const Animation a(s);
    const PipelineData data(s);
    SceneOptions o = schematic();
    o.width = 900;
    o.height = 600;
    const std::int64_t k = 10 * 64 + 20;  // output (10, 20): reads input (10 + 2i - 2, 20 + 2j - 2)
    const Scene sc = build_pipeline_scene(s, data, a, k, o);
    REQUIRE(sc.input_grid.cell < kInsetBelowCell);
    // On the map itself: the nine taps two apart, and the footprint shaded between them.
    std::set<std::pair<std::int64_t, std::int64_t>> expected, in_inset;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) expected.insert({8 + 2 * i, 18 + 2 * j});
    CHECK(filled(sc, sc.input_grid) == expected);
    CHECK(std::count_if(sc.rects.begin(), sc.rects.end(),
                        [&](const SceneRect& r) { return r.role == RectRole::Window && sc.input_grid.contains(r.x + 0.1f, r.y + 0.1f); }) == 1);
    // Under the maps: the inset, large cells, the same taps with the gaps between them.
    REQUIRE(sc.inset_grid.rows > 0);
    CHECK(sc.inset_grid.cell >= 20);
    CHECK(sc.inset_grid.y > sc.input_grid.y + float(sc.input_grid.rows) * sc.input_grid.cell);
    const SceneHeatmap& inset = map_of(sc, RectRole::Inset);
    for (auto [r, c] : filled(sc, sc.inset_grid)) in_inset.insert({r + inset.row0 , c + inset.col0});
    CHECK(in_inset == expected);
    CHECK(has_text_starting(sc, "magnified: input rows"));
    // Zoomed in (no inset asked for), none.
    o.inset = false;
    CHECK(build_pipeline_scene(s, data, a, k, o).inset_grid.rows == 0);
}

TEST_CASE("the pipeline's arrows say what each layer is, a kernel size only where there is a window", "[scene][pipeline]") {
    Session s = session_from_preset("seed-dilated");
    s.layers = parse_pytorch_code(
        "nn.Sequential(nn.Conv2d(1, 4, 3, padding=2, dilation=2), nn.ReLU(), nn.MaxPool2d(2), "
        "nn.Upsample(scale_factor=2, mode='nearest'), nn.PixelShuffle(2), nn.LeakyReLU(0.2))");
    s.input_shape = {1, 1, 16, 16};
    s.layer_index = 0;
    const Animation a(s);
    const PipelineData data(s);
    SceneOptions o = schematic();
    o.width = 3000;  // gaps wide enough for every label on one line
    const Scene sc = build_pipeline_scene(s, data, a, 0, o);
    for (const char* label : {"Conv2d k3 p2 d2", "ReLU", "MaxPool2d k2 s2", "Upsample x2 nearest", "PixelShuffle r2", "LeakyReLU 0.2"}) {
        CAPTURE(label);
        CHECK(std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return t.text == label; }));
    }
    CHECK(!has_text_starting(sc, "Upsample k"));
    CHECK(!has_text_starting(sc, "ReLU k"));
}

TEST_CASE("the backward pass names its grids grad_output and grad_input in labels, legends, keys and the inset", "[scene][backward]") {
    Session s = session_from_preset("seed-dilated");
    s.pass = Pass::Backward;
    const Animation a(s);
    REQUIRE(a.backward());
    for (SceneStyle style : {SceneStyle::Values, SceneStyle::Schematic}) {
        CAPTURE(scene_style_name(style));
        SceneOptions o;
        o.style = style;
        const Scene sc = animation_scene(a, 30, o);  // (its last frame is the crop: no step, no inset)
        CHECK(has_text_starting(sc, "grad_output (dL/dy)"));
        CHECK(has_text_starting(sc, "grad_input (dL/dx) (channel 0 of 3)"));
        CHECK(has_text_starting(sc, "magnified: grad_"));
        if (style == SceneStyle::Values) {
            CHECK(has_text_starting(sc, "grad_output value"));
            CHECK(has_text_starting(sc, "grad_input value (final range)"));
        } else {
            CHECK((has_text_starting(sc, "grad_input cell computed") || has_text_starting(sc, "grad_output cell stamped")));
        }
        for (const SceneText& t : sc.texts) {
            CAPTURE(t.text);
            CHECK(t.text.rfind("input", 0) != 0);
            CHECK(t.text.rfind("output", 0) != 0);
            CHECK(t.text.find("magnified: input") == std::string::npos);
        }
    }
}

TEST_CASE("a PixelShuffle animated in the pipeline draws the channel each step reads: 0, 1 along an even row, 2, 3 along an odd one", "[scene][pipeline]") {
    Session s = session_from_preset("subpixel");  // Conv2d(1, 4, 3, padding=1), PixelShuffle(2): 4x4 -> 8x8
    s.layer_index = 1;
    const Animation a(s);
    const PipelineData data(s);
    SceneOptions o = schematic();
    o.fit_content = true;
    // One output cell a step: cell (r, c) reads channel (r mod 2) * 2 + c mod 2.
    const auto channel_drawn = [&](std::int64_t step) {
        const Scene sc = build_pipeline_scene(s, data, a, step, o);
        for (int ch = 0; ch < 4; ++ch)
            if (has_text_starting(sc, "channel " + std::to_string(ch) + " of 4")) return ch;
        return -1;
    };
    CHECK(channel_drawn(8 * 4 + 4) == 0);   // output (4, 4)
    CHECK(channel_drawn(8 * 4 + 5) == 1);   // output (4, 5)
    CHECK(channel_drawn(8 * 5 + 4) == 2);   // output (5, 4)
    CHECK(channel_drawn(8 * 5 + 5) == 3);   // output (5, 5)
}
