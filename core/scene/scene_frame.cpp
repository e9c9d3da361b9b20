// build_scene: the picture of one animation frame, one builder per element over a
// shared FrameLayout (grids, cell markers, the step's taps, lines, inset, caption,
// arithmetic, labels, legends, fitting). The two styles are two painters over the
// same layout: `values` paints cells through the colour map and outlines the taps;
// `schematic` paints uniform planes and fills the taps.
//
// Layout: caption, code line and arithmetic on top; input and output side by side with
// a gap the lines from the taps cross; below them labels and legends, then the kernel
// and the magnified inset. Nothing below the grids is ever crossed by a line.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/io/pycode.hpp"
#include "core/scene/scene.hpp"
#include "core/scene/scene_chain_figure.hpp"
#include "core/scene/scene_perspective.hpp"
#include "core/scene/scene_theme.hpp"

namespace convscope {

using std::int64_t;

namespace {

struct CellIndex {
    int64_t r = 0, c = 0;
};

/// A window onto a grid: the cells [r0, r0 + g.rows) x [c0, c0 + g.cols) of that grid
/// drawn at placement g (the main grids have r0 = c0 = 0; the inset does not).
struct GridView {
    GridPlacement g;
    int64_t r0 = 0, c0 = 0;
    bool shows(int64_t r, int64_t c) const { return r >= r0 && c >= c0 && r < r0 + g.rows && c < c0 + g.cols; }
    float x(int64_t c) const { return g.x + float(c - c0) * g.cell; }
    float y(int64_t r) const { return g.y + float(r - r0) * g.cell; }
};

/// What the current step lights up, in grid coordinates.
struct StepMarks {
    bool any = false;
    std::vector<CellIndex> input_taps;   ///< gather: cells read (drawn channel); scatter: -
    std::vector<CellIndex> kernel_taps;  ///< as drawn (flipped in the as-convolution view)
    std::vector<CellIndex> output_taps;  ///< scatter: where the products land (outside the output too: cropped)
    /// What each of those taps is: the footprint is drawn whole from a step's first
    /// frame, its taps not added yet `Pending` (parallel to the vectors above).
    std::vector<TapState> input_states, kernel_states, output_states;
    CellIndex focus;                     ///< gather: the output cell; scatter: the input cell
    CellIndex window_lo, window_hi;      ///< gather: the footprint's corners on the input grid
    std::vector<CellIndex> picked;       ///< max pool: the cell whose value won
    /// At tap granularity the tap being added, on each grid (r < 0: not on that grid);
    /// the other taps shown are summed already.
    CellIndex current_input{-1, -1}, current_kernel{-1, -1}, current_output{-1, -1};
};

struct FrameLayout {
    const StepEngine& engine;
    const FramePosition& frame;
    const SceneOptions& opt;
    SceneTheme theme;
    bool schematic = false, scatter = false, transposed = false, flipped_kernel = false;
    int64_t in_channel = 0;          ///< the input channel drawn (at tap granularity: the tap's)
    int64_t current = -1;            ///< the step shown; -1: none
    int64_t taps_shown = 0;
    int64_t in_rows = 0, in_cols = 0, out_rows = 0, out_cols = 0, kH = 0, kW = 0;
    /// Scatter view of a layer with padding: the ring of the uncropped output that the
    /// padding crops, in cells on each side (taps land there and are thrown away).
    int64_t ring_top = 0, ring_left = 0, ring_bottom = 0, ring_right = 0;
    /// Scatter view: how many taps land on each output cell once every step is done
    /// (a cell is done when its count reaches this).
    CountPlane final_counts;
    float top = 0, margin = 16, gap = 96, cell = 1, kcell = 1;
    float grids_bottom = 0, band_y = 0;
    bool numbers = false, kernel_numbers = false;
    float text_min = 11;             ///< smallest number in a cell: figures for export 14 px, the app 11
    bool values_hidden = false;      ///< the style wants numbers and the cells are too small for them
    bool inset_values = false;       ///< the magnified inset wrote the number of every real cell in it
    bool tap_by_tap = false;         ///< tap granularity inside a step: one tap is being added
    int key_rows = 0;                ///< lines of key under the legends (the values style's tap key, the hidden-values note)
    /// A figure whose maps are too small to read: the magnified region is the main view
    /// (side x side px, top-left at main_x, main_y) and the maps are its locators.
    bool focus = false;
    float main_x = 0, main_y = 0, main_side = 0;
    /// A focused scatter figure (the up-convolution) draws its mechanism: the input patch
    /// round the stamping cell (top-left at main_x - stamp_left), times the kernel W,
    /// gives the block in the output patch (the main view, at main_x, main_y).
    bool stamp = false;
    float stamp_left = 0, patch_cell = 56;
    /// The input locator above the input patch (left to right: input, W, output patch,
    /// output locator), joined to the patch by its own callout.
    bool input_above = false;
    /// A focused gather figure's key: one entry a line, top-left at (key_x, key_y), under
    /// the input locator and the callout's lower line.
    bool key_column = false;
    float key_x = 0, key_y = 0;
    /// The main view writes the kernel's weight in each tap (the kernel as it acts on the input).
    bool tap_weights = false;
    /// The type of a figure's words (names, keys, notes) and one line of its key: a
    /// focused figure goes on a slide whole, its words 1.5 times the app's.
    float small_text = 14, key_row = 18, text_scale = 1;
    /// What the grids are: input and output, or in the backward pass grad_output (read)
    /// and grad_input (computed); the short forms for keys and titles.
    std::string in_name, out_name, in_short, out_short;
    ValueRange in_range, w_range, out_range;
    GatherStep gather;
    ScatterStep scatter_step;
    StepMarks marks;
    std::size_t input_map = 0, kernel_map = 1, output_map = 2;  ///< indices into sc.heatmaps

    FrameLayout(const StepEngine& e, const FramePosition& f, const SceneOptions& o) : engine(e), frame(f), opt(o) {}
};

/// Height of one line of key under the legends.
constexpr float kKeyRow = 18;
/// The smallest type of a figure (keys, notes, legends): 1/40 of a 560 px figure, the
/// tallest a small map's export is drawn (a slide shrinks a figure to its height).
constexpr float kSmallText = 14;
constexpr float kFigureMaxHeight = 40 * kSmallText;
/// The smallest box that marks a region on a focused figure's locator map, in px.
constexpr float kLocatorBox = 18;
/// Numbers are written into cells from this size (an 8x8 map at 1280x800 gets 19 px).
constexpr float kNumbersFromCell = 18;

bool wants_numbers(const SceneOptions& opt) {
    return opt.numbers == NumberLabels::Always || (opt.numbers == NumberLabels::Auto && opt.style == SceneStyle::Values);
}

/// The step shown and the channel drawn: at tap granularity the channel of the tap
/// the arithmetic talks about, so that the picture and the words agree.
void choose_step(FrameLayout& lay) {
    const StepEngine& e = lay.engine;
    const FramePosition& f = lay.frame;
    lay.current = f.shown_step >= 0 ? f.shown_step : f.extra_taps > 0 || f.steps_done == 0 ? f.steps_done : f.steps_done - 1;
    // Layers that read one channel per output channel (pools, upsampling, shuffles,
    // activations) draw the channel the step reads.
    lay.in_channel = e.shown_input_channel(lay.opt.in_channel, lay.current);
    if (f.crop || lay.current < 0 || lay.current >= e.step_count()) {
        lay.current = -1;
        return;
    }
    lay.taps_shown = f.extra_taps > 0 && f.shown_step < 0 ? f.extra_taps : e.taps_per_step();
    if (lay.scatter) lay.scatter_step = e.scatter_step(lay.current);
    else lay.gather = e.gather_step(lay.current);
    if (f.extra_taps > 0 && f.shown_step < 0) {
        const std::size_t t = std::size_t(lay.taps_shown - 1);
        lay.in_channel = lay.scatter ? lay.scatter_step.taps[t].in_channel : lay.gather.taps[t].in_channel;
    }
}

void layout_grids(FrameLayout& lay, Scene& sc) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    lay.theme = SceneTheme::make(lay.opt.dark);
    lay.schematic = lay.opt.style == SceneStyle::Schematic;
    lay.scatter = e.is_scatter();
    lay.transposed = e.layer().kind == LayerKind::ConvTranspose2d;
    lay.flipped_kernel = lay.transposed && !lay.scatter;
    lay.in_rows = lay.scatter ? geo.h().in : e.grid_rows();
    lay.in_cols = lay.scatter ? geo.w().in : e.grid_cols();
    lay.out_rows = geo.h().out;
    lay.out_cols = geo.w().out;
    lay.kH = e.layer().kernel.h;
    lay.kW = e.layer().kernel.w;
    if (lay.scatter) {
        // Taps land at o = i*s - p + t*d: from -p up to (in-1)*s - p + d*(k-1), which is
        // out-1 + p - output_padding; the cells outside [0, out) are cropped.
        auto beyond = [](const AxisGeometry& g) { return std::max<int64_t>(0, (g.in - 1) * g.stride - g.pad_before + g.span() - g.out); };
        lay.ring_top = geo.h().pad_before;
        lay.ring_left = geo.w().pad_before;
        lay.ring_bottom = beyond(geo.h());
        lay.ring_right = beyond(geo.w());
        lay.final_counts = e.landed_counts(e.step_count());
    }
    const int64_t out_rows_drawn = lay.out_rows + lay.ring_top + lay.ring_bottom;
    const int64_t out_cols_drawn = lay.out_cols + lay.ring_left + lay.ring_right;

    lay.top = lay.opt.code_line.empty() ? 60 : 82;
    float kcell_est = std::min(48.0f, 144.0f / float(std::max(lay.kH, lay.kW)));
    const float band_est = 6 + 24 + 44 + 20 + std::max(float(lay.kH) * kcell_est, 168.0f) + 12;
    const float avail_w = lay.opt.width - 2 * lay.margin - lay.gap;
    const float avail_h = lay.opt.height - lay.top - band_est;
    const int64_t rows_drawn = std::max(lay.in_rows, out_rows_drawn);
    lay.cell = std::max(1.0f, std::min({avail_w / float(lay.in_cols + out_cols_drawn), avail_h / float(rows_drawn), 48.0f}));
    lay.text_min = lay.opt.fit_content ? kSmallText : 11.0f;
    bool kernel_capped = false;
    if (lay.opt.fit_content) {
        // A figure is shown on a slide at the slide's height: kept under 40 lines of its
        // smallest type, so that no text is under 1/40 of its height (a small map's cells
        // stay 24 px or more; the 64x64 maps are drawn through their inset).
        const float kcell_fit = std::min(40.0f, 120.0f / float(std::max(lay.kH, lay.kW)));
        const float fixed = lay.top + 6 + 24 + 44 + 20 + float(lay.kH) * kcell_fit + 20 + 16;
        const float fit = (kFigureMaxHeight - fixed) / float(rows_drawn);
        if (fit >= 24) {
            lay.cell = std::min(lay.cell, fit);
            kcell_est = kcell_fit;
            kernel_capped = true;
        }
    }
    // The kernel is small: drawn larger (up to 48 px a tap) so its taps read.
    lay.kcell = kernel_capped ? kcell_est : std::max(lay.cell, kcell_est);
    sc.input_grid = {lay.margin, lay.top, lay.cell, lay.in_rows, lay.in_cols};
    sc.output_grid = {lay.margin + float(lay.in_cols + lay.ring_left) * lay.cell + lay.gap, lay.top + float(lay.ring_top) * lay.cell,
                      lay.cell, lay.out_rows, lay.out_cols};
    lay.grids_bottom = lay.top + float(std::max(lay.in_rows, out_rows_drawn)) * lay.cell;
    const bool numbers = wants_numbers(lay.opt);
    lay.numbers = numbers && lay.cell >= kNumbersFromCell;
    lay.kernel_numbers = numbers && lay.kcell >= kNumbersFromCell;
    lay.values_hidden = numbers && !lay.numbers;
    lay.tap_by_tap = lay.frame.extra_taps > 0 && lay.frame.shown_step < 0;
    lay.key_rows = int(lay.values_hidden) + int(lay.tap_by_tap && !lay.schematic);
    lay.band_y = lay.grids_bottom + 6 + 24 + 44 + kKeyRow * float(lay.key_rows);
    sc.kernel_grid = {lay.margin, lay.band_y + 20, lay.kcell, lay.kH, lay.kW};
    const bool backward = lay.opt.backward;
    lay.in_name = backward ? "grad_output (dL/dy)" : "input";
    lay.out_name = backward ? "grad_input (dL/dx)" : "output";
    lay.in_short = backward ? "grad_output" : "input";
    lay.out_short = backward ? "grad_input" : "output";
    sc.width = lay.opt.width;
    sc.height = lay.opt.height;
    sc.background = lay.theme.background;
}

std::string input_grid_label(const FrameLayout& lay);

/// The output patch of a stamp figure: where the step's taps land and one input cell's
/// block (a stride) on each side of it, inside the output.
void stamp_region(const FrameLayout& lay, CellIndex& lo, CellIndex& hi) {
    lo = {INT64_MAX, INT64_MAX};
    hi = {INT64_MIN, INT64_MIN};
    for (const ScatterTap& t : lay.scatter_step.taps) {
        lo = {std::min(lo.r, t.out_y), std::min(lo.c, t.out_x)};
        hi = {std::max(hi.r, t.out_y), std::max(hi.c, t.out_x)};
    }
    const Pair stride = lay.engine.layer().stride;
    lo = {std::clamp<int64_t>(lo.r - stride.h, 0, lay.out_rows - 1), std::clamp<int64_t>(lo.c - stride.w, 0, lay.out_cols - 1)};
    hi = {std::clamp<int64_t>(hi.r + stride.h, lo.r, lay.out_rows - 1), std::clamp<int64_t>(hi.c + stride.w, lo.c, lay.out_cols - 1)};
}

/// A focused scatter figure (the course's up-convolution): the mechanism left to right,
/// each part named above it: the input patch round the stamping cell (3x3 cells), "x",
/// the kernel W with its weights, an arrow, and the output patch (the main view: the
/// block x*W lands in, the blocks round it); right of it the whole maps as locators,
/// the output (which the callout joins to the main view) above the input.
void stamp_layout(FrameLayout& lay, Scene& sc) {
    lay.stamp = true;
    const float name_h = lay.small_text + 8;
    const float map_y = lay.main_y + name_h;
    CellIndex lo, hi;
    stamp_region(lay, lo, hi);
    const int64_t rows = hi.r - lo.r + 1, cols = hi.c - lo.c + 1;
    // 56 px cells (a two-decimal number in 18 px type) up to a 6x6 patch, smaller past it.
    const float pc = lay.patch_cell = std::min(56.0f, 336.0f / float(std::max({rows, cols, lay.kH, lay.kW})));
    lay.main_side = pc * float(std::max(rows, cols));
    lay.kcell = pc;
    // The arrow's gap leaves room for W's name above it ("in ch 15 \u2192 out ch 2": 0.6 em a character).
    const float sign_gap = 56, arrow_gap = std::max(84.0f, 0.6f * lay.small_text * 20 + 20 - float(lay.kW) * pc);
    const float w_x = lay.margin + 3 * pc + sign_gap;
    lay.stamp_left = lay.margin;
    lay.main_x = w_x + float(lay.kW) * pc + arrow_gap;
    lay.main_y = map_y;
    sc.kernel_grid = {w_x, map_y + (lay.main_side - float(lay.kH) * pc) / 2, pc, lay.kH, lay.kW};
    const float col = lay.main_x + lay.main_side + 72;
    const float out_h = float(lay.out_rows + lay.ring_top + lay.ring_bottom) * lay.cell;
    sc.output_grid = {col + float(lay.ring_left) * lay.cell, map_y + float(lay.ring_top) * lay.cell, lay.cell, lay.out_rows, lay.out_cols};
    // The input locator under the output's, its name under the callout's lower line
    // (from the main view's bottom right corner to the box round the stamp's region).
    const float box_w = std::max(float(hi.c - lo.c + 1) * lay.cell + 2, kLocatorBox), box_h = std::max(float(hi.r - lo.r + 1) * lay.cell + 2, kLocatorBox);
    const float box_left = sc.output_grid.x + (float(lo.c + hi.c + 1) / 2) * lay.cell - box_w / 2;
    const float box_bottom = sc.output_grid.y + (float(lo.r + hi.r + 1) / 2) * lay.cell + box_h / 2;
    const float main_right = lay.main_x + float(cols) * pc + 2, main_bottom = map_y + float(rows) * pc + 2;
    const float line_at_col = box_left > col ? main_bottom + (box_bottom - main_bottom) * (col - main_right) / (box_left - main_right) : box_bottom;
    float in_y = std::max(map_y + out_h + 16, line_at_col + 8) + name_h;
    sc.input_grid = {col, in_y, lay.cell, lay.in_rows, lay.in_cols};
    // Where the input patch leaves room above it: the input locator there, at the left.
    const float patch_top = map_y + (lay.main_side - 3 * pc) / 2;
    if (map_y + float(lay.in_rows) * lay.cell + 32 < patch_top) {
        lay.input_above = true;
        in_y = map_y;
        sc.input_grid = {lay.margin, map_y, lay.cell, lay.in_rows, lay.in_cols};
    }
    lay.band_y = map_y;
    lay.numbers = false;
    lay.kernel_numbers = true;
    lay.grids_bottom = std::max(map_y + lay.main_side, in_y + float(lay.in_rows) * lay.cell) + 8;
    // A stamp of zeros shows nothing of the mechanism: the drawn channel is the first,
    // from the one asked for, whose value at the stamping cell is not 0.
    const std::vector<ScatterTap>& taps = lay.scatter_step.taps;
    const Layer& L = lay.engine.layer();
    const int64_t group_in = L.in_channels / L.groups, first = lay.in_channel - lay.in_channel % group_in;
    for (int64_t k = 0; k < group_in; ++k) {
        const int64_t ci = first + (lay.in_channel - first + k) % group_in;
        const auto t = std::find_if(taps.begin(), taps.end(), [&](const ScatterTap& x) { return x.in_channel == ci; });
        if (t != taps.end() && t->value != 0) {
            lay.in_channel = ci;
            break;
        }
    }
}

/// A figure for export whose maps are too small to read (the 64x64 seeds): the
/// magnified region around the step becomes the main view, top left, and the whole maps
/// shrink to locators beside it, the input above the output (the one it magnifies
/// carries the callout's rectangle, joined to the main view by two lines); the kernel
/// right of them and the key under everything. Under 40 lines of 14 px type tall.
void focus_layout(FrameLayout& lay, Scene& sc) {
    lay.focus = true;
    // Read from the back row: no word under 1/25 of the figure's height.
    lay.text_scale = 1.5f;
    lay.small_text = kSmallText * lay.text_scale;
    lay.key_row = kKeyRow * lay.text_scale;
    lay.text_min = 18;
    lay.top = (lay.opt.code_line.empty() ? 60 : 82) * lay.text_scale;
    lay.main_side = 320;
    lay.main_x = lay.margin;
    lay.main_y = lay.top - 8;  // (no title: the box on the locator and its two lines say what it magnifies)
    const int64_t out_rows_drawn = lay.out_rows + lay.ring_top + lay.ring_bottom;
    const int64_t out_cols_drawn = lay.out_cols + lay.ring_left + lay.ring_right;
    const int64_t widest = std::max({lay.in_rows, lay.in_cols, out_rows_drawn, out_cols_drawn});
    lay.cell = std::clamp(88.0f / float(widest), 1.0f, 4.0f);
    if (lay.scatter) {
        stamp_layout(lay, sc);
        return;
    }
    // The footprint and a cell round it, as the main view draws it: up to 7 cells a side
    // get 56 px cells, room for a weight in 18 px type ("-0.64").
    CellIndex lo{INT64_MAX, INT64_MAX}, hi{-1, -1};
    for (const GatherTap& t : lay.gather.taps) {
        lo = {std::min(lo.r, t.grid_y), std::min(lo.c, t.grid_x)};
        hi = {std::max(hi.r, t.grid_y), std::max(hi.c, t.grid_x)};
    }
    lo = {std::max<int64_t>(0, lo.r - 1), std::max<int64_t>(0, lo.c - 1)};
    hi = {std::min(lay.in_rows - 1, hi.r + 1), std::min(lay.in_cols - 1, hi.c + 1)};
    const int64_t region = std::max(hi.r - lo.r + 1, hi.c - lo.c + 1);
    if (hi.r >= 0 && region <= 7) lay.main_side = 56.0f * float(region);
    lay.tap_weights = hi.r >= 0 && !wants_numbers(lay.opt) && has_weights(lay.engine.layer().kind) &&
                      std::min(lay.main_side / float(region), 80.0f) >= kNumbersFromCell;
    // Two columns right of the main view, each map's name above it: first the map the
    // main view magnifies (the callout's two lines reach only it, crossing nothing
    // else) with the key under it, then the other map with the kernel under it.
    const float name_h = lay.small_text + 8;
    const float map_y = lay.main_y + name_h;
    const float col1 = lay.main_x + lay.main_side + 72;
    const float in_w = float(lay.in_cols) * lay.cell;
    const float in_name = 0.6f * lay.small_text * float(input_grid_label(lay).size());
    lay.key_column = lay.schematic && hi.r >= 0;
    const float key_w = lay.key_column ? lay.small_text + 17 + 0.6f * lay.small_text * 20 : 0.0f;  // "output cell computed"
    const float col2 = col1 + std::max({in_w, in_name, key_w}) + 40;
    sc.input_grid = {col1, map_y, lay.cell, lay.in_rows, lay.in_cols};
    sc.output_grid = {col2 + float(lay.ring_left) * lay.cell, map_y + float(lay.ring_top) * lay.cell, lay.cell, lay.out_rows, lay.out_cols};
    lay.kcell = std::min(56.0f, 168.0f / float(std::max(lay.kH, lay.kW)));
    lay.band_y = map_y + float(out_rows_drawn) * lay.cell + 12;  // the kernel's name, above it
    sc.kernel_grid = {col2, lay.band_y + name_h, lay.kcell, lay.kH, lay.kW};
    lay.numbers = false;
    lay.kernel_numbers = true;  // the point of a kernel is its learned weights
    const float in_h = float(lay.in_rows) * lay.cell;
    lay.grids_bottom = std::max({lay.main_y + lay.main_side, map_y + in_h + 8, sc.kernel_grid.y + float(lay.kH) * lay.kcell + 8});
    if (!lay.key_column) return;
    // The key under the input locator and under the callout's lower line (from the main
    // view's bottom right corner to the bottom left of the box round the region).
    const GridPlacement& g = sc.input_grid;
    const float cell = std::min(lay.main_side / float(region), 80.0f);
    const float box_w = std::max(float(hi.c - lo.c + 1) * g.cell + 2, kLocatorBox), box_h = std::max(float(hi.r - lo.r + 1) * g.cell + 2, kLocatorBox);
    const float box_left = g.x + float(lo.c + hi.c + 1) / 2 * g.cell - box_w / 2, box_bottom = g.y + float(lo.r + hi.r + 1) / 2 * g.cell + box_h / 2;
    const float main_right = lay.main_x + float(hi.c - lo.c + 1) * cell + 2, main_bottom = lay.main_y + float(hi.r - lo.r + 1) * cell + 2;
    const float line_at_col = box_left > col1 ? main_bottom + (box_bottom - main_bottom) * (col1 - main_right) / (box_left - main_right) : box_bottom;
    lay.key_x = col1;
    lay.key_y = std::max(map_y + in_h + 16, line_at_col + 10);
}

SceneHeatmap& add_heatmap(const FrameLayout& lay, Scene& sc, const GridPlacement& g, RectRole role, const ValueRange& range,
                          const Color& plane) {
    SceneHeatmap h = SceneHeatmap::at(g, role);
    h.values.assign(std::size_t(g.rows * g.cols), 0.0f);
    h.styles.assign(std::size_t(g.rows * g.cols), CellStyle::Value);
    h.lo = float(range.lo);
    h.hi = float(range.hi);
    h.empty = lay.theme.empty;
    h.background = sc.background;
    h.flat = lay.schematic;
    h.flat_fill = plane;
    h.layer = lay.opt.layer_index;
    const Color& ink = lay.theme.ink;
    // Schematic planes of small cells keep faint borders: a 64x64 plane reads as a plane.
    const float grid = g.cell < 6 ? 0.0f : !lay.schematic ? 0.25f : g.cell < 12 ? 0.2f : 0.45f;
    h.grid = Color{ink.r, ink.g, ink.b, grid};
    sc.heatmaps.push_back(std::move(h));
    return sc.heatmaps.back();
}

/// A number that fits a cell: two significant digits where five characters fit ("-0.55"),
/// else, for the whole grid alike, one decimal without the leading zero ("-.6"); empty
/// when even that does not fit.
std::string fitting_number(double v, float cell, float size) {
    const float room = cell - 2;
    auto fits = [&](const std::string& s) { return 0.6f * size * float(s.size()) <= room; };
    std::string s = number_text(v);  // "NaN" / "inf" for a value that is not a number
    if (!std::isfinite(v) || (0.6f * size * 5 <= room && fits(s))) return s;
    // A whole number stays whole ("2", not "2.0"): the small-integer figures a student
    // checks by hand read alike in the input, the kernel and the output.
    if (std::fabs(v) < 1e6 && v == std::round(v)) {
        s = std::to_string(static_cast<long long>(v));
        return fits(s) ? s : std::string();
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, std::fabs(v) >= 9.95 ? "%.0f" : "%.1f", v);
    s = buf;
    if (s.rfind("0.", 0) == 0) s.erase(0, 1);
    else if (s.rfind("-0.", 0) == 0) s.erase(1, 1);
    if (s == "-.0" || s == ".0") s = "0";
    return fits(s) ? s : std::string();
}

/// Label size for a cell: at least 11 px (readable on a projector), at most 16.
float label_size(float cell, float min_size = 11) { return std::clamp(cell * 0.34f, min_size, std::max(min_size, 15.0f)); }

/// False when the number does not fit the cell (nothing drawn).
bool cell_label(Scene& sc, const GridPlacement& g, int64_t r, int64_t c, double v, const Color& fill, const Color& ink, float dy = 0,
                float min_size = 11) {
    const float size = label_size(g.cell, min_size);
    const std::string text = fitting_number(v, g.cell, size);
    if (text.empty()) return false;
    sc.texts.push_back({g.x + (float(c) + 0.5f) * g.cell, g.y + (float(r) + 0.5f + dy) * g.cell, size, text_on(fill, ink), text, true});
    return true;
}

/// What a cell is, drawn over it: padding dashed, an inserted zero hatched (three
/// 45-degree strokes), so the two read apart from real cells and from each other.
void add_cell_markers(const FrameLayout& lay, Scene& sc, const SceneHeatmap& map, const GridView& v) {
    const float c = v.g.cell;
    // Under 12 px dashes and hatching are noise (and thousands of shapes a frame on the
    // seeds): the fills tell padding (blank) and inserted zeros (grey) apart, and the
    // magnified inset draws them.
    if (c < kInsetBelowCell) return;
    const Color& ink = lay.theme.ink;
    const Color pen{ink.r, ink.g, ink.b, 0.7f};
    const float w = c >= 16 ? 1.5f : 1.0f;
    for (int64_t r = v.r0; r < v.r0 + v.g.rows; ++r)
        for (int64_t col = v.c0; col < v.c0 + v.g.cols; ++col) {
            const CellStyle s = map.styles[std::size_t(r * map.cols + col)];
            const float x = v.x(col), y = v.y(r);
            if (s == CellStyle::Padding || (s == CellStyle::FadedValue && map.role == RectRole::InputCell)) {
                const float inset = c * 0.12f;
                sc.rects.push_back({x + inset, y + inset, c - 2 * inset, c - 2 * inset, Color{0, 0, 0, 0}, pen, w, RectRole::Marker,
                                    std::max(1.5f, c / 7)});
            } else if (s == CellStyle::InsertedZero) {
                for (float t : {0.5f, 1.0f, 1.5f}) {
                    // the segment of x + y = t*c inside the cell
                    const float a = std::max(0.0f, t - 1.0f) * c, b = std::min(1.0f, t) * c;
                    sc.lines.push_back({x + a, y + t * c - a, x + b, y + t * c - b, pen, w});
                }
            }
        }
}

void add_caption(const FrameLayout& lay, Scene& sc) {
    const Color& ink = lay.theme.ink;
    std::string caption = lay.opt.caption.empty() ? layer_caption(lay.engine.layer(), lay.engine.geometry()) : lay.opt.caption;
    // --hide shape: the output size is the question ("..., 5x5 -> 3x3" ends "5x5 -> ?").
    if (lay.opt.hide_shape && caption.rfind(" -> ") != std::string::npos) caption = caption.substr(0, caption.rfind(" -> ")) + " -> ?";
    if (lay.focus) caption = caption_without_defaults(caption);
    const float ts = lay.text_scale;
    sc.texts.push_back({lay.margin, 8 * ts, 18 * ts, ink, caption, false});
    const std::string& code = lay.opt.code_line;
    if (!code.empty()) sc.texts.push_back({lay.margin, 32 * ts, 14 * ts, Color{ink.r, ink.g, ink.b, 0.8f}, code, false});
}

/// The input (the padded or zero-inserted grid in the gather views) of the drawn channel.
void add_input_grid(FrameLayout& lay, Scene& sc) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    const Tensor4& x = e.input();
    const int64_t ci = lay.in_channel;
    for (int64_t r = 0; r < geo.h().in; ++r)
        for (int64_t c = 0; c < geo.w().in; ++c) lay.in_range.add(x(e.batch(), ci, r, c));
    lay.input_map = sc.heatmaps.size();
    SceneHeatmap& map = add_heatmap(lay, sc, sc.input_grid, RectRole::InputCell, lay.in_range, lay.theme.input_plane);
    map.channel = ci;
    if (!lay.scatter && !lay.transposed) {
        map.row0 = -e.grid_pad_top();
        map.col0 = -e.grid_pad_left();
    }
    for (int64_t r = 0; r < lay.in_rows; ++r)
        for (int64_t c = 0; c < lay.in_cols; ++c) {
            bool pad_y = false, pad_x = false, ins_y = false, ins_x = false;
            int64_t sy = r, sx = c;
            if (!lay.scatter) {
                sy = e.grid_source(0, r, pad_y, ins_y);
                sx = e.grid_source(1, c, pad_x, ins_x);
            }
            const bool real = sy >= 0 && sx >= 0;
            const bool padding = pad_y || pad_x;
            const double v = real ? x(e.batch(), ci, sy, sx) : 0.0;
            const std::size_t i = std::size_t(r * lay.in_cols + c);
            map.values[i] = float(v);
            map.styles[i] = real ? (padding ? CellStyle::FadedValue : CellStyle::Value) : padding ? CellStyle::Padding : CellStyle::InsertedZero;
            if (lay.numbers) cell_label(sc, sc.input_grid, r, c, v, map.cell_color(r, c), lay.theme.ink, 0, lay.text_min);
        }
    add_cell_markers(lay, sc, map, GridView{sc.input_grid, 0, 0});
}

/// The weight drawn at kernel position (ky, kx) between the drawn input channel and the
/// computed output channel; false when the pair is in different groups. The
/// as-convolution view draws the kernel flipped, as that convolution uses it.
bool kernel_weight(const FrameLayout& lay, int64_t ky, int64_t kx, double& w) {
    const Layer& L = lay.engine.layer();
    if (!has_weights(L.kind)) {  // a pool's window, an upsampling's interpolation weights, ...
        w = lay.engine.kernel_weight(lay.in_channel, ky, kx, lay.current);
        return true;
    }
    const int64_t Cgo = L.out_channels / L.groups, Cgi = L.in_channels / L.groups;
    const int64_t ci = lay.in_channel, co = lay.engine.out_channel();
    if (ci / Cgi != co / Cgo) return false;
    if (lay.flipped_kernel) {
        ky = lay.kH - 1 - ky;
        kx = lay.kW - 1 - kx;
    }
    w = lay.transposed ? lay.engine.weights().weight(ci, co % Cgo, ky, kx) : lay.engine.weights().weight(co, ci % Cgi, ky, kx);
    return true;
}

void add_kernel_grid(FrameLayout& lay, Scene& sc) {
    double w = 0;
    for (int64_t ky = 0; ky < lay.kH; ++ky)
        for (int64_t kx = 0; kx < lay.kW; ++kx) lay.w_range.add(kernel_weight(lay, ky, kx, w) ? w : 0.0);
    lay.kernel_map = sc.heatmaps.size();
    SceneHeatmap& map = add_heatmap(lay, sc, sc.kernel_grid, RectRole::KernelCell, lay.w_range, lay.theme.kernel_plane);
    map.channel = lay.in_channel;
    map.filter = lay.engine.out_channel();
    for (int64_t ky = 0; ky < lay.kH; ++ky)
        for (int64_t kx = 0; kx < lay.kW; ++kx) {
            const bool in_group = kernel_weight(lay, ky, kx, w);
            map.values[std::size_t(ky * lay.kW + kx)] = in_group ? float(w) : 0.0f;
            if (!in_group) map.styles[std::size_t(ky * lay.kW + kx)] = CellStyle::Empty;  // this channel pair has no weight
            if (lay.stamp && in_group)  // the weights in the products' format
                sc.texts.push_back({sc.kernel_grid.x + (float(kx) + 0.5f) * lay.kcell, sc.kernel_grid.y + (float(ky) + 0.5f) * lay.kcell,
                                    lay.text_min, text_on(map.cell_color(ky, kx), lay.theme.ink), stamp_number(w, lay.kcell, lay.text_min), true});
            else if (lay.kernel_numbers && in_group)
                cell_label(sc, sc.kernel_grid, ky, kx, w, map.cell_color(ky, kx), lay.theme.ink, 0, lay.text_min);
        }
}

/// What output cell k is at this frame. Scatter: done only when every tap that will
/// land on it has landed (a cell no tap reaches is done when the stamping is);
/// partial while some have.
CellState output_state(const FrameLayout& lay, const CountPlane& landed, int64_t k) {
    if (!lay.scatter) return k < lay.frame.steps_done ? CellState::Done : CellState::Empty;
    const int64_t n = landed.data()[k], total = lay.final_counts.data()[k];
    if (total == 0) return lay.frame.steps_done >= lay.engine.step_count() ? CellState::Done : CellState::Empty;
    return n >= total ? CellState::Done : n > 0 ? CellState::Partial : CellState::Empty;
}

/// Whether output cell k has its final value at this frame.
bool output_done(const FrameLayout& lay, const CountPlane& landed, int64_t k) { return output_state(lay, landed, k) == CellState::Done; }

/// The view of the output grid with the cropped ring around it (scatter with padding):
/// taps landing on the ring are drawn there, so an edge cell's stamp is whole.
GridView output_view(const FrameLayout& lay, const Scene& sc) {
    const GridPlacement& g = sc.output_grid;
    return GridView{GridPlacement{g.x - float(lay.ring_left) * g.cell, g.y - float(lay.ring_top) * g.cell, g.cell,
                                  lay.out_rows + lay.ring_top + lay.ring_bottom, lay.out_cols + lay.ring_left + lay.ring_right},
                    -lay.ring_top, -lay.ring_left};
}

bool has_ring(const FrameLayout& lay) { return lay.ring_top + lay.ring_left + lay.ring_bottom + lay.ring_right > 0; }

/// Scatter view with padding: the cells of the uncropped output that the padding crops,
/// hatched (strokes the other way from an inserted zero's), and the output_padding's
/// extra rows and columns outlined dotted.
void add_cropped_ring(const FrameLayout& lay, Scene& sc) {
    if (!lay.scatter) return;
    const GridView v = output_view(lay, sc);
    const float c = v.g.cell;
    const Color& ink = lay.theme.ink;
    const Color fill = Color{lay.theme.empty.r, lay.theme.empty.g, lay.theme.empty.b, 0.5f};
    const Color pen{ink.r, ink.g, ink.b, 0.55f};
    for (int64_t r = v.r0; r < v.r0 + v.g.rows; ++r)
        for (int64_t col = v.c0; col < v.c0 + v.g.cols; ++col) {
            if (r >= 0 && col >= 0 && r < lay.out_rows && col < lay.out_cols) continue;
            const float x = v.x(col), y = v.y(r);
            SceneRect cell{x, y, c, c, fill, Color{ink.r, ink.g, ink.b, 0.35f}, 1, RectRole::CroppedCell};
            cell.indexed = true;
            cell.row = r;
            cell.col = col;
            sc.rects.push_back(cell);
            if (c < kInsetBelowCell) continue;
            for (float t : {-0.5f, 0.0f, 0.5f}) {  // the segment of y - x = t*c inside the cell
                const float a = std::max(0.0f, -t) * c, b = std::min(1.0f, 1.0f - t) * c;
                sc.lines.push_back({x + a, y + a + t * c, x + b, y + b + t * c, pen, c >= 16 ? 1.2f : 1.0f});
            }
        }
    const AxisGeometry& gh = lay.engine.geometry().h();
    const AxisGeometry& gw = lay.engine.geometry().w();
    const GridPlacement& g = sc.output_grid;
    if (gh.output_padding > 0)
        sc.rects.push_back({g.x, g.y + float(lay.out_rows - gh.output_padding) * c, float(lay.out_cols) * c, float(gh.output_padding) * c,
                            Color{0, 0, 0, 0}, lay.theme.focus, 2, RectRole::Marker, 3});
    if (gw.output_padding > 0)
        sc.rects.push_back({g.x + float(lay.out_cols - gw.output_padding) * c, g.y, float(gw.output_padding) * c, float(lay.out_rows) * c,
                            Color{0, 0, 0, 0}, lay.theme.focus, 2, RectRole::Marker, 3});
    if (has_ring(lay))  // where the crop cuts: the output kept
        sc.rects.push_back({g.x - 1, g.y - 1, float(lay.out_cols) * c + 2, float(lay.out_rows) * c + 2, Color{0, 0, 0, 0}, ink,
                            lay.frame.steps_done >= lay.engine.step_count() ? 3.0f : 1.5f, RectRole::Marker});
}

/// The output so far. Its colour scale is the finished channel's (options.output_range)
/// so a cell keeps its colour from the frame it is computed on to the last.
void add_output_grid(FrameLayout& lay, Scene& sc, const CountPlane& landed) {
    // A slide's still shows the finished output map (progress means nothing on a still);
    // the cells' states stay those of the step, for the SVG.
    const bool finished = lay.focus && !lay.opt.hide_output;
    const Plane out = lay.engine.partial_output(finished ? lay.engine.step_count() : lay.frame.steps_done, finished ? 0 : lay.frame.extra_taps);
    if (lay.opt.output_range) {
        lay.out_range.add((*lay.opt.output_range)[0]);
        lay.out_range.add((*lay.opt.output_range)[1]);
    } else {
        for (double v : out) lay.out_range.add(v);
    }
    lay.output_map = sc.heatmaps.size();
    SceneHeatmap& map = add_heatmap(lay, sc, sc.output_grid, RectRole::OutputCell, lay.out_range, lay.theme.output_plane);
    map.layer = lay.opt.layer_index + 1;
    map.channel = lay.engine.out_channel();
    // Scatter: the overlap counts take the cell's middle when values would not fit too.
    const bool counts = lay.scatter && lay.cell >= kNumbersFromCell;
    const bool values = lay.numbers && (!counts || lay.cell >= 34);
    map.states.assign(std::size_t(lay.out_rows * lay.out_cols), CellState::Empty);
    for (int64_t r = 0; r < lay.out_rows; ++r)
        for (int64_t c = 0; c < lay.out_cols; ++c) {
            const int64_t k = r * lay.out_cols + c;
            // Hidden (a figure to work out by hand): every cell empty, whatever has landed.
            const CellState state = lay.opt.hide_output ? CellState::Empty : output_state(lay, landed, k);
            map.states[std::size_t(k)] = state;
            map.values[std::size_t(k)] = float(out(r, c));
            // A partial sum is drawn faded: it is not the cell's value yet.
            map.styles[std::size_t(k)] = state == CellState::Done || finished ? CellStyle::Value
                                         : state == CellState::Partial       ? CellStyle::FadedValue
                                                                             : CellStyle::Empty;
            if (values && state != CellState::Empty)
                cell_label(sc, sc.output_grid, r, c, out(r, c), map.cell_color(r, c), lay.theme.ink, counts ? 0.12f : 0.0f, lay.text_min);
        }
    add_cropped_ring(lay, sc);
}

/// Scatter view: the taps landed after the finished steps and, within the step being
/// stamped tap by tap, its taps so far (counted once per kernel position: a cell's
/// count is spatial, whichever input channel the tap carries).
CountPlane landed_so_far(const StepEngine& engine, const FramePosition& frame, bool scatter) {
    if (!scatter) return CountPlane{};
    CountPlane landed = engine.landed_counts(frame.steps_done);
    if (frame.extra_taps > 0 && frame.steps_done < engine.step_count()) {
        const ScatterStep s = engine.scatter_step(frame.steps_done);
        for (int64_t i = 0; i < frame.extra_taps && i < int64_t(s.taps.size()); ++i) {
            const ScatterTap& t = s.taps[std::size_t(i)];
            if (t.inside && t.in_channel == s.taps.front().in_channel) ++landed(t.out_y, t.out_x);
        }
    }
    return landed;
}

/// Scatter view: how many taps have landed on each output cell so far (uneven counts
/// are the checkerboard), in the corner when the value is drawn, else in the middle.
void add_scatter_counts(const FrameLayout& lay, Scene& sc, const CountPlane& landed) {
    if (!lay.scatter || lay.cell < kNumbersFromCell || lay.frame.steps_done == 0 || lay.opt.hide_output) return;
    const bool corner = lay.numbers && lay.cell >= 34;
    const SceneHeatmap& map = sc.heatmaps[lay.output_map];
    const float size = corner ? lay.text_min : label_size(lay.cell, lay.text_min);
    for (int64_t r = 0; r < lay.out_rows; ++r)
        for (int64_t c = 0; c < lay.out_cols; ++c) {
            const GridPlacement& g = sc.output_grid;
            const float x = corner ? g.x + float(c + 1) * g.cell - 0.28f * g.cell : g.x + (float(c) + 0.5f) * g.cell;
            const float y = corner ? g.y + float(r) * g.cell + 0.22f * g.cell : g.y + (float(r) + 0.5f) * g.cell;
            // A cell still receiving taps says how many of its taps have landed ("2/4");
            // a finished one how many it received ("x4": the overlap map).
            const int64_t n = landed(r, c), total = lay.final_counts(r, c);
            const std::string text = n < total ? std::to_string(n) + "/" + std::to_string(total) : "x" + std::to_string(n);
            sc.texts.push_back({x, y, size, text_on(map.cell_color(r, c), lay.theme.ink), text, true});
        }
}

CellIndex kernel_position(const FrameLayout& lay, int64_t ky, int64_t kx) {
    return lay.flipped_kernel ? CellIndex{lay.kH - 1 - ky, lay.kW - 1 - kx} : CellIndex{ky, kx};
}

/// An upsampling, shuffle or activation step in words: where the value comes from.
std::string cellwise_arithmetic(const Layer& L, const GatherStep& s, int64_t taps_shown) {
    const std::string out = "output (" + std::to_string(s.out_y) + ", " + std::to_string(s.out_x) + ") = ";
    auto cell = [](const GatherTap& t) { return "x(" + std::to_string(t.src_y) + ", " + std::to_string(t.src_x) + ")"; };
    const GatherTap& t = s.taps.front();
    switch (L.kind) {
        case LayerKind::Upsample: {
            if (L.upsample_mode == UpsampleMode::Nearest) return out + cell(t) + " = " + number_text(s.result) + " (nearest source)";
            // Tap by tap: the sources so far and their running sum.
            const std::size_t shown = std::size_t(std::clamp<int64_t>(taps_shown, 1, int64_t(s.taps.size())));
            std::string sum;
            for (std::size_t i = 0; i < shown; ++i)
                sum += (sum.empty() ? "" : " + ") + number_text(s.taps[i].weight) + "*" + cell(s.taps[i]);
            return out + sum + " = " + number_text(s.taps[shown - 1].running_sum);
        }
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
            return out + "channel " + std::to_string(t.in_channel) + " " + cell(t) + " = " + number_text(s.result) +
                   (L.kind == LayerKind::PixelShuffle ? " (moved from channels to space)" : " (moved from space to channels)");
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: {
            const std::string f = op_name(L.kind);
            return out + f + "(" + cell(t) + ") = " + f + "(" + number_text(t.value) + ") = " + number_text(s.result);
        }
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: break;
    }
    return out + number_text(s.result);
}

/// A pool step in words: the maximum picked, or the sum over PyTorch's divisor; tap by
/// tap, the cell read and the running maximum or mean.
std::string pool_arithmetic(const Layer& L, const GatherStep& s, int64_t taps_shown, bool tap_by_tap) {
    const bool is_max = L.kind == LayerKind::MaxPool2d;
    const std::string out = "output (" + std::to_string(s.out_y) + ", " + std::to_string(s.out_x) + ")";
    if (!tap_by_tap || taps_shown > int64_t(s.taps.size()))
        return out + " = " + (is_max ? "max" : "mean") + " of its " + std::to_string(s.taps.size()) + "-cell window = " +
               number_text(s.result) +
               (is_max ? std::string(" (the cell outlined)") : " (divisor " + number_text(1.0 / s.taps.front().weight) + ")");
    const GatherTap& t = s.taps[std::size_t(taps_shown - 1)];
    const std::string cell = "(" + std::to_string(t.grid_y) + ", " + std::to_string(t.grid_x) + ")";
    if (is_max)
        return out + ", cell " + std::to_string(taps_shown) + "/" + std::to_string(s.taps.size()) + ": " +
               (t.src_y < 0 ? "padding " + cell + " is no candidate" : "x" + cell + " = " + number_text(t.value)) +
               ";  running max " + number_text(t.running_sum);
    return out + ", cell " + std::to_string(taps_shown) + "/" + std::to_string(s.taps.size()) + ": " + (t.src_y < 0 ? "padding" : "x") +
           cell + " = " + number_text(t.value) + " / " + number_text(1.0 / t.weight) + ";  running mean " + number_text(t.running_sum);
}

/// A number of the arithmetic line: every digit it has, up to six significant ones, so
/// that the product and the sum shown follow from the factors shown ("1.02 x -0.58 ->
/// -0.5916", never "1 x -0.58 -> -0.59"); the data are two-decimal or whole numbers.
std::string exact_text(double v) {
    const std::string s = finite_text("%.6g", v);  // NaN and inf in words, as everywhere
    return s == "-0" ? "0" : s;
}

/// Tap i of the current step: at tap granularity the one being added, those before it
/// summed and those after it pending; else the whole step is being added.
TapState tap_state(const FrameLayout& lay, int64_t i) {
    if (!lay.tap_by_tap) return TapState::Current;
    return i < lay.taps_shown - 1 ? TapState::Summed : i == lay.taps_shown - 1 ? TapState::Current : TapState::Pending;
}

/// The current step's taps (of the drawn channel) and its arithmetic.
std::string collect_step(FrameLayout& lay) {
    if (lay.current < 0) return {};
    StepMarks& m = lay.marks;
    m.any = true;
    const std::string ch = lay.engine.layer().in_channels > 1 ? "[c=" + std::to_string(lay.in_channel) + "]" : "";
    auto at = [](int64_t r, int64_t c) { return "(" + std::to_string(r) + ", " + std::to_string(c) + ")"; };
    const bool tap_by_tap = lay.tap_by_tap;
    if (lay.scatter) {
        const ScatterStep& s = lay.scatter_step;
        m.focus = {s.in_y, s.in_x};
        for (int64_t i = 0; i < int64_t(s.taps.size()); ++i) {
            const ScatterTap& t = s.taps[std::size_t(i)];
            if (t.in_channel != lay.in_channel) continue;
            const TapState state = tap_state(lay, i);
            m.kernel_taps.push_back(kernel_position(lay, t.ky, t.kx));
            m.kernel_states.push_back(state);
            // Taps the padding crops are kept: the stamp is drawn whole, onto the cropped ring.
            m.output_taps.push_back({t.out_y, t.out_x});
            m.output_states.push_back(state);
            if (state == TapState::Current && tap_by_tap) {
                m.current_kernel = m.kernel_taps.back();
                m.current_output = m.output_taps.back();
            }
        }
        if (!tap_by_tap)
            return "input cell " + at(s.in_y, s.in_x) + " stamps value x kernel onto the output" +
                   (lay.engine.layer().in_channels > 1 ? ", for each of its " + std::to_string(lay.engine.layer().in_channels) + " channels" : "");
        const ScatterTap& t = s.taps[std::size_t(lay.taps_shown - 1)];
        return "tap " + std::to_string(lay.taps_shown) + "/" + std::to_string(s.taps.size()) + ": input" + ch + at(s.in_y, s.in_x) +
               " = " + exact_text(t.value) + "  x  w" + ch + at(t.ky, t.kx) + " = " + exact_text(t.weight) + "  ->  " +
               exact_text(t.product) + (t.inside ? " lands on output " + at(t.out_y, t.out_x) : " falls outside the output (cropped by padding)");
    }
    const GatherStep& s = lay.gather;
    m.focus = {s.out_y, s.out_x};
    m.window_lo = {INT64_MAX, INT64_MAX};
    m.window_hi = {-1, -1};
    double partial = 0;
    // The whole footprint from the step's first frame (the kernel with its dilation
    // holes), the taps not added yet marked pending.
    for (int64_t i = 0; i < int64_t(s.taps.size()); ++i) {
        const GatherTap& t = s.taps[std::size_t(i)];
        if (i < lay.taps_shown) partial = t.running_sum;
        if (t.in_channel != lay.in_channel) continue;
        const TapState state = tap_state(lay, i);
        m.input_taps.push_back({t.grid_y, t.grid_x});
        m.kernel_taps.push_back(kernel_position(lay, t.ky, t.kx));
        m.input_states.push_back(state);
        m.kernel_states.push_back(state);
        if (tap_by_tap && state == TapState::Current) {
            m.current_input = m.input_taps.back();
            m.current_kernel = m.kernel_taps.back();
        }
    }
    // The footprint is the whole dilated kernel, whichever taps are done.
    for (const GatherTap& t : s.taps) {
        m.window_lo = {std::min(m.window_lo.r, t.grid_y), std::min(m.window_lo.c, t.grid_x)};
        m.window_hi = {std::max(m.window_hi.r, t.grid_y), std::max(m.window_hi.c, t.grid_x)};
    }
    const Layer& L = lay.engine.layer();
    if (!has_window(L.kind)) return cellwise_arithmetic(L, s, lay.taps_shown);
    if (L.is_pool()) {
        if (lay.taps_shown == int64_t(s.taps.size()))
            for (const GatherTap& t : s.taps)  // the maximum picked
                if (t.picked) m.picked.push_back({t.grid_y, t.grid_x});
        return pool_arithmetic(L, s, lay.taps_shown, tap_by_tap);
    }
    const int64_t channels = L.in_channels / L.groups;
    if (!tap_by_tap)
        return "output " + at(s.out_y, s.out_x) + " = bias " + exact_text(s.bias) + " + " + std::to_string(lay.taps_shown) +
               " products (" + std::to_string(channels) + " input channel" + (channels > 1 ? "s" : "") + " x " +
               std::to_string(lay.kH * lay.kW) + " taps) = " + exact_text(s.bias + partial);
    const GatherTap& t = s.taps[std::size_t(lay.taps_shown - 1)];
    const std::string read = t.src_y < 0 ? std::string(t.inserted_zero ? "inserted zero" : "padding") : "x";
    return "output " + at(s.out_y, s.out_x) + ", tap " + std::to_string(lay.taps_shown) + "/" + std::to_string(s.taps.size()) + ": " +
           read + ch + at(t.grid_y, t.grid_x) + " = " + exact_text(t.value) + "  x  w" + ch + at(t.ky, t.kx) + " = " +
           exact_text(t.weight) + "  ->  " + exact_text(t.product) + ";  running sum " + exact_text(s.bias + partial);
}

/// A cell lit up: schematic fills it with the tap colour (the gaps between dilated taps
/// stay the plane's colour); values outlines it, so its value's colour stays visible.
/// A tap that reads a zero (padding, an inserted zero) is filled lightly, so its dashes or
/// hatching still say which zero it is.
int64_t light_cell(const FrameLayout& lay, Scene& sc, const GridView& v, CellIndex cell, const Color& color, float width,
                   bool reads_zero = false) {
    if (!v.shows(cell.r, cell.c)) return -1;
    const float x = v.x(cell.c), y = v.y(cell.r), c = v.g.cell;
    if (c < 6 && color.r == lay.theme.focus.r && color.g == lay.theme.focus.g) {
        // A cell of a few pixels: a ring around it, so the eye finds it.
        const float ring = lay.focus ? kLocatorBox : 14;
        sc.rects.push_back({x + c / 2 - ring / 2, y + c / 2 - ring / 2, ring, ring, Color{0, 0, 0, 0}, color, lay.focus ? 3.0f : 2.0f,
                            RectRole::Marker});
    }
    if (lay.schematic && reads_zero)
        sc.rects.push_back({x, y, c, c, Color{color.r, color.g, color.b, 0.35f}, color, std::min(2.0f, std::max(1.0f, c / 6)), RectRole::Highlight});
    else if (lay.schematic)
        sc.rects.push_back({x, y, c, c, color, Color{0, 0, 0, 0.8f}, c >= 8 ? 1.0f : 0.0f, RectRole::Highlight});
    else
        sc.rects.push_back({x, y, c, c, Color{0, 0, 0, 0}, color, std::min(width, std::max(1.0f, c / 3)), RectRole::Highlight});
    return int64_t(sc.rects.size()) - 1;
}

/// A tap not added yet: a dashed outline in the tap colour over a faint fill, so the
/// footprint (and its dilation holes) reads from the step's first frame while the taps
/// visited stay the stronger marks.
int64_t pending_cell(const FrameLayout& lay, Scene& sc, const GridView& v, CellIndex cell) {
    if (!v.shows(cell.r, cell.c)) return -1;
    const float c = v.g.cell;
    const Color& a = lay.theme.accent;
    sc.rects.push_back({v.x(cell.c), v.y(cell.r), c, c, Color{a.r, a.g, a.b, 0.16f}, Color{a.r * 0.85f, a.g * 0.85f, a.b * 0.85f, 1},
                        c >= 16 ? 1.5f : 1.0f, RectRole::Highlight, c >= 12 ? std::max(2.0f, c / 8) : 0.0f});
    return int64_t(sc.rects.size()) - 1;
}

/// The footprint of the kernel (its taps and the gaps between them), shaded.
void shade_window(const FrameLayout& lay, Scene& sc, const GridView& v) {
    const StepMarks& m = lay.marks;
    if (lay.scatter || m.window_hi.r < 0) return;
    const int64_t r0 = std::max(m.window_lo.r, v.r0), c0 = std::max(m.window_lo.c, v.c0);
    const int64_t r1 = std::min(m.window_hi.r, v.r0 + v.g.rows - 1), c1 = std::min(m.window_hi.c, v.c0 + v.g.cols - 1);
    if (r0 > r1 || c0 > c1) return;
    const Color& ink = lay.theme.ink;
    sc.rects.push_back({v.x(c0), v.y(r0), float(c1 - c0 + 1) * v.g.cell, float(r1 - r0 + 1) * v.g.cell,
                        lay.schematic ? Color{ink.r, ink.g, ink.b, 0.22f} : Color{0, 0, 0, 0}, lay.theme.accent, 1.5f, RectRole::Window,
                        lay.schematic ? 0.0f : 4.0f});
}

/// The tap being added (tap granularity): a ring in the ink colour just outside its
/// cell, at least 14 px across so that a cell of a few pixels is found too.
void ring_cell(const FrameLayout& lay, Scene& sc, const GridView& v, CellIndex cell) {
    if (!v.shows(cell.r, cell.c)) return;
    const float c = v.g.cell, side = std::max(14.0f, c + 6);
    sc.rects.push_back({v.x(cell.c) + c / 2 - side / 2, v.y(cell.r) + c / 2 - side / 2, side, side, Color{0, 0, 0, 0}, lay.theme.ink,
                        c >= 16 ? 2.5f : 2.0f, RectRole::Marker});
}

/// A tap of the step: at tap granularity the one being added in the accent colour and
/// ringed, those already summed paler; else every tap in the accent colour.
/// With `tag`, the tap's rect carries its state and its cell (map coordinates: the grid
/// cell plus `origin`), for the SVG; the inset's copies are not tagged.
void paint_tap(const FrameLayout& lay, Scene& sc, const GridView& v, CellIndex t, TapState state, bool reads_zero = false,
               const CellIndex* origin = nullptr) {
    const bool summed = state == TapState::Summed;
    const int64_t i = state == TapState::Pending ? pending_cell(lay, sc, v, t)
                                                 : light_cell(lay, sc, v, t, summed ? lay.theme.summed : lay.theme.accent,
                                                              summed ? 2.0f : 3.0f, reads_zero);
    if (i >= 0 && origin) {
        SceneRect& r = sc.rects[std::size_t(i)];
        r.state = state;
        r.indexed = true;
        r.row = t.r + origin->r;
        r.col = t.c + origin->c;
    }
    if (lay.tap_by_tap && state == TapState::Current) ring_cell(lay, sc, v, t);
}

void paint_input_marks(const FrameLayout& lay, Scene& sc, const GridView& v, bool tag = false) {
    shade_window(lay, sc, v);
    const SceneHeatmap& in = sc.heatmaps[lay.input_map];
    const CellIndex origin{in.row0, in.col0};
    const StepMarks& m = lay.marks;
    // Pending taps first: the taps visited are drawn over them.
    for (TapState pass : {TapState::Pending, TapState::Summed, TapState::Current})
        for (std::size_t k = 0; k < m.input_taps.size(); ++k) {
            if (m.input_states[k] != pass) continue;
            const CellIndex& t = m.input_taps[k];
            const CellStyle s = in.styles[std::size_t(t.r * in.cols + t.c)];
            paint_tap(lay, sc, v, t, pass, s == CellStyle::Padding || s == CellStyle::InsertedZero, tag ? &origin : nullptr);
        }
    if (lay.scatter && m.any) {  // (the crop act stamps nothing)
        const int64_t i = light_cell(lay, sc, v, m.focus, lay.theme.focus, 3);
        if (i >= 0 && tag) {  // the scatter step's one input tap: the cell stamping
            SceneRect& r = sc.rects[std::size_t(i)];
            r.state = TapState::Current;
            r.indexed = true;
            r.row = m.focus.r;
            r.col = m.focus.c;
        }
    }
    for (const CellIndex& t : m.picked) light_cell(lay, sc, v, t, lay.theme.focus, 3);
}

void paint_output_marks(const FrameLayout& lay, Scene& sc, const GridView& v) {
    const StepMarks& m = lay.marks;
    for (TapState pass : {TapState::Pending, TapState::Summed, TapState::Current})
        for (std::size_t k = 0; k < m.output_taps.size(); ++k)
            if (m.output_states[k] == pass) paint_tap(lay, sc, v, m.output_taps[k], pass);
    if (!lay.scatter && m.any) light_cell(lay, sc, v, m.focus, lay.theme.focus, 3);
}

/// The footprint joined to the cell it makes (gather), or the stamped input cell joined
/// to where its stamp lands (scatter): two lines, from the right-hand corners of the
/// one to the left-hand corners of the other, instead of a line per tap (nine hairlines
/// converging on one cell read as noise).
void add_tap_lines(const FrameLayout& lay, Scene& sc) {
    const StepMarks& m = lay.marks;
    const Color& a = lay.theme.accent;
    const Color pen{a.r * 0.8f, a.g * 0.8f, a.b * 0.8f, 0.85f};
    const float width = lay.cell >= 16 ? 1.6f : 1.1f;
    // The boxes, in pixels: [x0, x1] x [y0, y1] of cells lo..hi of grid g.
    auto box = [](const GridPlacement& g, CellIndex lo, CellIndex hi) {
        return std::array<float, 4>{g.x + float(lo.c) * g.cell, g.y + float(lo.r) * g.cell, g.x + float(hi.c + 1) * g.cell,
                                    g.y + float(hi.r + 1) * g.cell};
    };
    std::array<float, 4> from{}, to{};
    if (lay.scatter) {
        if (m.output_taps.empty()) return;
        CellIndex lo{INT64_MAX, INT64_MAX}, hi{INT64_MIN, INT64_MIN};
        for (const CellIndex& t : m.output_taps) {
            lo = {std::min(lo.r, t.r), std::min(lo.c, t.c)};
            hi = {std::max(hi.r, t.r), std::max(hi.c, t.c)};
        }
        from = box(sc.input_grid, m.focus, m.focus);
        to = box(sc.output_grid, lo, hi);
        // The stamp's outline; the lines stop at the grid's edge, level with the stamp's
        // rows, so that they never cross the counts of the cells before it.
        sc.rects.push_back({to[0], to[1], to[2] - to[0], to[3] - to[1], Color{0, 0, 0, 0}, lay.theme.accent, 1.5f, RectRole::Window});
        to[0] = output_view(lay, sc).g.x;
    } else {
        if (m.window_hi.r < 0) return;
        from = box(sc.input_grid, m.window_lo, m.window_hi);
        to = box(sc.output_grid, m.focus, m.focus);
        if (lay.numbers) to[0] = sc.output_grid.x;  // numbers in the cells before it: stop at the edge
    }
    sc.lines.push_back({from[2], from[1], to[0], to[1], pen, width});
    sc.lines.push_back({from[2], from[3], to[0], to[3], pen, width});
}

/// The region the inset magnifies, in cells of the grid it comes from: the footprint
/// (gather, on the input) or the landing cells (scatter, on the output), one cell of
/// context around it. False when the step lights nothing.
bool inset_region(const FrameLayout& lay, const Scene& sc, CellIndex& lo, CellIndex& hi) {
    const StepMarks& m = lay.marks;
    if (!m.any) return false;
    const std::vector<CellIndex>& cells = lay.scatter ? m.output_taps : m.input_taps;
    lo = {INT64_MAX, INT64_MAX};
    hi = {-1, -1};
    for (const CellIndex& c : cells) {
        lo = {std::min(lo.r, c.r), std::min(lo.c, c.c)};
        hi = {std::max(hi.r, c.r), std::max(hi.c, c.c)};
    }
    if (!lay.scatter && m.window_hi.r >= 0) {
        lo = {std::min(lo.r, m.window_lo.r), std::min(lo.c, m.window_lo.c)};
        hi = {std::max(hi.r, m.window_hi.r), std::max(hi.c, m.window_hi.c)};
    }
    if (hi.r < 0) return false;
    const SceneHeatmap& src = sc.heatmaps[lay.scatter ? lay.output_map : lay.input_map];
    lo = {std::max<int64_t>(0, lo.r - 1), std::max<int64_t>(0, lo.c - 1)};
    hi = {std::min(src.rows - 1, hi.r + 1), std::min(src.cols - 1, hi.c + 1)};
    return true;
}

/// The inset of region [lo, hi] drawn with cells of `cell` px, top-left at (x, y), its
/// title above it, and (with `callout`) the region outlined on the grid it comes from.
/// Returns its bottom.
float draw_inset(FrameLayout& lay, Scene& sc, CellIndex lo, CellIndex hi, float x, float y, float cell, bool callout) {
    const SceneHeatmap src = sc.heatmaps[lay.scatter ? lay.output_map : lay.input_map];
    const int64_t rows = hi.r - lo.r + 1, cols = hi.c - lo.c + 1;
    GridView v{GridPlacement{x, y, cell, rows, cols}, lo.r, lo.c};
    sc.inset_grid = v.g;
    sc.inset_row0 = lo.r;
    sc.inset_col0 = lo.c;
    SceneHeatmap h = src.region(lo.r, lo.c, rows, cols, x, y, cell);
    const Color& ink = lay.theme.ink;
    h.grid = Color{ink.r, ink.g, ink.b, 0.45f};
    // The values the grid is too small to write, written here where the cells are large
    // (the note under the grids points here only if every one fits).
    // A number that does not fit is counted, and the inset says how many it leaves out.
    int64_t hidden = 0;
    if (wants_numbers(lay.opt))
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) {
                const CellStyle s = h.styles[std::size_t(r * cols + c)];
                if (s == CellStyle::Value || s == CellStyle::FadedValue)
                    hidden += cell >= kNumbersFromCell &&
                                      cell_label(sc, v.g, r, c, h.values[std::size_t(r * cols + c)], h.cell_color(r, c), ink, 0, lay.text_min)
                                  ? 0
                                  : 1;
            }
    lay.inset_values = wants_numbers(lay.opt) && hidden == 0;
    sc.heatmaps.push_back(h);
    add_cell_markers(lay, sc, src, v);
    if (lay.scatter) paint_output_marks(lay, sc, v);
    else paint_input_marks(lay, sc, v);
    // A slide's main view writes each tap's weight in it: the kernel as it acts on the
    // input, its taps d apart and the holes between them.
    if (lay.focus && lay.tap_weights)
        for (const GatherTap& t : lay.gather.taps)
            if (t.in_channel == lay.in_channel && v.shows(t.grid_y, t.grid_x))
                cell_label(sc, v.g, t.grid_y - v.r0, t.grid_x - v.c0, t.weight, lay.theme.accent, ink, 0, lay.text_min);
    if (callout) {  // the same region outlined on the grid it magnifies
        const GridPlacement& g = lay.scatter ? sc.output_grid : sc.input_grid;
        sc.rects.push_back({g.x + float(lo.c) * g.cell - 1, g.y + float(lo.r) * g.cell - 1, float(cols) * g.cell + 2,
                            float(rows) * g.cell + 2, Color{0, 0, 0, 0}, ink, 1.5f, RectRole::Marker, 3});
    }
    sc.rects.push_back({x - 2, y - 2, float(cols) * cell + 4, float(rows) * cell + 4, Color{0, 0, 0, 0}, ink, 1.5f, RectRole::Marker, 3});
    if (!lay.focus)
        sc.texts.push_back({x, y - 20, 14, ink,
                        "magnified: " + (lay.scatter ? lay.out_short : lay.in_short) + " rows " + std::to_string(h.row0) +
                            (lay.focus ? "-" : " to ") + std::to_string(h.row0 + rows - 1) + (lay.focus ? ", cols " : ", columns ") +
                            std::to_string(h.col0) + (lay.focus ? "-" : " to ") + std::to_string(h.col0 + cols - 1),
                        false});
    if (hidden > 0) {
        const float size = lay.focus ? lay.small_text : 11;  // a focused figure's smallest type is its key's
        sc.texts.push_back({x, y + float(rows) * cell + 4, size, Color{ink.r, ink.g, ink.b, 0.85f},
                            std::to_string(hidden) + (hidden == 1 ? " value" : " values") + " hidden: cells too small", false});
        return y + float(rows) * cell + 7 + 1.2f * size;
    }
    return y + float(rows) * cell;
}

/// Up to 28 px a cell (34 where numbers are written: "-1.5" needs 28 px at 11 px text),
/// the region fitting `side` px and `room` px of height.
float inset_cell(const FrameLayout& lay, CellIndex lo, CellIndex hi, float side, float room) {
    const int64_t rows = hi.r - lo.r + 1, cols = hi.c - lo.c + 1;
    const float largest = wants_numbers(lay.opt) ? 34.0f : 28.0f;
    return std::min({largest, side / float(std::max(rows, cols)), room / float(rows)});
}

/// The callout of a focused figure: the region [lo, lo + rows x cols) of the locator
/// map it comes from boxed (a few cells of a 1.5 px map: a box of at least kLocatorBox
/// px round them, in a thick line a projector keeps), and two lines from the right-hand
/// corners of the main view (cells of `cell` px) to the box's left-hand corners.
void add_callout(const FrameLayout& lay, Scene& sc, CellIndex lo, int64_t rows, int64_t cols, float cell) {
    const GridPlacement& g = lay.scatter ? sc.output_grid : sc.input_grid;
    const float cx = g.x + (float(lo.c) + float(cols) / 2) * g.cell, cy = g.y + (float(lo.r) + float(rows) / 2) * g.cell;
    const float bw = std::max(float(cols) * g.cell + 2, kLocatorBox), bh = std::max(float(rows) * g.cell + 2, kLocatorBox);
    const float rx = cx - bw / 2, ry = cy - bh / 2;
    const Color& ink = lay.theme.ink;
    sc.rects.push_back({rx, ry, bw, bh, Color{0, 0, 0, 0}, ink, 3, RectRole::Marker});
    const float right = lay.main_x + float(cols) * cell + 2;
    sc.lines.push_back({right, lay.main_y - 2, rx, ry, ink, 1.5f});
    sc.lines.push_back({right, lay.main_y + float(rows) * cell + 2, rx, ry + bh, ink, 1.5f});
}

/// A focused figure's main view: the region large, top left, and the callout to the
/// locator map it comes from.
float add_main_view(FrameLayout& lay, Scene& sc, CellIndex lo, CellIndex hi) {
    const int64_t rows = hi.r - lo.r + 1, cols = hi.c - lo.c + 1;
    const float cell = std::min(lay.main_side / float(std::max(rows, cols)), 80.0f);  // (a 4x4 stamp fills the main view too)
    const float bottom = draw_inset(lay, sc, lo, hi, lay.main_x, lay.main_y, cell, false);
    add_callout(lay, sc, lo, rows, cols, cell);
    return bottom;
}

/// The dashed frame round a magnified patch.
void frame_patch(const FrameLayout& lay, Scene& sc, const GridPlacement& g) {
    sc.rects.push_back({g.x - 2, g.y - 2, float(g.cols) * g.cell + 4, float(g.rows) * g.cell + 4, Color{0, 0, 0, 0}, lay.theme.ink, 1.5f,
                        RectRole::Marker, 3});
}

/// An arrow from (x0, y) to (x1, y), its head a filled triangle.
void add_arrow(const FrameLayout& lay, Scene& sc, float x0, float x1, float y) { add_right_arrow(sc, x0, x1, y, lay.theme.ink, 16, 9); }

/// The up-convolution's mechanism (laid out by stamp_layout): the input patch with the
/// stamping cell x and its value, "x" the kernel W, an arrow to the output patch where
/// the block x*W is written (each product), the blocks stamped before it in the
/// output's colour and those still to come empty. Returns its bottom.
float add_stamp_view(FrameLayout& lay, Scene& sc) {
    const StepMarks& m = lay.marks;
    const ScatterStep& step = lay.scatter_step;
    const Color& ink = lay.theme.ink;
    const float pc = lay.patch_cell, size = lay.text_min, name_y = lay.main_y - lay.small_text - 6;
    // The input patch: the stamping cell and its neighbours.
    const SceneHeatmap& in = sc.heatmaps[lay.input_map];
    const CellIndex f = m.focus;
    const CellIndex ilo{std::max<int64_t>(0, f.r - 1), std::max<int64_t>(0, f.c - 1)};
    const CellIndex ihi{std::min(in.rows - 1, f.r + 1), std::min(in.cols - 1, f.c + 1)};
    const GridView iv{GridPlacement{lay.stamp_left, lay.main_y + (lay.main_side - 3 * pc) / 2, pc, ihi.r - ilo.r + 1, ihi.c - ilo.c + 1},
                      ilo.r, ilo.c};
    SceneHeatmap ip = in.region(ilo.r, ilo.c, iv.g.rows, iv.g.cols, iv.g.x, iv.g.y, pc);
    ip.grid = Color{ink.r, ink.g, ink.b, 0.45f};
    sc.heatmaps.push_back(ip);
    light_cell(lay, sc, iv, f, lay.theme.focus, 3);
    frame_patch(lay, sc, iv.g);
    double x_value = 0;
    for (const ScatterTap& t : step.taps)
        if (t.in_channel == lay.in_channel) x_value = t.value;
    sc.texts.push_back({iv.x(f.c) + pc / 2, iv.y(f.r) + pc / 2, size, text_on(lay.theme.focus, ink), stamp_number(x_value, pc, size), true});
    if (lay.input_above) {  // the callout from the input locator's box to the patch
        const GridPlacement& g = sc.input_grid;
        const float cx = g.x + (float(f.c) + 0.5f) * g.cell, cy = g.y + (float(f.r) + 0.5f) * g.cell;
        const float half = std::max(g.cell + 1, kLocatorBox / 2);
        sc.lines.push_back({cx - half, cy + half, iv.g.x - 2, iv.g.y - 2, ink, 1.5f});
        sc.lines.push_back({cx + half, cy + half, iv.g.x + float(iv.g.cols) * pc + 2, iv.g.y - 2, ink, 1.5f});
    } else {
        sc.texts.push_back({iv.g.x, iv.g.y - lay.small_text - 6, lay.small_text, ink, lay.in_short + " x", false});
    }
    // x  W  ->
    const GridPlacement& w = sc.kernel_grid;
    const float mid = lay.main_y + lay.main_side / 2;
    sc.texts.push_back({(iv.g.x + 3 * pc + w.x) / 2, mid, 2 * lay.small_text, ink, "\u00d7", true});
    // The output patch: the block and one input cell's block on each side of it; the
    // arrow points at the block's middle row.
    float block_top = INFINITY, block_bottom = -INFINITY;
    CellIndex lo, hi;
    stamp_region(lay, lo, hi);
    for (const CellIndex& t : m.output_taps) {
        block_top = std::min(block_top, float(t.r - lo.r));
        block_bottom = std::max(block_bottom, float(t.r - lo.r + 1));
    }
    const float block_mid = lay.main_y + std::clamp((block_top + block_bottom) / 2, 0.0f, float(hi.r - lo.r + 1)) * pc;
    const int64_t rows = hi.r - lo.r + 1, cols = hi.c - lo.c + 1;
    add_arrow(lay, sc, w.x + float(w.cols) * w.cell + 14, lay.main_x - 10, block_mid);
    const SceneHeatmap& out = sc.heatmaps[lay.output_map];
    SceneHeatmap op = out.region(lo.r, lo.c, rows, cols, lay.main_x, lay.main_y, pc);
    op.grid = Color{ink.r, ink.g, ink.b, 0.45f};
    // Stamped by the steps before this one: the output's colour; still to come: empty
    // (the still may show a whole row of steps: the order is the steps').
    const CountPlane before = lay.engine.landed_counts(lay.current);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            if (before(lo.r + r, lo.c + c) < lay.final_counts(lo.r + r, lo.c + c)) op.styles[std::size_t(r * cols + c)] = CellStyle::Empty;
    const GridView ov{GridPlacement{lay.main_x, lay.main_y, pc, rows, cols}, lo.r, lo.c};
    sc.inset_grid = ov.g;
    sc.inset_row0 = lo.r;
    sc.inset_col0 = lo.c;
    sc.heatmaps.push_back(op);
    paint_output_marks(lay, sc, ov);
    frame_patch(lay, sc, ov.g);
    // Each product of the drawn channel where it lands.
    for (const ScatterTap& t : step.taps) {
        if (t.in_channel != lay.in_channel || !ov.shows(t.out_y, t.out_x)) continue;
        const Color fill = lay.schematic ? lay.theme.accent : sc.heatmaps.back().cell_color(t.out_y - lo.r, t.out_x - lo.c);
        sc.texts.push_back({ov.x(t.out_x) + pc / 2, ov.y(t.out_y) + pc / 2, size, text_on(fill, ink), stamp_number(shown_product(t.value, t.weight), pc, size), true});
    }
    // The orange numbers are one input channel's share of the block; the output sums them.
    const Layer& L = lay.engine.layer();
    const int64_t group_in = L.in_channels / L.groups;
    // What is under the patch stays put while the stamps move: under the tallest patch a
    // step has (an interior one: the block, (k - 1) d + 1 rows, and a stride each side),
    // not under this step's, which loses rows at the output's edge (the sum's line jumped
    // 112 px between the course's first two frames).
    const int64_t tallest = std::clamp<int64_t>((lay.kH - 1) * L.dilation.h + 1 + 2 * L.stride.h, rows, lay.out_rows);
    const float under_patch = lay.main_y + float(tallest) * pc;
    sc.texts.push_back({ov.g.x, name_y, lay.small_text, ink,
                        group_in > 1 ? "= x \u00d7 W (in ch " + std::to_string(lay.in_channel) + "'s share)" : "= x \u00d7 W", false});
    if (group_in > 1 || L.bias)
        sc.texts.push_back({ov.g.x, under_patch + 10, lay.small_text, ink,
                            lay.out_short + " = " + (group_in > 1 ? "\u03a3 over " + std::to_string(group_in) + " in ch of " : "") + "x \u00d7 W" +
                                (L.bias ? " + bias" : ""),
                            false});
    add_callout(lay, sc, lo, rows, cols, pc);
    return under_patch;
}

/// Cells under kInsetBelowCell pixels: the region around the active taps again, large,
/// in the band below the grids, with a callout on the grid it comes from.
float add_inset(FrameLayout& lay, Scene& sc) {
    CellIndex lo, hi;
    if (!lay.opt.inset || lay.cell >= kInsetBelowCell || !inset_region(lay, sc, lo, hi)) return 0;
    if (lay.stamp) return add_stamp_view(lay, sc);
    if (lay.focus) return add_main_view(lay, sc, lo, hi);
    // Within the height left when the scene keeps its given size (the app).
    const float side = wants_numbers(lay.opt) ? 238.0f : 196.0f;
    // (Where numbers are wanted, a line under the inset may say how many did not fit.)
    const float note = wants_numbers(lay.opt) ? 18.0f : 0.0f;
    const float room = lay.opt.fit_content ? side : std::max(60.0f, lay.opt.height - (lay.band_y + 20) - 8 - note);
    // Right of the kernel and of its label (DejaVu Sans: about 0.6 em a character).
    float kernel_right = sc.kernel_grid.x + float(lay.kW) * lay.kcell;
    for (const SceneText& t : sc.texts)
        if (t.y >= lay.band_y && t.x == sc.kernel_grid.x) kernel_right = std::max(kernel_right, t.x + 0.6f * t.size * float(t.text.size()));
    return draw_inset(lay, sc, lo, hi, kernel_right + 48, lay.band_y + 20, inset_cell(lay, lo, hi, side, room), true);
}

/// The step's arithmetic in the backward pass: the grid read is grad_output and the one
/// computed grad_input ("output (3, 4) = ..." becomes "grad_input (3, 4) = ..."; the
/// words "input channel(s)" keep meaning the layer's channels).
std::string backward_names(const std::string& text) {
    auto word_at = [&](std::size_t i, const std::string& w) {
        const auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
        return text.compare(i, w.size(), w) == 0 && (i == 0 || !ident(text[i - 1])) &&
               (i + w.size() == text.size() || !ident(text[i + w.size()])) && text.compare(i + w.size(), 8, " channel") != 0;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (word_at(i, "output")) {
            out += "grad_input";
            i += 6;
        } else if (word_at(i, "input")) {
            out += "grad_output";
            i += 5;
        } else {
            out += text[i++];
        }
    }
    return out;
}

/// The input grid's name: "input, padded (channel 0 of 3)".
std::string input_grid_label(const FrameLayout& lay) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    const int64_t Cin = e.layer().in_channels;
    const std::string ch = " (channel " + std::to_string(lay.in_channel) + (Cin > 1 ? " of " + std::to_string(Cin) : "") + ")";
    // A slide's locator names what it is in few words (its padding is not drawn at that size).
    if (lay.focus) return lay.in_short + ", ch " + std::to_string(lay.in_channel) + (Cin > 1 ? " of " + std::to_string(Cin) : "");
    const bool padded = e.grid_pad_top() || e.grid_pad_left() || e.grid_rows() != geo.h().in || e.grid_cols() != geo.w().in;
    // The transposed layer's convolution grid says only what is true of it (no zeros
    // inserted at stride 1, no padding where d*(k-1)-p is 0).
    const std::string grid = lay.transposed && !lay.scatter ? as_convolution_grid_label(geo, !(lay.opt.hide_shape || lay.opt.hide_grid_size)) : "";
    return lay.in_name + (lay.scatter ? "" : lay.transposed ? (grid.empty() ? "" : ", " + grid) : padded ? ", padded" : "") + ch;
}

/// Names under the grids and above the kernel.
void add_grid_labels(const FrameLayout& lay, Scene& sc) {
    const StepEngine& e = lay.engine;
    const float label_y = lay.grids_bottom + 6;
    const int64_t Cin = e.layer().in_channels, Cout = e.layer().out_channels;
    const Color& ink = lay.theme.ink;
    // Up to the output grid: smaller type where the input grid is narrow (DejaVu Sans: 0.6 em a character).
    const std::string input_label = input_grid_label(lay);
    const float room = sc.output_grid.x - sc.input_grid.x - 8;
    // The locators of a focused figure: each name under its own map, in full-size type.
    // (A focused figure's: each name above its own map, in the figure's word size.)
    const GridView out_view = output_view(lay, sc);
    const float input_y = lay.focus ? sc.input_grid.y - lay.small_text - 6 : label_y;
    const float output_y = lay.focus ? out_view.g.y - lay.small_text - 6 : label_y;
    const float input_size = lay.focus ? lay.small_text : std::clamp(room / (0.6f * float(input_label.size())), 9.0f, 14.0f);
    sc.texts.push_back({sc.input_grid.x, input_y, input_size, ink, input_label, false});
    const std::string out_ch = std::to_string(e.out_channel()) + (Cout > 1 ? " of " + std::to_string(Cout) : "");
    sc.texts.push_back({lay.focus ? out_view.g.x : sc.output_grid.x, output_y, lay.focus ? lay.small_text : 14, ink,
                        lay.focus ? lay.out_short + ", ch " + out_ch : lay.out_name + " (channel " + out_ch + ")", false});
    std::string kernel = lay.stamp ? "W, learned" : has_weights(e.layer().kind) ? "kernel" : "window";
    if (lay.stamp)  // which of the weight tensor's kernels, in words (above "W, learned")
        sc.texts.push_back({sc.kernel_grid.x, sc.kernel_grid.y - lay.small_text - 6, lay.small_text, ink,
                            "in ch " + std::to_string(lay.in_channel) + " \u2192 out ch " + std::to_string(e.out_channel()), false});
    if (has_weights(e.layer().kind) && (Cin > 1 || Cout > 1) && !lay.stamp)
        kernel += lay.focus ? ": filter " + std::to_string(e.out_channel()) + ", in ch " + std::to_string(lay.in_channel)
                            : " (filter " + std::to_string(e.out_channel()) + ", input channel " + std::to_string(lay.in_channel) + ")";
    sc.texts.push_back({sc.kernel_grid.x, lay.focus ? sc.kernel_grid.y - (lay.stamp ? 2 : 1) * (lay.small_text + 6) : lay.band_y,
                        lay.focus ? lay.small_text : 14, ink, kernel, false});
    // What the kernel does beyond its taps, under it (keeps the heading short, and the
    // inset beside the kernel).
    std::string note;
    if (lay.flipped_kernel) note = "flipped, as the convolution uses it";
    const Pair d = e.layer().dilation;
    if (!lay.scatter && (d.h > 1 || d.w > 1))
        note += (note.empty() ? "" : "; ") + std::string("spread to ") +
                std::to_string(d.h * (lay.kH - 1) + 1) + "x" + std::to_string(d.w * (lay.kW - 1) + 1) +
                (lay.tap_weights ? ", as at left" : " by the dilation");
    if (!note.empty() && (!lay.focus || lay.tap_weights))
        sc.texts.push_back({sc.kernel_grid.x, sc.kernel_grid.y + float(lay.kH) * lay.kcell + 6, lay.small_text, ink, note, false});
}

/// What the colours mean: viridis from the lowest to the highest value shown. Returns
/// its right end (x when there is none).
float add_colour_bar(const FrameLayout& lay, Scene& sc, float x, float y, const ValueRange& range, const char* what) {
    if (range.empty()) return x;
    const float ts = lay.text_scale, size = lay.small_text;
    const int segments = 24;
    // Wide enough for the two end values and the name between them.
    const float chars = float(std::string(what).size() + number_text(range.lo).size() + number_text(range.hi).size());
    const float bar_w = std::max(144.0f, 0.6f * size * chars + 24), seg = bar_w / float(segments);
    for (int i = 0; i < segments; ++i)
        sc.rects.push_back({x + float(i) * seg, y, seg + 0.5f, 10, viridis((float(i) + 0.5f) / float(segments)), Color{0, 0, 0, 0}, 0,
                            RectRole::Legend});
    const Color& ink = lay.theme.ink;
    sc.texts.push_back({x, y + 10 + 3 * ts, size, ink, number_text(range.lo), false});
    sc.texts.push_back({x + bar_w / 2, y + 10 + 11 * ts, size, ink, what, true});
    sc.texts.push_back({x + bar_w - 0.6f * size * float(number_text(range.hi).size()), y + 10 + 3 * ts, size, ink, number_text(range.hi), false});
    return x + bar_w;
}

/// One entry of a key: a box drawn as the grids draw that kind of cell (its fill, its
/// outline, its dashes or hatching, the ring of the tap being added), then its name.
/// Returns where the next entry starts.
float key_entry(const FrameLayout& lay, Scene& sc, float x, float y, const Color& fill, const Color& outline, float outline_width,
                const std::string& text, CellStyle marker = CellStyle::Value, bool ring = false) {
    const Color& ink = lay.theme.ink;
    const float box = lay.small_text;
    sc.rects.push_back({x, y, box, box, fill, outline, outline_width, RectRole::Legend});
    if (marker != CellStyle::Value) {
        SceneHeatmap one;
        one.role = RectRole::InputCell;
        one.rows = one.cols = 1;
        one.styles = {marker};
        one.values = {0};
        add_cell_markers(lay, sc, one, GridView{GridPlacement{x, y, box, 1, 1}, 0, 0});
    }
    if (ring) sc.rects.push_back({x - 3, y - 3, box + 6, box + 6, Color{0, 0, 0, 0}, ink, 2, RectRole::Legend});
    sc.texts.push_back({x + box + 5, y, lay.small_text, ink, text, false});
    return x + box + 12 + 0.6f * lay.small_text * float(text.size());
}

/// The second row of the key, under the legends' first.
float legend_row2(const FrameLayout& lay) { return lay.grids_bottom + (lay.focus ? 20 : 30) + lay.key_row + 2; }

/// The up-convolution's mechanism's key, under its input patch and W (three rows): what
/// the patches' colours are.
void add_stamp_key(const FrameLayout& lay, Scene& sc, float x, float y) {
    const Color& ink = lay.theme.ink;
    const Color edge{ink.r, ink.g, ink.b, 0.45f};
    const float col2 = x + lay.small_text + 29 + 0.6f * lay.small_text * float(std::max<std::size_t>(lay.in_short.size(), 17));
    key_entry(lay, sc, x, y, lay.theme.input_plane, edge, 1, lay.in_short);
    key_entry(lay, sc, col2, y, lay.theme.focus, edge, 1, "cell x");
    key_entry(lay, sc, x, y + lay.key_row + 4, lay.theme.accent, edge, 1, "x \u00d7 W (this step)");
    // One meaning a colour: teal is the output (its locator, the cells written so far).
    key_entry(lay, sc, x, y + 2 * (lay.key_row + 4), lay.theme.output_plane, edge, 1, lay.out_short + ", stamped before");
    bool to_come = false;
    for (std::size_t i = lay.output_map + 1; i < sc.heatmaps.size(); ++i)
        if (sc.heatmaps[i].role == RectRole::Inset)
            for (CellStyle s : sc.heatmaps[i].styles) to_come |= s == CellStyle::Empty;
    if (to_come) key_entry(lay, sc, col2, y + lay.key_row + 4, lay.theme.empty, edge, 1, "still empty");
}

/// Schematic key: one swatch per kind of cell present, drawn as the grid draws it.
void add_schematic_key(const FrameLayout& lay, Scene& sc, float x, float y) {
    bool padding = false, copies = false, inserted = false;
    // What the whole input holds, also where a focused figure magnifies only part of it:
    // the magnifier reaches the padding at the map's edge, and a key naming only what it
    // shows now gained and lost "zero padding" as the animation played, moving the figure.
    const SceneHeatmap& in = sc.heatmaps[lay.input_map];
    for (int64_t r = 0; r < in.rows; ++r)
        for (int64_t c = 0; c < in.cols; ++c) {
            const CellStyle s = in.styles[std::size_t(r * in.cols + c)];
            padding |= s == CellStyle::Padding;
            copies |= s == CellStyle::FadedValue;
            inserted |= s == CellStyle::InsertedZero;
        }
    const Color& ink = lay.theme.ink;
    const Color none{0, 0, 0, 0}, edge{ink.r, ink.g, ink.b, 0.45f};
    // Two rows at most: an entry that would run past the output grid starts the second.
    float right = std::max(sc.output_grid.x + float(lay.out_cols + lay.ring_right) * lay.cell, x + 560.0f);
    if (lay.focus)  // as wide as what is above it: a key in one row leaves no empty strip
        for (const SceneText& t : sc.texts) right = std::max(right, t.x + 0.6f * t.size * float(t.text.size()));
    const float x_first = x;
    auto wrap = [&](const std::string& text) {
        if (lay.key_column) {  // one entry a line
            if (x > x_first) {
                x = x_first;
                y += lay.key_row + 6;
            }
            return;
        }
        if (x > x_first && x + 26 + 0.6f * lay.small_text * float(text.size()) > right && y < legend_row2(lay)) {
            x = x_first;
            y = legend_row2(lay);
        }
    };
    auto swatch = [&](const Color& fill, const std::string& text, CellStyle marker = CellStyle::Value, bool ring = false) {
        wrap(text);
        x = key_entry(lay, sc, x, y, fill, edge, 1, text, marker, ring);
    };
    swatch(lay.theme.input_plane, lay.in_short);
    if (padding) swatch(none, "zero padding", CellStyle::Padding);
    if (copies) {
        Color faded = lay.theme.input_plane;
        const float f = 0.55f;
        faded = {faded.r + f * (sc.background.r - faded.r), faded.g + f * (sc.background.g - faded.g), faded.b + f * (sc.background.b - faded.b), 1};
        swatch(faded, std::string(padding_mode_name(lay.engine.layer().padding_mode)) + " padding (a copy)", CellStyle::Padding);
    }
    if (inserted) swatch(none, "inserted zero", CellStyle::InsertedZero);
    if (lay.tap_by_tap) {
        swatch(lay.theme.accent, "tap being added", CellStyle::Value, true);
        swatch(lay.theme.summed, lay.scatter ? "taps landed" : "taps summed");
        const Color& a = lay.theme.accent;
        wrap("taps to come");
        x = key_entry(lay, sc, x, y, Color{a.r, a.g, a.b, 0.16f}, Color{a.r * 0.85f, a.g * 0.85f, a.b * 0.85f, 1}, 1.5f, "taps to come");
    } else {
        swatch(lay.theme.accent, lay.tap_weights ? "tap, its weight" : "active tap");
    }
    const Layer& L = lay.engine.layer();
    if (!lay.scatter && (L.dilation.h > 1 || L.dilation.w > 1)) {
        // The window's shade over the plane: the cells dilation skips.
        const float a = 0.22f;
        swatch(Color{lay.theme.input_plane.r + a * (ink.r - lay.theme.input_plane.r), lay.theme.input_plane.g + a * (ink.g - lay.theme.input_plane.g), lay.theme.input_plane.b + a * (ink.b - lay.theme.input_plane.b), 1},
               "skipped by dilation");
    }
    swatch(lay.theme.focus, lay.scatter ? lay.in_short + " cell stamped" : lay.out_short + " cell computed");
    bool partial = false;
    for (CellStyle s : sc.heatmaps[lay.output_map].styles) partial |= s == CellStyle::FadedValue;
    // Named on every frame where some frame has one (a cell gets more taps than one step
    // lands on it), not only while one is on screen: the entry came and went as the
    // animation played, and the key re-wrapped under the grids.
    if (lay.scatter && !partial && lay.engine.step_count() > 1 && lay.final_counts.size() > 0) {
        const CountPlane first = lay.engine.landed_counts(1);
        auto most = [](const CountPlane& p) { return *std::max_element(p.begin(), p.end()); };
        partial = first.size() > 0 && most(lay.final_counts) > most(first);
    }
    if (lay.scatter && partial) {
        const SceneHeatmap& out = sc.heatmaps[lay.output_map];
        Color faded = out.flat_fill;
        faded = {faded.r + out.fade * (sc.background.r - faded.r), faded.g + out.fade * (sc.background.g - faded.g),
                 faded.b + out.fade * (sc.background.b - faded.b), 1};
        swatch(faded, lay.out_short + " partial (taps landed/all)");
    }
    swatch(lay.theme.output_plane, lay.focus ? lay.out_short : lay.out_short + " done");
    if (has_ring(lay)) {
        const Color& e = lay.theme.empty;
        wrap("cropped by padding=0");
        const float x0 = x, c = 14;  // the box and its hatching, as on the grid
        x = key_entry(lay, sc, x, y, Color{e.r, e.g, e.b, 0.5f}, edge, 1,
                      "cropped by padding=" + std::to_string(lay.engine.geometry().h().pad_before));
        for (float t : {-0.5f, 0.0f, 0.5f}) {
            const float a = std::max(0.0f, -t) * c, b = std::min(1.0f, 1.0f - t) * c;
            sc.lines.push_back({x0 + a, y + a + t * c, x0 + b, y + b + t * c, Color{ink.r, ink.g, ink.b, 0.55f}, 1});
        }
    }
    if (lay.scatter && (L.output_padding.h > 0 || L.output_padding.w > 0)) {
        wrap("output_padding (kept)");
        x = key_entry(lay, sc, x, y, none, lay.theme.focus, 2, "output_padding (kept)");
    }
}

/// Values style, tap by tap: which outline is which (the values style outlines the taps,
/// the cells keep their colours).
void add_tap_key(const FrameLayout& lay, Scene& sc, float x, float y) {
    const Color none{0, 0, 0, 0};
    x = key_entry(lay, sc, x, y, none, lay.theme.accent, 3, "tap being added", CellStyle::Value, true);
    x = key_entry(lay, sc, x, y, none, lay.theme.summed, 2, lay.scatter ? "taps landed" : "taps summed");
    key_entry(lay, sc, x, y, none, lay.theme.focus, 3, lay.scatter ? lay.in_short + " cell stamped" : lay.out_short + " cell (running sum)");
}

/// The values style writes numbers into cells of kNumbersFromCell px and more: below that the figure
/// says so in words, and where the numbers can be read.
void add_hidden_values_note(const FrameLayout& lay, Scene& sc, float y) {
    char px[16];
    std::snprintf(px, sizeof px, "%.0f", double(std::max(1.0f, std::floor(lay.cell))));
    std::string note = std::string("values hidden: cells are ") + px + " px, numbers need " + std::to_string(int(kNumbersFromCell)) + " px";
    const bool inset = sc.inset_grid.rows > 0 && lay.inset_values;
    if (lay.opt.fit_content) note += inset ? "; the magnified inset shows them" : "; export a smaller map to read them";
    else note += inset ? "; zoom in (wheel) or read the magnified inset" : "; zoom in (wheel)";
    const Color& ink = lay.theme.ink;
    sc.texts.push_back({lay.margin, y, lay.small_text, Color{ink.r, ink.g, ink.b, 0.85f}, note, false});
}

/// --hide shape: the output grid, whatever is drawn on it and the lines to it go; its
/// label asks for the size instead.
void leave_out_output(const FrameLayout& lay, Scene& sc) {
    const GridView v = output_view(lay, sc);
    const float x0 = v.g.x - 1, y0 = v.g.y - 1, x1 = v.g.x + float(v.g.cols) * v.g.cell + 1, y1 = v.g.y + float(v.g.rows) * v.g.cell + 1;
    auto on_grid = [&](float x, float y) { return x >= x0 && x <= x1 && y >= y0 && y <= y1; };
    sc.heatmaps.erase(sc.heatmaps.begin() + std::ptrdiff_t(lay.output_map));
    sc.rects.erase(std::remove_if(sc.rects.begin(), sc.rects.end(), [&](const SceneRect& r) { return on_grid(r.x + 1, r.y + 1); }),
                   sc.rects.end());
    sc.texts.erase(std::remove_if(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return on_grid(t.x, t.y); }), sc.texts.end());
    sc.lines.erase(std::remove_if(sc.lines.begin(), sc.lines.end(),
                                  [&](const SceneLine& l) { return on_grid(l.x0, l.y0) || on_grid(l.x1, l.y1); }),
                   sc.lines.end());
    sc.output_grid.rows = sc.output_grid.cols = 0;
    // Where the output was (a focused figure's output locator sits under the input's).
    sc.texts.push_back({v.g.x, lay.focus ? v.g.y : lay.top, 16, lay.theme.ink, "output: what size? (work it out)", false});
}

/// Shrink the scene to what is drawn (figures for export).
void fit_to_content(const FrameLayout& lay, Scene& sc, float bottom) {
    // Text has no metrics here: DejaVu Sans averages about 0.6 em per character.
    float right = sc.output_grid.x + float(lay.out_cols) * lay.cell;
    right = std::max(right, sc.output_grid.x + 150);
    if (sc.inset_grid.rows > 0) right = std::max(right, sc.inset_grid.x + float(sc.inset_grid.cols) * sc.inset_grid.cell);
    for (const SceneText& t : sc.texts)
        if (!t.centered) right = std::max(right, t.x + 0.6f * t.size * float(t.text.size()));
    sc.width = std::ceil(right + lay.margin);
    sc.height = std::ceil(bottom);
}

}  // namespace

Scene build_step_inset(const StepEngine& engine, const FramePosition& frame, const SceneOptions& opt, float x, float y, float side) {
    Scene sc;
    FrameLayout lay(engine, frame, opt);
    layout_grids(lay, sc);
    choose_step(lay);
    sc.heatmaps.reserve(4);
    add_input_grid(lay, sc);
    add_kernel_grid(lay, sc);
    const CountPlane landed = landed_so_far(engine, frame, lay.scatter);
    add_output_grid(lay, sc, landed);
    collect_step(lay);
    Scene inset;
    inset.width = sc.width;
    inset.height = sc.height;
    inset.background = sc.background;
    CellIndex lo, hi;
    if (!inset_region(lay, sc, lo, hi)) return inset;
    // Only what draw_inset adds: the grids it was cut from are drawn by the caller.
    const std::size_t heatmaps = sc.heatmaps.size(), rects = sc.rects.size(), lines = sc.lines.size(), texts = sc.texts.size();
    draw_inset(lay, sc, lo, hi, x, y, inset_cell(lay, lo, hi, side, side), false);
    inset.heatmaps.assign(sc.heatmaps.begin() + std::ptrdiff_t(heatmaps), sc.heatmaps.end());
    inset.rects.assign(sc.rects.begin() + std::ptrdiff_t(rects), sc.rects.end());
    inset.lines.assign(sc.lines.begin() + std::ptrdiff_t(lines), sc.lines.end());
    inset.texts.assign(sc.texts.begin() + std::ptrdiff_t(texts), sc.texts.end());
    inset.inset_grid = sc.inset_grid;
    inset.inset_row0 = sc.inset_row0;
    inset.inset_col0 = sc.inset_col0;
    return inset;
}

/// The up-convolution's one line: each input value times the kernel gives a block of
/// the output; the blocks tile the output without overlap only where the stride equals
/// the kernel's span d*(k-1)+1 with d = 1 (else they overlap and add, or leave gaps).
std::string stamp_headline(const Layer& L) {
    const std::string k = std::to_string(L.kernel.h) + "\u00d7" + std::to_string(L.kernel.w);
    const int64_t span_h = L.dilation.h * (L.kernel.h - 1) + 1, span_w = L.dilation.w * (L.kernel.w - 1) + 1;
    const bool tiles = L.dilation == Pair{1, 1} && L.stride.h == L.kernel.h && L.stride.w == L.kernel.w;
    const bool overlap = L.stride.h < span_h || L.stride.w < span_w;
    const std::string how = tiles ? "its own " + k + " output block (stride = kernel: no overlap)"
                            : overlap ? "a " + k + " output block (stride < kernel: blocks overlap and add)"
                                      : "a " + k + " output block (stride > kernel: gaps between blocks)";
    return "each input value x \u00d7 " + k + " kernel W \u2192 " + how;
}

/// A slide's one line of arithmetic: what one step does, in counts a student checks
/// (the step's numbers are in the app, step by step).
std::string focus_arithmetic(const FrameLayout& lay) {
    const Layer& L = lay.engine.layer();
    const int64_t taps = lay.kH * lay.kW;
    const std::string k = std::to_string(lay.kH) + "x" + std::to_string(lay.kW);
    if (lay.scatter) return stamp_headline(L);
    const int64_t cin = has_weights(L.kind) ? L.in_channels / L.groups : 1;
    return (cin > 1 ? std::to_string(cin) + " x " + std::to_string(taps) + " = " : "") + std::to_string(cin * taps) +
           " products -> 1 output value";
}

Scene build_scene(const StepEngine& engine, const FramePosition& frame, const SceneOptions& opt) {
    if (opt.style == SceneStyle::Perspective) return build_perspective_scene(engine, frame, opt);
    if (draws_chain_figure(engine, frame, opt)) return build_chain_figure(engine, frame, opt);
    Scene sc;
    FrameLayout lay(engine, frame, opt);
    layout_grids(lay, sc);
    choose_step(lay);
    if (opt.fit_content && opt.inset && lay.cell < kInsetBelowCell && lay.current >= 0) {
        if (draws_stamp_figure(engine, frame, opt) || draws_read_figure(engine, frame, opt)) return build_chain_figure(engine, frame, opt);
        focus_layout(lay, sc);
    }
    add_caption(lay, sc);
    sc.heatmaps.reserve(4);  // references into it are held while the next is built
    add_input_grid(lay, sc);
    add_kernel_grid(lay, sc);
    const CountPlane landed = landed_so_far(engine, frame, lay.scatter);
    add_output_grid(lay, sc, landed);
    add_scatter_counts(lay, sc, landed);
    std::string arithmetic = collect_step(lay);
    if (frame.crop) {
        const LayerGeometry& geo = engine.geometry();
        const std::string stamped = std::to_string(lay.out_rows + lay.ring_top + lay.ring_bottom) + "x" +
                                    std::to_string(lay.out_cols + lay.ring_left + lay.ring_right),
                          output = std::to_string(lay.out_rows) + "x" + std::to_string(lay.out_cols);
        const Pair kept{geo.h().output_padding, geo.w().output_padding};
        // output_padding keeps the last rows / columns the padding would crop: the ring is
        // cropped at the top and left only where it is set.
        arithmetic = kept == Pair{0, 0}
                         ? "padding=" + std::to_string(geo.h().pad_before) + " crops the ring: the " + stamped + " stamped cells become the " +
                               output + " output"
                         : "padding=" + std::to_string(geo.h().pad_before) + " crops each side of the " + stamped +
                               " stamped cells, output_padding=" + pair_words(kept) + " keeps the bottom and right: the " + output + " output";
    }
    paint_input_marks(lay, sc, GridView{sc.input_grid, 0, 0}, true);
    paint_output_marks(lay, sc, output_view(lay, sc));
    for (TapState pass : {TapState::Pending, TapState::Summed, TapState::Current})
        for (std::size_t k = 0; k < lay.marks.kernel_taps.size(); ++k)
            if (lay.marks.kernel_states[k] == pass) paint_tap(lay, sc, GridView{sc.kernel_grid, 0, 0}, lay.marks.kernel_taps[k], pass);
    // Lines are the schematic's: in the values style they would cross the numbers.
    // (A focused figure joins the callout to the main view instead: its maps are locators.)
    if (lay.marks.any && lay.schematic && !lay.focus) add_tap_lines(lay, sc);
    // A cell still being summed shows its running sum.
    if (!lay.scatter && lay.numbers && !opt.hide_output && lay.current >= 0 && frame.extra_taps > 0 && frame.shown_step < 0) {
        const double sum = lay.gather.bias + lay.gather.taps[std::size_t(lay.taps_shown - 1)].running_sum;
        cell_label(sc, sc.output_grid, lay.gather.out_y, lay.gather.out_x, sum, lay.theme.background, lay.theme.ink, 0, lay.text_min);
    }
    if (lay.focus && !arithmetic.empty() && !opt.backward) arithmetic = focus_arithmetic(lay);
    if (opt.show_arithmetic && !opt.hide_output)  // the arithmetic would give the answer away
        sc.texts.push_back({lay.margin, (opt.code_line.empty() ? 32.0f : 54.0f) * lay.text_scale, 14 * lay.text_scale, lay.theme.ink,
                            opt.backward ? backward_names(arithmetic) : arithmetic, false});
    add_grid_labels(lay, sc);
    // A focused figure's key names what its main view draws: that view first.
    float inset_bottom = lay.focus ? add_inset(lay, sc) : 0;
    const float legend_y = lay.grids_bottom + (lay.focus ? 20 : 30);
    const float key_x = lay.focus ? lay.margin : sc.input_grid.x;
    if (lay.stamp && lay.schematic) {  // under the input patch and W, left of the main view
        add_stamp_key(lay, sc, key_x, lay.main_y + (lay.main_side + 3 * lay.patch_cell) / 2 + 24);
    } else if (lay.schematic) {
        add_schematic_key(lay, sc, lay.key_column ? lay.key_x : key_x, lay.key_column ? lay.key_y : legend_y);
    } else {
        const float input_bar_end = add_colour_bar(lay, sc, key_x, legend_y, lay.in_range, (lay.in_short + " value").c_str());
        bool any_done = false;
        for (int64_t k = 0; k < lay.out_rows * lay.out_cols && !any_done; ++k) any_done = output_done(lay, landed, k);
        // Under the output grid, but never touching the input's bar: small grids put the
        // output closer than the bar is wide, and "-2" and "2" read as "-22".
        const float output_bar_x = std::max(lay.focus ? key_x + lay.main_side : sc.output_grid.x, input_bar_end + (lay.focus ? 40.0f : 24.0f));
        if (any_done && !opt.hide_output)
            add_colour_bar(lay, sc, output_bar_x, legend_y, lay.out_range, (lay.out_short + " value (final range)").c_str());
    }
    float key_y = legend_y + 40;
    if (lay.tap_by_tap && !lay.schematic) {
        if (lay.marks.any) add_tap_key(lay, sc, lay.margin, key_y);
        key_y += kKeyRow;
    }
    if (!lay.focus) inset_bottom = add_inset(lay, sc);
    if (lay.values_hidden) add_hidden_values_note(lay, sc, key_y);
    float bottom = std::max(sc.kernel_grid.y + float(lay.kH) * lay.kcell + 20, inset_bottom) + 16;
    if (lay.focus)  // the key is under everything
        for (const SceneText& t : sc.texts) bottom = std::max(bottom, t.y + 1.2f * t.size + 8);  // (trimmed: words stay >= 1/25 of the height)
    if (opt.hide_shape) leave_out_output(lay, sc);
    if (opt.fit_content) fit_to_content(lay, sc, bottom);
    return sc;
}

}  // namespace convscope
