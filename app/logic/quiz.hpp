#pragma once
/// \file quiz.hpp
/// The Quiz panel's questions for self-study: one of the four kinds of the decks and
/// worksheets (output_shape, output_values, rf_size, cells_read), asked of the figure on
/// screen or of a small exercise drawn from a seed by the worksheet's generator
/// (core/lecture/worksheet.hpp), answered by the student as text and graded against the
/// core's answer (core/lecture/questions.hpp), with one sentence saying why, formula
/// and numbers included. Malformed text is a message, never a crash.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/anim/session.hpp"
#include "core/lecture/questions.hpp"

namespace convscope::gui {

using Cell = std::array<std::int64_t, 2>;

/// A question and what its figure needs: the input and output planes (batch 0,
/// channel 0), the layers between them, the core's answer and the output cell's field.
struct QuizQuestion {
    QuestionKind kind = QuestionKind::OutputShape;
    std::string source;               ///< "the figure on screen" or "exercise 3 (seed 7)"
    bool on_figure = false;           ///< asked about the figure on screen
    std::string code;                 ///< the last layer as PyTorch code
    std::vector<Layer> layers;        ///< the layers asked about, input to output
    Tensor4 input, output;            ///< 1 x 1 x H x W planes drawn in the figure
    std::optional<Tensor4> kernel;    ///< the exercise's kernel (an exercise has one layer)
    std::optional<double> bias;
    Answer answer;                    ///< cells filled for rf_size too (the field lit)
    std::array<std::int64_t, 2> field_rows{}, field_cols{};  ///< the field's box, first..last
    /// The last layer's size arithmetic with the numbers ("H_out = floor((5 + 2*1 - 1*(3-1) - 1) / 2) + 1 = 3").
    std::string formula_h, formula_w;
};

/// The kinds in the Quiz panel's order.
inline constexpr int kQuizKinds = 4;

/// The question of `kind` about the session's layers 0..layer_index (what the canvas
/// shows). UserError when it cannot be asked of it (output_values of a big output).
QuizQuestion question_on_session(const Session& session, QuestionKind kind);
/// Exercise number `index` drawn from `seed` (the worksheet's generator): the same
/// seed and index give the same exercise.
QuizQuestion question_from_exercise(std::uint64_t seed, std::int64_t index, QuestionKind kind);

/// What the student typed or clicked.
struct QuizResponse {
    std::string text;                 ///< output_shape "N,C,H,W"; rf_size "rows x cols"; cells_read "r,c r,c ..."
    std::vector<std::string> values;  ///< output_values: one box per output cell, row-major
    std::vector<Cell> clicked;        ///< cells_read: input cells clicked on the figure
};

struct Grade {
    bool understood = false;  ///< the answer could be read (else `message` says how to write it)
    bool correct = false;
    std::string message;      ///< one sentence: right or wrong, why, with the formula and numbers
    std::vector<Cell> wrong;  ///< output_values: output cells that differ
    std::vector<Cell> missed, extra;  ///< cells_read: cells read but not given, given but not read
};

Grade grade(const QuizQuestion& question, const QuizResponse& response);

/// The Quiz panel's state (View > Quiz).
struct QuizState {
    bool show = false;
    int kind = 0;                  ///< index into kAllQuestionKinds
    bool on_figure = false;        ///< ask about the figure on screen (else a fresh exercise)
    std::uint64_t seed = 1;        ///< the exercises' seed
    std::int64_t index = 0;        ///< the next exercise drawn from it
    std::optional<QuizQuestion> question;
    QuizResponse response;
    std::optional<Grade> result;   ///< set by Check, cleared by any new answer
    std::string error;             ///< why no question could be posed
};

/// "New question": poses the chosen kind on the figure (`figure`) or on the next
/// exercise of the seed; on failure the previous question stays and `error` says why.
void new_question(QuizState& quiz, const Session& figure);
/// "Check": grades the response.
void check_answer(QuizState& quiz);
/// True while a cells_read question about the figure's one layer waits for its answer:
/// then a click on an input cell of the canvas gives that cell (toggle_quiz_cell).
bool quiz_takes_canvas_clicks(const QuizState& quiz);
/// Adds input cell `cell` to the answer, or takes it back when it was given; a cell
/// outside the input is ignored. Clears the last grade.
void toggle_quiz_cell(QuizState& quiz, const Cell& cell);

/// Whole numbers in `text` separated by commas, spaces, 'x', brackets or parentheses
/// ("torch.Size([1, 1, 4, 4])" gives 1 1 4 4); nothing when anything else is in it.
std::optional<std::vector<std::int64_t>> parse_whole_numbers(const std::string& text);

}  // namespace convscope::gui
