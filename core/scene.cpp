#include "core/scene.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/matrix.hpp"
#include "core/tap_geometry.hpp"

namespace convscope {

using std::int64_t;

Color viridis(float t) {
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

float SceneHeatmap::t(float v) const {
    if (!(hi > lo)) return 0.5f;
    if (log_scale) return std::clamp(std::log1p(std::max(0.0f, v - lo)) / std::log1p(hi - lo), 0.0f, 1.0f);
    return std::clamp((v - lo) / (hi - lo), 0.0f, 1.0f);
}

Color SceneHeatmap::cell_color(std::int64_t r, std::int64_t c) const {
    const std::size_t i = std::size_t(r * cols + c);
    if (styles[i] == CellStyle::Empty) return empty;
    Color v = viridis(t(values[i]));
    if (styles[i] == CellStyle::FadedValue) {
        v.r += fade * (background.r - v.r);
        v.g += fade * (background.g - v.g);
        v.b += fade * (background.b - v.b);
    }
    return v;
}

std::string layer_caption(const Layer& L, const LayerGeometry& g) {
    auto pair = [](std::int64_t a, std::int64_t b) { return a == b ? std::to_string(a) : std::to_string(a) + "x" + std::to_string(b); };
    std::string s = std::string(class_name(L.kind)) + " k=" + pair(L.kernel.h, L.kernel.w) + " s=" + pair(L.stride.h, L.stride.w) +
                    " p=" + pair(g.h().pad_before, g.w().pad_before) + " d=" + pair(L.dilation.h, L.dilation.w);
    if (L.kind == LayerKind::ConvTranspose2d && L.output_padding != Pair{0, 0})
        s += " op=" + pair(L.output_padding.h, L.output_padding.w);
    return s + ", " + std::to_string(g.h().in) + "x" + std::to_string(g.w().in) + " -> " + std::to_string(g.h().out) + "x" +
           std::to_string(g.w().out);
}

namespace {

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 ? "%.0f" : "%.2g", v);
    return buf;
}

/// A pool step in words: the maximum picked, or the sum over PyTorch's divisor; tap by
/// tap, the cell read and the running maximum or mean.
std::string pool_arithmetic(const Layer& L, const GatherStep& s, std::int64_t taps_shown, bool tap_by_tap) {
    const bool is_max = L.kind == LayerKind::MaxPool2d;
    const std::string out = "output (" + std::to_string(s.out_y) + ", " + std::to_string(s.out_x) + ")";
    if (!tap_by_tap || taps_shown > std::int64_t(s.taps.size()))
        return out + " = " + (is_max ? "max" : "mean") + " of its " + std::to_string(s.taps.size()) + "-cell window = " +
               number_text(s.result) +
               (is_max ? std::string(" (the cell outlined)") : " (divisor " + number_text(1.0 / s.taps.front().weight) + ")");
    const GatherTap& t = s.taps[std::size_t(taps_shown - 1)];
    const std::string cell = "(" + std::to_string(t.grid_y) + ", " + std::to_string(t.grid_x) + ")";
    if (is_max)
        return out + ", cell " + std::to_string(taps_shown) + "/" + std::to_string(s.taps.size()) + ": " +
               (t.src_y < 0 ? "padding " + cell + " is no candidate" : "x" + cell + " = " + number_text(t.value)) +
               ";  running max " + number_text(t.running_sum);
    return out + ", cell " + std::to_string(taps_shown) + "/" + std::to_string(s.taps.size()) + ": " +
           (t.src_y < 0 ? "padding" : "x") + cell + " = " + number_text(t.value) + " / " + number_text(1.0 / t.weight) +
           ";  running mean " + number_text(t.running_sum);
}

/// Black or white, whichever reads better on `fill` (relative luminance, Rec. 709 weights).
Color text_on(const Color& fill, const Color& ink) {
    if (fill.a < 0.6f) return ink;
    const float y = 0.2126f * fill.r + 0.7152f * fill.g + 0.0722f * fill.b;
    return y > 0.45f ? Color{0, 0, 0, 1} : Color{1, 1, 1, 1};
}

struct Range {
    double lo = 0, hi = 1;
    float t(double v) const { return hi > lo ? float((v - lo) / (hi - lo)) : 0.5f; }
};

}  // namespace

Scene build_scene(const StepEngine& engine, const FramePosition& frame, const SceneOptions& opt) {
    Scene sc;
    sc.width = opt.width;
    sc.height = opt.height;
    const Layer& L = engine.layer();
    const LayerGeometry& geo = engine.geometry();
    const bool scatter = engine.is_scatter();
    const Color ink = opt.dark ? Color{0.9f, 0.9f, 0.92f, 1} : Color{0.1f, 0.1f, 0.12f, 1};
    const Color accent{1.0f, 0.45f, 0.0f, 1};       // active taps
    const Color focus{0.85f, 0.1f, 0.35f, 1};       // the cell being computed
    const Color pad_fill = opt.dark ? Color{0.22f, 0.22f, 0.25f, 1} : Color{0.88f, 0.88f, 0.9f, 1};

    const int64_t in_rows = scatter ? geo.h().in : engine.grid_rows();
    const int64_t in_cols = scatter ? geo.w().in : engine.grid_cols();
    const int64_t out_rows = geo.h().out, out_cols = geo.w().out;
    const int64_t kH = L.kernel.h, kW = L.kernel.w;

    // Layout: caption on top; input | kernel | output left to right, one cell size.
    const bool has_code = !opt.code_line.empty();
    const float top = has_code ? 78 : 56, gap = 40, margin = 16;
    const float avail_w = opt.width - 2 * margin - 2 * gap;
    const float avail_h = opt.height - top - 84;  // labels and legends below the grids
    const float cell = std::max(1.0f, std::min({avail_w / float(in_cols + 3 * kW + out_cols), avail_h / float(std::max(in_rows, out_rows)), 48.0f}));
    // The kernel is small: draw it up to three times larger so its taps stay visible.
    const float kcell = std::min(48.0f, std::max(cell, std::min(3 * cell, 40.0f)));
    sc.input_grid = {margin, top, cell, in_rows, in_cols};
    sc.kernel_grid = {margin + float(in_cols) * cell + gap, top, kcell, kH, kW};
    sc.output_grid = {sc.kernel_grid.x + float(kW) * kcell + gap, top, cell, out_rows, out_cols};
    const bool numbers = cell >= 30, kernel_numbers = kcell >= 30;

    sc.texts.push_back({margin, 8, 18, ink, layer_caption(L, geo), false});
    if (has_code) sc.texts.push_back({margin, 32, 13, Color{ink.r, ink.g, ink.b, 0.75f}, opt.code_line, false});

    // Input values for the colour scale.
    // A pool's output channel reads only the same input channel: draw that one.
    const int64_t ci = L.is_pool() ? engine.out_channel() : std::clamp<int64_t>(opt.in_channel, 0, L.in_channels - 1);
    const Tensor4& x = engine.input();
    Range in_range{1e300, -1e300};
    for (int64_t r = 0; r < geo.h().in; ++r)
        for (int64_t c = 0; c < geo.w().in; ++c) {
            const double v = x(engine.batch(), ci, r, c);
            in_range.lo = std::min(in_range.lo, v);
            in_range.hi = std::max(in_range.hi, v);
        }

    sc.background = opt.dark ? Color{0.08f, 0.08f, 0.1f, 1} : Color{1, 1, 1, 1};
    sc.heatmaps.reserve(3);  // references into it are held while the next is built
    auto heatmap = [&](const Scene::GridPlacement& g, RectRole role, const Range& range) -> SceneHeatmap& {
        SceneHeatmap h;
        h.role = role;
        h.x = g.x;
        h.y = g.y;
        h.cell = g.cell;
        h.rows = g.rows;
        h.cols = g.cols;
        h.values.assign(std::size_t(g.rows * g.cols), 0.0f);
        h.styles.assign(std::size_t(g.rows * g.cols), CellStyle::Value);
        h.lo = float(range.lo);
        h.hi = float(range.hi);
        h.empty = pad_fill;
        h.background = sc.background;
        h.grid = Color{ink.r, ink.g, ink.b, g.cell >= 6 ? 0.25f : 0.0f};
        sc.heatmaps.push_back(std::move(h));
        return sc.heatmaps.back();
    };
    auto outline = [&](const Scene::GridPlacement& g, int64_t r, int64_t c, Color color, float width) {
        sc.rects.push_back({g.x + float(c) * g.cell, g.y + float(r) * g.cell, g.cell, g.cell, Color{0, 0, 0, 0}, color, width,
                            RectRole::Highlight});
    };
    auto label = [&](const Scene::GridPlacement& g, int64_t r, int64_t c, const std::string& text, Color color) {
        sc.texts.push_back({g.x + (float(c) + 0.5f) * g.cell, g.y + (float(r) + 0.5f) * g.cell, std::min(14.0f, g.cell * 0.4f), color, text, true});
    };

    // Input grid (padded / zero-inserted grid in the gather views).
    SceneHeatmap& in_map = heatmap(sc.input_grid, RectRole::InputCell, in_range);
    for (int64_t r = 0; r < in_rows; ++r)
        for (int64_t c = 0; c < in_cols; ++c) {
            bool pad_y = false, pad_x = false, ins_y = false, ins_x = false;
            int64_t sy = r, sx = c;
            if (!scatter) {
                sy = engine.grid_source(0, r, pad_y, ins_y);
                sx = engine.grid_source(1, c, pad_x, ins_x);
            }
            const bool real = sy >= 0 && sx >= 0;
            const double v = real ? x(engine.batch(), ci, sy, sx) : 0.0;
            const std::size_t i = std::size_t(r * in_cols + c);
            in_map.values[i] = float(v);
            in_map.styles[i] = !real ? CellStyle::Empty : (pad_y || pad_x) ? CellStyle::FadedValue : CellStyle::Value;
            if (numbers) label(sc.input_grid, r, c, real || !(pad_y || pad_x) ? number_text(v) : "0", text_on(in_map.cell_color(r, c), ink));
        }

    // Kernel (weights seen by the shown input channel and output channel).
    const int64_t co = engine.out_channel();
    const bool in_group = same_group(L, ci, co);
    Range w_range{1e300, -1e300};
    for (int64_t ky = 0; ky < kH; ++ky)
        for (int64_t kx = 0; kx < kW; ++kx) {
            const double w = engine.kernel_weight(ci, ky, kx);
            w_range.lo = std::min(w_range.lo, w);
            w_range.hi = std::max(w_range.hi, w);
        }
    SceneHeatmap& k_map = heatmap(sc.kernel_grid, RectRole::KernelCell, w_range);
    for (int64_t ky = 0; ky < kH; ++ky)
        for (int64_t kx = 0; kx < kW; ++kx) {
            const double w = engine.kernel_weight(ci, ky, kx);
            k_map.values[std::size_t(ky * kW + kx)] = float(w);
            if (!in_group) k_map.styles[std::size_t(ky * kW + kx)] = CellStyle::Empty;  // this channel pair has no weight
            if (kernel_numbers) label(sc.kernel_grid, ky, kx, in_group ? number_text(w) : "-", text_on(k_map.cell_color(ky, kx), ink));
        }

    // Output so far.
    const Plane out = engine.partial_output(frame.steps_done, frame.extra_taps);
    Range out_range{1e300, -1e300};
    for (double v : out) {
        out_range.lo = std::min(out_range.lo, v);
        out_range.hi = std::max(out_range.hi, v);
    }
    // Scatter: how many taps have landed on each output cell so far (uneven counts are
    // the checkerboard); a cell nothing has landed on yet is drawn as not computed.
    const CountPlane landed = scatter ? engine.landed_counts(frame.steps_done) : CountPlane{};
    SceneHeatmap& out_map = heatmap(sc.output_grid, RectRole::OutputCell, out_range);
    for (int64_t r = 0; r < out_rows; ++r)
        for (int64_t c = 0; c < out_cols; ++c) {
            const int64_t k = r * out_cols + c;
            const bool done = scatter ? landed(r, c) > 0 : k < frame.steps_done;
            out_map.values[std::size_t(k)] = float(out(r, c));
            out_map.styles[std::size_t(k)] = done ? CellStyle::Value : CellStyle::Empty;
            if (numbers && done) label(sc.output_grid, r, c, number_text(out(r, c)), text_on(out_map.cell_color(r, c), ink));
        }

    if (scatter && numbers && frame.steps_done > 0) {
        for (int64_t r = 0; r < out_rows; ++r)
            for (int64_t c = 0; c < out_cols; ++c)
                sc.texts.push_back({sc.output_grid.x + float(c + 1) * cell - 0.3f * cell, sc.output_grid.y + float(r) * cell + 0.2f * cell,
                                    std::min(10.0f, cell * 0.26f), Color{0.55f, 0.55f, 0.58f, 1}, "x" + std::to_string(landed(r, c)), true});
    }

    // The step in progress (or the last one finished): its taps light up.
    const int64_t current = frame.extra_taps > 0 || frame.steps_done == 0 ? frame.steps_done : frame.steps_done - 1;
    std::string arithmetic;
    if (current >= 0 && current < engine.step_count()) {
        const int64_t taps_shown = frame.extra_taps > 0 ? frame.extra_taps : engine.taps_per_step();
        if (scatter) {
            const ScatterStep s = engine.scatter_step(current);
            outline(sc.input_grid, s.in_y, s.in_x, focus, 3);
            for (int64_t i = 0; i < taps_shown && i < int64_t(s.taps.size()); ++i) {
                const ScatterTap& t = s.taps[std::size_t(i)];
                if (t.in_channel != ci) continue;
                outline(sc.kernel_grid, t.ky, t.kx, accent, 2);
                if (t.inside) outline(sc.output_grid, t.out_y, t.out_x, accent, 2);
            }
            arithmetic = "input cell (" + std::to_string(s.in_y) + ", " + std::to_string(s.in_x) + ") stamps value x kernel onto the output";
            if (frame.extra_taps > 0 && taps_shown <= int64_t(s.taps.size())) {
                // Tap by tap: which product lands where.
                const ScatterTap& t = s.taps[std::size_t(taps_shown - 1)];
                arithmetic = "input (" + std::to_string(s.in_y) + ", " + std::to_string(s.in_x) + ") = " + number_text(t.value) +
                             "  x  w(" + std::to_string(t.ky) + ", " + std::to_string(t.kx) + ") = " + number_text(t.weight) +
                             "  ->  " + number_text(t.product) +
                             (t.inside ? " lands on output (" + std::to_string(t.out_y) + ", " + std::to_string(t.out_x) + ")"
                                       : " falls outside the output (cropped by padding)");
            }
        } else {
            const GatherStep s = engine.gather_step(current);
            outline(sc.output_grid, s.out_y, s.out_x, focus, 3);
            double partial = 0;
            for (int64_t i = 0; i < taps_shown && i < int64_t(s.taps.size()); ++i) {
                const GatherTap& t = s.taps[std::size_t(i)];
                partial = t.running_sum;
                if (t.in_channel != ci) continue;
                outline(sc.input_grid, t.grid_y, t.grid_x, accent, 2);
                outline(sc.kernel_grid, t.ky, t.kx, accent, 2);
            }
            arithmetic = "output (" + std::to_string(s.out_y) + ", " + std::to_string(s.out_x) + ") = " + number_text(s.bias) +
                         " + sum of " + std::to_string(taps_shown) + " products = " + number_text(s.bias + partial);
            if (frame.extra_taps > 0 && taps_shown <= int64_t(s.taps.size())) {
                // Tap by tap: the value read, the weight, the product, the running sum.
                const GatherTap& t = s.taps[std::size_t(taps_shown - 1)];
                arithmetic = "output (" + std::to_string(s.out_y) + ", " + std::to_string(s.out_x) + "), tap " +
                             std::to_string(taps_shown) + "/" + std::to_string(s.taps.size()) + ": " +
                             (t.src_y < 0 ? std::string(t.inserted_zero ? "inserted zero" : "padding") : "x") + "(" +
                             std::to_string(t.grid_y) + ", " + std::to_string(t.grid_x) + ") = " + number_text(t.value) +
                             "  x  w(" + std::to_string(t.ky) + ", " + std::to_string(t.kx) + ") = " + number_text(t.weight) +
                             "  ->  " + number_text(t.product) + ";  running sum " + number_text(s.bias + partial);
            }
            if (L.is_pool()) {
                arithmetic = pool_arithmetic(L, s, taps_shown, frame.extra_taps > 0);
                for (const GatherTap& t : s.taps)  // the maximum picked
                    if (t.picked && taps_shown == int64_t(s.taps.size())) outline(sc.input_grid, t.grid_y, t.grid_x, focus, 3);
            }
            // A cell still being summed shows its running sum.
            if (numbers && frame.extra_taps > 0) label(sc.output_grid, s.out_y, s.out_x, number_text(s.bias + partial), ink);
        }
    }
    if (opt.show_arithmetic) sc.texts.push_back({margin, has_code ? 54.0f : 32.0f, 14, ink, arithmetic, false});
    const float label_y = top + std::max(float(std::max(in_rows, out_rows)) * cell, float(kH) * kcell) + 8;
    const std::string ch = " (channel " + std::to_string(ci) + ")";
    sc.texts.push_back({sc.input_grid.x, label_y, 14, ink,
                        (scatter ? "input" : tap_direction(L.kind) == TapDirection::Scatter ? "input, zeros inserted, padded" : engine.grid_pad_top() || engine.grid_pad_left() || engine.grid_rows() != geo.h().in || engine.grid_cols() != geo.w().in ? "input, padded" : "input") + ch, false});
    sc.texts.push_back({sc.kernel_grid.x, label_y, 14, ink, L.is_pool() ? "window" : "kernel", false});
    sc.texts.push_back({sc.output_grid.x, label_y, 14, ink, "output (channel " + std::to_string(co) + ")", false});

    // Legends: what the colours mean (viridis from the lowest to the highest value shown).
    const float legend_y = label_y + 24;
    auto legend = [&](float x, const Range& range, const char* what) {
        if (range.lo > range.hi) return;
        const int segments = 24;
        const float bar_w = 144, seg = bar_w / float(segments);
        for (int i = 0; i < segments; ++i)
            sc.rects.push_back({x + float(i) * seg, legend_y, seg + 0.5f, 10, viridis((float(i) + 0.5f) / float(segments)),
                                Color{0, 0, 0, 0}, 0, RectRole::Legend});
        sc.texts.push_back({x, legend_y + 14, 12, ink, number_text(range.lo), false});
        sc.texts.push_back({x + bar_w / 2, legend_y + 21, 12, ink, what, true});
        sc.texts.push_back({x + bar_w - 6.5f * float(number_text(range.hi).size()), legend_y + 14, 12, ink, number_text(range.hi), false});
    };
    legend(sc.input_grid.x, in_range, "input value");
    bool any_done = false;
    for (int64_t k = 0; k < out_rows * out_cols && !any_done; ++k) any_done = scatter ? landed.data()[k] > 0 : k < frame.steps_done;
    if (any_done) legend(sc.output_grid.x, out_range, "output value");

    if (opt.fit_content) {
        // Text has no metrics here: DejaVu Sans averages about 0.6 em per character.
        float right = sc.output_grid.x + float(out_cols) * cell;
        right = std::max(right, sc.output_grid.x + 150);
        for (const SceneText& t : sc.texts)
            if (!t.centered) right = std::max(right, t.x + 0.6f * t.size * float(t.text.size()));
        sc.width = std::ceil(right + margin);
        sc.height = std::ceil(legend_y + 36);
    }
    return sc;
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

Scene build_matrix_scene(const StepEngine& engine, const FramePosition& frame, const ConvMatrix& m, int64_t ci,
                         const SceneOptions& opt) {
    Scene sc;
    sc.width = opt.width;
    sc.height = opt.height;
    sc.background = opt.dark ? Color{0.08f, 0.08f, 0.1f, 1} : Color{1, 1, 1, 1};
    const Color ink = opt.dark ? Color{0.9f, 0.9f, 0.92f, 1} : Color{0.1f, 0.1f, 0.12f, 1};
    const Color empty = opt.dark ? Color{0.16f, 0.16f, 0.18f, 1} : Color{0.93f, 0.93f, 0.95f, 1};
    const Color focus{0.85f, 0.1f, 0.35f, 1};
    const bool transposed = tap_direction(engine.layer().kind) == TapDirection::Scatter;
    const float top = 50, gap = 28, margin = 16;
    const float cell = std::max(1.0f, std::min({(opt.width - 2 * margin - 3 * gap) / float(m.cols + 2),
                                                (opt.height - top - 30) / float(std::max(m.rows, m.cols)), 24.0f}));
    const std::string op = transposed ? "C^T" : "C";
    sc.texts.push_back({margin, 8, 16, ink,
                        "y = " + op + " x: " + std::to_string(m.rows) + " outputs x " + std::to_string(m.cols) + " inputs, " +
                            std::to_string(m.nonzeros()) + " non-zero of " + std::to_string(m.rows * m.cols),
                        false});
    sc.texts.push_back({margin, 28, 12, ink,
                        transposed ? "the transposed convolution multiplies by the transpose of the matrix of the convolution going back"
                                   : "each row is one output cell: the kernel's weights at the input cells its taps read",
                        false});
    // y | M | x, each a heat map (y and x are one column wide); cells that are not
    // known yet (y) or that no tap links (M) are empty.
    sc.heatmaps.reserve(3);
    auto grid = [&](float x, int64_t rows, int64_t cols, const std::vector<double>& v, const std::vector<bool>& known,
                    RectRole role, float grid_alpha) {
        SceneHeatmap h;
        h.role = role;
        h.x = x;
        h.y = top;
        h.cell = cell;
        h.rows = rows;
        h.cols = cols;
        double lo = 1e300, hi = -1e300;
        for (std::size_t i = 0; i < v.size(); ++i) {
            h.values.push_back(float(v[i]));
            h.styles.push_back(known[i] ? CellStyle::Value : CellStyle::Empty);
            if (known[i]) {
                lo = std::min(lo, v[i]);
                hi = std::max(hi, v[i]);
            }
        }
        h.lo = lo <= hi ? float(lo) : 0.0f;
        h.hi = lo <= hi ? float(hi) : 1.0f;
        h.empty = empty;
        h.background = sc.background;
        h.grid = Color{ink.r, ink.g, ink.b, cell >= 6 ? grid_alpha : 0.0f};
        sc.heatmaps.push_back(std::move(h));
    };
    const Plane out = engine.partial_output(frame.steps_done, frame.extra_taps);
    const std::vector<double> y(out.begin(), out.end());
    std::vector<bool> y_known(y.size());
    const CountPlane landed = engine.is_scatter() ? engine.landed_counts(frame.steps_done) : CountPlane{};
    for (std::size_t i = 0; i < y.size(); ++i)
        y_known[i] = engine.is_scatter() ? landed.data()[i] > 0 : int64_t(i) < frame.steps_done;
    const double* x_plane = &engine.input()(engine.batch(), ci, 0, 0);
    const std::vector<double> xv(x_plane, x_plane + m.cols);
    const std::vector<bool> linked(m.linked.begin(), m.linked.end());
    const float x_y = margin, x_m = margin + cell + gap, x_x = x_m + float(m.cols) * cell + gap;
    grid(x_y, m.rows, 1, y, y_known, RectRole::OutputCell, 0.2f);
    grid(x_m, m.rows, m.cols, m.values, linked, RectRole::KernelCell, 0.15f);
    grid(x_x, m.cols, 1, xv, std::vector<bool>(xv.size(), true), RectRole::InputCell, 0.2f);
    sc.texts.push_back({x_y + cell / 2, top - 10, 13, ink, "y", true});
    sc.texts.push_back({x_m + float(m.cols) * cell / 2, top - 10, 13, ink, op, true});
    sc.texts.push_back({x_x + cell / 2, top - 10, 13, ink, "x", true});
    sc.texts.push_back({x_y + cell + gap / 2, top + float(m.rows) * cell / 2, 16, ink, "=", true});

    // The current step: its row (gather) or its column (scatter).
    const int64_t current = frame.extra_taps > 0 || frame.steps_done == 0 ? frame.steps_done : frame.steps_done - 1;
    if (current >= 0 && current < engine.step_count()) {
        if (engine.is_scatter()) {
            const float cx = x_m + float(current) * cell;
            sc.rects.push_back({cx, top, cell, float(m.rows) * cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
            sc.rects.push_back({x_x, top + float(current) * cell, cell, cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
        } else {
            const float cy = top + float(current) * cell;
            sc.rects.push_back({x_m, cy, float(m.cols) * cell, cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
            sc.rects.push_back({x_y, cy, cell, cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
        }
    }
    return sc;
}

}  // namespace convscope
