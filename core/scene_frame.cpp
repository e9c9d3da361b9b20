// build_scene: the picture of one animation frame (input grid, kernel, output grid, the
// step's taps, caption, arithmetic, labels, legends), one builder per element over a
// shared FrameLayout, so a style is a painter over the same layout, not a copy of it.
#include <algorithm>
#include <cmath>

#include "core/scene.hpp"
#include "core/scene_theme.hpp"

namespace convscope {

using std::int64_t;

namespace {

/// Everything the builders share: the step engine, the frame, the theme and where the
/// three grids go.
struct FrameLayout {
    const StepEngine& engine;
    const FramePosition& frame;
    const SceneOptions& opt;
    SceneTheme theme;
    bool scatter = false, transposed = false;
    int64_t in_channel = 0;          ///< the input channel drawn
    int64_t in_rows = 0, in_cols = 0, out_rows = 0, out_cols = 0, kH = 0, kW = 0;
    float top = 0, margin = 16, cell = 1, kcell = 1;
    bool numbers = false, kernel_numbers = false;
    ValueRange in_range, w_range, out_range;

    FrameLayout(const StepEngine& e, const FramePosition& f, const SceneOptions& o) : engine(e), frame(f), opt(o) {}
};

/// Grid sizes, cell sizes and positions: caption on top; input | kernel | output left
/// to right, one cell size for input and output.
void layout_grids(FrameLayout& lay, Scene& sc) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    lay.theme = SceneTheme::make(lay.opt.dark);
    lay.scatter = e.is_scatter();
    lay.transposed = e.layer().kind == LayerKind::ConvTranspose2d;
    lay.in_channel = std::clamp<int64_t>(lay.opt.in_channel, 0, e.layer().in_channels - 1);
    lay.in_rows = lay.scatter ? geo.h().in : e.grid_rows();
    lay.in_cols = lay.scatter ? geo.w().in : e.grid_cols();
    lay.out_rows = geo.h().out;
    lay.out_cols = geo.w().out;
    lay.kH = e.layer().kernel.h;
    lay.kW = e.layer().kernel.w;

    const float gap = 40;
    lay.top = lay.opt.code_line.empty() ? 56 : 78;
    const float avail_w = lay.opt.width - 2 * lay.margin - 2 * gap;
    const float avail_h = lay.opt.height - lay.top - 84;  // labels and legends below the grids
    lay.cell = std::max(1.0f, std::min({avail_w / float(lay.in_cols + 3 * lay.kW + lay.out_cols),
                                        avail_h / float(std::max(lay.in_rows, lay.out_rows)), 48.0f}));
    // The kernel is small: draw it up to three times larger so its taps stay visible.
    lay.kcell = std::min(48.0f, std::max(lay.cell, std::min(3 * lay.cell, 40.0f)));
    sc.input_grid = {lay.margin, lay.top, lay.cell, lay.in_rows, lay.in_cols};
    sc.kernel_grid = {lay.margin + float(lay.in_cols) * lay.cell + gap, lay.top, lay.kcell, lay.kH, lay.kW};
    sc.output_grid = {sc.kernel_grid.x + float(lay.kW) * lay.kcell + gap, lay.top, lay.cell, lay.out_rows, lay.out_cols};
    lay.numbers = lay.cell >= 30;
    lay.kernel_numbers = lay.kcell >= 30;
    sc.width = lay.opt.width;
    sc.height = lay.opt.height;
    sc.background = lay.theme.background;
}

SceneHeatmap& add_heatmap(const FrameLayout& lay, Scene& sc, const Scene::GridPlacement& g, RectRole role, const ValueRange& range) {
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
    h.empty = lay.theme.empty;
    h.background = sc.background;
    const Color& ink = lay.theme.ink;
    h.grid = Color{ink.r, ink.g, ink.b, g.cell >= 6 ? 0.25f : 0.0f};
    sc.heatmaps.push_back(std::move(h));
    return sc.heatmaps.back();
}

void outline(Scene& sc, const Scene::GridPlacement& g, int64_t r, int64_t c, Color color, float width) {
    sc.rects.push_back({g.x + float(c) * g.cell, g.y + float(r) * g.cell, g.cell, g.cell, Color{0, 0, 0, 0}, color, width,
                        RectRole::Highlight});
}

void cell_label(Scene& sc, const Scene::GridPlacement& g, int64_t r, int64_t c, const std::string& text, Color color) {
    sc.texts.push_back({g.x + (float(c) + 0.5f) * g.cell, g.y + (float(r) + 0.5f) * g.cell, std::min(14.0f, g.cell * 0.4f), color, text, true});
}

void add_caption(const FrameLayout& lay, Scene& sc) {
    const Color& ink = lay.theme.ink;
    sc.texts.push_back({lay.margin, 8, 18, ink, layer_caption(lay.engine.layer(), lay.engine.geometry()), false});
    if (!lay.opt.code_line.empty()) sc.texts.push_back({lay.margin, 32, 13, Color{ink.r, ink.g, ink.b, 0.75f}, lay.opt.code_line, false});
}

/// The input (the padded or zero-inserted grid in the gather views) of the drawn channel.
void add_input_grid(FrameLayout& lay, Scene& sc) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    const Tensor4& x = e.input();
    const int64_t ci = lay.in_channel;
    for (int64_t r = 0; r < geo.h().in; ++r)
        for (int64_t c = 0; c < geo.w().in; ++c) lay.in_range.add(x(e.batch(), ci, r, c));
    SceneHeatmap& map = add_heatmap(lay, sc, sc.input_grid, RectRole::InputCell, lay.in_range);
    for (int64_t r = 0; r < lay.in_rows; ++r)
        for (int64_t c = 0; c < lay.in_cols; ++c) {
            bool pad_y = false, pad_x = false, ins_y = false, ins_x = false;
            int64_t sy = r, sx = c;
            if (!lay.scatter) {
                sy = e.grid_source(0, r, pad_y, ins_y);
                sx = e.grid_source(1, c, pad_x, ins_x);
            }
            const bool real = sy >= 0 && sx >= 0;
            const double v = real ? x(e.batch(), ci, sy, sx) : 0.0;
            const std::size_t i = std::size_t(r * lay.in_cols + c);
            map.values[i] = float(v);
            map.styles[i] = !real ? CellStyle::Empty : (pad_y || pad_x) ? CellStyle::FadedValue : CellStyle::Value;
            if (lay.numbers)
                cell_label(sc, sc.input_grid, r, c, real || !(pad_y || pad_x) ? number_text(v) : "0", text_on(map.cell_color(r, c), lay.theme.ink));
        }
}

/// The weight of tap (ky, kx) between the drawn input channel and the computed output
/// channel; nullopt-like `false` when the pair is in different groups.
bool kernel_weight(const FrameLayout& lay, int64_t ky, int64_t kx, double& w) {
    const Layer& L = lay.engine.layer();
    const int64_t Cgo = L.out_channels / L.groups, Cgi = L.in_channels / L.groups;
    const int64_t ci = lay.in_channel, co = lay.engine.out_channel();
    if (ci / Cgi != co / Cgo) return false;
    w = lay.transposed ? lay.engine.weights().weight(ci, co % Cgo, ky, kx) : lay.engine.weights().weight(co, ci % Cgi, ky, kx);
    return true;
}

void add_kernel_grid(FrameLayout& lay, Scene& sc) {
    double w = 0;
    for (int64_t ky = 0; ky < lay.kH; ++ky)
        for (int64_t kx = 0; kx < lay.kW; ++kx) lay.w_range.add(kernel_weight(lay, ky, kx, w) ? w : 0.0);
    SceneHeatmap& map = add_heatmap(lay, sc, sc.kernel_grid, RectRole::KernelCell, lay.w_range);
    for (int64_t ky = 0; ky < lay.kH; ++ky)
        for (int64_t kx = 0; kx < lay.kW; ++kx) {
            const bool in_group = kernel_weight(lay, ky, kx, w);
            map.values[std::size_t(ky * lay.kW + kx)] = in_group ? float(w) : 0.0f;
            if (!in_group) map.styles[std::size_t(ky * lay.kW + kx)] = CellStyle::Empty;  // this channel pair has no weight
            if (lay.kernel_numbers) cell_label(sc, sc.kernel_grid, ky, kx, in_group ? number_text(w) : "-", text_on(map.cell_color(ky, kx), lay.theme.ink));
        }
}

/// Whether output cell k has a value at this frame.
bool output_done(const FrameLayout& lay, const CountPlane& landed, int64_t k) {
    return lay.scatter ? landed.data()[k] > 0 : k < lay.frame.steps_done;
}

/// The output so far; in the scatter view, how many taps have landed on each cell
/// (uneven counts are the checkerboard); a cell nothing has landed on yet is not computed.
void add_output_grid(FrameLayout& lay, Scene& sc, const CountPlane& landed) {
    const Plane out = lay.engine.partial_output(lay.frame.steps_done, lay.frame.extra_taps);
    for (double v : out) lay.out_range.add(v);
    SceneHeatmap& map = add_heatmap(lay, sc, sc.output_grid, RectRole::OutputCell, lay.out_range);
    for (int64_t r = 0; r < lay.out_rows; ++r)
        for (int64_t c = 0; c < lay.out_cols; ++c) {
            const int64_t k = r * lay.out_cols + c;
            const bool done = output_done(lay, landed, k);
            map.values[std::size_t(k)] = float(out(r, c));
            map.styles[std::size_t(k)] = done ? CellStyle::Value : CellStyle::Empty;
            if (lay.numbers && done) cell_label(sc, sc.output_grid, r, c, number_text(out(r, c)), text_on(map.cell_color(r, c), lay.theme.ink));
        }
}

void add_scatter_counts(const FrameLayout& lay, Scene& sc, const CountPlane& landed) {
    if (!lay.scatter || !lay.numbers || lay.frame.steps_done == 0) return;
    const float cell = lay.cell;
    for (int64_t r = 0; r < lay.out_rows; ++r)
        for (int64_t c = 0; c < lay.out_cols; ++c)
            sc.texts.push_back({sc.output_grid.x + float(c + 1) * cell - 0.3f * cell, sc.output_grid.y + float(r) * cell + 0.2f * cell,
                                std::min(10.0f, cell * 0.26f), Color{0.55f, 0.55f, 0.58f, 1}, "x" + std::to_string(landed(r, c)), true});
}

/// Scatter step: the input cell stamps its value times the kernel onto the output.
std::string add_scatter_step(const FrameLayout& lay, Scene& sc, int64_t current, int64_t taps_shown) {
    const ScatterStep s = lay.engine.scatter_step(current);
    outline(sc, sc.input_grid, s.in_y, s.in_x, lay.theme.focus, 3);
    for (int64_t i = 0; i < taps_shown && i < int64_t(s.taps.size()); ++i) {
        const ScatterTap& t = s.taps[std::size_t(i)];
        if (t.in_channel != lay.in_channel) continue;
        outline(sc, sc.kernel_grid, t.ky, t.kx, lay.theme.accent, 2);
        if (t.inside) outline(sc, sc.output_grid, t.out_y, t.out_x, lay.theme.accent, 2);
    }
    std::string arithmetic = "input cell (" + std::to_string(s.in_y) + ", " + std::to_string(s.in_x) + ") stamps value x kernel onto the output";
    if (lay.frame.extra_taps > 0 && taps_shown <= int64_t(s.taps.size())) {
        // Tap by tap: which product lands where.
        const ScatterTap& t = s.taps[std::size_t(taps_shown - 1)];
        arithmetic = "input (" + std::to_string(s.in_y) + ", " + std::to_string(s.in_x) + ") = " + number_text(t.value) + "  x  w(" +
                     std::to_string(t.ky) + ", " + std::to_string(t.kx) + ") = " + number_text(t.weight) + "  ->  " + number_text(t.product) +
                     (t.inside ? " lands on output (" + std::to_string(t.out_y) + ", " + std::to_string(t.out_x) + ")"
                               : " falls outside the output (cropped by padding)");
    }
    return arithmetic;
}

/// Gather step: the taps read for one output cell, and their running sum.
std::string add_gather_step(const FrameLayout& lay, Scene& sc, int64_t current, int64_t taps_shown) {
    const GatherStep s = lay.engine.gather_step(current);
    outline(sc, sc.output_grid, s.out_y, s.out_x, lay.theme.focus, 3);
    double partial = 0;
    for (int64_t i = 0; i < taps_shown && i < int64_t(s.taps.size()); ++i) {
        const GatherTap& t = s.taps[std::size_t(i)];
        partial = t.running_sum;
        if (t.in_channel != lay.in_channel) continue;
        outline(sc, sc.input_grid, t.grid_y, t.grid_x, lay.theme.accent, 2);
        outline(sc, sc.kernel_grid, t.ky, t.kx, lay.theme.accent, 2);
    }
    std::string arithmetic = "output (" + std::to_string(s.out_y) + ", " + std::to_string(s.out_x) + ") = " + number_text(s.bias) +
                             " + sum of " + std::to_string(taps_shown) + " products = " + number_text(s.bias + partial);
    if (lay.frame.extra_taps > 0 && taps_shown <= int64_t(s.taps.size())) {
        // Tap by tap: the value read, the weight, the product, the running sum.
        const GatherTap& t = s.taps[std::size_t(taps_shown - 1)];
        arithmetic = "output (" + std::to_string(s.out_y) + ", " + std::to_string(s.out_x) + "), tap " + std::to_string(taps_shown) +
                     "/" + std::to_string(s.taps.size()) + ": " +
                     (t.src_y < 0 ? std::string(t.inserted_zero ? "inserted zero" : "padding") : "x") + "(" +
                     std::to_string(t.grid_y) + ", " + std::to_string(t.grid_x) + ") = " + number_text(t.value) + "  x  w(" +
                     std::to_string(t.ky) + ", " + std::to_string(t.kx) + ") = " + number_text(t.weight) + "  ->  " +
                     number_text(t.product) + ";  running sum " + number_text(s.bias + partial);
    }
    // A cell still being summed shows its running sum.
    if (lay.numbers && lay.frame.extra_taps > 0) cell_label(sc, sc.output_grid, s.out_y, s.out_x, number_text(s.bias + partial), lay.theme.ink);
    return arithmetic;
}

/// The step in progress (or the last one finished): its taps light up; returns its arithmetic.
std::string add_step(const FrameLayout& lay, Scene& sc) {
    const FramePosition& f = lay.frame;
    const int64_t current = f.extra_taps > 0 || f.steps_done == 0 ? f.steps_done : f.steps_done - 1;
    if (current < 0 || current >= lay.engine.step_count()) return {};
    const int64_t taps_shown = f.extra_taps > 0 ? f.extra_taps : lay.engine.taps_per_step();
    return lay.scatter ? add_scatter_step(lay, sc, current, taps_shown) : add_gather_step(lay, sc, current, taps_shown);
}

/// Names under the grids; returns the y just below them.
float add_grid_labels(const FrameLayout& lay, Scene& sc) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    const float label_y = lay.top + std::max(float(std::max(lay.in_rows, lay.out_rows)) * lay.cell, float(lay.kH) * lay.kcell) + 8;
    const std::string ch = " (channel " + std::to_string(lay.in_channel) + ")";
    const bool padded = e.grid_pad_top() || e.grid_pad_left() || e.grid_rows() != geo.h().in || e.grid_cols() != geo.w().in;
    const char* input_name = lay.scatter ? "input" : lay.transposed ? "input, zeros inserted, padded" : padded ? "input, padded" : "input";
    const Color& ink = lay.theme.ink;
    sc.texts.push_back({sc.input_grid.x, label_y, 14, ink, input_name + ch, false});
    sc.texts.push_back({sc.kernel_grid.x, label_y, 14, ink, "kernel", false});
    sc.texts.push_back({sc.output_grid.x, label_y, 14, ink, "output (channel " + std::to_string(e.out_channel()) + ")", false});
    return label_y;
}

/// What the colours mean: viridis from the lowest to the highest value shown.
void add_legend(const FrameLayout& lay, Scene& sc, float x, float y, const ValueRange& range, const char* what) {
    if (range.empty()) return;
    const int segments = 24;
    const float bar_w = 144, seg = bar_w / float(segments);
    for (int i = 0; i < segments; ++i)
        sc.rects.push_back({x + float(i) * seg, y, seg + 0.5f, 10, viridis((float(i) + 0.5f) / float(segments)), Color{0, 0, 0, 0}, 0,
                            RectRole::Legend});
    const Color& ink = lay.theme.ink;
    sc.texts.push_back({x, y + 14, 12, ink, number_text(range.lo), false});
    sc.texts.push_back({x + bar_w / 2, y + 21, 12, ink, what, true});
    sc.texts.push_back({x + bar_w - 6.5f * float(number_text(range.hi).size()), y + 14, 12, ink, number_text(range.hi), false});
}

/// Shrink the scene to what is drawn (figures for export).
void fit_to_content(const FrameLayout& lay, Scene& sc, float bottom) {
    // Text has no metrics here: DejaVu Sans averages about 0.6 em per character.
    float right = sc.output_grid.x + float(lay.out_cols) * lay.cell;
    right = std::max(right, sc.output_grid.x + 150);
    for (const SceneText& t : sc.texts)
        if (!t.centered) right = std::max(right, t.x + 0.6f * t.size * float(t.text.size()));
    sc.width = std::ceil(right + lay.margin);
    sc.height = std::ceil(bottom);
}

}  // namespace

Scene build_scene(const StepEngine& engine, const FramePosition& frame, const SceneOptions& opt) {
    Scene sc;
    FrameLayout lay(engine, frame, opt);
    layout_grids(lay, sc);
    add_caption(lay, sc);
    sc.heatmaps.reserve(3);  // references into it are held while the next is built
    add_input_grid(lay, sc);
    add_kernel_grid(lay, sc);
    const CountPlane landed = lay.scatter ? engine.landed_counts(frame.steps_done) : CountPlane{};
    add_output_grid(lay, sc, landed);
    add_scatter_counts(lay, sc, landed);
    const std::string arithmetic = add_step(lay, sc);
    if (opt.show_arithmetic) sc.texts.push_back({lay.margin, opt.code_line.empty() ? 32.0f : 54.0f, 14, lay.theme.ink, arithmetic, false});
    const float label_y = add_grid_labels(lay, sc);
    const float legend_y = label_y + 24;
    add_legend(lay, sc, sc.input_grid.x, legend_y, lay.in_range, "input value");
    bool any_done = false;
    for (int64_t k = 0; k < lay.out_rows * lay.out_cols && !any_done; ++k) any_done = output_done(lay, landed, k);
    if (any_done) add_legend(lay, sc, sc.output_grid.x, legend_y, lay.out_range, "output value");
    if (opt.fit_content) fit_to_content(lay, sc, legend_y + 36);
    return sc;
}

}  // namespace convscope
