// The presenter's keys, without a window: next reveals a question's answer before it
// moves on, back undoes, Home/End, a typed number and Enter jump, B blanks, Escape leaves.
#include <catch2/catch.hpp>

#include "app/logic/presenter.hpp"

using convscope::gui::Presenter;
using convscope::gui::PresenterKey;

TEST_CASE("next reveals a question's answer before moving to the next slide", "[presenter]") {
    Presenter p({false, true, false});
    p.press(PresenterKey::Next);
    CHECK(p.slide == 1);
    CHECK_FALSE(p.revealed);
    p.press(PresenterKey::Next);
    CHECK(p.slide == 1);
    CHECK(p.revealed);
    p.press(PresenterKey::Next);
    CHECK(p.slide == 2);
    CHECK_FALSE(p.revealed);
    p.press(PresenterKey::Next);  // the last slide stays
    CHECK(p.slide == 2);
    p.press(PresenterKey::Back);
    CHECK(p.slide == 1);
    CHECK_FALSE(p.revealed);
    p.press(PresenterKey::Next);
    p.press(PresenterKey::Back);  // back hides the answer first
    CHECK(p.slide == 1);
    CHECK_FALSE(p.revealed);
}

TEST_CASE("Home, End, a typed slide number and Enter jump; B blanks; Escape leaves", "[presenter]") {
    Presenter p(std::vector<bool>(12, false), 4);
    CHECK(p.slide == 4);
    p.press(PresenterKey::Last);
    CHECK(p.slide == 11);
    p.press(PresenterKey::First);
    CHECK(p.slide == 0);
    p.press(PresenterKey::Digit, 1);
    p.press(PresenterKey::Digit, 0);
    CHECK(p.status() == "1 / 12   go to 10");
    p.press(PresenterKey::Enter);
    CHECK(p.slide == 9);
    p.press(PresenterKey::Digit, 9);
    p.press(PresenterKey::Digit, 9);
    p.press(PresenterKey::Enter);
    CHECK(p.slide == 11);  // past the end: the last slide
    p.press(PresenterKey::Digit, 0);
    p.press(PresenterKey::Enter);
    CHECK(p.slide == 0);   // slide 0 does not exist: the first
    p.press(PresenterKey::Blank);
    CHECK(p.blank);
    p.press(PresenterKey::Blank);
    CHECK_FALSE(p.blank);
    p.press(PresenterKey::Blank);
    p.press(PresenterKey::Next);
    CHECK_FALSE(p.blank);
    CHECK(p.slide == 1);
    CHECK_FALSE(p.leave);
    p.press(PresenterKey::Leave);
    CHECK(p.leave);
    CHECK(Presenter({}, 3).count() == 1);
}

// ---- The slide show: a deck's slides playing, their answers revealed on the figure ----

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

#include "app/export/deck_export.hpp"
#include "app/logic/settings.hpp"
#include "app/logic/slide_show.hpp"
#include "core/base/files.hpp"
#include "core/lecture/deck_draft.hpp"
#include "core/lecture/figure_words.hpp"
#include "core/lecture/questions.hpp"

namespace {

using convscope::Scene;
using convscope::gui::SlideShow;

convscope::Deck shipped(const std::string& name) { return convscope::load_deck(convscope::asset_path("decks/" + name)); }

bool has_text_containing(const Scene& s, const std::string& part) {
    return std::any_of(s.texts.begin(), s.texts.end(), [&](const convscope::SceneText& t) { return t.text.find(part) != std::string::npos; });
}

std::size_t count_highlights(const Scene& s) {
    return std::size_t(std::count_if(s.rects.begin(), s.rects.end(), [](const convscope::SceneRect& r) { return r.role == convscope::RectRole::Highlight; }));
}

std::size_t count_taps(const Scene& s) {
    return std::size_t(std::count_if(s.rects.begin(), s.rects.end(), [](const convscope::SceneRect& r) { return r.state != convscope::TapState::None; }));
}

std::size_t slide_titled(const convscope::Deck& deck, const std::string& start) {
    for (std::size_t i = 0; i < deck.slides.size(); ++i)
        if (deck.slides[i].title.rfind(start, 0) == 0) return i;
    FAIL("no slide titled " << start);
    return 0;
}

}  // namespace

TEST_CASE("a slide plays its steps at the slide rate, holds its last frame, then starts again", "[presenter][slideshow]") {
    SlideShow show(shipped("dilated.json"), "dilated.json", 2);  // the guide's dilation figure: 9 output cells
    REQUIRE(show.error().empty());
    CHECK(show.frame() == show.first_frame());
    const std::int64_t frames = show.last_frame() - show.first_frame();
    REQUIRE(frames > 2);
    show.advance(1.5 / convscope::gui::kSlideFramesPerSecond);
    CHECK(show.frame() == show.first_frame() + 1);
    show.advance(double(frames) / convscope::gui::kSlideFramesPerSecond);  // to the last frame
    CHECK(show.frame() == show.last_frame());
    show.advance(convscope::gui::kSlideHoldSeconds * 0.9);  // held
    CHECK(show.frame() == show.last_frame());
    show.advance(convscope::gui::kSlideHoldSeconds * 0.2);  // then again from the start (0.4 s in: frame 3 at most)
    CHECK(show.frame() < show.first_frame() + 4);
    const std::int64_t at = show.frame();
    for (std::int64_t k = 0; k <= frames; ++k) show.step_frame();
    CHECK(show.frame() == at);  // step_frame wraps too: frames + 1 steps come back
}

TEST_CASE("a lab slide trains live as it is shown, 10 steps a second, up to its steps' end, and holds there", "[presenter][slideshow][lab]") {
    const convscope::Deck deck = shipped("transposed.json");
    const std::size_t lab = slide_titled(deck, "The upsampling lab");
    SlideShow show(deck, "transposed.json", lab);
    REQUIRE(show.error().empty());
    // The page follows the training (a redraw when it stops, or every quarter second).
    const auto shown_step = [&](std::int64_t step) {
        for (int i = 0; i < 5000 && show.lab_step() < step; ++i) {
            show.fitted_page(1920, 1080);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return show.lab_step();
    };
    show.fitted_page(1920, 1080);
    REQUIRE(show.lab_step() == 0);  // nothing trained before the slide's clock runs
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, "Upsampling lab: step 0,"));
    show.advance(1.0);
    REQUIRE(shown_step(10) == 10);  // 1 s: 10 steps, and no more
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    show.fitted_page(1920, 1080);
    CHECK(show.lab_step() == 10);
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, "Upsampling lab: step 10,"));
    show.advance(60);  // far past its end: the deck's 100 steps, then held
    REQUIRE(shown_step(100) == 100);
    show.advance(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(show.lab_step() == 100);
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, "Upsampling lab: step 100,"));
    // Leaving the slide and coming back starts it again from step 0.
    show.keys().press(convscope::gui::PresenterKey::Back);
    show.fitted_page(1920, 1080);
    CHECK(show.lab_step() == -1);
    show.keys().press(convscope::gui::PresenterKey::Next);
    show.fitted_page(1920, 1080);
    CHECK(show.lab_step() == 0);
}

TEST_CASE("on a projector the colour bars' names moved under their end values share one row, half a line above the kernel", "[presenter][slideshow][words]") {
    const convscope::Deck deck = shipped("transposed.json");
    SlideShow show(deck, "transposed.json", slide_titled(deck, "k=3, s=2: uneven overlap"));
    const Scene& page = show.fitted_page(1920, 1080).scene;
    const auto find = [&](const std::string& text) -> const convscope::SceneText& {
        const auto it = std::find_if(page.texts.begin(), page.texts.end(), [&](const convscope::SceneText& t) { return t.text == text; });
        REQUIRE(it != page.texts.end());
        return *it;
    };
    const convscope::SceneText &input = find("input value"), &output = find("output value (final range)"), &kernel = find("kernel");
    // Each bar's low end: the "0" nearest above the input's name, the output's "-3".
    const convscope::SceneText* input_low = nullptr;
    for (const convscope::SceneText& t : page.texts)
        if (t.text == "0" && t.y < input.y + 1 && (!input_low || t.y > input_low->y)) input_low = &t;
    REQUIRE(input_low);
    const convscope::SceneText& output_low = find("-3");
    // A name on its bar's row or lowered by one line, never pushed a second time by the
    // other bar's gap; and half a line under it before the kernel's title.
    for (const auto& [name, low] : {std::pair{&input, input_low}, std::pair{&output, &output_low}}) {
        CAPTURE(name->text);
        CHECK(name->y >= low->y - 1);
        CHECK(name->y <= low->y + 1.9f * low->size);
    }
    const auto lowered = [](const convscope::SceneText& name, const convscope::SceneText& low) { return name.y > low.y + 0.5f * low.size; };
    if (lowered(input, *input_low) && lowered(output, output_low)) CHECK(std::abs(input.y - output.y) <= 1);  // both lowered: one row
    CHECK(kernel.y >= std::max(input.y, output.y) + 1.5f * input.size);
}

TEST_CASE("a slide that hides its output loops over its stamps only, never over the empty-looking crop frame", "[presenter][slideshow][hide]") {
    const convscope::Deck deck = shipped("transposed.json");
    const std::size_t i = slide_titled(deck, "Padding crops the stamps");
    REQUIRE(deck.slides[i].hide.output);
    const convscope::Animation animation(deck.slides[i].session);
    REQUIRE(animation.timeline().at(animation.frame_count() - 1).crop);  // the layer has the crop frame
    SlideShow show(deck, "transposed.json", i);
    CHECK(show.last_frame() == animation.frame_count() - 2);
    show.advance(double(show.last_frame() - show.first_frame()) / convscope::gui::kSlideFramesPerSecond + 0.01);
    REQUIRE(show.frame() == show.last_frame());
    CHECK(count_taps(show.fitted_page(1920, 1080).scene) > 0);  // the held frame still stamps
    // Its answer shows the finished figure, the crop included.
    show.keys().press(convscope::gui::PresenterKey::Next);
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, "cropped"));
}

TEST_CASE("a question that hides the output's size does not print the padded grid's size either (its size less the kernel's, plus one, is the answer)",
          "[presenter][slideshow][hide]") {
    const convscope::Deck deck = shipped("transposed.json");
    // "input, padded to 6x6" under the guide's 2x2 -> 4x4; "zeros inserted, padded: 7x7" under 2x2 -> 5x5.
    const auto [title, grid] = GENERATE(std::pair<std::string, std::string>{"The guide: no padding", "6x6"},
                                        std::pair<std::string, std::string>{"Stride 2 inserts zeros", "7x7"});
    CAPTURE(title);
    SlideShow show(deck, "transposed.json", slide_titled(deck, title));
    REQUIRE(deck.slides[show.keys().slide].hide.shape);
    for (int frame = 0; frame < 3; ++frame, show.step_frame()) {
        CHECK_FALSE(has_text_containing(show.fitted_page(1920, 1080).scene, grid));
        CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, "padded"));  // what was done to the input, still said
    }
    show.keys().press(convscope::gui::PresenterKey::Next);  // the answer: the size is no secret any more
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, grid));
}

TEST_CASE("a long question under a tall figure is wrapped into a column beside it, never after a comma, and the figure grows",
          "[presenter][slideshow][layout]") {
    const convscope::Deck deck = shipped("transposed.json");
    const std::size_t i = slide_titled(deck, "k=4, s=2, p=1");
    const std::string asked = convscope::exporting::slide_text(deck, i, convscope::slide_answer(deck.slides[i])).lines.at(0);
    REQUIRE(asked.size() > 80);  // "Which input cells does output cell (3, 3) read? Layer: ConvTranspose2d k=4 s=2 p=1; (0, 0) is top left."
    SlideShow show(deck, "transposed.json", i);
    const convscope::ScreenPage& page = show.fitted_page(1920, 1080);
    std::string joined;
    for (const convscope::SceneText& t : page.scene.texts) {
        if (t.x < page.figure[0] + page.figure[2]) continue;  // the column right of the figure
        if (t.text.find("/ 13") != std::string::npos) continue;
        CHECK(t.text.back() != ',');
        joined += (joined.empty() ? "" : " ") + t.text;
    }
    CHECK(joined == asked);
    // Under the figure its one line left the grids 28 px a cell; beside it they get 37.
    CHECK(page.scene.output_grid.cell >= 35);
}

TEST_CASE("next shows a question's answer on the page, and the page of the next slide after", "[presenter][slideshow]") {
    const convscope::Deck deck = shipped("transposed.json");
    SlideShow show(deck, "transposed.json", 0);  // output_shape: 2x2 -> 4x4
    const std::string answer = show.answer_text().at(0);
    CHECK_FALSE(has_text_containing(show.fitted_page(1920, 1080).scene, answer));
    show.keys().press(convscope::gui::PresenterKey::Next);
    CHECK(show.keys().revealed);
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, answer));
    show.advance(10);  // the answer is a still: it does not play on
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, answer));
    show.keys().press(convscope::gui::PresenterKey::Next);
    CHECK(show.keys().slide == 1);
    CHECK(has_text_containing(show.fitted_page(1920, 1080).scene, deck.slides[1].title));
    CHECK_FALSE(has_text_containing(show.fitted_page(1920, 1080).scene, answer));
}

TEST_CASE("a cells_read slide shows no step's taps before its answer, then lights exactly the cells read", "[presenter][deck][hide]") {
    const convscope::Deck deck = shipped("transposed.json");
    const std::size_t index = GENERATE(0, 1, 2);
    const std::size_t slide = std::vector<std::size_t>{slide_titled(deck, "The same layer as stamps"), slide_titled(deck, "k=3, s=2"),
                                                       slide_titled(deck, "k=4, s=2")}[index];
    const convscope::Slide& s = deck.slides[slide];
    REQUIRE(s.question->kind == convscope::QuestionKind::CellsRead);
    const convscope::Answer answer = convscope::slide_answer(s);
    const auto [first, last] = convscope::exporting::slide_frame_range(s);
    for (std::int64_t frame : {first, (first + last) / 2, last}) {
        const Scene question = convscope::exporting::slide_frame_figure(s, frame, false);
        CHECK(count_taps(question) == 0);
        CHECK(count_highlights(question) == 1);  // the asked cell's ring, nothing else
        CHECK_FALSE(has_text_containing(question, "products"));
    }
    const Scene shown = convscope::exporting::slide_figure(s, true);
    CHECK(count_highlights(shown) == 1 + answer.cells.size());
}

TEST_CASE("a slide that hides its output shows no colour bar of the output until answered", "[presenter][deck][hide]") {
    const convscope::Deck deck = shipped("dilated.json");
    const convscope::Slide& s = deck.slides[slide_titled(deck, "By hand")];
    REQUIRE(s.hide.output);
    const auto range = convscope::exporting::slide_frame_range(s);
    CHECK_FALSE(has_text_containing(convscope::exporting::slide_frame_figure(s, range[1], false), "output value"));
    CHECK_FALSE(has_text_containing(convscope::exporting::slide_frame_figure(s, range[1], false), "products"));
    CHECK(has_text_containing(convscope::exporting::slide_figure(s, true), "output value (final range)"));
}

TEST_CASE("a receptive-field question draws the field and its sizes only in the answer", "[presenter][deck][hide]") {
    const convscope::Deck deck = shipped("dilated.json");
    const convscope::Slide& s = deck.slides[slide_titled(deck, "WaveNet")];
    const Scene question = convscope::exporting::slide_figure(s, false), shown = convscope::exporting::slide_figure(s, true);
    CHECK_FALSE(has_text_containing(question, "31x31"));
    CHECK_FALSE(has_text_containing(question, "field after each layer"));
    CHECK(has_text_containing(shown, "31x31"));
    // Its key names the holes as they are drawn: faded red (the caption said "hatched").
    CHECK(has_text_containing(shown, "faded red: holes no path reaches"));
    CHECK_FALSE(has_text_containing(shown, "hatched"));
}

TEST_CASE("a receptive-field slide of a transposed layer shows how many taps land on each output cell", "[presenter][deck]") {
    const auto [preset, verdict, counts] = GENERATE(table<std::string, std::string, std::vector<float>>(
        {{"checkerboard-k3s2", "uneven inside: the checkerboard", {1, 2, 4}}, {"even-k4s2", "even inside: no checkerboard", {1, 2, 4}}}));
    convscope::SlideDraft draft;
    draft.preset = preset;
    draft.view = convscope::SlideView::ReceptiveField;
    const Scene figure = convscope::exporting::slide_figure(convscope::resolve_slide(draft), true);
    CHECK(has_text_containing(figure, "taps landing per output cell of layer 0"));
    CHECK(has_text_containing(figure, verdict));
    // The overlap map: its cells' counts are the taps landing there, and each is written.
    REQUIRE(figure.heatmaps.size() == 2);  // the field on the input, then the overlap map
    const std::vector<float>& values = figure.heatmaps.back().values;
    for (float n : counts) {
        CHECK(std::count(values.begin(), values.end(), n) > 0);
        CHECK(has_text_containing(figure, std::to_string(int(n))));
    }
}

TEST_CASE("the presenter's text size grows with the projector's rows", "[presenter]") {
    CHECK(convscope::gui::presenter_text_size_percent(1080, 1) == 200);
    CHECK(convscope::gui::presenter_text_size_percent(768, 1) == 150);
    CHECK(convscope::gui::presenter_text_size_percent(2160, 2) == 200);
    CHECK(convscope::gui::presenter_text_size_percent(600, 1) == 125);
}

TEST_CASE("on a projector every shipped slide's figure fills the room under its title and no text is under 1/40 of the screen's height",
          "[presenter][slideshow][deck]") {
    const std::string name = GENERATE(std::string("dilated.json"), std::string("transposed.json"));
    const auto screen = GENERATE(std::array<float, 2>{1920, 1080}, std::array<float, 2>{1280, 720});
    const convscope::Deck deck = shipped(name);
    for (std::size_t i = 0; i < deck.slides.size(); ++i) {
        SlideShow show(deck, name, i);
        for (int reveal = 0; reveal < 2; ++reveal) {
            INFO(name << " slide " << i + 1 << (reveal ? " answered" : "") << " on " << screen[0] << "x" << screen[1]);
            REQUIRE(show.error().empty());
            const convscope::ScreenPage& page = show.fitted_page(screen[0], screen[1]);
            CHECK(page.scene.width == screen[0]);
            CHECK(page.scene.height == screen[1]);
            // The figure fills the room left by the title and the lines in one direction (it
            // keeps its proportions), and takes at least a fifth of the screen (a tall figure
            // with its answer beside it: 22 %; a wide one: 60 % and more).
            const auto [x, y, w, h] = page.figure;
            const auto [room_x, room_y, room_w, room_h] = page.room;
            CHECK((w >= room_w - 1 || h >= room_h - 1));
            CHECK(x >= room_x - 0.5f);
            CHECK(y >= room_y - 0.5f);
            CHECK(w * h >= screen[0] * screen[1] / 5);
            CHECK(x >= 0);
            CHECK(x + w <= screen[0] + 0.5f);
            CHECK(y + h <= screen[1] + 0.5f);
            // The figures of one layer are at the projector's size; the dense ones (the lab's
            // models, the filter bank, the stack's maps, the photo's four dilations) have
            // captions that would run into each other at that size: larger than in a window
            // (the lab's smallest, 8 px, is 7.5 px at 720 rows), but smaller than that.
            const convscope::SlideView view = deck.slides[i].view;
            const bool dense = view == convscope::SlideView::Lab || view == convscope::SlideView::Channels ||
                               view == convscope::SlideView::Pipeline || view == convscope::SlideView::DilationContext;
            // A cell's number is as large as its cell holds (a figure's small cells can
            // not hold a number at the projector's size): it fits the cell.
            float smallest = screen[1];
            for (const convscope::SceneText& t : page.scene.texts) {
                const float cell = convscope::cell_under(page.scene, t);
                if (cell == 0) smallest = std::min(smallest, t.size);
                else if (!dense) CHECK(convscope::text_box(t)[2] - convscope::text_box(t)[0] <= cell);
            }
            // (The lab's row of kernel weights, 7 px in a window, parts at 9.9 px on 1080 rows.)
            CHECK(smallest >= screen[1] / (dense ? 112 : 40));
            // The title is larger than any caption of the figure and sits above it.
            const convscope::SceneText& title = *std::find_if(page.scene.texts.begin(), page.scene.texts.end(),
                                                              [&](const convscope::SceneText& t) { return t.text == show.title_of(i); });
            CHECK(title.size >= screen[1] / 20);
            CHECK(title.y + title.size <= y);
            if (show.answer_text().empty()) break;
            show.keys().press(convscope::gui::PresenterKey::Next);  // reveals the answer
        }
    }
}

namespace {

/// Where a grid is on the screen, and how large its cells are.
void check_same_place(const convscope::GridPlacement& question, const convscope::GridPlacement& answer) {
    CHECK(std::abs(question.x - answer.x) <= 1);
    CHECK(std::abs(question.y - answer.y) <= 1);
    CHECK(std::abs(question.cell - answer.cell) <= 0.01f);
}

}  // namespace

TEST_CASE("revealing an answer moves nothing: the figure's grids, its box, the title and the question line stay where they were",
          "[presenter][slideshow][deck][layout]") {
    const std::string name = GENERATE(std::string("dilated.json"), std::string("transposed.json"));
    const auto screen = GENERATE(std::array<float, 2>{1920, 1080}, std::array<float, 2>{1280, 720});
    const convscope::Deck deck = shipped(name);
    std::size_t questions = 0;
    for (std::size_t i = 0; i < deck.slides.size(); ++i) {
        if (!deck.slides[i].question) continue;
        INFO(name << " slide " << i + 1 << " on " << screen[0] << "x" << screen[1]);
        ++questions;
        SlideShow show(deck, name, i);
        const convscope::ScreenPage question = show.fitted_page(screen[0], screen[1]);
        show.keys().press(convscope::gui::PresenterKey::Next);
        REQUIRE(show.keys().revealed);
        const convscope::ScreenPage& answer = show.fitted_page(screen[0], screen[1]);
        for (std::size_t k = 0; k < 4; ++k) CHECK(std::abs(question.figure[k] - answer.figure[k]) <= 1);
        check_same_place(question.scene.input_grid, answer.scene.input_grid);
        check_same_place(question.scene.kernel_grid, answer.scene.kernel_grid);
        // (A question that hides the output's shape has no output grid to compare.)
        if (question.scene.output_grid.rows > 0) check_same_place(question.scene.output_grid, answer.scene.output_grid);
        // The page's own texts: the title, and the question's line where the answer keeps it.
        const std::string asked = convscope::exporting::slide_text(deck, i, convscope::slide_answer(deck.slides[i])).lines.at(0);
        for (const std::string& own : {show.title_of(i), asked}) {
            // (A long question wrapped into a column beside the figure: its first line.)
            auto find = [&](const Scene& s) {
                return std::find_if(s.texts.begin(), s.texts.end(), [&](const convscope::SceneText& t) {
                    return t.text == own || (t.text.size() >= 12 && own.rfind(t.text, 0) == 0);
                });
            };
            REQUIRE(find(question.scene) != question.scene.texts.end());
            REQUIRE(find(answer.scene) != answer.scene.texts.end());
            CHECK(find(question.scene)->x == find(answer.scene)->x);
            CHECK(find(question.scene)->y == find(answer.scene)->y);
            CHECK(find(question.scene)->size == find(answer.scene)->size);
        }
    }
    CHECK(questions >= 8);
}
