// The Deck panel's editor: a deck that fails to open or to save leaves the deck being
// edited as it was and says why; a slide whose question cannot be asked is refused;
// moving and deleting keep the selection on the slide the teacher works on.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "app/logic/deck_editor.hpp"
#include "app/logic/settings.hpp"
#include "core/anim/presets.hpp"
#include "core/lecture/questions.hpp"

using namespace convscope;
using namespace convscope::gui;
namespace fs = std::filesystem;

namespace {

ViewCapture preset_view(const std::string& name) {
    ViewCapture c;
    c.session = session_from_preset(name);
    c.session_is_preset = true;
    return c;
}

}  // namespace

TEST_CASE("a deck that fails to open or save leaves the deck being edited and says why", "[deck][editor]") {
    const fs::path root = fs::temp_directory_path() / ("convscope_deck_editor_" + std::to_string(::getpid()));
    fs::create_directories(root);
    DeckEditor editor;
    new_deck(editor);
    editor.new_title = "one";
    REQUIRE(add_captured_slide(editor, preset_view("seed-dilated")));
    CHECK(editor.unsaved);
    CHECK(editor.new_title.empty());  // the form is ready for the next slide
    std::ofstream(root / "bad.json") << R"({"format": "convscope-deck", "version": 1, "slides": [{"title": "x", "session": "../../etc/passwd"}]})";
    CHECK_FALSE(open_deck(editor, (root / "bad.json").string()));
    CHECK(editor.message_is_error);
    CHECK_THAT(editor.message, Catch::Contains("slide 1: key 'session'") && Catch::Contains("leaves the deck's folder"));
    REQUIRE(editor.deck.slides.size() == 1);
    CHECK(editor.deck.slides[0].title == "one");
    CHECK_FALSE(save_deck(editor, (root / "no" / "such" / "folder.json").string()));
    CHECK_THAT(editor.message, Catch::StartsWith("not saved: ") && Catch::Contains("does not exist"));
    CHECK(editor.unsaved);
    CHECK(save_deck(editor, (root / "deck.json").string()));
    CHECK_FALSE(editor.unsaved);
    CHECK(editor.path == (root / "deck.json").string());
    DeckEditor other;
    CHECK(open_deck(other, editor.path));
    CHECK(other.deck.slides.size() == 1);
    CHECK(other.deck.slides[0] == editor.deck.slides[0]);
    fs::remove_all(root);
}

TEST_CASE("a new slide hides what the canvas hides: the form's ticks are the canvas's, so they preview there", "[deck][editor]") {
    DeckEditor editor;
    new_deck(editor);
    ViewCapture view = preset_view("arith-t-strides");
    view.hide.shape = true;  // "hide its shape too" ticked: the canvas hides the output and its size
    REQUIRE(add_captured_slide(editor, view));
    CHECK(editor.deck.slides.back().hide.shape);
    CHECK(editor.deck.slides.back().hide.output);  // hiding the shape hides the output
    view.hide = SlideHide{};
    view.hide.output = true;
    REQUIRE(add_captured_slide(editor, view));
    CHECK(editor.deck.slides.back().hide.output);
    CHECK_FALSE(editor.deck.slides.back().hide.shape);
    REQUIRE(add_captured_slide(editor, preset_view("arith-t-strides")));
    CHECK_FALSE(editor.deck.slides.back().hide.output);
    CHECK_FALSE(editor.deck.slides.back().hide.shape);
    // An output_shape question hides the size though nothing was ticked: with "2x2 -> 5x5"
    // in its headline and the grid drawn the question answered itself.
    editor.new_question = 1 + int(QuestionKind::OutputShape);
    REQUIRE(add_captured_slide(editor, preset_view("arith-t-strides")));
    CHECK(editor.deck.slides.back().hide.shape);
    CHECK(editor.deck.slides.back().hide.output);
}

TEST_CASE("a slide whose question cannot be asked of its view is refused in words", "[deck][editor]") {
    DeckEditor editor;
    editor.new_question = question_choice_of(Question{QuestionKind::OutputValues, std::nullopt, ""});
    // seed-dilated's output is 16 x 64 x 64: far too many cells to compute by hand.
    CHECK_FALSE(add_captured_slide(editor, preset_view("seed-dilated")));
    CHECK_THAT(editor.message, Catch::StartsWith("not added: ") && Catch::Contains("by hand"));
    CHECK(editor.deck.slides.empty());
    editor.new_question = question_choice_of(Question{QuestionKind::OutputShape, std::nullopt, ""});
    CHECK(add_captured_slide(editor, preset_view("seed-dilated")));
    REQUIRE(editor.deck.slides.size() == 1);
    CHECK(editor.deck.slides[0].question->kind == QuestionKind::OutputShape);
}

TEST_CASE("new slides go after the selected one; moving and deleting keep the selection sensible", "[deck][editor]") {
    DeckEditor editor;
    for (const char* t : {"a", "b", "c"}) {
        editor.new_title = t;
        REQUIRE(add_captured_slide(editor, preset_view("seed-upconv")));
    }
    CHECK(editor.selected == 2u);
    editor.selected = 0;
    editor.new_title = "after a";
    REQUIRE(add_captured_slide(editor, preset_view("seed-upconv")));
    CHECK(editor.selected == 1u);
    CHECK(editor.deck.slides[1].title == "after a");
    move_selected(editor, 1, 3);
    CHECK(editor.selected == 3u);
    CHECK(editor.deck.slides[3].title == "after a");
    delete_at(editor, 3);
    CHECK(editor.selected == 2u);
    CHECK(editor.deck.slides.size() == 3);
    move_selected(editor, 0, 7);  // outside the deck: nothing moves
    CHECK(editor.deck.slides[0].title == "a");
}

TEST_CASE("a slide's steps end at the step on screen, and its question's cell is checked by the core", "[deck][editor]") {
    DeckEditor editor;
    editor.new_question = question_choice_of(Question{QuestionKind::CellsRead, std::nullopt, ""});
    REQUIRE(add_captured_slide(editor, preset_view("arith-t-strides")));  // 2x2 -> 5x5
    CHECK(end_steps_at(editor, 0, 3));
    CHECK(editor.deck.slides[0].first_step == 0);
    CHECK(editor.deck.slides[0].last_step == 3);
    CHECK_FALSE(end_steps_at(editor, 1, 3));  // no such slide
    editor.unsaved = false;
    CHECK(set_question_cell(editor, 0, std::array<std::int64_t, 2>{4, 0}));
    CHECK(editor.unsaved);
    CHECK(resolve_slide(editor.deck.slides[0]).question->cell == std::array<std::int64_t, 2>{4, 0});
    CHECK(slide_answer(resolve_slide(editor.deck.slides[0])).cell == std::array<std::int64_t, 2>{4, 0});
    CHECK_FALSE(set_question_cell(editor, 0, std::array<std::int64_t, 2>{5, 0}));  // the output is 5x5
    CHECK(editor.message_is_error);
    CHECK_THAT(editor.message, Catch::StartsWith("cell not changed: ") && Catch::Contains("outside"));
    CHECK(editor.deck.slides[0].question->cell == std::array<std::int64_t, 2>{4, 0});  // unchanged
    CHECK(set_question_cell(editor, 0, std::nullopt));
    CHECK_FALSE(editor.deck.slides[0].question->cell);
    // A row typed while the column still says -1 (the middle): that row's middle cell.
    CHECK(set_question_cell(editor, 0, std::array<std::int64_t, 2>{4, -1}));
    CHECK(editor.deck.slides[0].question->cell == std::array<std::int64_t, 2>{4, 2});
    CHECK(set_question_cell(editor, 0, std::array<std::int64_t, 2>{-1, 1}));
    CHECK(editor.deck.slides[0].question->cell == std::array<std::int64_t, 2>{2, 1});
    CHECK(set_question_cell(editor, 0, std::array<std::int64_t, 2>{-1, -1}));
    CHECK_FALSE(editor.deck.slides[0].question->cell);
}

TEST_CASE("the deck open at quit is kept in the settings and reopened at launch; a missing or bad one is said in the panel",
          "[deck][editor][settings]") {
    const fs::path root = fs::temp_directory_path() / ("convscope_kept_deck_" + std::to_string(::getpid()));
    fs::create_directories(root);
    const std::string settings = (root / "settings.json").string();
    // A deck prepared and saved, the panel open at quit: its path is kept.
    DeckEditor editor;
    new_deck(editor);
    REQUIRE(add_captured_slide(editor, preset_view("seed-dilated")));
    CHECK(deck_to_keep(editor).empty());  // never saved: nothing to reopen
    REQUIRE(save_deck(editor, (root / "lecture.json").string()));
    Settings kept;
    kept.deck_path = deck_to_keep(editor);
    CHECK(kept.deck_path == (root / "lecture.json").string());
    save_settings(kept, settings);
    const Settings loaded = load_settings(settings);
    CHECK(loaded.deck_path == kept.deck_path);
    CHECK_FALSE(loaded.text_size_chosen);  // keeping the deck does not pick a text size
    // The next launch reopens it, in its panel.
    DeckEditor launch;
    CHECK(reopen_kept_deck(launch, loaded.deck_path));
    CHECK(launch.show);
    CHECK(launch.path == kept.deck_path);
    REQUIRE(launch.deck.slides.size() == 1);
    CHECK(launch.deck.slides[0] == editor.deck.slides[0]);
    // Nothing kept: nothing opens.
    DeckEditor none;
    CHECK_FALSE(reopen_kept_deck(none, ""));
    CHECK_FALSE(none.show);
    // A deck gone, damaged, refused by the reader, or a folder: the panel opens and says
    // why in red; the app goes on with an empty deck.
    std::ofstream(root / "damaged.json") << "{\"format\": \"convscope-deck\", \"slides\": [";
    std::ofstream(root / "refused.json") << R"({"format": "convscope-deck", "version": 1, "slides": [{"preset": "no-such-preset"}]})";
    for (const fs::path& bad : {root / "gone.json", root / "damaged.json", root / "refused.json", root}) {
        INFO(bad.string());
        DeckEditor failed;
        CHECK_FALSE(reopen_kept_deck(failed, bad.string()));
        CHECK(failed.show);
        CHECK(failed.message_is_error);
        CHECK_THAT(failed.message, Catch::StartsWith("the deck open at the last quit was not reopened: ") && Catch::Contains(bad.string()));
        CHECK(failed.deck.slides.empty());
        CHECK(failed.path.empty());
    }
    // The panel closed at quit: nothing is reopened next time.
    launch.show = false;
    CHECK(deck_to_keep(launch).empty());
    // A settings file with a deck path that is not a string, or absurdly long, keeps none.
    std::ofstream(settings) << R"({"deck_path": 7})";
    CHECK(load_settings(settings).deck_path.empty());
    std::ofstream(settings) << "{\"deck_path\": \"" << std::string(kMaxKeptPathLength + 1, 'a') << "\"}";
    CHECK(load_settings(settings).deck_path.empty());
    fs::remove_all(root);
}
