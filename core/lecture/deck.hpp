#pragma once
/// \file deck.hpp
/// A lecture deck (../shared/CONTRACT.md, "Lectures"): a versioned JSON list of slides,
/// each a preset or a session with what the slide shows of it (view, style, layer, ...)
/// and at most one question whose answer the core computes (core/lecture/questions.hpp).
/// Decks come from users and are hostile: the size is checked before reading, every
/// key is checked and unknown keys are refused, naming the slide and the key; session
/// and picture paths are relative to the deck's folder and never leave it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/anim/session.hpp"

namespace convscope {

inline constexpr int kDeckVersion = 1;
/// Largest deck file read (a deck is a few KiB; inline sessions make it more).
inline constexpr std::size_t kMaxDeckBytes = std::size_t{4} << 20;
inline constexpr std::size_t kMaxDeckSlides = 500;
/// Longest title, note or question text kept (characters).
inline constexpr std::size_t kMaxDeckText = 2000;

/// What a slide draws of its session.
enum class SlideView { Canvas, Pipeline, Channels, ReceptiveField, Matrix, Lab, DilationContext };
inline constexpr SlideView kAllSlideViews[] = {SlideView::Canvas,         SlideView::Pipeline, SlideView::Channels,
                                               SlideView::ReceptiveField, SlideView::Matrix,   SlideView::Lab,
                                               SlideView::DilationContext};
/// "canvas", "pipeline", "channels", "receptive-field", "matrix", "lab", "dilation-context".
const char* slide_view_name(SlideView view);

enum class QuestionKind { OutputShape, OutputValues, RfSize, CellsRead };
inline constexpr QuestionKind kAllQuestionKinds[] = {QuestionKind::OutputShape, QuestionKind::OutputValues,
                                                     QuestionKind::RfSize, QuestionKind::CellsRead};
/// "output_shape", "output_values", "rf_size", "cells_read".
const char* question_kind_name(QuestionKind kind);
/// The names above; UserError naming `what`, the value and the list otherwise.
QuestionKind parse_question_kind(const std::string& name, const std::string& what);

struct Question {
    QuestionKind kind = QuestionKind::OutputShape;
    /// rf_size and cells_read: the output cell of the last layer asked about ([row, col]);
    /// empty: a representative interior cell (the middle of the output).
    std::optional<std::array<std::int64_t, 2>> cell;
    std::string text;  ///< the question as the slide asks it ("" : the kind's own wording)
};

/// What a slide hides of its figure, to be worked out by hand.
struct SlideHide {
    bool output = false;  ///< the output cells drawn empty: grid only, no values, no colours
    bool shape = false;   ///< the output's size and its arithmetic left out too
};

/// A lab slide trains its models afresh up to its steps' end: at most this many steps.
inline constexpr std::int64_t kMaxLabSlideSteps = 2000;

struct Slide {
    std::string title;
    std::string preset;        ///< the preset it starts from ("" : a session)
    std::string session_path;  ///< the session file, resolved inside the deck's folder ("" : preset or inline)
    /// The session the slide shows: the preset's or the session's, with the slide's
    /// image, style, layer, transposed_view, pass and granularity applied.
    Session session;
    SlideView view = SlideView::Canvas;
    /// steps "A:B" (0-based, inclusive): the animation's range; the still is its last.
    std::optional<std::int64_t> first_step, last_step;
    SlideHide hide;
    std::string notes;  ///< the teacher's notes (the presenter shows them, pages do not)
    std::optional<Question> question;
};

struct Deck {
    std::string title;
    std::string folder;  ///< the deck file's folder (canonical), "" for a deck from memory
    std::vector<Slide> slides;
};

/// A deck from its JSON; session and image paths resolve inside `folder` (which must
/// exist when a slide names a file). UserError "slide 3: key 'hide': ..." (1-based) or
/// "key 'format': ..." for the deck's own keys.
Deck deck_from_json(const nlohmann::json& j, const std::string& folder);
/// Reads at most kMaxDeckBytes and parses; the deck's folder is the file's.
Deck load_deck(const std::string& path);

/// `relative` inside `folder`: no absolute path, no '..' leaving it, symlinks resolved
/// and the result checked to lie inside the folder; the file must exist. UserError
/// naming `what` otherwise. Returns the canonical path.
std::string path_inside_folder(const std::string& folder, const std::string& relative, const std::string& what);

/// The layers the slide shows, as a count from the first: the whole stack for the
/// pipeline and receptive-field views, else up to and including the animated layer.
std::int64_t slide_layer_count(const Slide& slide);

}  // namespace convscope
