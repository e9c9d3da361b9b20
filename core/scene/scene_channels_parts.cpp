// The channels view's drawing helpers shared by its builders (scene_channels_build.hpp).
#include <algorithm>
#include <cmath>

#include "core/nn/tap_geometry.hpp"
#include "core/scene/scene_channels_build.hpp"

namespace convscope::channels_view {

using std::int64_t;

namespace {

/// Spacing of the slabs of a stack of `count`, as a share of the slab's larger side:
/// few slabs are spread apart so that every one shows its taps; many are packed so
/// the stack keeps its size (16 output channels take about one slab more).
float depth_share(int64_t count) { return count <= 1 ? 0.0f : std::min(0.75f, 1.1f / float(count - 1)); }

}  // namespace

std::string at(int64_t r, int64_t c) { return "(" + std::to_string(r) + ", " + std::to_string(c) + ")"; }

float StackGeometry::width() const { return float(cols) * cell + float(count - 1) * std::fabs(step_x); }
float StackGeometry::height() const { return float(rows) * cell + float(count - 1) * std::fabs(step_y); }
void StackGeometry::place(float x, float y) {
    base_x = x + (step_x < 0 ? float(count - 1) * -step_x : 0);
    base_y = y + (step_y < 0 ? float(count - 1) * -step_y : 0);
}

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
    SceneHeatmap h = SceneHeatmap::at(g, role);
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
void light(Build& b, const GridPlacement& g, int64_t r, int64_t c, const Color& color, bool reads_zero) {
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


void strip_text(Build& b, float x, float y, const std::string& text, float size) { b.out.scene.texts.push_back({x, y, size, b.theme.ink, text, false}); }

SceneHeatmap kernel_slice_heatmap(const Build& b, const GridPlacement& g, RectRole role, int64_t ci, int64_t co, CellStyle style) {
    SceneHeatmap h = slab_heatmap(b, g, role, b.animation.layer_index(), ci, b.data.weight_lo, b.data.weight_hi, kKernelPlane);
    h.filter = co;
    for (int64_t r = 0; r < b.L.kernel.h; ++r)
        for (int64_t c = 0; c < b.L.kernel.w; ++c) {
            h.values.push_back(float(tap_weight(b.L, b.engine.weights().weight, ci, co, r, c)));
            h.styles.push_back(style);
        }
    return h;
}

bool shuffles(const Layer& L) { return L.kind == LayerKind::PixelShuffle || L.kind == LayerKind::PixelUnshuffle; }

}  // namespace convscope::channels_view
