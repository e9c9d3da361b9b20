#pragma once
/// \file questions.hpp
/// The answers to a slide's or a worksheet's question, computed by the core (never typed
/// into a deck): the output's shape, its values, the receptive field of one output cell
/// and the input cells it reads, all through the same operators `eval`, `shape` and
/// `rf` use, so an answer is PyTorch's.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/anim/session.hpp"
#include "core/lecture/deck.hpp"

namespace convscope {

/// Largest output asked for by hand (output_values): N * C * H * W cells.
inline constexpr std::int64_t kMaxHandOutputCells = 256;

struct Answer {
    QuestionKind kind = QuestionKind::OutputShape;
    std::array<std::int64_t, 4> input_shape{};   ///< N, C, H, W of the stack's input
    std::array<std::int64_t, 4> output_shape{};  ///< N, C, H, W of the last layer asked about
    Tensor4 values;                              ///< output_values: the output tensor
    std::array<std::int64_t, 2> cell{};          ///< rf_size, cells_read: the output cell
    std::array<std::int64_t, 2> rf_size{};       ///< rows, cols of the field's bounding box
    std::vector<std::array<std::int64_t, 2>> cells;  ///< cells_read: input cells, row-major
};

/// The question about the first `layer_count` layers of the session (its input, and the
/// output of layer layer_count - 1). UserError when the question cannot be asked of
/// them (a cell outside the output, too many cells to compute by hand, a layer the
/// receptive-field engine does not take).
Answer compute_answer(const Session& session, std::int64_t layer_count, const Question& question);

/// A slide's question about the layers it shows (slide_layer_count).
Answer slide_answer(const Slide& slide);

/// The middle cell of an output of h x w: away from the borders wherever the output has
/// an interior (a representative cell).
std::array<std::int64_t, 2> representative_cell(std::int64_t h, std::int64_t w);

/// The `answer` value of the worksheet key: [N, C, H, W], a tensor {"shape", "data"},
/// [rows, cols], or a list of [row, col].
nlohmann::json answer_to_json(const Answer& answer);

/// What the question asks, in a sentence ("What is the shape of the output?").
std::string question_prompt(QuestionKind kind, const std::array<std::int64_t, 2>& cell);
/// What a slide's question page must say besides the question, so that it can be
/// answered from the page alone (a receptive-field figure shows no layer, a hidden shape
/// no input size): "The input is [1, 3, 64, 64]." or "4 layers: Conv2d k=3, dilation 1, 2, 4, 8."
/// "" where the figure already shows all it takes (output_values).
std::string question_context(const Slide& slide, const Answer& answer);
/// The answer in words and numbers, one line each, for a page or the presenter.
std::vector<std::string> answer_lines(const Answer& answer);

}  // namespace convscope
