#pragma once
/// \file deck_draft.hpp
/// A deck as its author edits it (the app's Deck panel): each slide kept as the keys
/// of the deck's JSON (../shared/CONTRACT.md, "Lectures"), not as the session the
/// keys make, so that saving writes back exactly what was opened or captured. Files a
/// slide names (a session file, a picture) are held as absolute paths while editing
/// and written relative to the deck's folder; the deck reader (deck.hpp) checks every
/// deck before it is written, so a saved deck always reads back.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lecture/deck.hpp"

namespace convscope {

struct SlideDraft {
    std::string title;
    /// Exactly one of the three: a preset's name, a session object, a session file.
    std::string preset;
    std::optional<nlohmann::json> session;  ///< inline session (no picture file inside)
    std::string session_file;               ///< absolute path of a session file
    SlideView view = SlideView::Canvas;
    /// The slide's keys as the deck spells them; empty: the key is not written.
    std::string style, transposed_view, pass, granularity;
    std::optional<std::int64_t> layer;
    std::optional<std::int64_t> first_step, last_step;  ///< "steps": "A:B"
    SlideHide hide;
    std::string image;  ///< absolute path of the input picture ("" : none)
    std::string notes;
    std::optional<Question> question;

    bool operator==(const SlideDraft& o) const;
    bool operator!=(const SlideDraft& o) const { return !(*this == o); }
};

struct DeckDraft {
    std::string title;
    std::vector<SlideDraft> slides;
};

/// The deck's JSON. Files are written relative to `folder`; UserError naming the slide
/// when one lies outside it (a deck names only files in its own folder).
nlohmann::json deck_draft_to_json(const DeckDraft& deck, const std::string& folder);
/// One slide's JSON (files relative to `folder`).
nlohmann::json slide_draft_to_json(const SlideDraft& slide, const std::string& folder);
/// A draft from a deck's JSON, after the deck reader has accepted it (every hostile
/// value refused as deck_from_json refuses it); files resolved inside `folder`.
DeckDraft deck_draft_from_json(const nlohmann::json& j, const std::string& folder);
/// Reads, checks (load_deck) and makes a draft of the deck at `path`.
DeckDraft load_deck_draft(const std::string& path);
/// Checks the deck as the reader will read it, then writes it atomically (a
/// temporary file renamed over `path`): a deck that would not read back is not
/// written, and a failed write leaves the old file. UserError saying why.
void save_deck_draft(const DeckDraft& deck, const std::string& path);
/// The slide as the deck reader makes it (its session, view, steps, question), files
/// resolved from the root folder: what the app opens when the slide is selected.
Slide resolve_slide(const SlideDraft& slide);

/// What "Add this view as a slide" captures of the app.
struct ViewCapture {
    Session session;  ///< the configuration on screen (drawn_session)
    SlideView view = SlideView::Canvas;
    bool session_is_preset = false;  ///< the document is its preset, not edited
    SlideHide hide;                  ///< what the canvas hides (its "output" menu)
    std::int64_t lab_steps = 0;      ///< the lab view: training steps done on screen
};
/// A slide of the view: the preset (when the document is one, and differs from it at
/// most in what a slide's keys set) or the session inline, with its style, layer,
/// transposed view, pass, granularity, steps 0:frame and picture. Title, notes, hide
/// and question are the author's to add.
SlideDraft capture_slide(const ViewCapture& capture);
/// True when `session` is preset `name` but for what slide keys set (layer, style,
/// transposed view, pass, granularity, frame, theme, picture).
bool same_as_preset(const Session& session, const std::string& name);

// Editing. Every index is checked; UserError for one outside the deck.
/// Moves slide `from` to position `to` (the others keep their order).
void move_slide(DeckDraft& deck, std::size_t from, std::size_t to);
void delete_slide(DeckDraft& deck, std::size_t index);
/// Inserts after `after` (the end when it is past the last slide); returns the index.
std::size_t insert_slide(DeckDraft& deck, SlideDraft slide, std::size_t after);

}  // namespace convscope
