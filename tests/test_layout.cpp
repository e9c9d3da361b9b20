// The window's tiling (app/logic/layout.cpp, compiled in without GL): nothing covers the
// canvas, whatever is open, at any size and content scale.
#include <catch2/catch.hpp>

#include <vector>

#include "app/logic/layout.hpp"

using namespace convscope::gui;

namespace {

std::vector<Rect> tiles(const Layout& L) {
    std::vector<Rect> all = {L.parameters, L.timeline, L.canvas, L.code, L.matrix, L.deck, L.quiz};
    // The compare column lies inside the receptive-field region: count the region once.
    all.push_back(L.receptive_field);
    return all;
}

}  // namespace

TEST_CASE("the tiles never overlap and cover the window under the menu bar", "[layout]") {
    LayoutRequest q;
    q.width = GENERATE(640.0f, 1280.0f, 1920.0f, 3840.0f);
    q.height = GENERATE(480.0f, 800.0f, 1080.0f, 2160.0f);
    q.top = 20;
    q.scale = GENERATE(1.0f, 1.5f, 2.0f);
    q.receptive_field = GENERATE(false, true);
    q.compare = GENERATE(false, true);
    q.matrix = GENERATE(false, true);
    q.deck = GENERATE(false, true);
    q.quiz = GENERATE(false, true);
    const Layout L = tile_window(q);
    const std::vector<Rect> all = tiles(L);
    float area = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        area += all[i].area();
        if (all[i].empty()) continue;  // a closed view
        CHECK(all[i].x >= 0);
        CHECK(all[i].y >= q.top);
        CHECK(all[i].right() <= q.width);
        CHECK(all[i].bottom() <= q.height);
        for (std::size_t j = i + 1; j < all.size(); ++j) CHECK_FALSE(overlaps(all[i], all[j]));
    }
    CHECK(area == Approx(q.width * (q.height - q.top)));
    // The canvas always keeps a usable share of the window.
    CHECK(L.canvas.w >= 0.3f * q.width);
    CHECK(L.canvas.h >= 0.55f * (q.height - q.top));
}

TEST_CASE("opening the receptive field takes a column on the right and the canvas shrinks beside it", "[layout]") {
    LayoutRequest q;
    q.top = 20;
    const Layout closed = tile_window(q);
    CHECK(closed.receptive_field.empty());
    CHECK(closed.matrix.empty());
    CHECK(closed.canvas.right() == 1280);
    q.receptive_field = true;
    const Layout open = tile_window(q);
    CHECK(open.receptive_field.x == open.canvas.right());
    CHECK(open.receptive_field.right() == 1280);
    CHECK(open.receptive_field.y == 20);
    CHECK(open.receptive_field.bottom() == 800);
    CHECK(open.canvas.w < closed.canvas.w);
    CHECK(open.canvas.h == closed.canvas.h);
    CHECK(open.compare.empty());
    // Comparing needs two readable columns: the region widens and the compared one is its right half.
    q.compare = true;
    const Layout compared = tile_window(q);
    CHECK(compared.receptive_field.w > open.receptive_field.w);
    CHECK(compared.compare.right() == compared.receptive_field.right());
    CHECK(compared.compare.w == Approx(compared.receptive_field.w / 2).margin(1));
    CHECK(compared.compare.w >= 280);  // at 1280x800: today's floating window gave each column 240
}

TEST_CASE("the receptive field and the matrix open together share the right column, one above the other", "[layout]") {
    LayoutRequest q;
    q.width = 1920;
    q.height = 1080;
    q.top = 22;
    q.receptive_field = q.matrix = true;
    const Layout L = tile_window(q);
    CHECK(L.receptive_field.x == L.matrix.x);
    CHECK(L.receptive_field.bottom() == L.matrix.y);
    CHECK(L.matrix.bottom() == 1080);
    CHECK(L.matrix.h >= 400);  // the matrix is big enough to read
    CHECK(L.canvas.right() == L.matrix.x);
}

TEST_CASE("the compare column is only there while the receptive field is open", "[layout]") {
    LayoutRequest q;
    q.compare = true;
    const Layout L = tile_window(q);
    CHECK(L.compare.empty());
    CHECK(L.receptive_field.empty());
    CHECK(L.canvas.right() == 1280);
}

TEST_CASE("a HiDPI window at twice the scale gets the same tiling at twice the size", "[layout]") {
    LayoutRequest q;
    q.width = GENERATE(1280.0f, 1920.0f);
    q.height = GENERATE(800.0f, 1080.0f);
    q.top = 20;
    q.receptive_field = GENERATE(false, true);
    q.matrix = GENERATE(false, true);
    LayoutRequest q2 = q;
    q2.width *= 2;
    q2.height *= 2;
    q2.top *= 2;
    q2.scale = 2;
    const std::vector<Rect> a = tiles(tile_window(q)), b = tiles(tile_window(q2));
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(b[i].x == Approx(2 * a[i].x).margin(1));
        CHECK(b[i].y == Approx(2 * a[i].y).margin(1));
        CHECK(b[i].w == Approx(2 * a[i].w).margin(2));
        CHECK(b[i].h == Approx(2 * a[i].h).margin(2));
    }
}

TEST_CASE("a window resized the tiles follow: the canvas ends where the window ends", "[layout]") {
    LayoutRequest q;
    q.top = 20;
    q.width = GENERATE(800.0f, 1024.0f, 1600.0f, 2560.0f);
    q.height = GENERATE(600.0f, 900.0f, 1440.0f);
    const Layout L = tile_window(q);
    CHECK(L.canvas.right() == q.width);
    CHECK(L.code.bottom() == q.height);
    CHECK(L.timeline.bottom() == q.height);
    CHECK(L.parameters.y == 20);
    CHECK(L.canvas.x == L.parameters.right());
}

TEST_CASE("the code panel gets the height its content asks for, within bounds", "[layout]") {
    LayoutRequest q;
    q.top = 20;
    q.code_height = 260;  // a three-layer stack's shapes
    CHECK(tile_window(q).code.h == Approx(260).margin(1));
    q.code_height = 100;  // never below 150 px
    CHECK(tile_window(q).code.h == Approx(150).margin(1));
    q.code_height = 2000;  // never more than 42% of the height: the canvas keeps the rest
    CHECK(tile_window(q).code.h == Approx(0.42f * 780).margin(1));
    CHECK(tile_window(q).canvas.h == Approx(0.58f * 780).margin(1));
}

TEST_CASE("the Deck panel docks in the right column: the canvas shrinks beside it and nothing covers it", "[layout][deck]") {
    LayoutRequest q;
    q.width = GENERATE(1280.0f, 1920.0f);
    q.height = 800;
    q.top = 20;
    q.receptive_field = GENERATE(false, true);
    q.matrix = GENERATE(false, true);
    const Layout closed = tile_window(q);
    q.deck = true;
    const Layout L = tile_window(q);
    REQUIRE_FALSE(L.deck.empty());
    CHECK(L.quiz.empty());
    CHECK(L.deck.right() == q.width);
    CHECK(L.deck.bottom() == q.height);
    CHECK(L.deck.w >= 300);  // its form reads
    if (!q.receptive_field && !q.matrix) CHECK(L.deck.w <= 440);  // else as wide as the views' column
    CHECK(L.deck.h >= 0.4f * (q.height - q.top));
    CHECK(L.canvas.right() <= L.deck.x);
    CHECK(L.canvas.w <= closed.canvas.w);
    for (const Rect& other : {L.parameters, L.timeline, L.canvas, L.code, L.receptive_field, L.matrix}) CHECK_FALSE(overlaps(L.deck, other));
    // Alone in the column it has all of it; under an open view, the lower part.
    if (!q.receptive_field && !q.matrix) CHECK(L.deck.y == q.top);
    else CHECK(L.deck.y > q.top + 0.5f * (q.height - q.top));
}

TEST_CASE("the Quiz panel docks in the right column as the Deck panel does, under it when both are open", "[layout][quiz]") {
    LayoutRequest q;
    q.width = GENERATE(1280.0f, 1920.0f);
    q.height = GENERATE(800.0f, 1080.0f);
    q.top = 20;
    q.receptive_field = GENERATE(false, true);
    q.matrix = GENERATE(false, true);
    q.lab = GENERATE(false, true);
    const Layout closed = tile_window(q);
    q.quiz = true;
    const Layout L = tile_window(q);
    REQUIRE_FALSE(L.quiz.empty());
    CHECK(L.deck.empty());
    CHECK(L.quiz.right() == q.width);
    CHECK(L.quiz.bottom() == q.height);
    CHECK(L.quiz.w >= 300);
    if (!q.receptive_field && !q.matrix) CHECK(L.quiz.w <= 440);  // else as wide as the views' column
    CHECK(L.quiz.h >= 0.4f * (q.height - q.top));
    // The canvas (or the lab in its place) shrinks beside it; nothing covers it.
    CHECK(L.canvas.right() <= L.quiz.x);
    CHECK(L.lab.right() <= L.quiz.x);
    CHECK(L.canvas.w <= closed.canvas.w);
    for (const Rect& other : {L.parameters, L.timeline, L.canvas, L.code, L.receptive_field, L.matrix, L.lab}) CHECK_FALSE(overlaps(L.quiz, other));
    if (!q.receptive_field && !q.matrix) CHECK(L.quiz.y == q.top);
    else CHECK(L.quiz.y > q.top + 0.5f * (q.height - q.top));
    // With the Deck panel: the same column, the deck above, the quiz below, each half.
    q.deck = true;
    const Layout both = tile_window(q);
    CHECK(both.deck.x == L.quiz.x);
    CHECK(both.quiz.x == L.quiz.x);
    CHECK(both.deck.y == L.quiz.y);
    CHECK(both.deck.bottom() == both.quiz.y);
    CHECK(both.quiz.bottom() == q.height);
    CHECK(both.quiz.h == Approx(both.deck.h).margin(1));
    CHECK_FALSE(overlaps(both.deck, both.quiz));
    for (const Rect& other : {both.parameters, both.timeline, both.canvas, both.code, both.receptive_field, both.matrix, both.lab}) {
        CHECK_FALSE(overlaps(both.deck, other));
        CHECK_FALSE(overlaps(both.quiz, other));
    }
}
