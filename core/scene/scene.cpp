#include "core/scene/scene.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/io/pycode.hpp"
#include "core/nn/tap_geometry.hpp"
#include "core/base/errors.hpp"

namespace convscope {

using std::int64_t;

Color not_a_number_color() { return {1.0f, 0.35f, 0.75f, 1.0f}; }

std::string finite_text(const char* format, double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

Color viridis(float t) {
    // std::clamp keeps a NaN (both comparisons are false) and int(NaN) is undefined.
    if (std::isnan(t)) return not_a_number_color();
    // Nine samples of matplotlib's viridis, linearly interpolated.
    static const float k[9][3] = {{0.267f, 0.005f, 0.329f}, {0.283f, 0.141f, 0.458f}, {0.254f, 0.265f, 0.530f},
                                  {0.207f, 0.372f, 0.553f}, {0.164f, 0.471f, 0.558f}, {0.128f, 0.567f, 0.551f},
                                  {0.135f, 0.659f, 0.518f}, {0.478f, 0.821f, 0.318f}, {0.993f, 0.906f, 0.144f}};
    t = std::clamp(t, 0.0f, 1.0f) * 8.0f;
    const int i = std::min(7, int(t));
    const float f = t - float(i);
    return {k[i][0] + f * (k[i + 1][0] - k[i][0]), k[i][1] + f * (k[i + 1][1] - k[i][1]),
            k[i][2] + f * (k[i + 1][2] - k[i][2]), 1.0f};
}

SceneHeatmap SceneHeatmap::at(const GridPlacement& g, RectRole role) {
    SceneHeatmap h;
    h.role = role;
    h.x = g.x;
    h.y = g.y;
    h.cell = g.cell;
    h.rows = g.rows;
    h.cols = g.cols;
    return h;
}

const char* tap_state_name(TapState s) {
    switch (s) {
        case TapState::None: return "";
        case TapState::Current: return "current";
        case TapState::Summed: return "summed";
        case TapState::Pending: return "pending";
    }
    return "";
}

const char* cell_state_name(CellState s) {
    switch (s) {
        case CellState::Unset: return "";
        case CellState::Empty: return "empty";
        case CellState::Partial: return "partial";
        case CellState::Done: return "done";
    }
    return "";
}

void hide_in_scene(SceneOptions& options, const std::string& what) {
    if (what == "output") {
        options.hide_output = true;
    } else if (what == "shape") {
        options.hide_output = true;
        options.hide_shape = true;
    } else {
        throw UserError("--hide '" + what.substr(0, 40) + "' is unknown: expected output (the output cells left empty) or shape "
                        "(the output's size left out too)");
    }
}

SceneHeatmap SceneHeatmap::region(std::int64_t r0, std::int64_t c0, std::int64_t n_rows, std::int64_t n_cols, float at_x, float at_y,
                                  float cell_px) const {
    SceneHeatmap h = *this;
    h.role = RectRole::Inset;
    h.x = at_x;
    h.y = at_y;
    h.cell = cell_px;
    h.rows = n_rows;
    h.cols = n_cols;
    h.row0 = row0 + r0;
    h.col0 = col0 + c0;
    h.values.clear();
    h.styles.clear();
    h.colors.clear();
    h.states.clear();  // the inset is a magnified copy: the states belong to the grid itself
    for (std::int64_t r = r0; r < r0 + n_rows; ++r)
        for (std::int64_t c = c0; c < c0 + n_cols; ++c) {
            const std::size_t i = std::size_t(r * cols + c);
            h.values.push_back(values[i]);
            h.styles.push_back(styles[i]);
            if (!colors.empty()) h.colors.push_back(colors[i]);
        }
    return h;
}

float SceneHeatmap::t(float v) const {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    if (!std::isfinite(v)) return nan;
    if (!std::isfinite(lo) || !std::isfinite(hi)) return nan;  // a range made of a non-number
    if (!(hi > lo)) return 0.5f;
    // hi - lo can overflow a float (lo = -3e38, hi = 3e38): the position is then NaN.
    float position = log_scale ? std::log1p(std::max(0.0f, v - lo)) / std::log1p(hi - lo) : (v - lo) / (hi - lo);
    if (std::isnan(position)) return nan;
    return std::clamp(position, 0.0f, 1.0f);
}

void add_right_arrow(Scene& sc, float x0, float x1, float y, const Color& ink, float head_length, float head_half_width) {
    sc.lines.push_back({x0, y, x1 - 12, y, ink, 3});
    ScenePolygon head;
    const float base = x1 - head_length;
    head.points = {{{base, y - head_half_width}, {x1, y}, {base, y + head_half_width}, {base, y + head_half_width}}};
    head.count = 3;
    head.fill = ink;
    sc.polygons.push_back(head);
}

Color mix(const Color& a, const Color& b, float share_of_b) {
    return {a.r + share_of_b * (b.r - a.r), a.g + share_of_b * (b.g - a.g), a.b + share_of_b * (b.b - a.b), 1};
}

Color SceneHeatmap::cell_color(std::int64_t r, std::int64_t c) const {
    const std::size_t i = std::size_t(r * cols + c);
    if (!colors.empty()) return colors[i];
    if (flat) {
        // The schematic planes: one colour per kind of cell, whatever the value.
        switch (styles[i]) {
            case CellStyle::Value: return flat_fill;
            case CellStyle::FadedValue: return mix(flat_fill, background, fade);
            // Not computed yet: a light grey plane, darker than the window's grey (0.94) so the
            // output's shape shows before it fills, lighter than an inserted zero's.
            case CellStyle::Empty: return mix(empty, background, 0.1f);
            case CellStyle::Padding: return background;
            case CellStyle::InsertedZero: return mix(empty, background, 0.4f);
        }
    }
    if (styles[i] == CellStyle::Empty || styles[i] == CellStyle::Padding || styles[i] == CellStyle::InsertedZero) return empty;
    Color v = viridis(t(values[i]));  // a non-number: not_a_number_color()
    if (styles[i] == CellStyle::FadedValue) {
        v.r += fade * (background.r - v.r);
        v.g += fade * (background.g - v.g);
        v.b += fade * (background.b - v.b);
    }
    return v;
}

std::string layer_caption(const Layer& L, const LayerGeometry& g) {
    if (!has_window(L.kind))
        return to_pytorch_code(L) + ", " + std::to_string(g.h().in) + "x" + std::to_string(g.w().in) + " -> " +
               std::to_string(g.h().out) + "x" + std::to_string(g.w().out);
    auto pair = [](std::int64_t a, std::int64_t b) { return a == b ? std::to_string(a) : std::to_string(a) + "x" + std::to_string(b); };
    // padding='same' with an even kernel pads one more cell after than before: say so.
    std::string p = "p=" + pair(g.h().pad_before, g.w().pad_before);
    if (g.h().pad_before != g.h().pad_after || g.w().pad_before != g.w().pad_after) {
        const std::string kind = L.padding.kind == PaddingKind::Same ? "same: " : "";
        if (g.h().pad_before == g.w().pad_before && g.h().pad_after == g.w().pad_after)
            p = "p=" + kind + std::to_string(g.h().pad_before) + " top/left, " + std::to_string(g.h().pad_after) + " bottom/right";
        else
            p = "p=" + kind + "top " + std::to_string(g.h().pad_before) + ", bottom " + std::to_string(g.h().pad_after) + ", left " +
                std::to_string(g.w().pad_before) + ", right " + std::to_string(g.w().pad_after);
    } else if (L.padding.kind == PaddingKind::Same) {
        p = "p=same (" + pair(g.h().pad_before, g.w().pad_before) + ")";
    }
    if (L.padding_mode != PaddingMode::Zeros) p += std::string(" ") + padding_mode_name(L.padding_mode);
    std::string s = std::string(class_name(L.kind)) + " k=" + pair(L.kernel.h, L.kernel.w) + " s=" + pair(L.stride.h, L.stride.w) +
                    " " + p + " d=" + pair(L.dilation.h, L.dilation.w);
    if (L.kind == LayerKind::ConvTranspose2d && L.output_padding != Pair{0, 0})
        s += " op=" + pair(L.output_padding.h, L.output_padding.w);
    return s + ", " + std::to_string(g.h().in) + "x" + std::to_string(g.w().in) + " -> " + std::to_string(g.h().out) + "x" +
           std::to_string(g.w().out);
}

/// A slide's title names only what differs from PyTorch's defaults: "Conv2d k=3 s=1
/// p=2 d=2, ..." becomes "Conv2d k=3 p=2 d=2, ..." (the code line under it says the rest).
std::string caption_without_defaults(const std::string& caption) {
    const std::size_t comma = caption.find(", ");
    if (comma == std::string::npos) return caption;
    std::string head;
    std::size_t start = 0;
    const std::string params = caption.substr(0, comma);
    while (start <= params.size()) {
        std::size_t end = params.find(' ', start);
        if (end == std::string::npos) end = params.size();
        const std::string word = params.substr(start, end - start);
        if (word != "s=1" && word != "p=0" && word != "d=1" && !word.empty()) head += (head.empty() ? "" : " ") + word;
        start = end + 1;
    }
    return head + caption.substr(comma);
}

SceneHeatmap rf_heatmap(const RfResult& result, std::size_t boundary, float x, float y, float cell, bool dark, bool holes) {
    SceneHeatmap h;
    h.role = RectRole::Other;
    h.x = x;
    h.y = y;
    h.cell = cell;
    h.rows = result.paths[0][boundary].size;
    h.cols = result.paths[1][boundary].size;
    const std::vector<double> counts = result.approx_map(boundary);
    h.values.resize(counts.size());
    h.styles.resize(counts.size());
    double hi = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        h.values[i] = float(counts[i]);
        h.styles[i] = counts[i] > 0 ? CellStyle::Value : CellStyle::Empty;
        hi = std::max(hi, counts[i]);
    }
    h.lo = 1;  // the fewest paths a reached cell can have
    h.hi = float(std::max(1.0, hi));
    h.log_scale = true;
    h.background = dark ? Color{0.08f, 0.08f, 0.1f, 1} : Color{1, 1, 1, 1};
    h.empty = dark ? Color{0.18f, 0.18f, 0.2f, 1} : Color{0.9f, 0.9f, 0.92f, 1};
    h.grid = cell >= 6 ? Color{0.5f, 0.5f, 0.5f, 0.3f} : Color{0, 0, 0, 0};
    if (holes) {
        // Inside the bounding box of the field, an unreached cell is a hole: faded red.
        const AxisPaths& ry = result.paths[0][boundary];
        const AxisPaths& rx = result.paths[1][boundary];
        for (int64_t r = ry.first; r <= ry.last; ++r)
            for (int64_t c = rx.first; c <= rx.last; ++c) {
                const std::size_t i = std::size_t(r * h.cols + c);
                if (counts[i] == 0) {
                    h.styles[i] = CellStyle::FadedValue;
                    h.values[i] = h.lo;  // faded darkest colour
                }
            }
        h.fade = 0.8f;
        h.background = Color{0.95f, 0.2f, 0.2f, 1};  // faded cells mix toward red: the holes
    }
    return h;
}

std::vector<CellBlock> equal_colour_blocks(const SceneHeatmap& h) {
    std::vector<CellBlock> blocks, open, row_runs;  // done; growing down; this row's runs
    auto same = [](const Color& a, const Color& b) { return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a; };
    for (std::int64_t r = 0; r < h.rows; ++r) {
        row_runs.clear();
        for (std::int64_t c = 0; c < h.cols;) {
            const Color colour = h.cell_color(r, c);
            std::int64_t end = c + 1;
            while (end < h.cols && same(h.cell_color(r, end), colour)) ++end;
            row_runs.push_back({r, r + 1, c, end, colour});
            c = end;
        }
        // Both lists are sorted by column: an open block continues if this row has its run.
        std::size_t i = 0;
        auto close = [&] {
            open[i].end_row = r;
            blocks.push_back(open[i++]);
        };
        for (CellBlock& run : row_runs) {
            while (i < open.size() && open[i].first_col < run.first_col) close();
            if (i < open.size() && open[i].first_col == run.first_col && open[i].end_col == run.end_col && same(open[i].color, run.color))
                run.first_row = open[i++].first_row;
        }
        while (i < open.size()) close();
        open.swap(row_runs);
    }
    for (CellBlock& b : open) {
        b.end_row = h.rows;
        blocks.push_back(b);
    }
    return blocks;
}

}  // namespace convscope
