#pragma once
/// \file deck_editor.hpp
/// The app's deck editor (File > New deck, Open deck, Save deck; the Deck panel): the
/// deck being built (core/lecture/deck_draft.hpp), the slide selected, the "add this
/// view" form and the last message. A deck that fails to open, or a save that fails,
/// leaves the deck being edited as it was and says why.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/logic/file_chooser.hpp"
#include "core/lecture/deck_draft.hpp"

namespace convscope::gui {

struct DeckEditor {
    bool show = false;            ///< the Deck panel is open
    DeckDraft deck;
    std::string path;             ///< where the deck is saved ("" : not yet)
    bool unsaved = false;         ///< edited since it was opened or saved
    std::optional<std::size_t> selected;
    // The "add this view as a slide" form.
    std::string new_title, new_notes;
    int new_question = 0;         ///< 0: no question, 1 + QuestionKind otherwise
    std::string path_field;       ///< the panel's typed path (no desktop chooser)
    std::string message;          ///< the last open / save / add, in words
    bool message_is_error = false;
    enum class ChooserPurpose { OpenDeck, SaveDeck };
    ChooserSlot<ChooserPurpose> chooser;  ///< the desktop's chooser while it is open
};

/// An empty deck (the one being edited is dropped).
void new_deck(DeckEditor& editor);
/// Opens the deck at `path`; on failure the deck being edited stays and the message
/// says why. Returns true when opened.
bool open_deck(DeckEditor& editor, const std::string& path);
/// At launch: reopens the deck that was open in the Deck panel at the last quit (kept in
/// the settings). A missing or refused file opens the panel with the reason in red; the
/// app starts anyway. False (nothing changed) for "" or on failure.
bool reopen_kept_deck(DeckEditor& editor, const std::string& path);
/// The deck to reopen at the next launch: the saved deck open in the panel ("" when the
/// panel is closed or the deck has never been saved).
std::string deck_to_keep(const DeckEditor& editor);
/// Saves to `path` (atomically; the deck reader checks it first).
bool save_deck(DeckEditor& editor, const std::string& path);
/// Adds a slide of `capture` after the selected slide (at the end when none), with the
/// form's title, notes, question and hide flags, and selects it; refused (in words)
/// when the deck reader would refuse it or its question cannot be asked of it.
bool add_captured_slide(DeckEditor& editor, const ViewCapture& capture);
/// Says `message` in the panel (red when `error`).
void say(DeckEditor& editor, const std::string& message, bool error);
/// Opens the desktop's file chooser for a deck to open or a place to save it; false
/// when there is none (then the panel's typed path is used).
bool choose_deck_file(DeckEditor& editor, bool save);
/// Once the chooser has closed: opens or saves the deck there. Call once per frame.
void poll_deck_chooser(DeckEditor& editor);
/// Slide `index` plays its steps from 0 to `frame` (the step on screen when the slide
/// was opened in the app and stepped); false (said in the panel) when out of the deck.
bool end_steps_at(DeckEditor& editor, std::size_t index, std::int64_t frame);
/// The output cell slide `index`'s rf_size or cells_read question asks about (none, or
/// -1 on both axes: the middle of the output; -1 on one axis: the middle on that axis);
/// refused in words (the slide unchanged) when the core cannot answer it there
/// (outside the output).
bool set_question_cell(DeckEditor& editor, std::size_t index, const std::optional<std::array<std::int64_t, 2>>& cell);
/// Moves, deletes: the selection follows the slide moved, or the next one.
void move_selected(DeckEditor& editor, std::size_t from, std::size_t to);
void delete_at(DeckEditor& editor, std::size_t index);
/// The question of a slide from the form's choice (0: none).
std::optional<Question> question_choice(int choice);
int question_choice_of(const std::optional<Question>& question);

}  // namespace convscope::gui
