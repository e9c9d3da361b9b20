// No two texts of a shipped slide run into each other on a projector: every page of both
// decks, question and answer, at its first and its middle frame, on 1920x1080 and
// 1280x720 screens. A text's box is as wide as the slide page estimates (figure_words'
// text_box: 0.55 em a character or DejaVu Sans' advance, whichever is wider) and as
// high as its size.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <sstream>
#include <string>

#include "app/logic/glyph_ranges.hpp"
#include "app/logic/slide_show.hpp"
#include "core/base/files.hpp"
#include "core/lecture/deck.hpp"
#include "core/lecture/figure_words.hpp"

using namespace convscope;
using namespace convscope::gui;

namespace {

/// The pairs of texts of `page` whose boxes overlap by more than a pixel each way.
std::string overlapping_texts(const Scene& page) {
    std::ostringstream out;
    for (std::size_t i = 0; i < page.texts.size(); ++i) {
        const auto a = text_box(page.texts[i]);
        for (std::size_t j = i + 1; j < page.texts.size(); ++j) {
            const auto b = text_box(page.texts[j]);
            if (page.texts[i].text.empty() || page.texts[j].text.empty()) continue;
            if (std::min(a[2], b[2]) - std::max(a[0], b[0]) > 1 && std::min(a[3], b[3]) - std::max(a[1], b[1]) > 1)
                out << "'" << page.texts[i].text << "' at (" << a[0] << ", " << a[1] << ") over '" << page.texts[j].text << "' at (" << b[0]
                    << ", " << b[1] << ")\n";
        }
    }
    return out.str();
}

}  // namespace

TEST_CASE("no two texts of a shipped slide run into each other on a projector, at its first or middle frame, asked or answered",
          "[presenter][slideshow][deck][layout]") {
    // A figure built for a window writes its captions and key in 11 to 14 px and spaces
    // them for that; on a screen its words grow to 1/38 of the screen's height, and
    // figure_words makes the room they need (the key flows again, a caption breaks into
    // lines, what is under a grown word moves down).
    std::size_t pages = 0;
    for (const std::string name : {"dilated.json", "transposed.json"}) {
        const Deck deck = load_deck(asset_path("decks/" + name));
        for (const std::array<float, 2> screen : {std::array<float, 2>{1920, 1080}, std::array<float, 2>{1280, 720}})
            for (std::size_t i = 0; i < deck.slides.size(); ++i)
                for (int middle = 0; middle < 2; ++middle) {
                    SlideShow show(deck, name, i);
                    if (middle) show.show_middle_frame();
                    for (int reveal = 0; reveal < 2; ++reveal) {
                        REQUIRE(show.error().empty());
                        const Scene& page = show.fitted_page(screen[0], screen[1]).scene;
                        ++pages;
                        CHECK(page.texts.size() >= 2);
                        // Nothing the words moved tore a map from what is drawn on it: the
                        // cropped ring's cells stay on the output's cell grid.
                        const GridPlacement& out = page.output_grid;
                        for (const SceneRect& r : page.rects)
                            if (r.role == RectRole::CroppedCell && out.rows > 0) {
                                const float rows_off = (r.y - out.y) / out.cell, cols_off = (r.x - out.x) / out.cell;
                                CHECK(std::abs(rows_off - std::round(rows_off)) < 0.05f);
                                CHECK(std::abs(cols_off - std::round(cols_off)) < 0.05f);
                            }
                        const std::string overlaps = overlapping_texts(page);
                        if (!overlaps.empty())
                            FAIL_CHECK(name << " slide " << i + 1 << (middle ? ", middle frame" : ", first frame") << (reveal ? ", answered" : "")
                                            << " on " << screen[0] << "x" << screen[1] << ":\n"
                                            << overlaps);
                        if (show.answer_text().empty()) break;
                        show.keys().press(PresenterKey::Next);
                    }
                }
    }
    CHECK(pages >= 150);
}


TEST_CASE("a shipped slide's figure stays put on a projector while its animation loops: its grids move no more than 4 px after the first loop",
          "[presenter][slideshow][deck][layout]") {
    // A frame's words take more or less room than another's (a key entry that comes and
    // goes, a longer line of arithmetic); the slide keeps one placement (FigurePlacement)
    // that every frame drawn so far fits, so the figure moves at most while its first
    // loop shows it the frames it has not seen. (The backward slide's kernel moves 3 px
    // when its key loses an entry: the key's rows are parted inside the figure.)
    for (const std::string name : {"dilated.json", "transposed.json"}) {
        const Deck deck = load_deck(asset_path("decks/" + name));
        for (std::size_t i = 0; i < deck.slides.size(); ++i) {
            SlideShow show(deck, name, i);
            INFO(name << " slide " << i + 1);
            // One loop, then a second: a slide's loop is at most 160 frames here.
            for (int f = 0; f < 160; ++f) {
                show.fitted_page(1920, 1080);
                show.step_frame();
            }
            const Scene first = show.fitted_page(1920, 1080).scene;
            for (int f = 0; f < 160; ++f) {
                show.step_frame();
                const Scene& page = show.fitted_page(1920, 1080).scene;
                for (const auto& [a, b] : {std::pair{first.input_grid, page.input_grid}, std::pair{first.kernel_grid, page.kernel_grid}}) {
                    CHECK(std::abs(a.x - b.x) <= 4);
                    CHECK(std::abs(a.y - b.y) <= 4);
                    CHECK(a.cell == b.cell);
                }
            }
        }
    }
}
