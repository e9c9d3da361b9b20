// What the canvas adds to a frame (app/logic/canvas_view.cpp, no window): zoom about the
// mouse, pan, following the step, the caption kept in place, and the receptive field
// drawn on the grid it reads.
#include <catch2/catch.hpp>

#include <algorithm>

#include "app/logic/canvas_view.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/anim/session.hpp"

using namespace convscope;
using namespace convscope::gui;

TEST_CASE("zooming with the wheel keeps the scene point under the mouse where it is", "[canvas]") {
    CanvasView v;
    const float mx = GENERATE(0.0f, 137.0f, 512.5f), my = GENERATE(0.0f, 80.0f, 300.0f);
    const float factor = GENERATE(1.25f, 2.0f, 7.0f);
    const float sx = v.from_x(mx), sy = v.from_y(my);
    zoom_about(v, factor, mx, my);
    CHECK(v.zoom == Approx(factor));
    CHECK(v.to_x(sx) == Approx(mx).margin(1e-3));
    CHECK(v.to_y(sy) == Approx(my).margin(1e-3));
    // Zooming back out past the whole picture returns to it exactly.
    zoom_about(v, 1.0f / (factor * 4), mx, my);
    CHECK(v.zoom == 1);
    CHECK(v.pan_x == 0);
    CHECK(v.pan_y == 0);
}

TEST_CASE("the zoom stops at forty times", "[canvas]") {
    CanvasView v;
    for (int i = 0; i < 100; ++i) zoom_about(v, 1.25f, 10, 10);
    CHECK(v.zoom == CanvasView::kMaxZoom);
    reset_view(v);
    CHECK_FALSE(v.zoomed());
}

TEST_CASE("following the step pans just enough to bring the step's cells into view", "[canvas]") {
    CanvasView v;
    v.zoom = 4;
    // A 20x20 scene box at (500, 300) is drawn at (2000, 1200): off an 800x600 canvas.
    keep_in_view(v, 500, 300, 520, 320, 800, 600, 24);
    CHECK(v.to_x(500) >= 24);
    CHECK(v.to_x(520) <= 800 - 24);
    CHECK(v.to_x(520) == Approx(800 - 24));  // just enough: it enters at the edge it came from
    CHECK(v.to_y(320) == Approx(600 - 24));
    // Already in view: nothing moves.
    const float pan_x = v.pan_x, pan_y = v.pan_y;
    keep_in_view(v, 505, 305, 515, 315, 800, 600, 24);
    CHECK(v.pan_x == pan_x);
    CHECK(v.pan_y == pan_y);
    // Larger than the canvas: centred.
    keep_in_view(v, 0, 0, 400, 10, 800, 600, 24);
    CHECK(v.to_x(200) == Approx(400));
}

TEST_CASE("a drag cannot pan the zoomed picture out of sight", "[canvas]") {
    CanvasView v;
    v.zoom = 3;
    v.pan_x = -100000;
    v.pan_y = 100000;
    clamp_pan(v, 1000, 500, 800, 600);
    CHECK(v.to_x(1000) >= 400);  // at least half the canvas still shows the picture
    CHECK(v.to_y(0) <= 300);
}

TEST_CASE("while the grids zoom the caption and the arithmetic stay put", "[canvas]") {
    const Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    Scene sc = animation_scene(a, 10, SceneOptions{});
    const std::size_t texts = sc.texts.size();
    const std::vector<SceneText> header = take_header(sc);
    REQUIRE(header.size() >= 2);
    CHECK(header[0].text.find("Conv2d") != std::string::npos);
    CHECK(sc.texts.size() + header.size() == texts);
    for (const SceneText& t : header) CHECK(t.y + t.size <= header_bottom(sc));
    CanvasView v;
    zoom_about(v, 3, 200, 200);
    const Scene z = transform(sc, v);
    CHECK(z.input_grid.cell == Approx(3 * sc.input_grid.cell));
    CHECK(z.heatmaps[0].cell == Approx(3 * sc.heatmaps[0].cell));
    CHECK(v.from_x(z.output_grid.x) == Approx(sc.output_grid.x));
}

TEST_CASE("zoomed in far enough the cells show their values, only those on the canvas", "[canvas]") {
    Session s = session_from_preset("seed-dilated");
    s.style = SceneStyle::Values;
    const Animation a(s);
    SceneOptions opt;
    opt.width = 800;
    opt.height = 500;
    const Scene sc = animation_scene(a, 10, opt);
    REQUIRE(sc.input_grid.cell < 10);
    CanvasView v;
    zoom_about(v, 40 / sc.input_grid.cell, sc.input_grid.x, sc.input_grid.y);  // 40 px cells: room for "-0.12" at 11 px and more
    Scene z = transform(sc, v);
    const std::size_t before = z.texts.size();
    add_zoomed_values(z, sc, 800, 500);
    const std::size_t added = z.texts.size() - before;
    CHECK(added > 0);
    const float cell = z.input_grid.cell;
    CHECK(added <= std::size_t((800 / cell + 2) * (500 / cell + 2)));  // a canvas full, not the 68x68 grid
    // Not zoomed: no values are added to cells too small for them.
    Scene plain = sc;
    add_zoomed_values(plain, sc, 800, 500);
    CHECK(plain.texts.size() == sc.texts.size());
}

TEST_CASE("the gather grid puts input cell i at i + padding", "[canvas]") {
    const Session s = session_from_preset("seed-dilated");  // padding 2
    const Animation a(s);
    const GridAxes axes = grid_axes(a.engine());
    REQUIRE(axes.rows.size() == 64);
    for (std::size_t i = 0; i < 64; ++i) {
        CHECK(axes.rows[i] == std::int64_t(i) + 2);
        CHECK(axes.cols[i] == std::int64_t(i) + 2);
    }
}

TEST_CASE("the field of a cell after three dilation-2 layers is drawn on the input with its 120 holes", "[canvas][rf]") {
    Session s = session_from_preset("gridding");
    const std::int64_t last = std::int64_t(s.layers.size()) - 1;
    const RfResult field = compute_receptive_field(session_rf_stack(s, last, 16, 16));
    const GriddingHoles g = gridding_holes(field);
    REQUIRE(g.box_cells == 13 * 13);
    Scene overlay;
    const Scene::GridPlacement grid{0, 0, 20, 32, 32};
    FieldStyle style;
    const std::int64_t holes = add_field_overlay(overlay, grid, identity_axes(32, 32), field, 0, style);
    CHECK(holes == g.holes);
    CHECK(holes == 169 - 49);
    std::int64_t red = 0;
    for (const SceneRect& r : overlay.rects)
        if (r.fill.r == style.hole.r && r.fill.a == style.hole.a) ++red;
    CHECK(red == holes);
    // 20 px cells: the 49 cells read carry their path counts (twice: halo and text).
    CHECK(overlay.texts.size() == 2 * 49);
    // The box outline sits on the 13x13 box around input (16, 16).
    const SceneRect& box = overlay.rects.back();
    CHECK(box.x == 20 * (16 - 6));
    CHECK(box.w == 20 * 13);
    // Without holes asked for, none are drawn, and small cells get no numbers.
    style.holes = false;
    const Scene::GridPlacement small{0, 0, 4, 32, 32};
    Scene plain;
    add_field_overlay(plain, small, identity_axes(32, 32), field, 0, style);
    CHECK(plain.texts.empty());
    for (const SceneRect& r : plain.rects) CHECK(r.fill.r != style.hole.r);
}

TEST_CASE("a field is not drawn on a grid of another size", "[canvas][rf]") {
    Session s = session_from_preset("gridding");
    const RfResult field = compute_receptive_field(session_rf_stack(s, 0, 3, 3));
    Scene overlay;
    CHECK(add_field_overlay(overlay, Scene::GridPlacement{0, 0, 10, 40, 40}, identity_axes(40, 40), field, 0, FieldStyle{}) == 0);
    CHECK(overlay.rects.empty());
}

TEST_CASE("following the step looks at the taps when the whole step does not fit", "[canvas]") {
    Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    const Scene sc = animation_scene(a, 20, SceneOptions{});
    std::array<float, 4> all{}, taps{};
    REQUIRE(step_focus(sc, 1e9f, 1e9f, all));
    REQUIRE(step_focus(sc, 50, 50, taps));
    CHECK(taps[2] - taps[0] < all[2] - all[0]);
    // The taps lie on the input grid.
    const Scene::GridPlacement& g = sc.input_grid;
    CHECK(taps[0] >= g.x - 1);
    CHECK(taps[2] <= g.x + g.cell * float(g.cols) + 1);
}

TEST_CASE("on cells of a few pixels the inset shows the hovered cell's receptive field, its counts and holes readable", "[canvas][rf]") {
    const Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    const Scene sc = animation_scene(a, 70, SceneOptions{});  // 64x64 maps on a 1200 x 640 canvas: an inset of the taps
    REQUIRE(sc.input_grid.cell < 12);
    REQUIRE(sc.inset_grid.rows > 0);
    const RfResult field = compute_receptive_field(session_rf_stack(s, 0, 10, 20));  // 9 cells two apart in a 5x5 box
    Scene overlay;
    REQUIRE(add_field_inset(overlay, sc, sc.heatmaps.front(), sc.input_grid, grid_axes(a.engine()), field, 0, FieldStyle{},
                            "receptive field of output (10, 20) on the input, magnified"));
    // First a blank square over the taps' inset (and a band over its title where the
    // title is wider), then the 7x7 cells around the 5x5 box, large.
    REQUIRE(overlay.heatmaps.size() >= 2);
    REQUIRE(overlay.heatmaps.size() <= 3);
    const SceneHeatmap& blank = overlay.heatmaps[0];
    CHECK(blank.x <= sc.inset_grid.x);
    CHECK(blank.x + blank.cell >= sc.inset_grid.x + sc.inset_grid.cell * float(sc.inset_grid.cols));
    const SceneHeatmap& inset = overlay.heatmaps.back();
    CHECK(inset.role == RectRole::Inset);
    CHECK(inset.rows == 7);
    CHECK(inset.cols == 7);
    CHECK(inset.cell >= 20);  // big enough for the counts (the canvas's height below it limits it)
    CHECK(inset.row0 == 10 - 2 - 1);  // input rows 7..13: the box 8..12 (padding 2) and a cell of context
    CHECK(inset.col0 == 20 - 2 - 1);
    // Path counts on the 9 cells read (halo and text each), the 16 holes of the box in red.
    const Scene::GridPlacement g{inset.x, inset.y, inset.cell, inset.rows, inset.cols};
    std::size_t counts = 0, holes = 0;
    for (const SceneText& t : overlay.texts)
        if (t.centered && g.contains(t.x, t.y)) ++counts;
    for (const SceneRect& r : overlay.rects)
        if (r.fill.r == FieldStyle{}.hole.r && r.fill.a == FieldStyle{}.hole.a && g.contains(r.x + 1, r.y + 1)) ++holes;
    CHECK(counts == 2 * 9);
    CHECK(holes == 25 - 9);
    CHECK(std::any_of(overlay.texts.begin(), overlay.texts.end(),
                      [](const SceneText& t) { return t.text == "receptive field of output (10, 20) on the input, magnified"; }));
    // A scene without an inset (cells big enough to read the field on the grid) gets none.
    const Animation small(session_from_preset("arith-dilation"));
    const Scene big = animation_scene(small, 0, SceneOptions{});
    REQUIRE(big.inset_grid.rows == 0);
    Scene none;
    CHECK(!add_field_inset(none, big, big.heatmaps.front(), big.input_grid, grid_axes(small.engine()),
                           compute_receptive_field(session_rf_stack(session_from_preset("arith-dilation"), 0, 0, 0)), 0, FieldStyle{}, "t"));
    CHECK(none.heatmaps.empty());
}

TEST_CASE("a larger text size magnifies every element of the canvas scene, the perspective style's planes too", "[canvas][text_size]") {
    Session s = session_from_preset("arith-no-padding");
    s.style = SceneStyle::Perspective;
    const Animation a(s);
    SceneOptions opt;
    opt.style = SceneStyle::Perspective;
    const Scene plain = animation_scene(a, 1, opt);
    REQUIRE_FALSE(plain.polygons.empty());
    const Scene doubled = magnified_scene(plain, 2.0f);
    REQUIRE(doubled.polygons.size() == plain.polygons.size());
    for (std::size_t i = 0; i < plain.polygons.size(); ++i)
        for (int k = 0; k < plain.polygons[i].count; ++k) {
            CHECK(doubled.polygons[i].points[std::size_t(k)][0] == Approx(2 * plain.polygons[i].points[std::size_t(k)][0]));
            CHECK(doubled.polygons[i].points[std::size_t(k)][1] == Approx(2 * plain.polygons[i].points[std::size_t(k)][1]));
        }
    CHECK(doubled.width == Approx(2 * plain.width));
    CHECK(doubled.texts.front().size == Approx(2 * plain.texts.front().size));
}
