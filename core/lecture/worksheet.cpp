#include "core/lecture/worksheet.hpp"

#include "core/base/errors.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/conv.hpp"
#include "core/nn/rf.hpp"
#include "core/nn/shape.hpp"

namespace convscope {

using nlohmann::json;
using std::int64_t;

std::uint64_t WorksheetRandom::next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int64_t WorksheetRandom::uniform(int64_t lo, int64_t hi) {
    const std::uint64_t span = std::uint64_t(hi - lo) + 1;
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;  // the largest multiple of span
    std::uint64_t v = next();
    while (v >= limit) v = next();
    return lo + int64_t(v % span);
}

namespace {

/// "a,b,,c" -> {"a", "b", "", "c"}: every name between commas (an empty one is the
/// reader's to refuse).
std::vector<std::string> comma_separated(const std::string& list) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        names.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return names;
}

}  // namespace

std::vector<QuestionKind> parse_question_kinds(const std::string& list) {
    std::vector<QuestionKind> kinds;
    for (const std::string& name : comma_separated(list)) {
        const QuestionKind k = parse_question_kind(name, "--kinds");
        if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
    }
    return kinds;
}

std::vector<LayerKind> parse_worksheet_ops(const std::string& list) {
    std::vector<LayerKind> ops;
    for (const std::string& name : comma_separated(list)) {
        LayerKind k;
        if (name == "conv2d") k = LayerKind::Conv2d;
        else if (name == "conv_transpose2d") k = LayerKind::ConvTranspose2d;
        else throw UserError("--ops '" + name + "' is unknown: the operators are conv2d and conv_transpose2d, comma-separated");
        if (std::find(ops.begin(), ops.end(), k) == ops.end()) ops.push_back(k);
    }
    return ops;
}

namespace {

Tensor4 random_plane(WorksheetRandom& rng, int64_t h, int64_t w, int64_t lo, int64_t hi) {
    Tensor4 t = Tensor4::from_shape({1, 1, std::size_t(h), std::size_t(w)});
    for (double& v : t) v = double(rng.uniform(lo, hi));
    return t;
}

/// A layer whose output fits a 6x6 grid and at least 2x2, drawn until one does (the
/// ranges are small, so a few tries suffice; the draw count is bounded all the same).
Exercise draw_layer(WorksheetRandom& rng, const std::vector<LayerKind>& ops) {
    for (int attempt = 0; attempt < 1000; ++attempt) {
        Exercise e;
        Layer& L = e.layer;
        // Drawn whatever the operators asked, so that the other draws stay as they were.
        const bool drawn_transposed = rng.uniform(0, 1) == 1;
        const bool transposed = ops.size() == 1 ? ops.front() == LayerKind::ConvTranspose2d : drawn_transposed;
        L.kind = transposed ? LayerKind::ConvTranspose2d : LayerKind::Conv2d;
        L.kernel = {rng.uniform(2, 3), 0};
        L.kernel.w = L.kernel.h;
        const int64_t stride = rng.uniform(1, 2), padding = rng.uniform(0, 1);
        // Dilation 2 one time in three: the holes are the point, but not on every sheet.
        const int64_t dilation = rng.uniform(0, 2) == 0 ? 2 : 1;
        L.stride = {stride, stride};
        L.padding.value = {padding, padding};
        L.dilation = {dilation, dilation};
        if (transposed) {
            // output_padding must be below the stride or the dilation (PyTorch's rule).
            const int64_t op = std::max(stride, dilation) > 1 ? rng.uniform(0, 1) : 0;
            L.output_padding = {op, op};
        }
        L.bias = rng.uniform(0, 2) == 0;
        const int64_t h = transposed ? rng.uniform(2, 4) : rng.uniform(3, 6);
        const int64_t w = transposed ? rng.uniform(2, 4) : rng.uniform(3, 6);
        LayerGeometry g;
        try {
            g = resolve_layer(L, 1, 1, h, w);
        } catch (const UserError&) {
            continue;  // PyTorch refuses it (an output below one cell): draw again
        }
        if (g.h().out < 2 || g.w().out < 2 || g.h().out > kMaxExerciseOutputSide || g.w().out > kMaxExerciseOutputSide) continue;
        e.input = random_plane(rng, h, w, 0, 3);
        e.weights.weight = random_plane(rng, L.kernel.h, L.kernel.w, -1, 2);
        e.weights.has_bias = L.bias;
        if (L.bias) e.weights.bias = Tensor1({double(rng.uniform(-1, 1))});
        e.code = to_pytorch_code(L);
        return e;
    }
    throw std::logic_error("worksheet: no layer fits after 1000 draws");
}

}  // namespace

std::vector<Exercise> make_worksheet(std::uint64_t seed, int64_t count, const std::vector<QuestionKind>& kinds, const std::vector<LayerKind>& ops) {
    if (count < 1 || count > kMaxWorksheetExercises)
        throw UserError("--count " + std::to_string(count) + " must be between 1 and " + std::to_string(kMaxWorksheetExercises));
    if (kinds.empty()) throw UserError("--kinds names no kind of question");
    if (ops.empty()) throw UserError("--ops names no operator");
    WorksheetRandom rng(seed);
    std::vector<Exercise> sheet;
    for (int64_t i = 0; i < count; ++i) {
        const QuestionKind kind = kinds[std::size_t(rng.uniform(0, int64_t(kinds.size()) - 1))];
        Exercise e = draw_layer(rng, ops);
        e.kind = kind;
        const Tensor4 y = e.layer.kind == LayerKind::Conv2d ? conv2d(e.input, e.weights, e.layer) : conv_transpose2d(e.input, e.weights, e.layer);
        Answer& a = e.answer;
        a.kind = kind;
        const auto xs = shape_of(e.input);
        const auto ys = shape_of(y);
        a.input_shape = {xs[0], xs[1], xs[2], xs[3]};
        a.output_shape = {ys[0], ys[1], ys[2], ys[3]};
        // An output cell anywhere: the borders are where padding and cropping are learnt.
        a.cell = {rng.uniform(0, ys[2] - 1), rng.uniform(0, ys[3] - 1)};
        if (kind == QuestionKind::OutputValues) a.values = y;
        if (kind == QuestionKind::RfSize || kind == QuestionKind::CellsRead) {
            const RfResult rf = compute_receptive_field(RfStack{{xs[2], xs[3]}, {e.layer}, a.cell});
            const AxisPaths& rows = rf.paths[0][0];
            const AxisPaths& cols = rf.paths[1][0];
            a.rf_size = {std::max<int64_t>(0, rows.last - rows.first + 1), std::max<int64_t>(0, cols.last - cols.first + 1)};
            for (int64_t r = rows.first; r <= rows.last; ++r)
                for (int64_t c = cols.first; c <= cols.last; ++c)
                    if (rf.count(r, c).approx > 0) a.cells.push_back({r, c});
            if (kind == QuestionKind::RfSize) a.cells.clear();
        }
        sheet.push_back(std::move(e));
    }
    return sheet;
}

json worksheet_key(const std::vector<Exercise>& exercises) {
    auto tensor = [](const Tensor4& t) {
        json j;
        j["shape"] = shape_of(t);
        j["data"] = json::array();
        for (double v : t) j["data"].push_back(v);
        return j;
    };
    json questions = json::array();
    for (const Exercise& e : exercises) {
        json q;
        q["kind"] = question_kind_name(e.kind);
        q["code"] = e.code;
        q["input"] = tensor(e.input);
        q["weight"] = tensor(e.weights.weight);
        if (e.weights.has_bias) {
            json b;
            b["shape"] = {e.weights.bias.size()};
            b["data"] = json::array();
            for (double v : e.weights.bias) b["data"].push_back(v);
            q["bias"] = b;
        } else {
            q["bias"] = nullptr;
        }
        q["answer"] = answer_to_json(e.answer);
        if (e.kind == QuestionKind::RfSize || e.kind == QuestionKind::CellsRead) q["cell"] = e.answer.cell;
        if (e.kind != QuestionKind::OutputValues) q["input_shape"] = e.answer.input_shape;
        questions.push_back(std::move(q));
    }
    return json{{"questions", std::move(questions)}};
}

}  // namespace convscope
