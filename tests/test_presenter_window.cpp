// The presenter window without a window: when it opens and on which monitor, which page
// comes next (a question's answer before the next slide), the clock's texts, and the two
// small pages it draws (the audience's page scaled down, the next page laid out).
#include <catch2/catch.hpp>

#include "app/logic/presenter_window.hpp"
#include "core/base/files.hpp"

using namespace convscope;
using namespace convscope::gui;

TEST_CASE("the presenter window opens on a second monitor, or on one when forced, never when turned off", "[presenter][window]") {
    CHECK_FALSE(wants_presenter_window(PresenterWindowMode::Auto, 1));
    CHECK(wants_presenter_window(PresenterWindowMode::Auto, 2));
    CHECK(wants_presenter_window(PresenterWindowMode::Auto, 3));
    CHECK(wants_presenter_window(PresenterWindowMode::On, 1));
    CHECK_FALSE(wants_presenter_window(PresenterWindowMode::Off, 2));
}

TEST_CASE("the presenter window goes on the first monitor the deck is not on, or over it with one", "[presenter][window]") {
    CHECK(presenter_window_monitor(0, 1) == -1);
    CHECK(presenter_window_monitor(0, 2) == 1);
    CHECK(presenter_window_monitor(1, 2) == 0);
    CHECK(presenter_window_monitor(2, 3) == 0);
    CHECK(presenter_window_monitor(0, 0) == -1);
}

TEST_CASE("next is the answer while a question is open, then the next slide, then the end", "[presenter][window]") {
    Presenter keys({true, false, false});
    NextPage next = next_page(keys, "Stride 2");
    CHECK(next.exists);
    CHECK(next.answer);
    CHECK(next.slide == 0);
    CHECK(next.label == "next: the answer");
    keys.press(PresenterKey::Next);  // the answer is shown
    next = next_page(keys, "Stride 2");
    CHECK_FALSE(next.answer);
    CHECK(next.slide == 1);
    CHECK(next.label == "next: 2 / 3  Stride 2");
    keys.press(PresenterKey::Last);
    next = next_page(keys, "");
    CHECK_FALSE(next.exists);
    CHECK(next.label == "end of the deck");
}

TEST_CASE("the elapsed time reads minutes and seconds, with hours from the first hour on", "[presenter][window]") {
    CHECK(elapsed_text(0) == "00:00");
    CHECK(elapsed_text(-3) == "00:00");
    CHECK(elapsed_text(59.9) == "00:59");
    CHECK(elapsed_text(465) == "07:45");
    CHECK(elapsed_text(3599) == "59:59");
    CHECK(elapsed_text(3600) == "1:00:00");
    CHECK(elapsed_text(3723) == "1:02:03");
    std::tm t{};
    t.tm_hour = 9, t.tm_min = 5, t.tm_sec = 7;
    CHECK(wall_clock_text(t) == "09:05:07");
}

TEST_CASE("the presenter window's pages: the audience's page scaled into its box, the next page or the answer", "[presenter][window]") {
    const std::string path = asset_path("decks/transposed.json");
    SlideShow show(load_deck(path), path, 0);
    PresenterDesk desk;
    CHECK(desk.current_page(show, 400, 300) == nullptr);  // the audience has drawn nothing yet
    const ScreenPage& audience = show.fitted_page(1920, 1080);
    REQUIRE(audience.scene.width == 1920);
    const Scene* current = desk.current_page(show, 480, 400);
    REQUIRE(current != nullptr);
    CHECK(current->width == Approx(480));  // 1920 x 1080 into 480 x 400: a quarter
    CHECK(current->height == Approx(270));
    const std::uint64_t version = desk.current_version();
    desk.current_page(show, 480, 400);
    CHECK(desk.current_version() == version);  // nothing changed: not rebuilt

    // Slide 1 asks a question: the next page is its answer, the answer's lines on it.
    const Scene* next = desk.next_page_scene(show, 640, 360);
    REQUIRE(next != nullptr);
    CHECK(next->width == 640);
    auto has_text = [](const Scene& s, const std::string& text) {
        for (const SceneText& t : s.texts)
            if (t.text.find(text) != std::string::npos) return true;
        return false;
    };
    const std::vector<std::string> answer = show.answer_text();
    REQUIRE_FALSE(answer.empty());
    CHECK(has_text(*next, answer.front()));
    show.keys().press(PresenterKey::Next);  // the audience sees the answer now
    show.fitted_page(1920, 1080);
    // The next page is slide 2 now, under its own title.
    next = desk.next_page_scene(show, 640, 360);
    REQUIRE(next != nullptr);
    CHECK(has_text(*next, "Stride 2 inserts zeros"));
    CHECK_FALSE(has_text(*next, answer.front()));
    show.keys().press(PresenterKey::Last);
    show.keys().press(PresenterKey::Next);
    CHECK(desk.next_page_scene(show, 640, 360) == nullptr);  // the last slide asks nothing: the end
}

TEST_CASE("the presenter window passes on the presenter's keys and nothing else: Ctrl+Q stays there", "[presenter][window][keys]") {
    namespace k = presenter_keys;  // (the unity build has other tests' kPageDown beside these)
    for (const int key : {k::kPageDown, k::kPageUp, k::kRight, k::kLeft, k::kSpace, k::kHome, k::kEnd, k::kEnter, k::kKeypadEnter, k::kEscape,
                          k::kB, k::kP, k::kR, k::kDigit0, k::kDigit9, k::kKeypad0 + 5}) {
        CHECK(presenter_window_forwards_key(key, true, 0));
        CHECK(presenter_window_forwards_key(key, true, k::kModShift));
        CHECK(presenter_window_forwards_key(key, false, 0));
        // With Control, Alt or Super held it is a shortcut, not a presenter's key; its
        // release still goes on (a key the audience's window saw pressed is released).
        CHECK_FALSE(presenter_window_forwards_key(key, true, k::kModControl));
        CHECK_FALSE(presenter_window_forwards_key(key, true, k::kModAlt));
        CHECK_FALSE(presenter_window_forwards_key(key, true, k::kModSuper));
        CHECK(presenter_window_forwards_key(key, false, k::kModControl));
    }
    constexpr int key_q = 81, key_s = 83, key_c = 67, left_control = 341, f5 = 294, tab = 258, down = 264;  // GLFW's
    for (const int key : {key_q, key_s, key_c, left_control, f5, tab, down}) {
        CHECK_FALSE(presenter_window_forwards_key(key, true, 0));
        CHECK_FALSE(presenter_window_forwards_key(key, true, k::kModControl));
        CHECK_FALSE(presenter_window_forwards_key(key, false, 0));
    }
    for (const unsigned int c : {'0', '7', '9', 'b', 'B', 'p', 'P', 'r', 'R'}) CHECK(presenter_window_forwards_character(c));
    for (const unsigned int c : {unsigned('q'), unsigned('Q'), unsigned('c'), unsigned('s'), unsigned(' '), 0x3a3u}) CHECK_FALSE(presenter_window_forwards_character(c));
}
