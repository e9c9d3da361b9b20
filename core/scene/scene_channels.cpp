// The channels view (see scene_channels.hpp): input stack, filter bank, output stack in
// an oblique projection, the current step lit through every channel it reads.
#include "core/nn/layer_ops.hpp"
#include "core/scene/scene_channels.hpp"

#include <algorithm>
#include <cmath>

#include "core/nn/conv.hpp"
#include "core/base/errors.hpp"
#include "core/scene/scene_theme.hpp"
#include "core/nn/tap_geometry.hpp"

namespace convscope {

using std::int64_t;

namespace {

const Color kInputPlane{0.20f, 0.55f, 0.85f, 1};
const Color kOutputPlane{0.15f, 0.62f, 0.56f, 1};
const Color kKernelPlane{0.93f, 0.60f, 0.18f, 1};

/// Most blocks and slices of a bank drawn (the rest are counted in a note): a 512-filter
/// layer would be 512 unreadable specks.
constexpr int64_t kMaxBlocksDrawn = 64;
/// Most channels the magnified strip shows one by one.
constexpr int64_t kMaxStripChannels = 6;

Color with_alpha(Color c, float a) {
    c.a = a;
    return c;
}

std::string at(int64_t r, int64_t c) { return "(" + std::to_string(r) + ", " + std::to_string(c) + ")"; }

std::string shape4(const std::array<int64_t, 4>& s) {
    return "[" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + ", " + std::to_string(s[3]) + "]";
}

/// Spacing of the slabs of a stack of `count`, as a share of the slab's larger side:
/// few slabs are spread apart so that every one shows its taps; many are packed so
/// the stack keeps its size (16 output channels take about one slab more).
float depth_share(int64_t count) { return count <= 1 ? 0.0f : std::min(0.75f, 1.1f / float(count - 1)); }

/// Where one stack's slabs go: slab k's top-left corner is base + k * step.
struct StackGeometry {
    int64_t count = 1, rows = 1, cols = 1;
    float cell = 1, step_x = 0, step_y = 0, base_x = 0, base_y = 0;

    float width() const { return float(cols) * cell + float(count - 1) * std::fabs(step_x); }
    float height() const { return float(rows) * cell + float(count - 1) * std::fabs(step_y); }
    /// Put the stack's bounding box at (x, y).
    void place(float x, float y) {
        base_x = x + (step_x < 0 ? float(count - 1) * -step_x : 0);
        base_y = y + (step_y < 0 ? float(count - 1) * -step_y : 0);
    }
    GridPlacement slab(int64_t k) const { return {base_x + float(k) * step_x, base_y + float(k) * step_y, cell, rows, cols}; }
};

StackGeometry stack_geometry(int64_t count, int64_t rows, int64_t cols, float cell, float ux, float uy, float depth) {
    StackGeometry g;
    g.count = std::max<int64_t>(1, count);
    g.rows = rows;
    g.cols = cols;
    g.cell = cell;
    const float d = depth * depth_share(g.count) * float(std::max(rows, cols)) * cell;
    g.step_x = d * ux;
    g.step_y = d * uy;
    return g;
}

/// Everything the builder passes between its parts.
struct Build {
    Build(const Animation& a, const ChannelsData& d, const SceneOptions& o, const StepEngine& e)
        : animation(a), data(d), opt(o), engine(e), L(e.layer()), theme(SceneTheme::make(o.dark)) {}
    const Animation& animation;
    const ChannelsData& data;
    const SceneOptions& opt;
    const StepEngine& engine;
    const Layer& L;
    SceneTheme theme;
    bool schematic = false;
    FramePosition pos;
    int64_t current = -1;    ///< the step whose taps are lit; -1: none
    int64_t taps_shown = 0;  ///< taps of that step done
    int64_t cin = 1, cout = 1, groups = 1;
    float ux = 1, uy = 0;    ///< the channel axis's direction on the page
    bool outline_faded_slices = false;  ///< on screen: faded filters' back slices as outlines
    ChannelsScene out;
    /// The active filter pulled out of the bank (under its grid): where each input
    /// channel's line enters its slice (by input channel; x < 0: not pulled out), and
    /// where the line to the output leaves: the slice's right side, then along under the
    /// grid to the bank's right edge, so no line crosses another filter.
    std::vector<std::pair<float, float>> pulled_entry;
    float exit_x = 0, exit_y = 0, bus_x = 0;
    bool pulled = false;
};

/// A line from (x0, y0) on input channel `ci` into the weights of the step: the pulled-out
/// filter's slice for `ci` when there is one, else straight to (x1, y1).
void line_into_filter(Build& b, float x0, float y0, int64_t ci, float x1, float y1, const Color& color, float width) {
    if (b.pulled && ci >= 0 && std::size_t(ci) < b.pulled_entry.size() && b.pulled_entry[std::size_t(ci)].first >= 0) {
        const auto [ex, ey] = b.pulled_entry[std::size_t(ci)];
        b.out.scene.lines.push_back({x0, y0, ex, ey, color, width});
        return;
    }
    b.out.scene.lines.push_back({x0, y0, x1, y1, color, width});
}

/// The line from the pulled-out filter to (x1, y1) on the output (nothing without one).
void line_out_of_filter(Build& b, float x1, float y1, const Color& color, float width) {
    if (!b.pulled) return;
    b.out.scene.lines.push_back({b.exit_x, b.exit_y, b.bus_x, b.exit_y, color, width});
    b.out.scene.lines.push_back({b.bus_x, b.exit_y, x1, y1, color, width});
}

/// A slab (one channel of a feature map) as a heat map.
SceneHeatmap slab_heatmap(const Build& b, const GridPlacement& g, RectRole role, int64_t layer, int64_t channel, float lo, float hi,
                          const Color& plane) {
    SceneHeatmap h;
    h.role = role;
    h.x = g.x;
    h.y = g.y;
    h.cell = g.cell;
    h.rows = g.rows;
    h.cols = g.cols;
    h.layer = layer;
    h.channel = channel;
    h.lo = lo;
    h.hi = hi;
    h.flat = b.schematic;
    h.flat_fill = plane;
    h.empty = b.theme.empty;
    h.background = b.theme.background;
    h.fade = 0.72f;
    h.grid = Color{b.theme.ink.r, b.theme.ink.g, b.theme.ink.b, g.cell >= 6 ? 0.25f : 0.0f};
    h.values.reserve(std::size_t(g.rows * g.cols));
    h.styles.reserve(std::size_t(g.rows * g.cols));
    return h;
}

/// The outline of a slab in its group's colour, and (for a whole stack) the edges of
/// the box joining the front and back slabs, which make the stack read as a solid.
void outline_slab(Scene& sc, const GridPlacement& g, const Color& color, bool lit) {
    sc.rects.push_back({g.x, g.y, g.cell * float(g.cols), g.cell * float(g.rows), Color{0, 0, 0, 0}, with_alpha(color, lit ? 1.0f : 0.7f),
                        lit ? 2.5f : 1.5f, RectRole::Marker});
}

/// The outline of a slab behind `front` (the slab drawn over it): only the parts of its
/// edges that `front` does not cover, as lines. Outlines are drawn over every fill, so a
/// whole rectangle would show the back slab's edges across the front slab's face.
void outline_slab_behind(Scene& sc, const GridPlacement& g, const GridPlacement& front, const Color& color, bool lit) {
    const float x0 = g.x, x1 = g.x + g.cell * float(g.cols), y0 = g.y, y1 = g.y + g.cell * float(g.rows);
    const float fx0 = front.x, fx1 = front.x + front.cell * float(front.cols), fy0 = front.y, fy1 = front.y + front.cell * float(front.rows);
    const Color pen = with_alpha(color, lit ? 1.0f : 0.7f);
    const float width = lit ? 2.5f : 1.5f;
    // One edge from a to b along an axis, at `at` on the other; the front covers the
    // interval [c0, c1] of it when `at` lies inside the front's extent (f0, f1).
    auto edge = [&](bool horizontal, float at, float a, float b, float f0, float f1, float c0, float c1) {
        auto line = [&](float p, float q) {
            if (q - p <= 0.5f) return;
            if (horizontal) sc.lines.push_back({p, at, q, at, pen, width});
            else sc.lines.push_back({at, p, at, q, pen, width});
        };
        if (at <= f0 || at >= f1) return line(a, b);
        line(a, std::min(b, c0));
        line(std::max(a, c1), b);
    };
    edge(true, y0, x0, x1, fy0, fy1, fx0, fx1);
    edge(true, y1, x0, x1, fy0, fy1, fx0, fx1);
    edge(false, x0, y0, y1, fx0, fx1, fy0, fy1);
    edge(false, x1, y0, y1, fx0, fx1, fy0, fy1);
}

void box_edges(Scene& sc, const StackGeometry& s, const Color& ink) {
    if (s.count < 2) return;
    const GridPlacement f = s.slab(0), k = s.slab(s.count - 1);
    const float w = f.cell * float(f.cols), h = f.cell * float(f.rows);
    const Color pen = with_alpha(ink, 0.3f);
    // The edge from the front corner opposite the offset runs behind the front slab: a
    // solid box does not show it (the slabs are drawn before, so it would cross their faces).
    const float hidden_x = s.step_x > 0 ? 0 : w, hidden_y = s.step_y < 0 ? h : 0;
    const bool oblique = s.step_x != 0 && s.step_y != 0;
    for (const auto& [cx, cy] : {std::pair<float, float>{0, 0}, {w, 0}, {0, h}, {w, h}}) {
        if (oblique && cx == hidden_x && cy == hidden_y) continue;
        sc.lines.push_back({f.x + cx, f.y + cy, k.x + cx, k.y + cy, pen, 1});
    }
}

/// Slab heat map `h`, of which cells [r0, r1) x [c0, c1) are hidden by a slab in front,
/// as at most four heat maps of the visible cells (rows above and below the hidden block
/// at full width, the columns left and right of it beside it).
void push_visible_parts(Scene& sc, SceneHeatmap h, int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
    r0 = std::clamp<int64_t>(r0, 0, h.rows);
    r1 = std::clamp<int64_t>(r1, r0, h.rows);
    c0 = std::clamp<int64_t>(c0, 0, h.cols);
    c1 = std::clamp<int64_t>(c1, c0, h.cols);
    if (r0 == r1 || c0 == c1) {
        sc.heatmaps.push_back(std::move(h));
        return;
    }
    auto part = [&](int64_t ra, int64_t rb, int64_t ca, int64_t cb) {
        if (ra >= rb || ca >= cb) return;
        SceneHeatmap p = h;
        p.values.clear();
        p.styles.clear();
        for (int64_t r = ra; r < rb; ++r)
            for (int64_t c = ca; c < cb; ++c) {
                p.values.push_back(h.values[std::size_t(r * h.cols + c)]);
                p.styles.push_back(h.styles[std::size_t(r * h.cols + c)]);
            }
        p.x = h.x + float(ca) * h.cell;
        p.y = h.y + float(ra) * h.cell;
        p.rows = rb - ra;
        p.cols = cb - ca;
        p.row0 = h.row0 + ra;
        p.col0 = h.col0 + ca;
        sc.heatmaps.push_back(std::move(p));
    };
    part(0, r0, 0, h.cols);
    part(r1, h.rows, 0, h.cols);
    part(r0, r1, 0, c0);
    part(r0, r1, c1, h.cols);
}

/// The cells of slab k of stack `s` hidden by slab k - 1 drawn over it (the same size,
/// moved by minus one step): only whole cells count.
void hidden_by_front(const StackGeometry& s, int64_t& r0, int64_t& r1, int64_t& c0, int64_t& c1) {
    const float dy = -s.step_y / s.cell, dx = -s.step_x / s.cell;  // the front slab's offset, in cells
    r0 = int64_t(std::ceil(std::max(0.0f, dy)));
    r1 = int64_t(std::floor(float(s.rows) + std::min(0.0f, dy)));
    c0 = int64_t(std::ceil(std::max(0.0f, dx)));
    c1 = int64_t(std::floor(float(s.cols) + std::min(0.0f, dx)));
}

/// Lights one cell of a slab: schematic fills it (the gaps between dilated taps keep
/// the plane's colour), values outlines it so its colour stays visible.
void light(Build& b, const GridPlacement& g, int64_t r, int64_t c, const Color& color, bool reads_zero = false) {
    const float x = g.x + float(c) * g.cell, y = g.y + float(r) * g.cell;
    if (reads_zero) {
        b.out.scene.rects.push_back({x, y, g.cell, g.cell, Color{0, 0, 0, 0}, color, std::max(1.0f, std::min(1.5f, g.cell / 3)),
                                     RectRole::Highlight, std::max(1.5f, g.cell / 4)});
        return;
    }
    if (b.schematic || g.cell < 5)
        b.out.scene.rects.push_back({x, y, g.cell, g.cell, color, Color{0, 0, 0, 0}, 0, RectRole::Highlight});
    else
        b.out.scene.rects.push_back({x, y, g.cell, g.cell, Color{0, 0, 0, 0}, color, std::max(1.0f, std::min(2.5f, g.cell / 3)),
                                     RectRole::Highlight});
}

std::pair<float, float> centre(const GridPlacement& g, float r, float c) { return {g.x + (c + 0.5f) * g.cell, g.y + (r + 0.5f) * g.cell}; }

/// The bank's blocks: conv2d one per output channel (filter), its slices the input
/// channels of its group; conv_transpose2d one per input channel, its slices the
/// output channels of its group. Kernel cells carry data-filter = the output channel and
/// data-channel = the input channel in both cases.
struct BankIndex {
    int64_t blocks = 0, slices = 0;
    bool transposed = false;
    int64_t Cgi = 1, Cgo = 1;
    /// (input channel, output channel) of slice j of block i.
    std::pair<int64_t, int64_t> channels(int64_t i, int64_t j) const {
        if (transposed) return {i, (i / Cgi) * Cgo + j};
        return {(i / Cgo) * Cgi + j, i};
    }
    int64_t group_of_block(int64_t i) const { return transposed ? i / Cgi : i / Cgo; }
};

void build_bank(Build& b, float x0, float y0, float w, float h) {
    Scene& sc = b.out.scene;
    const Layer& L = b.L;
    if (!L.is_conv()) {
        sc.texts.push_back({x0 + w / 2, y0 + h / 2 - 10, 14, b.theme.ink, std::string(class_name(L.kind)) + ": no weights", true});
        sc.texts.push_back({x0 + w / 2, y0 + h / 2 + 10, 12, b.theme.ink, "each output channel reads only its own input channel", true});
        return;
    }
    BankIndex bank;
    bank.transposed = tap_direction(L.kind) == TapDirection::Scatter;
    bank.Cgi = b.cin / b.groups;
    bank.Cgo = b.cout / b.groups;
    const auto shape = weight_shape(L);
    bank.blocks = shape[0];
    bank.slices = shape[1];
    const int64_t kH = L.kernel.h, kW = L.kernel.w, K = std::max(kH, kW);
    b.out.weight_text = "weight " + shape4(shape);
    b.out.layout_text = std::string("= ") + weight_layout_text(L);

    // Header: the shape, what each dimension is, and what one block is.
    float y = y0;
    sc.texts.push_back({x0, y, 16, b.theme.ink, b.out.weight_text, false});
    y += 20;
    sc.texts.push_back({x0, y, 12, b.theme.ink, b.out.layout_text, false});
    y += 16;
    const std::string slice = std::to_string(kH) + "x" + std::to_string(kW);
    const std::string block_text =
        bank.transposed ? std::to_string(bank.blocks) + " blocks (one per input channel), each " + std::to_string(bank.slices) + " x " + slice
                        : std::to_string(bank.blocks) + " filters (one per output channel), each " + std::to_string(bank.slices) + " x " + slice;
    sc.texts.push_back({x0, y, 12, b.theme.ink, block_text, false});
    y += 16;
    const std::string slice_text = bank.transposed ? "a " + slice + " slice per output channel it stamps on"
                                                   : "a " + slice + " slice per input channel it reads";
    sc.texts.push_back({x0, y, 12, b.theme.ink, slice_text, false});
    y += 16;
    if (b.groups > 1) {
        sc.texts.push_back({x0, y, 12, b.theme.ink,
                            "groups=" + std::to_string(b.groups) + (b.groups == b.cin ? " (depthwise)" : "") + ": " +
                                (bank.transposed ? "input channel" : "filter") +
                                " reads only its group's " + std::to_string(bank.Cgi) + " channel" +
                                (bank.Cgi > 1 ? "s" : "") + " (colours)",
                            false});
        y += 16;
        // One line per group in its colour: which input slabs, filters and output slabs belong together.
        if (b.groups <= 6) {
            auto range = [](const char* what, int64_t first, int64_t count) {
                return std::string(what) + (count == 1 ? " " + std::to_string(first)
                                                       : "s " + std::to_string(first) + "-" + std::to_string(first + count - 1));
            };
            for (int64_t g = 0; g < b.groups; ++g) {
                const Color gc = group_color(g, b.groups);
                sc.rects.push_back({x0, y + 2, 10, 10, gc, Color{0, 0, 0, 0}, 0, RectRole::Legend});
                sc.texts.push_back({x0 + 14, y, 12, b.theme.ink,
                                    "group " + std::to_string(g) + ": " + range("input", g * bank.Cgi, bank.Cgi) + " -> " +
                                        range(bank.transposed ? "block" : "filter", g * (bank.transposed ? bank.Cgi : bank.Cgo),
                                              bank.transposed ? bank.Cgi : bank.Cgo) +
                                        " -> " + range("output", g * bank.Cgo, bank.Cgo),
                                    false});
                y += 15;
            }
        }
    }
    y += 6;

    // Blocks in a grid; kernel cell size fitted to the space left.
    const int64_t drawn = std::min(bank.blocks, kMaxBlocksDrawn);
    const int64_t ncol = std::max<int64_t>(1, int64_t(std::ceil(std::sqrt(double(drawn)))));
    const int64_t nrow = (drawn + ncol - 1) / ncol;
    const float share = bank.slices <= 1 ? 0.0f : std::min(0.7f, 2.0f / float(bank.slices - 1));
    const float dx = b.ux, dy = b.uy;  // the stacks' depth direction
    const float depth_units = float(K) * share * float(bank.slices - 1);
    const float bw_units = float(kW) + depth_units * std::fabs(dx), bh_units = float(kH) + depth_units * std::fabs(dy);
    const float label_h = 14, gap = 10;
    // Under the grid, room for the active filter pulled out in front of the bank.
    const float pulled_room = std::min(150.0f, 0.3f * (y0 + h - y));
    float kc = std::min({(w - float(ncol) * gap) / (float(ncol) * bw_units),
                         (y0 + h - y - pulled_room - float(nrow) * (label_h + gap)) / (float(nrow) * bh_units), 16.0f});
    kc = std::max(kc, 1.5f);
    const float pitch_x = bw_units * kc + gap, pitch_y = bh_units * kc + label_h + gap;
    const int64_t active = b.out.active_output;
    const int64_t gi_active = active / bank.Cgo;
    for (int64_t i = 0; i < drawn; ++i) {
        StackGeometry s;
        s.count = bank.slices;
        s.rows = kH;
        s.cols = kW;
        s.cell = kc;
        s.step_x = float(K) * share * kc * dx;
        s.step_y = float(K) * share * kc * dy;
        s.place(x0 + float(i % ncol) * pitch_x, y + float(i / ncol) * pitch_y);
        const int64_t group = bank.group_of_block(i);
        const bool lit = bank.transposed ? group == gi_active : i == active;
        const Color gc = group_color(group, b.groups);
        b.out.filter_blocks.push_back(s.slab(0));
        b.out.filter_lit.push_back(lit);
        b.out.filter_colors.push_back(gc);
        box_edges(sc, s, b.theme.ink);
        for (int64_t j = bank.slices - 1; j >= 0; --j) {
            const GridPlacement g = s.slab(j);
            const auto [ci, co] = bank.channels(i, j);
            const bool slice_lit = lit && co == active;
            if (b.outline_faded_slices && !slice_lit && j > 0) {
                // On screen a faded filter's back slices are outlines: its shape reads
                // the same, and the rasterizer fills (and the scene uploads) less.
                outline_slab_behind(sc, g, s.slab(j - 1), gc, false);  // j > 0 here
                continue;
            }
            SceneHeatmap hm = slab_heatmap(b, g, RectRole::KernelCell, b.animation.layer_index(), ci, b.data.weight_lo, b.data.weight_hi, kKernelPlane);
            hm.filter = co;
            for (int64_t r = 0; r < kH; ++r)
                for (int64_t c = 0; c < kW; ++c) {
                    hm.values.push_back(float(tap_weight(L, b.engine.weights().weight, ci, co, r, c)));
                    hm.styles.push_back(slice_lit ? CellStyle::Value : CellStyle::FadedValue);
                }
            sc.heatmaps.push_back(std::move(hm));
            if (j > 0) outline_slab_behind(sc, g, s.slab(j - 1), gc, slice_lit);
            else outline_slab(sc, g, gc, slice_lit);
        }
        sc.texts.push_back({x0 + float(i % ncol) * pitch_x, y + float(i / ncol) * pitch_y + bh_units * kc + 2, 11,
                            lit ? b.theme.ink : with_alpha(b.theme.ink, 0.55f), (bank.transposed ? "in " : "f") + std::to_string(i), false});
    }
    float py = y + float(nrow) * pitch_y;
    if (drawn < bank.blocks) {
        sc.texts.push_back({x0, py, 12, b.theme.ink, "+ " + std::to_string(bank.blocks - drawn) + " more " + (bank.transposed ? "blocks" : "filters"),
                            false});
        py += 16;
    }

    // The weights of the step pulled out in front, larger: one slice per input channel the
    // output channel reads (conv2d: filter co; transposed: slice co of each block of its
    // group). The step's lines enter it and leave it, and pass no other filter.
    const int64_t g_active = active / bank.Cgo;
    const int64_t n = bank.Cgi;
    const float pshare = n <= 1 ? 0.0f : std::min(0.7f, 2.0f / float(n - 1));
    const float pdepth = float(K) * pshare * float(n - 1);
    const float pw_units = float(kW) + pdepth * std::fabs(dx), ph_units = float(kH) + pdepth * std::fabs(dy);
    const float pc = std::min({24.0f, (y0 + h - py - 22) / ph_units, 0.6f * w / pw_units});
    if (pc < 3) return;
    sc.texts.push_back({x0, py, 12, b.theme.ink,
                        bank.transposed ? "w[:, " + std::to_string(active - g_active * bank.Cgo) + ", :, :] of the group's blocks, for output " +
                                              std::to_string(active) + ":"
                                        : "filter f" + std::to_string(active) + " pulled out:",
                        false});
    py += 18;
    StackGeometry p;
    p.count = n;
    p.rows = kH;
    p.cols = kW;
    p.cell = pc;
    p.step_x = float(K) * pshare * pc * dx;
    p.step_y = float(K) * pshare * pc * dy;
    p.place(x0, py);
    b.pulled_entry.assign(std::size_t(b.cin), {-1.0f, 0.0f});
    const Color gc = group_color(g_active, b.groups);
    box_edges(sc, p, b.theme.ink);
    for (int64_t j = n - 1; j >= 0; --j) {
        const GridPlacement g = p.slab(j);
        const int64_t ci = g_active * bank.Cgi + j;
        SceneHeatmap hm = slab_heatmap(b, g, RectRole::Inset, b.animation.layer_index(), ci, b.data.weight_lo, b.data.weight_hi, kKernelPlane);
        hm.filter = active;
        for (int64_t r = 0; r < kH; ++r)
            for (int64_t c = 0; c < kW; ++c) {
                hm.values.push_back(float(tap_weight(L, b.engine.weights().weight, ci, active, r, c)));
                hm.styles.push_back(CellStyle::Value);
            }
        sc.heatmaps.push_back(std::move(hm));
        if (j > 0) outline_slab_behind(sc, g, p.slab(j - 1), gc, true);  // outlines are drawn over every fill
        else outline_slab(sc, g, gc, true);
        b.pulled_entry[std::size_t(ci)] = {g.x, g.y + g.cell * float(kH) / 2};
    }
    const GridPlacement front = p.slab(0);
    b.exit_x = front.x + front.cell * float(kW);
    b.exit_y = front.y + front.cell * float(kH) / 2;
    b.bus_x = x0 + w;
    b.pulled = true;
}

bool shuffles(const Layer& L) { return L.kind == LayerKind::PixelShuffle || L.kind == LayerKind::PixelUnshuffle; }

/// Largest shuffle factor whose r x r block is drawn cell by cell (r^2 labelled cells).
constexpr int64_t kMaxShuffleMapSide = 8;

/// In the bank's place for a pixel (un)shuffle, which has no weights: the index rule and
/// the r x r block of the active channel, each cell naming the channel that fills it
/// (PixelShuffle: out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w]) or takes it
/// (PixelUnshuffle: out[c*r*r + i*r + j, h, w] = in[c, h*r+i, w*r+j]).
void build_shuffle_map(Build& b, float x0, float y0, float w, float h) {
    Scene& sc = b.out.scene;
    const Layer& L = b.L;
    const bool up = L.kind == LayerKind::PixelShuffle;
    const int64_t r = L.shuffle_factor, r2 = r * r;
    const std::string rs = std::to_string(r), r2s = std::to_string(r2);
    float y = y0;
    auto line_of_text = [&](const std::string& t, float size) {
        sc.texts.push_back({x0, y, size, b.theme.ink, t, false});
        y += size + 4;
    };
    line_of_text(std::string(class_name(L.kind)) + "(" + rs + "): no weights, every value moves", 16);
    line_of_text(up ? "out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w]" : "out[c*r*r + i*r + j, h, w] = in[c, h*r+i, w*r+j]", 12);
    line_of_text(up ? "each output channel c takes " + r2s + " input channels," : "each input channel c gives " + r2s + " output channels,", 12);
    line_of_text(up ? "one per cell of every " + rs + "x" + rs + " block (colours: which feed which)"
                    : "one per cell of every " + rs + "x" + rs + " block (colours: which go where)", 12);
    const int64_t c = up ? b.out.active_output : b.out.active_output / r2;
    line_of_text(std::string(up ? "the block of output" : "the block of input") + " channel " + std::to_string(c) + ":", 12);
    line_of_text(up ? "cell (i, j) comes from input channel ..." : "cell (i, j) goes to output channel ...", 12);
    y += 6;
    const Color gc = group_color(c, b.groups);
    if (r > kMaxShuffleMapSide) {
        line_of_text(up ? "in " + std::to_string(c * r2) + " ... " + std::to_string(c * r2 + r2 - 1) + ", row by row"
                        : "out " + std::to_string(c * r2) + " ... " + std::to_string(c * r2 + r2 - 1) + ", row by row",
                     12);
        return;
    }
    const float cell = std::clamp(std::min(w, y0 + h - y - 8) / float(r), 8.0f, 64.0f);
    const GridPlacement g{x0 + (w - cell * float(r)) / 2, y, cell, r, r};
    b.out.shuffle_map = g;
    const float size = std::clamp(cell / 4, 7.0f, 13.0f);
    for (int64_t i = 0; i < r; ++i)
        for (int64_t j = 0; j < r; ++j) {
            const float cx = g.x + float(j) * cell, cy = g.y + float(i) * cell;
            sc.rects.push_back({cx, cy, cell, cell, with_alpha(gc, 0.12f), with_alpha(gc, 0.9f), 1.5f, RectRole::Marker});
            if (cell < 22) continue;
            sc.texts.push_back({cx + cell / 2, cy + cell / 2 - (cell >= 40 ? size * 0.6f : 0), size, b.theme.ink,
                                (up ? "in " : "out ") + std::to_string(c * r2 + i * r + j), true});
            if (cell >= 40)
                sc.texts.push_back({cx + cell / 2, cy + cell / 2 + size * 0.7f, size * 0.85f, with_alpha(b.theme.ink, 0.7f),
                                    "(" + std::to_string(i) + ", " + std::to_string(j) + ")", true});
        }
}

/// A pixel (un)shuffle's step: the value moved lit on its source slab, in the r x r block
/// of the map and on its destination cell, joined by a line through the map; the strip
/// magnifies the r^2 channels' cells at (h, w) and the r x r block they form. Returns the
/// caption: the index rule with the step's numbers.
std::string shuffle_step(Build& b, const Color& focus, const Color& accent, const Color& line, float strip_y, float strip_h, float& strip_x) {
    ChannelsScene& out = b.out;
    Scene& sc = out.scene;
    const Layer& L = b.L;
    const bool up = L.kind == LayerKind::PixelShuffle;
    const int64_t r = L.shuffle_factor, r2 = r * r, co = out.active_output;
    const GatherStep s = b.engine.gather_step(b.current);
    const GatherTap& t = s.taps.front();
    out.move = {t.in_channel, t.src_y, t.src_x, co, s.out_y, s.out_x};
    // The rule's names: c the channel on the space side, (h, w) the block, (i, j) the cell in it.
    const int64_t c = up ? co : t.in_channel;
    const int64_t h = up ? s.out_y / r : s.out_y, w = up ? s.out_x / r : s.out_x;
    const int64_t i = up ? s.out_y % r : (co % r2) / r, j = up ? s.out_x % r : co % r;

    const GridPlacement& src = out.input_slabs[std::size_t(t.in_channel)];
    const GridPlacement& dst = out.output_slabs[std::size_t(co)];
    light(b, src, t.src_y, t.src_x, accent);
    ++out.lit_taps;
    light(b, dst, s.out_y, s.out_x, focus);
    const GridPlacement& space = up ? dst : src;  // the slab holding the r x r block
    sc.rects.push_back({space.x + float(w * r) * space.cell, space.y + float(h * r) * space.cell, float(r) * space.cell, float(r) * space.cell,
                        Color{0, 0, 0, 0}, accent, 1.5f, RectRole::Window});
    const auto [sx, sy] = centre(src, float(t.src_y), float(t.src_x));
    const auto [dx, dy] = centre(dst, float(s.out_y), float(s.out_x));
    const GridPlacement& map = out.shuffle_map;
    if (map.rows > 0) {
        // Through the map's cell (i, j): in at its left side, out at its right, clear of its label.
        const float my = map.y + (float(i) + 0.5f) * map.cell;
        sc.rects.push_back({map.x + float(j) * map.cell, map.y + float(i) * map.cell, map.cell, map.cell, with_alpha(accent, 0.35f), accent, 2.5f,
                            RectRole::Highlight});
        sc.lines.push_back({sx, sy, map.x + float(j) * map.cell, my, line, 1.4f});
        sc.lines.push_back({map.x + float(j + 1) * map.cell, my, dx, dy, line, 1.4f});
    } else {
        sc.lines.push_back({sx, sy, dx, dy, line, 1.4f});
    }

    auto S = [](int64_t v) { return std::to_string(v); };
    const std::string hi = S(h) + "*" + S(r) + "+" + S(i), wj = S(w) + "*" + S(r) + "+" + S(j);
    const std::string channel = S(c) + "*" + S(r) + "*" + S(r) + " + " + S(i) + "*" + S(r) + " + " + S(j);
    const std::string caption =
        up ? "out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w]:  out[" + S(c) + ", " + S(s.out_y) + ", " + S(s.out_x) + "] = out[" + S(c) + ", " + hi +
                 ", " + wj + "] = in[" + channel + ", " + S(h) + ", " + S(w) + "] = in[" + S(t.in_channel) + ", " + S(h) + ", " + S(w) +
                 "] = " + number_text(s.result)
           : "out[c*r*r + i*r + j, h, w] = in[c, h*r+i, w*r+j]:  out[" + S(co) + ", " + S(h) + ", " + S(w) + "] = out[" + channel + ", " + S(h) +
                 ", " + S(w) + "] = in[" + S(c) + ", " + hi + ", " + wj + "] = in[" + S(c) + ", " + S(t.src_y) + ", " + S(t.src_x) +
                 "] = " + number_text(s.result);
    if (r > kMaxShuffleMapSide) return caption;

    // The strip: the channel side (r^2 cells at (h, w), one per channel) and the space
    // side (the r x r block), in the order the values move.
    const float m = std::clamp((strip_h - 44) / float(r), 8.0f, 36.0f);
    const float y0 = strip_y + 18;
    const Tensor4& x = b.engine.input();
    const int64_t Wo = int64_t(b.data.output.shape()[3]);
    auto text = [&](float tx, float ty, const std::string& t2, float size) { sc.texts.push_back({tx, ty, size, b.theme.ink, t2, false}); };
    text(strip_x, strip_y,
         up ? "magnified: cell (" + S(h) + ", " + S(w) + ") of input channels " + S(c * r2) + "-" + S(c * r2 + r2 - 1) + " becomes block (" + S(h) +
                  ", " + S(w) + ") of output channel " + S(c)
            : "magnified: block (" + S(h) + ", " + S(w) + ") of input channel " + S(c) + " becomes cell (" + S(h) + ", " + S(w) +
                  ") of output channels " + S(c * r2) + "-" + S(c * r2 + r2 - 1),
         12);
    auto channel_side = [&]() {
        const float pitch = std::max(m, 40.0f) + 6;
        for (int64_t q = 0; q < r2; ++q) {
            const int64_t ch = c * r2 + q;
            const GridPlacement g{strip_x + (pitch - m) / 2, y0 + (float(r) - 1) * m / 2, m, 1, 1};
            SceneHeatmap hm = slab_heatmap(b, g, RectRole::Inset, b.animation.layer_index() + (up ? 0 : 1), ch,
                                           up ? b.data.input_lo : b.data.output_lo, up ? b.data.input_hi : b.data.output_hi, up ? kInputPlane : kOutputPlane);
            hm.row0 = h;
            hm.col0 = w;
            const bool known = up || ch < co || (ch == co && h * Wo + w <= b.current);
            hm.values.push_back(up ? float(x(b.engine.batch(), ch, h, w)) : float(b.data.output(0, ch, h, w)));
            hm.styles.push_back(known ? CellStyle::Value : CellStyle::Empty);
            sc.heatmaps.push_back(std::move(hm));
            outline_slab(sc, g, up ? out.input_colors[std::size_t(ch)] : out.output_colors[std::size_t(ch)], q == i * r + j);
            if (q == i * r + j) light(b, g, 0, 0, up ? accent : focus);
            sc.texts.push_back({strip_x + pitch / 2, g.y + m + 10, 11, b.theme.ink, (up ? "in " : "out ") + S(ch), true});
            strip_x += pitch;
        }
    };
    auto space_side = [&]() {
        const GridPlacement g{strip_x, y0, m, r, r};
        SceneHeatmap hm = slab_heatmap(b, g, RectRole::Inset, b.animation.layer_index() + (up ? 1 : 0), c, up ? b.data.output_lo : b.data.input_lo,
                                       up ? b.data.output_hi : b.data.input_hi, up ? kOutputPlane : kInputPlane);
        hm.row0 = h * r;
        hm.col0 = w * r;
        hm.grid = with_alpha(b.theme.ink, 0.3f);
        for (int64_t a = 0; a < r; ++a)
            for (int64_t e = 0; e < r; ++e) {
                const int64_t yy = h * r + a, xx = w * r + e;
                hm.values.push_back(up ? float(b.data.output(0, c, yy, xx)) : float(x(b.engine.batch(), c, yy, xx)));
                hm.styles.push_back(!up || yy * Wo + xx <= b.current ? CellStyle::Value : CellStyle::Empty);
            }
        sc.heatmaps.push_back(std::move(hm));
        outline_slab(sc, g, group_color(c, b.groups), true);
        light(b, g, i, j, up ? focus : accent);
        strip_x += float(r) * m + 10;
    };
    auto arrow = [&]() {
        text(strip_x + 4, y0 + float(r) * m / 2 - 10, "->", 18);
        strip_x += 34;
    };
    if (up) {
        channel_side();
        arrow();
        space_side();
    } else {
        space_side();
        arrow();
        channel_side();
    }
    return caption;
}

}  // namespace

Color group_color(int64_t group, int64_t groups) {
    // Tableau 10 (distinct, colour-blind aware); beyond ten groups, hues around the wheel.
    static const Color k[10] = {{0.12f, 0.47f, 0.71f, 1}, {0.84f, 0.15f, 0.16f, 1}, {0.17f, 0.63f, 0.17f, 1}, {0.58f, 0.40f, 0.74f, 1},
                                {1.00f, 0.50f, 0.05f, 1}, {0.55f, 0.34f, 0.29f, 1}, {0.89f, 0.47f, 0.76f, 1}, {0.50f, 0.50f, 0.50f, 1},
                                {0.74f, 0.74f, 0.13f, 1}, {0.09f, 0.75f, 0.81f, 1}};
    if (groups <= 1) return k[0];
    if (groups <= 10) return k[group % 10];
    const float hue = 6.0f * float(group % groups) / float(groups);
    const int sector = int(hue) % 6;
    const float f = hue - std::floor(hue), v = 0.8f, s = 0.75f;
    const float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    switch (sector) {
        case 0: return {v, t, p, 1};
        case 1: return {q, v, p, 1};
        case 2: return {p, v, t, 1};
        case 3: return {p, q, v, 1};
        case 4: return {t, p, v, 1};
        default: return {v, p, q, 1};
    }
}

bool channel_reads(const Layer& L, int64_t ci, int64_t co) {
    const int64_t r2 = L.shuffle_factor * L.shuffle_factor;
    if (L.kind == LayerKind::PixelShuffle) return ci / r2 == co;    // in[c*r^2 .. c*r^2 + r^2 - 1] -> out[c]
    if (L.kind == LayerKind::PixelUnshuffle) return co / r2 == ci;  // in[c] -> out[c*r^2 .. c*r^2 + r^2 - 1]
    if (!L.is_conv()) return ci == co;
    return same_group(L, ci, co);
}

ChannelsData::ChannelsData(const Animation& animation) {
    const StepEngine& e = animation.engine();
    const Layer& L = e.layer();
    // Without weights, the view draws each output channel from its own input channel
    // (pools, resampling, activations), or for a shuffle from its r^2 input channels.
    output = apply_layer(e.input(), e.weights(), L);
    auto range = [](const Tensor4& t, float& lo, float& hi) {
        if (t.size() == 0) return;
        const auto [a, b] = std::minmax_element(t.begin(), t.end());
        lo = float(*a);
        hi = float(*b);
    };
    range(e.input(), input_lo, input_hi);
    range(output, output_lo, output_hi);
    if (e.layer().is_conv()) range(e.weights().weight, weight_lo, weight_hi);
}

ChannelsScene build_channels_scene(const Animation& animation, const ChannelsData& data, int64_t frame, const SceneOptions& opt,
                                   const ChannelsProjection& projection) {
    const FramePosition pos = animation.timeline().at(frame);
    const StepEngine& engine = animation.engine_for(pos.channel);
    Build b(animation, data, opt, engine);
    const Layer& L = b.L;
    b.schematic = opt.style == SceneStyle::Schematic;
    b.pos = pos;
    b.cin = int64_t(engine.input().shape()[1]);
    b.cout = int64_t(data.output.shape()[1]);
    b.groups = L.is_conv() ? L.groups : std::min(b.cin, b.cout);  // a shuffle: C groups of r^2 channels on one side
    const bool scatter = engine.is_scatter();
    b.current = pos.shown_step >= 0 ? pos.shown_step : pos.extra_taps > 0 || pos.steps_done == 0 ? pos.steps_done : pos.steps_done - 1;
    if (b.current >= engine.step_count()) b.current = -1;
    b.taps_shown = pos.extra_taps > 0 && pos.shown_step < 0 ? pos.extra_taps : engine.taps_per_step();
    ChannelsScene& out = b.out;
    Scene& sc = out.scene;
    sc.background = b.theme.background;
    sc.width = opt.width;
    sc.height = opt.height;
    out.active_output = engine.out_channel();

    const Tensor4& x = engine.input();
    const int64_t Hi = int64_t(x.shape()[2]), Wi = int64_t(x.shape()[3]);
    const int64_t Ho = int64_t(data.output.shape()[2]), Wo = int64_t(data.output.shape()[3]);
    const int64_t co = out.active_output;

    // Caption.
    const float margin = 16;
    float top = 8;
    sc.texts.push_back({margin, top, 18, b.theme.ink,
                        "Channels: " + layer_caption(L, engine.geometry()) + ", input " + std::to_string(b.cin) + "x" + std::to_string(Hi) +
                            "x" + std::to_string(Wi) + " -> output " + std::to_string(b.cout) + "x" + std::to_string(Ho) + "x" +
                            std::to_string(Wo),
                        false});
    top += 24;
    if (!opt.code_line.empty()) {
        sc.texts.push_back({margin, top, 13, with_alpha(b.theme.ink, 0.75f), opt.code_line, false});
        top += 22;
    }
    const std::size_t arithmetic_text = sc.texts.size();
    if (opt.show_arithmetic) {
        sc.texts.push_back({margin, top, 14, b.theme.ink, "", false});
        top += 22;
    }
    top += 8;

    // Space: the strip of magnified taps below, the three stacks above it.
    const float ang = std::clamp(projection.angle_deg, kChannelsMinAngle, kChannelsMaxAngle) * 3.14159265f / 180.0f;
    const float depth = std::clamp(projection.depth, kChannelsMinDepth, kChannelsMaxDepth);
    const float ux = std::cos(ang), uy = -std::sin(ang);
    b.ux = ux;
    b.outline_faded_slices = projection.cull_hidden_cells;
    b.uy = uy;
    const float strip_h = std::clamp(0.26f * opt.height, 90.0f, 190.0f);
    const float label_h = 38, gap = 56;
    float band_h = std::max(60.0f, opt.height - top - strip_h - label_h);
    const float bank_w = std::clamp(0.25f * opt.width, 190.0f, 340.0f);
    // One cell size for the input and the output stacks (a map that doubles looks doubled).
    const StackGeometry unit_in = stack_geometry(b.cin, Hi, Wi, 1, ux, uy, depth), unit_out = stack_geometry(b.cout, Ho, Wo, 1, ux, uy, depth);
    const float cell = std::max(0.5f, std::min({(opt.width - 2 * margin - bank_w - 2 * gap) / (unit_in.width() + unit_out.width()),
                                                band_h / std::max(unit_in.height(), unit_out.height()), 40.0f}));
    StackGeometry in = stack_geometry(b.cin, Hi, Wi, cell, ux, uy, depth), outs = stack_geometry(b.cout, Ho, Wo, cell, ux, uy, depth);
    // The band only as tall as the stacks (or the bank's minimum), the strip right under it.
    band_h = std::min(band_h, std::max({in.height(), outs.height(), 300.0f}));
    const float band_top = top;
    in.place(margin, band_top + (band_h - in.height()) / 2);
    const float bank_x = margin + in.width() + gap;
    outs.place(bank_x + bank_w + gap, band_top + (band_h - outs.height()) / 2);
    for (int64_t k = 0; k < b.cin; ++k) out.input_slabs.push_back(in.slab(k));
    for (int64_t k = 0; k < b.cout; ++k) out.output_slabs.push_back(outs.slab(k));

    // Which slabs the current step reads and writes, and their group colours.
    const int64_t Cgi = std::max<int64_t>(1, b.cin / b.groups), Cgo = std::max<int64_t>(1, b.cout / b.groups);
    for (int64_t k = 0; k < b.cin; ++k) {
        out.input_lit.push_back(channel_reads(L, k, co));
        out.input_colors.push_back(group_color(k / Cgi, b.groups));
    }
    for (int64_t k = 0; k < b.cout; ++k) {
        out.output_lit.push_back(k == co);
        out.output_colors.push_back(group_color(k / Cgo, b.groups));
    }

    // The input stack: the slabs the filter does not read, faded, back to front; then the
    // ones it reads at full strength, in front of them (groups: its group's slabs).
    box_edges(sc, in, b.theme.ink);
    std::vector<int64_t> input_order;
    for (const bool lit : {false, true})
        for (int64_t k = b.cin - 1; k >= 0; --k)
            if (out.input_lit[std::size_t(k)] == lit) input_order.push_back(k);
    for (const int64_t k : input_order) {
        // Slab k - 1 is drawn over slab k unless k is read and k - 1 is not.
        const bool covered = projection.cull_hidden_cells && k > 0 && !(out.input_lit[std::size_t(k)] && !out.input_lit[std::size_t(k - 1)]);
        const GridPlacement g = in.slab(k);
        SceneHeatmap h = slab_heatmap(b, g, RectRole::InputCell, animation.layer_index(), k, data.input_lo, data.input_hi, kInputPlane);
        const CellStyle style = out.input_lit[std::size_t(k)] ? CellStyle::Value : CellStyle::FadedValue;
        for (int64_t r = 0; r < Hi; ++r)
            for (int64_t c = 0; c < Wi; ++c) {
                h.values.push_back(float(x(engine.batch(), k, r, c)));
                h.styles.push_back(style);
            }
        if (covered) {
            int64_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;
            hidden_by_front(in, r0, r1, c0, c1);
            push_visible_parts(sc, std::move(h), r0, r1, c0, c1);
        } else {
            sc.heatmaps.push_back(std::move(h));
        }
        // Slab k - 1 in front of it (drawn over it, see `covered`): only its visible edges.
        if (k > 0 && !(out.input_lit[std::size_t(k)] && !out.input_lit[std::size_t(k - 1)]))
            outline_slab_behind(sc, g, in.slab(k - 1), out.input_colors[std::size_t(k)], out.input_lit[std::size_t(k)]);
        else
            outline_slab(sc, g, out.input_colors[std::size_t(k)], out.input_lit[std::size_t(k)]);
    }

    // The output stack: finished channels hold their values, the one being computed its
    // partial output; it is drawn last, in front, the others faded behind it.
    const bool channel_steps = animation.timeline().granularity == Granularity::Channel;
    const Plane partial = engine.partial_output(pos.steps_done, pos.extra_taps);
    const CountPlane landed = scatter ? engine.landed_counts(pos.steps_done) : CountPlane{};
    box_edges(sc, outs, b.theme.ink);
    auto output_slab = [&](int64_t k) {
        const GridPlacement g = outs.slab(k);
        SceneHeatmap h = slab_heatmap(b, g, RectRole::OutputCell, animation.layer_index() + 1, k, data.output_lo, data.output_hi, kOutputPlane);
        const bool active = k == co, done = k < co || (channel_steps && k <= pos.channel);
        const bool covered = projection.cull_hidden_cells && k > 0 && !active;  // slab k - 1 is drawn after it (the active one last)
        if (projection.cull_hidden_cells && !active && !done) {
            // On screen a channel not computed yet is its outline: nothing to show inside,
            // and filling 15 empty slabs would cost the rasterizer a stack of pixels.
            if (k > 0) outline_slab_behind(sc, g, outs.slab(k - 1), with_alpha(out.output_colors[std::size_t(k)], 0.6f), false);
            else outline_slab(sc, g, with_alpha(out.output_colors[std::size_t(k)], 0.6f), false);
            return;
        }
        for (int64_t r = 0; r < Ho; ++r)
            for (int64_t c = 0; c < Wo; ++c) {
                const int64_t i = r * Wo + c;
                if (active) {
                    const bool known = scatter ? landed.data()[i] > 0 : i < pos.steps_done;
                    h.values.push_back(float(partial(r, c)));
                    h.styles.push_back(known ? CellStyle::Value : CellStyle::Empty);
                } else {
                    h.values.push_back(float(data.output(0, k, r, c)));
                    h.styles.push_back(done ? CellStyle::FadedValue : CellStyle::Empty);
                }
            }
        if (!active) h.empty = Color{b.theme.empty.r + 0.6f * (b.theme.background.r - b.theme.empty.r),
                                     b.theme.empty.g + 0.6f * (b.theme.background.g - b.theme.empty.g),
                                     b.theme.empty.b + 0.6f * (b.theme.background.b - b.theme.empty.b), 1};
        if (covered) {
            int64_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;
            hidden_by_front(outs, r0, r1, c0, c1);
            push_visible_parts(sc, std::move(h), r0, r1, c0, c1);
        } else {
            sc.heatmaps.push_back(std::move(h));
        }
        if (k > 0 && !active) outline_slab_behind(sc, g, outs.slab(k - 1), out.output_colors[std::size_t(k)], active);
        else outline_slab(sc, g, out.output_colors[std::size_t(k)], active);
    };
    for (int64_t k = b.cout - 1; k >= 0; --k)
        if (k != co) output_slab(k);
    output_slab(co);

    // Labels under the stacks and on the slabs.
    const float labels_y = band_top + band_h + 6;
    sc.texts.push_back({margin, labels_y, 14, b.theme.ink,
                        "input: " + std::to_string(b.cin) + " channel" + (b.cin > 1 ? "s" : "") + " of " + std::to_string(Hi) + "x" + std::to_string(Wi),
                        false});
    sc.texts.push_back({outs.slab(0).x, labels_y, 14, b.theme.ink,
                        "output: " + std::to_string(b.cout) + " channel" + (b.cout > 1 ? "s" : "") + " of " + std::to_string(Ho) + "x" + std::to_string(Wo),
                        false});
    // A slab's name at its top-right corner, unless a slab drawn in front covers the spot.
    auto slab_labels = [&](const StackGeometry& s, const std::vector<bool>& front) {
        const bool room = std::hypot(s.step_x, s.step_y) >= 18;
        const auto lit = std::count(front.begin(), front.end(), true);  // many lit slabs packed tight: name only the ends
        for (int64_t k = 0; k < s.count; ++k) {
            const bool active = front[std::size_t(k)];
            if (!room && k != 0 && k != s.count - 1 && !(active && lit <= 3)) continue;
            const GridPlacement g = s.slab(k);
            const float lx = g.x + g.cell * float(g.cols) + 3, ly = g.y - (uy < 0 ? 2.0f : -2.0f);
            bool covered = false;
            for (int64_t j = 0; j < s.count && !active; ++j)
                if (front[std::size_t(j)] && j != k) covered = covered || s.slab(j).contains(lx, ly + 6);
            if (covered) continue;
            sc.texts.push_back({lx, ly, 11, active ? b.theme.ink : with_alpha(b.theme.ink, 0.6f), "c" + std::to_string(k), false});
        }
    };
    slab_labels(in, out.input_lit);
    slab_labels(outs, out.output_lit);

    // The bank between them.
    if (shuffles(L))
        build_shuffle_map(b, bank_x, band_top, bank_w, band_h + label_h - 6);
    else
        build_bank(b, bank_x, band_top, bank_w, band_h + label_h - 6);

    // The current step through the whole tensor.
    const GridPlacement& out_slab = out.output_slabs[std::size_t(co)];
    const Color focus = b.theme.focus, accent = b.theme.accent;
    const Color line = Color{accent.r * 0.8f, accent.g * 0.8f, accent.b * 0.8f, 0.9f};
    std::string arithmetic;
    // The magnified strip: per input channel, its taps and the kernel slice.
    const float strip_y = band_top + band_h + label_h;
    float strip_x = margin;
    const float strip_cell_max = 18;
    auto strip_text = [&](float xx, float yy, const std::string& t, float size = 13) { sc.texts.push_back({xx, yy, size, b.theme.ink, t, false}); };

    if (b.current >= 0 && shuffles(L)) {
        arithmetic = shuffle_step(b, focus, accent, line, strip_y, strip_h, strip_x);
    } else if (b.current >= 0 && !scatter) {
        const GatherStep s = engine.gather_step(b.current);
        light(b, out_slab, s.out_y, s.out_x, focus);
        const auto [ox, oy] = centre(out_slab, float(s.out_y), float(s.out_x));
        // Per channel: the window (the whole dilated kernel's footprint), the taps done, the partial sum.
        std::vector<int64_t> channels;
        std::vector<double> partial_sums;
        std::vector<int64_t> taps_per_channel;
        int64_t wy0 = INT64_MAX, wx0 = INT64_MAX, wy1 = INT64_MIN, wx1 = INT64_MIN;
        const int64_t pad_top = engine.grid_pad_top(), pad_left = engine.grid_pad_left();
        for (const GatherTap& t : s.taps) {
            wy0 = std::min(wy0, t.grid_y - pad_top);
            wx0 = std::min(wx0, t.grid_x - pad_left);
            wy1 = std::max(wy1, t.grid_y - pad_top);
            wx1 = std::max(wx1, t.grid_x - pad_left);
        }
        for (int64_t i = 0; i < int64_t(s.taps.size()); ++i) {
            const GatherTap& t = s.taps[std::size_t(i)];
            if (channels.empty() || channels.back() != t.in_channel) {
                channels.push_back(t.in_channel);
                partial_sums.push_back(0);
                taps_per_channel.push_back(0);
            }
            if (i >= b.taps_shown) continue;
            partial_sums.back() += t.product;
            ++taps_per_channel.back();
            const GridPlacement& g = out.input_slabs[std::size_t(t.in_channel)];
            // Padding taps sit outside the slab, on the padding ring; they read zeros.
            light(b, g, t.grid_y - pad_top, t.grid_x - pad_left, accent, t.src_y < 0);
            ++out.lit_taps;
        }
        // The block sliding through the stack: its footprint on every slab it reads,
        // the footprints joined, a line from each to the output cell.
        const GridPlacement* prev = nullptr;
        for (std::size_t k = 0; k < channels.size(); ++k) {
            const GridPlacement& g = out.input_slabs[std::size_t(channels[k])];
            const float fx = g.x + float(wx0) * g.cell, fy = g.y + float(wy0) * g.cell;
            const float fw = float(wx1 - wx0 + 1) * g.cell, fh = float(wy1 - wy0 + 1) * g.cell;
            sc.rects.push_back({fx, fy, fw, fh, Color{0, 0, 0, 0}, accent, 1.5f, RectRole::Window});
            if (prev) {
                const float px = prev->x + float(wx0) * prev->cell, py = prev->y + float(wy0) * prev->cell;
                for (const auto& [cx, cy] : {std::pair<float, float>{0, 0}, {fw, 0}, {0, fh}, {fw, fh}})
                    sc.lines.push_back({px + cx, py + cy, fx + cx, fy + cy, with_alpha(accent, 0.7f), 1.2f});
            }
            prev = &g;
            if (taps_per_channel[k] > 0) line_into_filter(b, fx + fw / 2, fy + fh / 2, channels[k], ox, oy, line, 1.4f);
        }
        if (b.taps_shown > 0) line_out_of_filter(b, ox, oy, line, 1.4f);
        // The sum, channel by channel.
        int64_t products = 0;
        double sum = s.bias;
        for (std::size_t k = 0; k < channels.size(); ++k) {
            products += taps_per_channel[k];
            sum += partial_sums[k];
        }
        const int64_t nch = int64_t(channels.size());
        const int64_t kk = L.kernel.h * L.kernel.w;
        if (!L.is_conv()) {
            const std::string how = L.kind == LayerKind::MaxPool2d ? "the maximum of " : L.kind == LayerKind::AvgPool2d ? "the mean of " : "computed from ";
            arithmetic = "output channel " + std::to_string(co) + ", cell " + at(s.out_y, s.out_x) + " = " + how + std::to_string(s.taps.size()) +
                         " tap" + (s.taps.size() == 1 ? "" : "s") + " of input channel " + std::to_string(co) +
                         " (this layer reads one channel) = " + number_text(s.result);
        } else if (b.taps_shown < engine.taps_per_step()) {
            const GatherTap& t = s.taps[std::size_t(b.taps_shown - 1)];
            arithmetic = "output channel " + std::to_string(co) + ", cell " + at(s.out_y, s.out_x) + ", tap " + std::to_string(b.taps_shown) + "/" +
                         std::to_string(s.taps.size()) + ": x[c=" + std::to_string(t.in_channel) + "]" + at(t.grid_y - pad_top, t.grid_x - pad_left) +
                         " = " + number_text(t.value) + "  x  w[" + std::to_string(co) + ", " + std::to_string(t.in_channel - (co / Cgo) * Cgi) + ", " +
                         std::to_string(t.ky) + ", " + std::to_string(t.kx) + "] = " + number_text(t.weight) + "  ->  " + number_text(t.product) +
                         ";  running sum " + number_text(s.bias + t.running_sum);
        } else {
            arithmetic = "output channel " + std::to_string(co) + ", cell " + at(s.out_y, s.out_x) + " = bias " + number_text(s.bias) + " + " +
                         std::to_string(products) + " products over " + std::to_string(nch) + " input channel" + (nch > 1 ? "s" : "") + " (" +
                         std::to_string(nch) + " x " + std::to_string(kk) + " taps):";
            for (std::size_t k = 0; k < channels.size() && k < 8; ++k)
                arithmetic += (k ? " + " : " ") + std::string("c") + std::to_string(channels[k]) + " " + number_text(partial_sums[k]);
            if (channels.size() > 8) arithmetic += " + ...";
            arithmetic += " = " + number_text(sum);
        }

        // The strip: each channel's window magnified (one margin cell around the
        // footprint), x its kernel slice, + ... = the output cell.
        const int64_t eh = wy1 - wy0 + 3, ew = wx1 - wx0 + 3;
        const int64_t shown = std::min<int64_t>(nch, kMaxStripChannels);
        const float unit_cells = float(ew + (L.is_conv() ? L.kernel.w : 0)) ;
        const float m = std::max(3.0f, std::min({strip_cell_max, (strip_h - 40) / float(std::max(eh, L.kernel.h)),
                                                 (opt.width - 2 * margin - float(shown) * 70 - 120) / (float(shown) * unit_cells)}));
        const float sy0 = strip_y + 18;
        strip_text(margin, strip_y, "magnified: the taps on each input channel the filter reads" + std::string(L.is_conv() ? ", times its slice" : ""), 12);
        for (int64_t k = 0; k < shown; ++k) {
            const int64_t ch = channels[std::size_t(k)];
            const GridPlacement wg{strip_x, sy0, m, eh, ew};
            SceneHeatmap h = slab_heatmap(b, wg, RectRole::Inset, animation.layer_index(), ch, data.input_lo, data.input_hi, kInputPlane);
            h.row0 = wy0 - 1;
            h.col0 = wx0 - 1;
            h.grid = with_alpha(b.theme.ink, 0.3f);
            for (int64_t r = 0; r < eh; ++r)
                for (int64_t c = 0; c < ew; ++c) {
                    const int64_t yy = wy0 - 1 + r, xx = wx0 - 1 + c;
                    const bool real = yy >= 0 && xx >= 0 && yy < Hi && xx < Wi;
                    h.values.push_back(real ? float(x(engine.batch(), ch, yy, xx)) : 0.0f);
                    h.styles.push_back(real ? CellStyle::Value : CellStyle::Padding);
                }
            sc.heatmaps.push_back(std::move(h));
            for (int64_t r = 0; r < eh; ++r)
                for (int64_t c = 0; c < ew; ++c) {
                    const int64_t yy = wy0 - 1 + r, xx = wx0 - 1 + c;
                    if (!(yy >= 0 && xx >= 0 && yy < Hi && xx < Wi))
                        sc.rects.push_back({strip_x + float(c) * m, sy0 + float(r) * m, m, m, Color{0, 0, 0, 0}, with_alpha(b.theme.ink, 0.5f), 1,
                                            RectRole::Marker, 2});
                }
            int64_t lit = 0;
            for (int64_t i = 0; i < b.taps_shown && i < int64_t(s.taps.size()); ++i) {
                const GatherTap& t = s.taps[std::size_t(i)];
                if (t.in_channel != ch) continue;
                light(b, wg, t.grid_y - pad_top - (wy0 - 1), t.grid_x - pad_left - (wx0 - 1), accent, t.src_y < 0);
                ++lit;
            }
            outline_slab(sc, wg, out.input_colors[std::size_t(ch)], true);
            strip_text(strip_x, sy0 + float(eh) * m + 4, "c" + std::to_string(ch) + ": " + std::to_string(lit) + " taps", 12);
            strip_x += float(ew) * m + 8;
            if (L.is_conv()) {
                strip_text(strip_x, sy0 + float(eh) * m / 2 - 9, "x", 16);
                strip_x += 16;
                const GridPlacement kg{strip_x, sy0 + (float(eh) - float(L.kernel.h)) * m / 2, m, L.kernel.h, L.kernel.w};
                SceneHeatmap kh = slab_heatmap(b, kg, RectRole::Inset, animation.layer_index(), ch, data.weight_lo, data.weight_hi, kKernelPlane);
                kh.filter = co;
                kh.grid = with_alpha(b.theme.ink, 0.3f);
                for (int64_t r = 0; r < L.kernel.h; ++r)
                    for (int64_t c = 0; c < L.kernel.w; ++c) {
                        kh.values.push_back(float(tap_weight(L, engine.weights().weight, ch, co, r, c)));
                        kh.styles.push_back(CellStyle::Value);
                    }
                sc.heatmaps.push_back(std::move(kh));
                outline_slab(sc, kg, out.input_colors[std::size_t(ch)], true);
                strip_text(strip_x, sy0 + float(eh) * m + 4, "= " + number_text(partial_sums[std::size_t(k)]), 12);
                strip_x += float(L.kernel.w) * m + 8;
            }
            if (k + 1 < shown) {
                strip_text(strip_x + 2, sy0 + float(eh) * m / 2 - 10, "+", 18);
                strip_x += 22;
            }
        }
        if (shown < nch) {
            strip_text(strip_x + 4, sy0 + float(eh) * m / 2 - 8, "+ " + std::to_string(nch - shown) + " more channels", 13);
            strip_x += 150;
        }
        if (L.is_conv()) {
            strip_text(strip_x + 6, sy0 + float(eh) * m / 2 - 10, "+ bias =", 16);
            strip_x += 76;
            sc.rects.push_back({strip_x, sy0 + (float(eh) - 1) * m / 2, m, m, focus, Color{0, 0, 0, 0}, 0, RectRole::Highlight});
            const bool partial_sum = products < int64_t(s.taps.size());  // tap by tap: the sum so far
            strip_text(strip_x + m + 6, sy0 + float(eh) * m / 2 - 8,
                       number_text(sum) + "  (output c" + std::to_string(co) + " " + at(s.out_y, s.out_x) +
                           (partial_sum ? ", running sum after " + std::to_string(products) + " of " + std::to_string(s.taps.size()) + " taps)" : ")"),
                       13);
            strip_x += m + 200;
        }
    } else if (b.current >= 0) {
        // Scatter: one input cell of every slab in the group stamps its value times the
        // block's slice for this output channel onto the output slab.
        const ScatterStep s = engine.scatter_step(b.current);
        std::vector<int64_t> channels;
        int64_t landed_taps = 0;
        int64_t oy0 = INT64_MAX, ox0 = INT64_MAX, oy1 = INT64_MIN, ox1 = INT64_MIN;
        for (int64_t i = 0; i < int64_t(s.taps.size()) && i < b.taps_shown; ++i) {
            const ScatterTap& t = s.taps[std::size_t(i)];
            if (channels.empty() || channels.back() != t.in_channel) channels.push_back(t.in_channel);
            if (!t.inside) continue;
            ++landed_taps;
            light(b, out_slab, t.out_y, t.out_x, accent);
            oy0 = std::min(oy0, t.out_y);
            ox0 = std::min(ox0, t.out_x);
            oy1 = std::max(oy1, t.out_y);
            ox1 = std::max(ox1, t.out_x);
        }
        const bool any = oy0 <= oy1;
        const auto [tx, ty] = any ? centre(out_slab, float(oy0 + oy1) / 2, float(ox0 + ox1) / 2) : centre(out_slab, 0, 0);
        for (int64_t ch : channels) {
            const GridPlacement& g = out.input_slabs[std::size_t(ch)];
            light(b, g, s.in_y, s.in_x, focus);
            ++out.lit_taps;
            const auto [ix, iy] = centre(g, float(s.in_y), float(s.in_x));
            if (any) line_into_filter(b, ix, iy, ch, tx, ty, line, 1.3f);
        }
        if (any) line_out_of_filter(b, tx, ty, line, 1.3f);
        const int64_t nch = int64_t(channels.size());
        arithmetic = "input cell " + at(s.in_y, s.in_x) + " of " + std::to_string(nch) + " input channel" + (nch > 1 ? "s" : "") + ", each x its block's slice w[c, " +
                     std::to_string(co - (co / Cgo) * Cgo) + ", :, :], stamps " + std::to_string(int64_t(s.taps.size())) + " products onto output channel " +
                     std::to_string(co) + " (" + std::to_string(landed_taps) + " land inside); every input slab stamps onto all " +
                     std::to_string(Cgo) + " output slabs of its group";
        // Strip: value x slice, per channel.
        const float m = std::max(4.0f, std::min(strip_cell_max, (strip_h - 40) / float(L.kernel.h)));
        const float sy0 = strip_y + 18;
        strip_text(margin, strip_y, "magnified: each input channel's value times its slice for output channel " + std::to_string(co), 12);
        const int64_t shown = std::min<int64_t>(nch, kMaxStripChannels);
        for (int64_t k = 0; k < shown; ++k) {
            const int64_t ch = channels[std::size_t(k)];
            const float my = sy0 + (float(L.kernel.h) - 1) * m / 2;
            sc.rects.push_back({strip_x, my, m, m, focus, out.input_colors[std::size_t(ch)], 2, RectRole::Highlight});
            strip_text(strip_x, sy0 + float(L.kernel.h) * m + 4, "c" + std::to_string(ch) + " " + number_text(x(engine.batch(), ch, s.in_y, s.in_x)), 12);
            strip_x += m + 30;
            strip_text(strip_x - 20, my - 4, "x", 16);
            const GridPlacement kg{strip_x, sy0, m, L.kernel.h, L.kernel.w};
            SceneHeatmap kh = slab_heatmap(b, kg, RectRole::Inset, animation.layer_index(), ch, data.weight_lo, data.weight_hi, kKernelPlane);
            kh.filter = co;
            kh.grid = with_alpha(b.theme.ink, 0.3f);
            for (int64_t r = 0; r < L.kernel.h; ++r)
                for (int64_t c = 0; c < L.kernel.w; ++c) {
                    kh.values.push_back(float(tap_weight(L, engine.weights().weight, ch, co, r, c)));
                    kh.styles.push_back(CellStyle::Value);
                }
            sc.heatmaps.push_back(std::move(kh));
            outline_slab(sc, kg, out.input_colors[std::size_t(ch)], true);
            strip_x += float(L.kernel.w) * m + 10;
            if (k + 1 < shown) {
                strip_text(strip_x, my - 6, "+", 18);
                strip_x += 22;
            }
        }
        if (shown < nch) {
            strip_text(strip_x + 4, sy0 + float(L.kernel.h) * m / 2 - 8, "+ " + std::to_string(nch - shown) + " more channels", 13);
            strip_x += 150;
        }
        const std::string summed = "-> summed onto output c" + std::to_string(co);
        const float room = opt.width - margin - (strip_x + 6);  // the strip may end near the canvas's edge
        if (room / (0.6f * float(summed.size())) >= 9) {
            strip_text(strip_x + 6, sy0 + float(L.kernel.h) * m / 2 - 8, summed, std::min(14.0f, room / (0.6f * float(summed.size()))));
        } else {
            strip_text(margin, sy0 + float(L.kernel.h) * m + 20, summed, 13);  // no room beside it: under the strip
        }
        strip_x += 220;
    }
    if (opt.show_arithmetic) {
        // One line, smaller when long (the transposed case's sentence runs wider than a
        // 1280 px window's canvas): about 0.6 em a character, 9 px at least.
        const float room = opt.width - 2 * margin;
        auto fit = [&](const std::string& t, float size) {
            return std::max(9.0f, std::min(size, room / (0.6f * float(std::max<std::size_t>(1, t.size())))));
        };
        const std::size_t split = arithmetic.find("; ");
        SceneText& t = sc.texts[arithmetic_text];
        if (fit(arithmetic, t.size) >= t.size || split == std::string::npos) {
            t.text = arithmetic;
            t.size = fit(arithmetic, t.size);
        } else {  // too long for one line: two, at the clause break (the line's 22 px and the 8 below hold both)
            const std::string second = arithmetic.substr(split + 2);
            t.text = arithmetic.substr(0, split + 1);
            t.size = std::min(fit(t.text, 12), fit(second, 12));
            sc.texts.push_back({t.x, t.y + t.size + 2, t.size, t.color, second, false});
        }
    }
    out.arithmetic = arithmetic;

    if (opt.fit_content) {
        float right = std::max({outs.slab(0).x + outs.width(), strip_x, bank_x + bank_w});
        for (const SceneText& t : sc.texts)
            if (!t.centered) right = std::max(right, t.x + 0.6f * t.size * float(t.text.size()));
        sc.width = std::ceil(right + margin);
        sc.height = std::ceil(std::min(opt.height, strip_y + strip_h + 8));
    }
    return out;
}

}  // namespace convscope
