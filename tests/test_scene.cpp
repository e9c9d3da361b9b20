// The picture of a frame, without a window: what lights up, what is counted, what is said.
#include <catch2/catch.hpp>

#include <set>

#include "core/scene.hpp"
#include "core/session.hpp"
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
    const Scene sc = a.scene(k, SceneOptions{});
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
    const Scene sc = a.scene(a.frame_count() - 1, SceneOptions{});
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

TEST_CASE("the caption and legend say what is drawn", "[scene]") {
    const Session s = session_from_preset("seed-upconv");
    const Animation a(s);
    const Scene sc = a.scene(0, SceneOptions{});
    auto has = [&](const std::string& text) {
        return std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return t.text == text; });
    };
    CHECK(has("ConvTranspose2d k=2 s=2 p=0 d=1, 32x32 -> 64x64"));
    CHECK(has("input value"));
    CHECK(has("output value"));
    CHECK(has("input cell (0, 31) stamps value x kernel onto the output"));  // frame 0 = the first row
}

TEST_CASE("tap by tap, the arithmetic line shows the value, the weight, the product and the running sum", "[scene]") {
    Session s = session_from_preset("arith-no-padding");  // 4x4 -> 2x2, 9 taps per cell
    s.granularity = Granularity::Tap;
    const Animation a(s);
    const GatherStep step = a.engine().gather_step(0);
    const Scene sc = a.scene(4, SceneOptions{});  // the fifth tap of the first cell
    const GatherTap& t = step.taps[4];
    auto text_with = [&](const std::string& part) {
        return std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& x) { return x.text.find(part) != std::string::npos; });
    };
    CHECK(text_with("output (0, 0), tap 5/9: x(1, 1) = "));
    CHECK(text_with("x  w(1, 1) = "));
    CHECK(t.grid_y == 1);
    CHECK(t.grid_x == 1);
}
