#include "app/logic/deck_editor.hpp"

#include <algorithm>
#include <filesystem>

#include "core/base/errors.hpp"
#include "core/lecture/questions.hpp"

namespace convscope::gui {

using std::int64_t;

void say(DeckEditor& editor, const std::string& message, bool error) {
    editor.message = message;
    editor.message_is_error = error;
}

void new_deck(DeckEditor& editor) {
    editor.deck = DeckDraft{};
    editor.path.clear();
    editor.selected.reset();
    editor.unsaved = false;
    editor.show = true;
    say(editor, "a new deck: show a view and press \"Add this view as a slide\"", false);
}

bool open_deck(DeckEditor& editor, const std::string& path) {
    editor.show = true;
    try {
        DeckDraft deck = load_deck_draft(path);
        editor.deck = std::move(deck);
        editor.path = path;
        editor.path_field = path;
        editor.unsaved = false;
        editor.selected.reset();
        say(editor, "opened " + path + " (" + std::to_string(editor.deck.slides.size()) + " slides)", false);
        return true;
    } catch (const UserError& e) {
        say(editor, path + ": " + e.what(), true);
    } catch (const std::bad_alloc&) {
        say(editor, path + ": out of memory reading it", true);
    }
    return false;
}

bool reopen_kept_deck(DeckEditor& editor, const std::string& path) {
    if (path.empty()) return false;
    if (open_deck(editor, path)) return true;
    say(editor, "the deck open at the last quit was not reopened: " + editor.message, true);
    return false;
}

std::string deck_to_keep(const DeckEditor& editor) { return editor.show ? editor.path : std::string(); }

bool save_deck(DeckEditor& editor, const std::string& path) {
    try {
        save_deck_draft(editor.deck, path);
        editor.path = path;
        editor.path_field = path;
        editor.unsaved = false;
        say(editor, "saved " + path + " (" + std::to_string(editor.deck.slides.size()) + " slides)", false);
        return true;
    } catch (const UserError& e) {
        say(editor, "not saved: " + std::string(e.what()), true);
    }
    return false;
}

std::optional<Question> question_choice(int choice) {
    if (choice < 1 || choice > int(std::size(kAllQuestionKinds))) return std::nullopt;
    Question q;
    q.kind = kAllQuestionKinds[choice - 1];
    return q;
}

int question_choice_of(const std::optional<Question>& question) {
    if (!question) return 0;
    for (int i = 0; i < int(std::size(kAllQuestionKinds)); ++i)
        if (kAllQuestionKinds[i] == question->kind) return i + 1;
    return 0;
}

bool add_captured_slide(DeckEditor& editor, const ViewCapture& capture) {
    SlideDraft slide = capture_slide(capture);
    slide.title = editor.new_title.substr(0, kMaxDeckText);
    slide.notes = editor.new_notes.substr(0, kMaxDeckText);
    slide.question = question_choice(editor.new_question);
    // What the canvas hides (the form's ticks are the canvas's: they preview there); an
    // output_shape question's page hides the output's size whatever they say (the deck
    // reader does too).
    const bool asks_shape = slide.question && slide.question->kind == QuestionKind::OutputShape;
    slide.hide.shape = capture.hide.shape || asks_shape;
    slide.hide.output = capture.hide.output || slide.hide.shape;
    try {
        const Slide resolved = resolve_slide(slide);  // the reader must take it as it is
        if (resolved.question) slide_answer(resolved);
        const std::size_t after = editor.selected ? *editor.selected : editor.deck.slides.size();
        editor.selected = insert_slide(editor.deck, std::move(slide), after);
    } catch (const UserError& e) {
        say(editor, "not added: " + std::string(e.what()), true);
        return false;
    }
    editor.unsaved = true;
    editor.new_title.clear();
    editor.new_notes.clear();
    editor.new_question = 0;
    say(editor, "added slide " + std::to_string(*editor.selected + 1) + " of " + std::to_string(editor.deck.slides.size()), false);
    return true;
}

bool end_steps_at(DeckEditor& editor, std::size_t index, std::int64_t frame) {
    if (index >= editor.deck.slides.size()) return false;
    SlideDraft& slide = editor.deck.slides[index];
    slide.first_step = 0;
    slide.last_step = std::max<std::int64_t>(0, frame);
    editor.unsaved = true;
    say(editor, "slide " + std::to_string(index + 1) + " plays steps 0:" + std::to_string(*slide.last_step), false);
    return true;
}

bool set_question_cell(DeckEditor& editor, std::size_t index, const std::optional<std::array<std::int64_t, 2>>& asked) {
    if (index >= editor.deck.slides.size() || !editor.deck.slides[index].question) return false;
    SlideDraft changed = editor.deck.slides[index];
    std::optional<std::array<std::int64_t, 2>> cell = asked;
    try {
        // -1 is the middle of the output: a row typed while the column still says -1
        // asks about that row's middle cell (the core says where the middle is).
        if (cell && (*cell)[0] < 0 && (*cell)[1] < 0) cell.reset();
        if (cell && ((*cell)[0] < 0 || (*cell)[1] < 0)) {
            changed.question->cell = std::nullopt;
            const std::array<std::int64_t, 2> middle = slide_answer(resolve_slide(changed)).cell;
            for (int axis = 0; axis < 2; ++axis)
                if ((*cell)[std::size_t(axis)] < 0) (*cell)[std::size_t(axis)] = middle[std::size_t(axis)];
        }
        changed.question->cell = cell;
        slide_answer(resolve_slide(changed));  // the core must be able to answer it there
    } catch (const UserError& e) {
        say(editor, "cell not changed: " + std::string(e.what()), true);
        return false;
    }
    editor.deck.slides[index] = std::move(changed);
    editor.unsaved = true;
    say(editor,
        "slide " + std::to_string(index + 1) + " asks about " +
            (cell ? "output cell (" + std::to_string((*cell)[0]) + ", " + std::to_string((*cell)[1]) + ")" : std::string("the middle output cell")),
        false);
    return true;
}

bool choose_deck_file(DeckEditor& editor, bool save) {
    if (editor.chooser.running()) return true;
    ChooserRequest request;
    request.title = save ? "Save the deck" : "Open a deck";
    request.save = save;
    request.initial_path = editor.path.empty() ? (save ? std::string("deck.json") : std::string()) : editor.path;
    request.filter_name = "Decks (*.json)";
    request.filter_pattern = "*.json";
    return editor.chooser.start(request, save ? DeckEditor::ChooserPurpose::SaveDeck : DeckEditor::ChooserPurpose::OpenDeck);
}

void poll_deck_chooser(DeckEditor& editor) {
    const std::optional<std::string> path = editor.chooser.take();
    if (!path || path->empty()) return;  // still open, or cancelled
    if (editor.chooser.purpose() == DeckEditor::ChooserPurpose::SaveDeck) save_deck(editor, std::filesystem::path(*path).has_extension() ? *path : *path + ".json");
    else open_deck(editor, *path);
}

void move_selected(DeckEditor& editor, std::size_t from, std::size_t to) {
    if (from >= editor.deck.slides.size() || to >= editor.deck.slides.size() || from == to) return;
    move_slide(editor.deck, from, to);
    editor.selected = to;
    editor.unsaved = true;
}

void delete_at(DeckEditor& editor, std::size_t index) {
    if (index >= editor.deck.slides.size()) return;
    delete_slide(editor.deck, index);
    editor.unsaved = true;
    if (editor.deck.slides.empty()) editor.selected.reset();
    else if (editor.selected) editor.selected = std::min(*editor.selected, editor.deck.slides.size() - 1);
    say(editor, "deleted slide " + std::to_string(index + 1), false);
}

}  // namespace convscope::gui
