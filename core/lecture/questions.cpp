#include "core/lecture/questions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <xtensor/xview.hpp>

#include "core/base/errors.hpp"
#include "core/base/wording.hpp"
#include "core/nn/layer_ops.hpp"
#include "core/nn/rf.hpp"
#include "core/nn/shape.hpp"
#include "core/scene/text_metrics.hpp"

namespace convscope {

using nlohmann::json;
using std::int64_t;

std::array<int64_t, 2> representative_cell(int64_t h, int64_t w) { return {std::max<int64_t>(0, (h - 1) / 2), std::max<int64_t>(0, (w - 1) / 2)}; }

namespace {

/// A number as a person writes it: 3, -1.5, 0.25 (shortest round trip, no trailing zeros).
std::string plain_number(double v) {
    if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(int64_t(v));
    char buf[32];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

std::string cell_text(const std::array<int64_t, 2>& c) { return "(" + std::to_string(c[0]) + ", " + std::to_string(c[1]) + ")"; }

}  // namespace

Answer compute_answer(const Session& session, int64_t layer_count, const Question& question) {
    const int64_t n = int64_t(session.layers.size());
    if (n == 0) throw UserError("the session has no layers to ask about");
    layer_count = std::clamp<int64_t>(layer_count, 1, n);
    Answer a;
    a.kind = question.kind;
    a.input_shape = session.input_shape;
    // The shape through the layers, with PyTorch's checks (resolve_layer).
    std::array<int64_t, 4> shape = session.input_shape;
    for (int64_t i = 0; i < layer_count; ++i) {
        const Layer& L = session.layers[std::size_t(i)];
        try {
            const LayerGeometry g = resolve_layer(L, shape[0], shape[1], shape[2], shape[3]);
            shape = {g.batch, g.out_channels, g.h().out, g.w().out};
        } catch (const UserError& e) {
            throw UserError("layer " + std::to_string(i) + " (" + class_name(L.kind) + "): " + e.what());
        }
    }
    a.output_shape = shape;
    a.cell = question.cell ? *question.cell : representative_cell(shape[2], shape[3]);
    if (a.cell[0] < 0 || a.cell[1] < 0 || a.cell[0] >= shape[2] || a.cell[1] >= shape[3])
        throw UserError("question cell " + cell_text(a.cell) + " is outside the " + std::to_string(shape[2]) + "x" +
                        std::to_string(shape[3]) + " output");
    switch (question.kind) {
        case QuestionKind::OutputShape: break;
        case QuestionKind::OutputValues: {
            const int64_t cells = shape[0] * shape[1] * shape[2] * shape[3];
            if (cells > kMaxHandOutputCells)
                throw UserError("output_values asks for " + std::to_string(cells) + " output cells by hand (limit " +
                                std::to_string(kMaxHandOutputCells) + "): choose a smaller layer");
            Session upto = session;
            upto.layers.resize(std::size_t(layer_count));
            upto.layer_index = std::min(upto.layer_index, layer_count - 1);
            upto.pass = Pass::Forward;
            a.values = stack_activations(upto).back();
            break;
        }
        case QuestionKind::RfSize:
        case QuestionKind::CellsRead: {
            const RfResult rf = compute_receptive_field(session_rf_stack(session, layer_count - 1, a.cell[0], a.cell[1]));
            const AxisPaths& rows = rf.paths[0][0];
            const AxisPaths& cols = rf.paths[1][0];
            a.rf_size = {std::max<int64_t>(0, rows.last - rows.first + 1), std::max<int64_t>(0, cols.last - cols.first + 1)};
            if (question.kind == QuestionKind::CellsRead) {
                for (int64_t r = rows.first; r <= rows.last; ++r)
                    for (int64_t c = cols.first; c <= cols.last; ++c) {
                        const PathCount p = rf.count(r, c);
                        if (p.approx > 0 || p.exact > 0) a.cells.push_back({r, c});
                    }
            }
            break;
        }
    }
    return a;
}

Answer slide_answer(const Slide& slide) {
    if (!slide.question) throw UserError("the slide asks no question");
    return compute_answer(slide.session, slide_layer_count(slide), *slide.question);
}

json answer_to_json(const Answer& a) {
    switch (a.kind) {
        case QuestionKind::OutputShape: return json(a.output_shape);
        case QuestionKind::OutputValues: {
            json t;
            t["shape"] = shape_of(a.values);
            json data = json::array();
            for (double v : a.values) data.push_back(v);
            t["data"] = std::move(data);
            return t;
        }
        case QuestionKind::RfSize: return json(a.rf_size);
        case QuestionKind::CellsRead: {
            json cells = json::array();
            for (const auto& c : a.cells) cells.push_back(json(c));
            return cells;
        }
    }
    return json();
}

std::string question_prompt(QuestionKind kind, const std::array<int64_t, 2>& cell) {
    switch (kind) {
        case QuestionKind::OutputShape: return "What is the shape of the output, [N, C, H, W]?";
        case QuestionKind::OutputValues: return "Compute the output cells by hand.";
        // Padding is not input: at a padded edge the field is smaller (3 x 2, not 3 x 3).
        case QuestionKind::RfSize:
            return "How many input rows and columns does output cell " + cell_text(cell) + " see (its receptive field; padding does not count)?";
        case QuestionKind::CellsRead: return "Which input cells does output cell " + cell_text(cell) + " read?";
    }
    return "";
}

namespace {

/// "Conv2d k=3 s=2 d=2": what sets the size of a layer's receptive field (its kernel,
/// stride and dilation), and with `padding` where it lies ("p=1": which cells it reads).
std::string layer_words(const Layer& L, bool padding) { return layer_short_words(L, padding ? padding_words(L) : ""); }

/// The first `count` layers in words: "Layer: Conv2d k=3 d=2.", "3 layers, each Conv2d
/// k=3 d=2.", "4 layers: Conv2d k=3, dilation 1, 2, 4, 8." (one kind, kernel and stride:
/// the dilations listed), else each layer in turn.
std::string stack_words(const Session& session, int64_t count, bool padding) {
    const std::vector<Layer> layers(session.layers.begin(), session.layers.begin() + count);
    if (layers.size() == 1) return "Layer: " + layer_words(layers.front(), padding) + ".";
    const Layer& first = layers.front();
    const std::string first_words = layer_words(first, padding);
    if (std::all_of(layers.begin(), layers.end(), [&](const Layer& L) { return layer_words(L, padding) == first_words; }))
        return std::to_string(layers.size()) + " layers, each " + first_words + ".";
    // One kind, kernel and stride, told apart by their dilations alone (with padding asked
    // for, each layer's padding is part of its words: listed in turn).
    const bool alike = !padding && std::all_of(layers.begin(), layers.end(), [&](const Layer& L) {
        return L.is_conv() && L.kind == first.kind && L.kernel == first.kernel && L.stride == first.stride;
    });
    std::string words = std::to_string(layers.size()) + " layers: ";
    if (alike) {
        Layer plain = first;
        plain.dilation = {1, 1};
        words += layer_words(plain, false) + ", dilation ";
        for (std::size_t i = 0; i < layers.size(); ++i) words += (i ? ", " : "") + pair_words(layers[i].dilation);
    } else {
        for (std::size_t i = 0; i < layers.size(); ++i) words += (i ? " -> " : "") + layer_words(layers[i], padding);
    }
    return words + ".";
}

}  // namespace

std::string question_context(const Slide& slide, const Answer& a) {
    switch (a.kind) {
        case QuestionKind::OutputShape: {
            const auto& s = a.input_shape;
            return "The input is [" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + ", " +
                   std::to_string(s[3]) + "].";
        }
        case QuestionKind::RfSize: return stack_words(slide.session, slide_layer_count(slide), false);
        // The grids are not numbered: where (0, 0) is (a receptive field's map is read as a
        // shape, not cell by cell).
        case QuestionKind::CellsRead: {
            std::string words = stack_words(slide.session, slide_layer_count(slide), true);
            if (slide.view != SlideView::ReceptiveField) words.back() = ';', words += " (0, 0) is top left.";
            return words;
        }
        case QuestionKind::OutputValues: return "";
    }
    return "";
}

namespace {

/// A plane's numbers as lines, each column right-aligned in DejaVu Sans (the pages'
/// typeface, proportional): a number is preceded by as many spaces as it is narrower than
/// the widest of its column ("8  10" over "10  12" read as columns, not as text).
std::vector<std::string> aligned_rows(const xt::xtensor<double, 2>& plane) {
    const std::size_t rows = plane.shape()[0], cols = plane.shape()[1];
    std::vector<std::string> numbers(rows * cols);
    std::vector<float> widest(cols, 0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            numbers[r * cols + c] = plain_number(plane(r, c));
            widest[c] = std::max(widest[c], dejavu_advance_em(numbers[r * cols + c]));
        }
    const float space = dejavu_advance_em(" ");
    std::vector<std::string> lines;
    for (std::size_t r = 0; r < rows; ++r) {
        std::string line;
        for (std::size_t c = 0; c < cols; ++c) {
            const std::string& n = numbers[r * cols + c];
            const auto pad = static_cast<std::size_t>(std::lround((widest[c] - dejavu_advance_em(n)) / space));
            line += (c ? "   " : "") + std::string(pad, ' ') + n;
        }
        lines.push_back(line);
    }
    return lines;
}

}  // namespace

std::vector<std::string> answer_lines(const Answer& a) {
    const auto& s = a.output_shape;
    std::vector<std::string> lines;
    switch (a.kind) {
        case QuestionKind::OutputShape:
            lines.push_back("torch.Size([" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + ", " +
                            std::to_string(s[3]) + "])");
            break;
        case QuestionKind::OutputValues: {
            const auto& sh = a.values.shape();
            for (std::size_t ni = 0; ni < sh[0]; ++ni)
                for (std::size_t ci = 0; ci < sh[1]; ++ci) {
                    if (sh[0] * sh[1] > 1) lines.push_back("[" + std::to_string(ni) + ", " + std::to_string(ci) + "]:");
                    const auto rows = aligned_rows(xt::xtensor<double, 2>(xt::view(a.values, ni, ci)));
                    lines.insert(lines.end(), rows.begin(), rows.end());
                }
            break;
        }
        case QuestionKind::RfSize:
            lines.push_back(std::to_string(a.rf_size[0]) + " x " + std::to_string(a.rf_size[1]) + " input cells (rows x columns) around output cell " +
                            cell_text(a.cell));
            break;
        case QuestionKind::CellsRead: {
            lines.push_back(counted(int64_t(a.cells.size()), "input cell") + ", in a " + std::to_string(a.rf_size[0]) + " x " +
                            std::to_string(a.rf_size[1]) + " box:");
            std::string line;
            for (std::size_t i = 0; i < a.cells.size(); ++i) {
                line += (line.empty() ? "" : " ") + cell_text(a.cells[i]);
                if (line.size() > 90 || i + 1 == a.cells.size()) {
                    lines.push_back(line);
                    line.clear();
                }
                if (lines.size() > 12 && i + 1 < a.cells.size()) {
                    lines.push_back("... and " + std::to_string(a.cells.size() - i - 1) + " more");
                    break;
                }
            }
            break;
        }
    }
    return lines;
}

}  // namespace convscope
