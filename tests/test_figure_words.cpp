// A figure's words grown to a projector's size make the room they need (figure_words):
// small scenes built by hand, each with the crowding a window's figure has on a screen.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "core/lecture/figure_words.hpp"

using namespace convscope;

namespace {

const Color kInk{0, 0, 0, 1};

/// A key entry as the figures draw one: a square swatch, its name 5 px right of it.
void add_key_entry(Scene& sc, float x, float y, float size, const std::string& name) {
    sc.rects.push_back({x, y, size, size, Color{0.2f, 0.5f, 0.9f, 1}, kInk, 1, RectRole::Legend});
    sc.texts.push_back({x + size + 5, y, size, kInk, name, false});
}

SceneHeatmap grid(float x, float y, float cell, std::int64_t rows, std::int64_t cols) {
    SceneHeatmap h;
    h.role = RectRole::InputCell;
    h.x = x, h.y = y, h.cell = cell, h.rows = rows, h.cols = cols;
    h.values.assign(std::size_t(rows * cols), 0.5f);
    h.styles.assign(std::size_t(rows * cols), CellStyle::Value);
    return h;
}

/// A map of one row of two `cell` px cells holding `left` and `right`, centred across
/// their cells at height `y`, in 8 px type.
Scene two_numbers(float cell, float y, const std::string& left, const std::string& right) {
    Scene sc;
    sc.heatmaps.push_back(grid(0, 0, cell, 1, 2));
    sc.texts.push_back({cell / 2, y, 8, kInk, left, true});
    sc.texts.push_back({1.5f * cell, y, 8, kInk, right, true});
    return sc;
}

const SceneText& text_named(const Scene& sc, const std::string& name) {
    const auto t = std::find_if(sc.texts.begin(), sc.texts.end(), [&](const SceneText& s) { return s.text == name; });
    REQUIRE(t != sc.texts.end());
    return *t;
}

bool boxes_overlap(const SceneText& a, const SceneText& b) {
    const auto p = text_box(a), q = text_box(b);
    return std::min(p[2], q[2]) - std::max(p[0], q[0]) > 1 && std::min(p[3], q[3]) - std::max(p[1], q[1]) > 1;
}

}  // namespace

TEST_CASE("a key whose entries run into each other once grown flows again at the new size, each swatch beside its name, wrapping where the room ends",
          "[lecture][figure_words]") {
    Scene sc;
    const std::string names[] = {"input", "zero padding", "active tap", "skipped by dilation", "output done"};
    float x = 10;
    for (const std::string& name : names) {
        add_key_entry(sc, x, 100, 10, name);
        x += 10 + 12 + 0.6f * 10 * float(name.size());  // spaced for 10 px, as key_entry does
    }
    sc.texts.push_back({10, 130, 10, kInk, "kernel", false});  // the caption under the key
    const WordGrowth growth{24, 100, 0, 500};
    CHECK(grow_figure_words(sc, growth) == 0);
    float lowest_key = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        const SceneRect& swatch = sc.rects[i];
        const SceneText& name = text_named(sc, names[i]);
        CHECK(name.size == 24);
        CHECK(swatch.w == Approx(24));  // the swatch grows with its name
        CHECK(swatch.h == Approx(24));
        CHECK(name.y == Approx(swatch.y));
        CHECK(name.x - (swatch.x + swatch.w) == Approx(12));  // 5 px at 10 px type, grown alike
        CHECK(text_box(name)[2] <= 500);
        lowest_key = std::max(lowest_key, text_box(name)[3]);
    }
    // Five names at 24 px do not fit 500 px on one row: the key takes a second row, and
    // the caption under it moves under that.
    CHECK(sc.rects[4].y > sc.rects[0].y);
    CHECK(text_named(sc, "kernel").y >= lowest_key);
}

TEST_CASE("a caption wider than the gap to the next one on its row breaks before its bracket, and what is under it moves down as far",
          "[lecture][figure_words]") {
    Scene sc;
    sc.heatmaps.push_back(grid(0, 0, 10, 3, 3));
    sc.heatmaps.push_back(grid(160, 0, 10, 3, 3));
    sc.texts.push_back({0, 34, 10, kInk, "input (channel 0)", false});
    sc.texts.push_back({160, 34, 10, kInk, "output (channel 0)", false});
    sc.heatmaps.push_back(grid(0, 60, 10, 3, 3));  // the kernel, under the captions
    sc.kernel_grid = {0, 60, 10, 3, 3};
    CHECK(grow_figure_words(sc, WordGrowth{20, 100, 0, 400}) == 0);
    const SceneText& first = text_named(sc, "input");
    const SceneText& second = text_named(sc, "(channel 0)");
    CHECK(first.y == 34);
    CHECK(second.x == 0);
    CHECK(second.y == Approx(34 + 1.2f * 20));
    CHECK(text_box(first)[2] < text_named(sc, "output (channel 0)").x);
    // The maps above the captions stay; the kernel and its place move under the lines.
    CHECK(sc.heatmaps[0].y == 0);
    CHECK(sc.heatmaps[1].y == 0);
    CHECK(sc.heatmaps[2].y >= text_box(second)[3]);
    CHECK(sc.kernel_grid.y == sc.heatmaps[2].y);
}

TEST_CASE("words beside a tall map make room in their own column: no cut tears the map", "[lecture][figure_words]") {
    Scene sc;
    sc.heatmaps.push_back(grid(0, 0, 20, 10, 5));  // 100 x 200
    const std::string lines[] = {"layer 0: 3x3", "layer 1: 7x7", "layer 2: 15x15", "layer 3: 31x31"};
    for (int i = 0; i < 4; ++i) sc.texts.push_back({120, 10 + 12 * float(i), 10, kInk, lines[i], false});
    CHECK(grow_figure_words(sc, WordGrowth{24, 100, 0, 600}) == 0);
    CHECK(sc.heatmaps[0].y == 0);
    CHECK(sc.heatmaps[0].x == 0);
    for (int i = 0; i + 1 < 4; ++i) {
        CHECK(text_named(sc, lines[i]).size == 24);
        CHECK(text_named(sc, lines[i + 1]).y >= text_box(text_named(sc, lines[i]))[3]);  // in order, apart
    }
}

TEST_CASE("a cell's number grows only as far as its cell holds it, stays centred on it, and the numbers of a map are one size",
          "[lecture][figure_words]") {
    Scene sc = two_numbers(40, 20, "-0.26", "2");
    CHECK(grow_figure_words(sc, WordGrowth{40, 100, 0, 600}) == 0);
    const SceneText& wide = text_named(sc, "-0.26");
    CHECK(wide.size > 8);
    CHECK(wide.size < 32);
    CHECK(text_box(wide)[2] - text_box(wide)[0] <= 40);
    CHECK(wide.x == 20);
    CHECK(wide.y == 20);
    // One digit would fit at 32 px (0.8 of the cell); it stays the size of its map's widest number.
    CHECK(text_named(sc, "2").size == wide.size);
}

TEST_CASE("a question and its answer laid out together: the answer's extra words make room on the question's page too, so the reveal moves no map",
          "[lecture][figure_words]") {
    Scene question;
    question.heatmaps.push_back(grid(0, 0, 10, 3, 3));
    question.texts.push_back({0, 34, 10, kInk, "input", false});
    question.heatmaps.push_back(grid(0, 50, 10, 3, 3));
    Scene answer = question;
    answer.texts.push_back({0, 44, 10, kInk, "output done: 9 of 9", false});  // only the answer has it
    Scene asked = question, answered = answer;
    CHECK(grow_figure_words(asked, WordGrowth{20, 100, 0, 400}, &answer) == 0);
    CHECK(grow_figure_words(answered, WordGrowth{20, 100, 0, 400}, &question) == 0);
    // The other page's words are not drawn on this one.
    CHECK(asked.texts.size() == 1);
    CHECK(answered.texts.size() == 2);
    CHECK(asked.heatmaps.size() == 2);
    CHECK(asked.heatmaps[1].y == answered.heatmaps[1].y);
    CHECK(answered.heatmaps[1].y >= text_box(text_named(answered, "output done: 9 of 9"))[3]);
    for (const SceneText& a : answered.texts)
        for (const SceneText& b : answered.texts) CHECK((&a == &b || !boxes_overlap(a, b)));
}

TEST_CASE("words already at the projector's size are left where they are", "[lecture][figure_words]") {
    Scene sc;
    sc.heatmaps.push_back(grid(0, 0, 10, 3, 3));
    sc.texts.push_back({0, 34, 30, kInk, "input", false});
    sc.texts.push_back({100, 34, 30, kInk, "output", false});
    const Scene before = sc;
    CHECK(grow_figure_words(sc, WordGrowth{24, 100, 0, 400}) == 0);
    for (std::size_t i = 0; i < sc.texts.size(); ++i) {
        CHECK(sc.texts[i].x == before.texts[i].x);
        CHECK(sc.texts[i].y == before.texts[i].y);
        CHECK(sc.texts[i].size == before.texts[i].size);
    }
}

TEST_CASE("a map's numbers are the same size on a question and on its answer, though the answer's cells hold two",
          "[lecture][figure_words]") {
    const Scene question = two_numbers(30, 21, "4", "2");
    Scene answer = question;
    answer.texts.push_back({15, 5, 8, kInk, "x2", true});  // a count over the value
    answer.texts.push_back({45, 5, 8, kInk, "x1", true});
    Scene asked = question, answered = answer;
    grow_figure_words(asked, WordGrowth{24, 100, 0, 400}, &answer);
    grow_figure_words(answered, WordGrowth{24, 100, 0, 400}, &question);
    CHECK(text_named(asked, "4").size == text_named(answered, "4").size);
    CHECK(text_named(asked, "2").size == text_named(answered, "2").size);
    CHECK(text_named(asked, "4").size > 8);
    CHECK(text_named(answered, "x2").size == text_named(answered, "4").size);
}
