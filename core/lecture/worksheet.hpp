#pragma once
/// \file worksheet.hpp
/// `convscope worksheet`: exercises a student does by hand, drawn deterministically from
/// a seed (one small layer each: nn.Conv2d or nn.ConvTranspose2d with stride, padding,
/// dilation, output_padding, on integer inputs 0..3 and taps -1..2, its output at most
/// 6x6), each with its answer computed by the core's operators. The same seed gives the
/// same exercises on every platform: the generator is our own (SplitMix64), not a
/// std:: distribution, whose algorithms the standard leaves to the library.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/lecture/questions.hpp"
#include "core/nn/conv_weights.hpp"

namespace convscope {

/// SplitMix64 (Steele, Lea, Flood 2014): 64 bits of state, every seed valid.
class WorksheetRandom {
public:
    explicit WorksheetRandom(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next();
    /// A whole number in [lo, hi], by rejection (no modulo bias), the same everywhere.
    std::int64_t uniform(std::int64_t lo, std::int64_t hi);

private:
    std::uint64_t state_;
};

/// Largest count of exercises on one sheet.
inline constexpr std::int64_t kMaxWorksheetExercises = 200;
/// Largest output side of an exercise (a grid a student can fill in).
inline constexpr std::int64_t kMaxExerciseOutputSide = 6;

struct Exercise {
    QuestionKind kind = QuestionKind::OutputValues;
    Layer layer;        ///< 1 -> 1 channel, nn.Conv2d or nn.ConvTranspose2d
    Tensor4 input;      ///< 1 x 1 x H x W, whole numbers 0..3
    ConvWeights weights;///< whole-number taps -1..2; bias -1..1 or none
    std::string code;   ///< the PyTorch line: "nn.Conv2d(1, 1, kernel_size=3, stride=2, bias=False)"
    Answer answer;      ///< computed by the core's operators
};

/// The operators a sheet draws its layers from, by default both.
inline const std::vector<LayerKind> kWorksheetOps{LayerKind::Conv2d, LayerKind::ConvTranspose2d};

/// `count` exercises of the kinds asked (each drawn in turn from the seed), their layers
/// of the operators in `ops` (the draws are the same whatever `ops`: with both, a sheet
/// is the one it always was). UserError for a count outside 1..kMaxWorksheetExercises,
/// no kinds or no operators.
std::vector<Exercise> make_worksheet(std::uint64_t seed, std::int64_t count, const std::vector<QuestionKind>& kinds,
                                     const std::vector<LayerKind>& ops = kWorksheetOps);

/// "conv2d,conv_transpose2d" -> operators; UserError naming --ops for an unknown one.
std::vector<LayerKind> parse_worksheet_ops(const std::string& list);

/// "output_shape,output_values" -> kinds; UserError naming --kinds for an unknown one.
std::vector<QuestionKind> parse_question_kinds(const std::string& list);

/// The answer key: {"questions": [{"kind", "code", "input", "weight", "bias", "answer",
/// ("cell"), ("input_shape")}]} as ../shared/CONTRACT.md specifies.
nlohmann::json worksheet_key(const std::vector<Exercise>& exercises);

}  // namespace convscope
