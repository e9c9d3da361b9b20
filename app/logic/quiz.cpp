#include "app/logic/quiz.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <set>

#include "core/base/errors.hpp"
#include "core/base/wording.hpp"
#include "core/io/pycode.hpp"
#include "core/lecture/worksheet.hpp"
#include "core/nn/conv.hpp"
#include "core/nn/rf.hpp"
#include "core/nn/shape.hpp"

namespace convscope::gui {

using std::int64_t;

namespace {

std::string cell_text(const Cell& c) { return "(" + std::to_string(c[0]) + ", " + std::to_string(c[1]) + ")"; }

std::string shape_text(const std::array<int64_t, 4>& s) {
    return "[" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + ", " + std::to_string(s[3]) + "]";
}

std::string number_text(double v) {
    if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(int64_t(v));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

/// Channel 0 of batch 0 of `t` as a 1 x 1 x H x W plane.
Tensor4 first_plane(const Tensor4& t) {
    const auto& s = t.shape();
    if (s[0] == 0 || s[1] == 0) throw UserError("the map is empty (a batch or channel count of 0)");
    Tensor4 plane = Tensor4::from_shape({1, 1, s[2], s[3]});
    for (std::size_t r = 0; r < s[2]; ++r)
        for (std::size_t c = 0; c < s[3]; ++c) plane(0, 0, r, c) = t(0, 0, r, c);
    return plane;
}

/// The field of the answer's cell through `stack`: its box and, for both rf kinds, its cells.
void fill_field(QuizQuestion& q, RfStack stack) {
    stack.output_cell = q.answer.cell;
    const RfResult rf = compute_receptive_field(stack);
    const AxisPaths& rows = rf.paths[0][0];
    const AxisPaths& cols = rf.paths[1][0];
    q.field_rows = {rows.first, rows.last};
    q.field_cols = {cols.first, cols.last};
    q.answer.rf_size = {std::max<int64_t>(0, rows.last - rows.first + 1), std::max<int64_t>(0, cols.last - cols.first + 1)};
    q.answer.cells.clear();
    for (int64_t r = rows.first; r <= rows.last; ++r)
        for (int64_t c = cols.first; c <= cols.last; ++c) {
            const PathCount p = rf.count(r, c);
            if (p.approx > 0 || p.exact > 0) q.answer.cells.push_back({r, c});
        }
}

/// The last layer's size formulas, on the shape that reaches it.
void fill_formulas(QuizQuestion& q) {
    std::array<int64_t, 4> s = q.answer.input_shape;
    for (std::size_t i = 0; i < q.layers.size(); ++i) {
        const LayerGeometry g = resolve_layer(q.layers[i], s[0], s[1], s[2], s[3]);
        if (i + 1 == q.layers.size()) {
            q.formula_h = g.h().formula;
            q.formula_w = g.w().formula;
        }
        s = {g.batch, g.out_channels, g.h().out, g.w().out};
    }
}

}  // namespace

QuizQuestion question_on_session(const Session& session, QuestionKind kind) {
    if (session.layers.empty()) throw UserError("the figure has no layers to ask about");
    const int64_t layer_count = std::clamp<int64_t>(session.layer_index, 0, int64_t(session.layers.size()) - 1) + 1;
    QuizQuestion q;
    q.kind = kind;
    q.source = "the figure on screen";
    q.on_figure = true;
    q.layers.assign(session.layers.begin(), session.layers.begin() + layer_count);
    q.code = to_pytorch_code(q.layers.back());
    Question asked;
    asked.kind = kind;
    q.answer = compute_answer(session, layer_count, asked);
    if (kind == QuestionKind::OutputValues && q.answer.output_shape[0] * q.answer.output_shape[1] != 1)
        throw UserError("the figure's output has " + std::to_string(q.answer.output_shape[0] * q.answer.output_shape[1]) +
                        " planes (N x C): by hand, take a fresh exercise (one plane)");
    Session forward = session;
    forward.pass = Pass::Forward;
    forward.layers = q.layers;
    const std::vector<Tensor4> maps = stack_activations(forward);
    q.input = first_plane(maps.front());
    q.output = first_plane(maps.back());
    if (kind == QuestionKind::RfSize || kind == QuestionKind::CellsRead)
        fill_field(q, session_rf_stack(session, layer_count - 1, q.answer.cell[0], q.answer.cell[1]));
    fill_formulas(q);
    return q;
}

QuizQuestion question_from_exercise(std::uint64_t seed, int64_t index, QuestionKind kind) {
    index = std::clamp<int64_t>(index, 0, kMaxWorksheetExercises - 1);
    const std::vector<Exercise> sheet = make_worksheet(seed, index + 1, {kind});
    const Exercise& e = sheet.back();
    QuizQuestion q;
    q.kind = kind;
    q.source = "exercise " + std::to_string(index + 1) + " of seed " + std::to_string(seed);
    q.layers = {e.layer};
    q.code = e.code;
    q.answer = e.answer;
    q.input = e.input;
    q.kernel = e.weights.weight;
    if (e.weights.has_bias) q.bias = e.weights.bias(0);
    q.output = e.layer.kind == LayerKind::Conv2d ? conv2d(e.input, e.weights, e.layer) : conv_transpose2d(e.input, e.weights, e.layer);
    q.answer.values = q.output;
    fill_field(q, RfStack{{q.answer.input_shape[2], q.answer.input_shape[3]}, q.layers, q.answer.cell});
    fill_formulas(q);
    return q;
}

std::optional<std::vector<int64_t>> parse_whole_numbers(const std::string& text) {
    if (text.size() > 20000) return std::nullopt;
    std::vector<int64_t> numbers;
    std::string digits;
    auto flush = [&]() -> bool {
        if (digits.empty()) return true;
        if (digits == "-" || digits.size() > 12) return false;
        numbers.push_back(std::stoll(digits));
        digits.clear();
        return true;
    };
    for (char ch : text) {
        if ((ch >= '0' && ch <= '9') || (ch == '-' && digits.empty())) digits += ch;
        else if (std::string(" \t\n,;xX*[]()").find(ch) != std::string::npos) {
            if (!flush()) return std::nullopt;
        } else return std::nullopt;
    }
    if (!flush()) return std::nullopt;
    return numbers;
}

namespace {

/// "torch.Size(" is allowed in front of a shape: it is how PyTorch prints one.
std::string without_torch_size(std::string text) {
    const std::string prefix = "torch.Size";
    const auto at = text.find(prefix);
    if (at != std::string::npos) text.erase(at, prefix.size());
    return text;
}

/// Why the field is this size, in one clause, for the layers asked about.
std::string field_rule(const QuizQuestion& q) {
    if (q.layers.size() != 1 || !q.layers[0].is_conv())
        return "each of the " + std::to_string(q.layers.size()) + " layers widens it by d(k-1) cells times the strides before it";
    const Layer& L = q.layers[0];
    const int64_t k = L.kernel.h, d = L.dilation.h, s = L.stride.h, p = L.padding.value[0];
    if (L.kind == LayerKind::ConvTranspose2d)
        return "a transposed layer's output cell r takes tap j of input cell i where i*s - p + j*d = r (s = " + std::to_string(s) +
               ", p = " + std::to_string(p) + ", d = " + std::to_string(d) + ")";
    return "a window of k taps d apart spans d(k-1)+1 = " + std::to_string(d) + "*(" + std::to_string(k) + "-1)+1 = " +
           std::to_string(d * (k - 1) + 1) + " cells, less where it hangs over the padding";
}

Grade grade_shape(const QuizQuestion& q, const QuizResponse& r) {
    Grade g;
    const auto n = parse_whole_numbers(without_torch_size(r.text));
    if (!n || n->size() != 4) {
        g.message = "Write the shape as four whole numbers N, C, H, W, for example 1, 1, 4, 4.";
        return g;
    }
    g.understood = true;
    const auto& want = q.answer.output_shape;
    g.correct = std::equal(want.begin(), want.end(), n->begin());
    // "H_out = ..." and "W_out = ..." with the same numbers: say it once.
    const bool same = q.formula_h.size() > 5 && q.formula_w.size() > 5 && q.formula_h.substr(5) == q.formula_w.substr(5);
    const std::string why = q.formula_h + (same ? ", and W_out alike" : " and " + q.formula_w);
    g.message = g.correct ? "Right: " + shape_text(want) + ", as " + why + "."
                          : "Not quite: the output is " + shape_text(want) + ", as " + why + ".";
    return g;
}

Grade grade_rf(const QuizQuestion& q, const QuizResponse& r) {
    Grade g;
    const auto n = parse_whole_numbers(r.text);
    if (!n || n->size() != 2) {
        g.message = "Write the field's size as rows x cols, for example 5 x 5.";
        return g;
    }
    g.understood = true;
    const auto& want = q.answer.rf_size;
    g.correct = (*n)[0] == want[0] && (*n)[1] == want[1];
    auto span = [](const char* one, const char* many, const std::array<int64_t, 2>& r) {
        return r[0] == r[1] ? std::string(one) + " " + std::to_string(r[0])
                            : std::string(many) + " " + std::to_string(r[0]) + ".." + std::to_string(r[1]);
    };
    g.message = std::string(g.correct ? "Right: " : "Not quite: ") + "output cell " + cell_text(q.answer.cell) + " sees input " +
                span("row", "rows", q.field_rows) + " and " + span("column", "columns", q.field_cols) + ", " + std::to_string(want[0]) +
                " x " + std::to_string(want[1]) + " (lit): " + field_rule(q) + ".";
    return g;
}

Grade grade_cells(const QuizQuestion& q, const QuizResponse& r) {
    Grade g;
    const auto n = parse_whole_numbers(r.text);
    if (!n || n->size() % 2 != 0) {
        g.message = "Type the cells as row,col pairs, for example 0,1 0,3, or click them on the input.";
        return g;
    }
    std::set<Cell> given(r.clicked.begin(), r.clicked.end());
    for (std::size_t i = 0; i + 1 < n->size(); i += 2) given.insert({(*n)[i], (*n)[i + 1]});
    if (given.empty()) {
        g.message = "No cells given yet: click the input cells the output cell reads, or type row,col pairs.";
        return g;
    }
    g.understood = true;
    const std::set<Cell> want(q.answer.cells.begin(), q.answer.cells.end());
    std::set_difference(want.begin(), want.end(), given.begin(), given.end(), std::back_inserter(g.missed));
    std::set_difference(given.begin(), given.end(), want.begin(), want.end(), std::back_inserter(g.extra));
    g.correct = g.missed.empty() && g.extra.empty();
    const std::string count = counted(int64_t(want.size()), "cell");
    g.message = g.correct ? "Right: output cell " + cell_text(q.answer.cell) + " reads these " + count + ": " + field_rule(q) + "."
                          : "Not quite: " + std::to_string(g.missed.size()) + " missed (green) and " + std::to_string(g.extra.size()) +
                                " not read (red) of the " + count + " output cell " + cell_text(q.answer.cell) + " reads: " + field_rule(q) + ".";
    return g;
}

std::string values_rule(const QuizQuestion& q) {
    if (!q.layers.empty() && q.layers.back().kind == LayerKind::ConvTranspose2d)
        return "each input cell x[i, j] adds x[i, j]*w[a, b] to output cell (i*s - p + a*d, j*s - p + b*d), plus the bias";
    return "out[r, c] = bias + the sum over the taps of w[a, b]*x[r*s - p + a*d, c*s - p + b*d] (0 in the padding)";
}

Grade grade_values(const QuizQuestion& q, const QuizResponse& r) {
    Grade g;
    const auto& s = q.output.shape();
    const std::size_t h = s[2], w = s[3];
    if (r.values.size() != h * w) {
        g.message = "Fill in all " + std::to_string(h * w) + " output cells.";
        return g;
    }
    std::vector<double> typed(h * w);
    for (std::size_t i = 0; i < h * w; ++i) {
        const Cell cell{int64_t(i / w), int64_t(i % w)};
        std::string t = r.values[i];
        t.erase(0, t.find_first_not_of(" \t"));
        t.erase(t.find_last_not_of(" \t") + 1);
        char* end = nullptr;
        typed[i] = t.empty() || t.size() > 40 ? NAN : std::strtod(t.c_str(), &end);
        if (t.empty()) g.message = "Cell " + cell_text(cell) + " is empty: fill in every output cell.";
        else if (t.size() > 40 || end != t.c_str() + t.size() || !std::isfinite(typed[i]))
            g.message = "Cell " + cell_text(cell) + ": '" + t.substr(0, 20) + "' is not a number.";
        if (!g.message.empty()) return g;
    }
    g.understood = true;
    for (std::size_t i = 0; i < h * w; ++i) {
        const double want = q.output(0, 0, i / w, i % w);
        // Two decimals are enough by hand; whole-number exercises compare exactly.
        if (std::abs(typed[i] - want) > 0.005 + 1e-9 * std::abs(want)) g.wrong.push_back({int64_t(i / w), int64_t(i % w)});
    }
    g.correct = g.wrong.empty();
    if (g.correct) g.message = "Right: all " + std::to_string(h * w) + " cells, as " + values_rule(q) + ".";
    else {
        const Cell first = g.wrong.front();
        const std::size_t at = std::size_t(first[0]) * w + std::size_t(first[1]);
        g.message = "Not quite: " + std::to_string(g.wrong.size()) + " of " + std::to_string(h * w) + " cells differ (red): cell " +
                    cell_text(first) + " is " + number_text(q.output(0, 0, std::size_t(first[0]), std::size_t(first[1]))) + ", not " +
                    number_text(typed[at]) + ", since " + values_rule(q) + ".";
    }
    return g;
}

}  // namespace

Grade grade(const QuizQuestion& q, const QuizResponse& r) {
    switch (q.kind) {
        case QuestionKind::OutputShape: return grade_shape(q, r);
        case QuestionKind::OutputValues: return grade_values(q, r);
        case QuestionKind::RfSize: return grade_rf(q, r);
        case QuestionKind::CellsRead: return grade_cells(q, r);
    }
    return Grade{};
}

void new_question(QuizState& quiz, const Session& figure) {
    const QuestionKind kind = kAllQuestionKinds[std::clamp(quiz.kind, 0, kQuizKinds - 1)];
    try {
        QuizQuestion q = quiz.on_figure ? question_on_session(figure, kind) : question_from_exercise(quiz.seed, quiz.index, kind);
        if (!quiz.on_figure) quiz.index = (quiz.index + 1) % kMaxWorksheetExercises;
        quiz.response = QuizResponse{};
        if (kind == QuestionKind::OutputValues) quiz.response.values.assign(q.output.size(), "");
        quiz.question = std::move(q);
        quiz.result.reset();
        quiz.error.clear();
    } catch (const UserError& e) {
        quiz.error = std::string("no ") + question_kind_name(kind) + " question on " + (quiz.on_figure ? "the figure" : "this exercise") +
                     ": " + e.what();
    }
}

void check_answer(QuizState& quiz) {
    if (!quiz.question) return;
    quiz.result = grade(*quiz.question, quiz.response);
}

bool quiz_takes_canvas_clicks(const QuizState& quiz) {
    return quiz.show && quiz.question && quiz.question->on_figure && quiz.question->kind == QuestionKind::CellsRead &&
           quiz.question->layers.size() == 1 && !quiz.result;
}

void toggle_quiz_cell(QuizState& quiz, const Cell& cell) {
    if (!quiz.question) return;
    const auto& s = quiz.question->input.shape();
    if (cell[0] < 0 || cell[1] < 0 || cell[0] >= int64_t(s[2]) || cell[1] >= int64_t(s[3])) return;
    auto& clicked = quiz.response.clicked;
    const auto at = std::find(clicked.begin(), clicked.end(), cell);
    if (at == clicked.end()) clicked.push_back(cell);
    else clicked.erase(at);
    quiz.result.reset();
}

}  // namespace convscope::gui
