// build_perspective_scene: the guide's stacked planes, one small builder per element
// over a shared PerspectiveLayout (planes and their cells, markers, taps, footprint,
// output cells, connectors, labels, key, fitting).
//
// Projection: the guide's (its TikZ planes are drawn with yslant=0.5, xslant=-0.7, so
// that a unit square is a parallelogram of area 1: a square seen at three quarters, not
// flattened). Map position (r, c) of a plane, r down the rows and c along the columns,
// lands at
//     x = x0 + c*s*kColX + r*s*kRowX,   y = y0 - c*s*kColY + r*s*kRowY
// so (0, 0) is the plane's left corner, row 0 runs up and to the right from it to the
// back corner, and the last column's last row is the right corner.
#include "core/scene/scene_perspective.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/nn/tap_geometry.hpp"
#include "core/scene/frame_step.hpp"
#include "core/scene/scene_theme.hpp"

namespace convscope {

using std::int64_t;

namespace {

constexpr float kColX = 1.0f, kColY = 0.5f;    ///< one column along: right and up
constexpr float kRowX = 0.7f, kRowY = 0.65f;   ///< one row down: right and down

struct Point {
    float x = 0, y = 0;
};

/// A grid lying flat, seen at three quarters. Cells are addressed in map coordinates:
/// local cell (0, 0) is map cell (row0, col0) (negative inside a padding or cropped ring).
/// (x, y) is the top-left of its bounding box: x its left corner's, y its back corner's.
struct SlantedGrid {
    float x = 0, y = 0, cell = 1;
    int64_t rows = 0, cols = 0, row0 = 0, col0 = 0;
    int64_t layer = 0, channel = 0;

    Point at(float r, float c) const {
        const float lr = r - float(row0), lc = c - float(col0);
        return {x + (lc * kColX + lr * kRowX) * cell, y + (float(cols) - lc) * kColY * cell + lr * kRowY * cell};
    }
    float width() const { return cell * (float(cols) * kColX + float(rows) * kRowX); }
    float height() const { return cell * (float(cols) * kColY + float(rows) * kRowY); }
    /// The left corner, where its label goes.
    Point corner() const { return at(float(row0), float(col0)); }
    int64_t end_row() const { return row0 + rows; }
    int64_t end_col() const { return col0 + cols; }
    /// Map rows [r0, r1) x columns [c0, c1) as a parallelogram: its corners at (r0, c0),
    /// (r0, c1), (r1, c1), (r1, c0).
    ScenePolygon quad(float r0, float c0, float r1, float c1) const {
        ScenePolygon p;
        const Point a = at(r0, c0), b = at(r0, c1), c = at(r1, c1), d = at(r1, c0);
        p.points = {{{a.x, a.y}, {b.x, b.y}, {c.x, c.y}, {d.x, d.y}}};
        return p;
    }
    ScenePolygon cell_quad(int64_t r, int64_t c, float inset = 0) const {
        return quad(float(r) + inset, float(c) + inset, float(r + 1) - inset, float(c + 1) - inset);
    }
    std::size_t index(int64_t r, int64_t c) const { return std::size_t((r - row0) * cols + (c - col0)); }
};

enum class CellKind : std::uint8_t { Real, Padding, PaddingCopy, InsertedZero, Cropped };

/// The guide's colours: blue input, teal output, a dark blue footprint.
struct Palette {
    Color input, output, output_empty, output_partial, focus, tap_current, tap_summed, tap_pending;
    Color padding_copy, inserted, cropped, grid, tap_border, pen, ink;
};

Palette make_palette(const SceneTheme& t) {
    Palette p;
    const Color& bg = t.background;
    p.ink = t.ink;
    p.input = Color{0.30f, 0.58f, 0.88f, 1};
    p.output = Color{0.22f, 0.74f, 0.68f, 1};
    p.output_empty = mix(p.output, bg, 0.75f);
    p.output_partial = mix(p.output, bg, 0.4f);
    p.focus = Color{0.0f, 0.40f, 0.38f, 1};
    p.tap_current = Color{0.04f, 0.16f, 0.45f, 1};
    p.tap_summed = Color{0.20f, 0.34f, 0.64f, 1};
    p.tap_pending = Color{0.72f, 0.81f, 0.95f, 1};
    p.padding_copy = mix(p.input, bg, 0.55f);
    p.inserted = mix(t.ink, bg, 0.86f);
    p.cropped = mix(t.ink, bg, 0.8f);
    p.grid = mix(t.ink, bg, 0.12f);  // the guide's dark borders between cells
    p.tap_border = mix(Color{1, 1, 1, 1}, p.input, 0.25f);  // light on the dark taps in either theme
    p.pen = Color{t.ink.r, t.ink.g, t.ink.b, 0.8f};
    return p;
}

struct PerspectiveLayout {
    const StepEngine& engine;
    const FramePosition& frame;
    const SceneOptions& opt;
    SceneTheme theme;
    Palette colors;
    bool scatter = false, transposed = false, tap_by_tap = false;
    int64_t current = -1, taps_shown = 0, in_channel = 0;
    GatherStep gather;
    ScatterStep scatter_step;
    SlantedGrid in, out;
    std::vector<CellKind> in_kinds, out_kinds;
    float text = 16, margin = 16, gap = 40;
    std::string in_name, out_name;
    /// The footprint's outline and the cell it makes (gather: on the input and the
    /// output; scatter: the input cell and its stamp on the output), corners in order.
    ScenePolygon from, to;
    bool has_step = false;

    PerspectiveLayout(const StepEngine& e, const FramePosition& f, const SceneOptions& o) : engine(e), frame(f), opt(o) {}
};

std::string size_text(int64_t rows, int64_t cols) { return std::to_string(rows) + "x" + std::to_string(cols); }

/// What each plane holds: the input's padded or zero-inserted grid (gather) or the
/// input itself (scatter); the output, with the ring a transposed layer's padding crops
/// in the scatter view (the taps that land there are real products, thrown away).
void setup_planes(PerspectiveLayout& lay) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    lay.scatter = e.is_scatter();
    lay.transposed = e.layer().kind == LayerKind::ConvTranspose2d;
    lay.in = SlantedGrid{};
    lay.in.rows = lay.scatter ? geo.h().in : e.grid_rows();
    lay.in.cols = lay.scatter ? geo.w().in : e.grid_cols();
    if (!lay.scatter && !lay.transposed) {
        lay.in.row0 = -e.grid_pad_top();
        lay.in.col0 = -e.grid_pad_left();
    }
    lay.in.layer = lay.opt.layer_index;
    lay.out = SlantedGrid{};
    lay.out.layer = lay.opt.layer_index + 1;
    lay.out.channel = e.out_channel();
    int64_t ring[2][2] = {{0, 0}, {0, 0}};  // [axis][before, after]
    if (lay.scatter)
        for (int a = 0; a < 2; ++a) {
            const AxisGeometry& g = geo.axis[std::size_t(a)];
            ring[a][0] = std::max<int64_t>(0, -tap_position(g, 0, 0));
            ring[a][1] = std::max<int64_t>(0, tap_position(g, g.in - 1, g.kernel - 1) - (g.out - 1));
        }
    lay.out.row0 = -ring[0][0];
    lay.out.col0 = -ring[1][0];
    lay.out.rows = geo.h().out + ring[0][0] + ring[0][1];
    lay.out.cols = geo.w().out + ring[1][0] + ring[1][1];
    lay.in_name = lay.opt.backward ? "grad_output" : "input";
    lay.out_name = lay.opt.backward ? "grad_input" : "output";
}

void classify_cells(PerspectiveLayout& lay) {
    const StepEngine& e = lay.engine;
    lay.in_kinds.assign(std::size_t(lay.in.rows * lay.in.cols), CellKind::Real);
    if (!lay.scatter)
        for (int64_t r = 0; r < lay.in.rows; ++r) {
            bool pad_y = false, ins_y = false;
            const int64_t sy = e.grid_source(0, r, pad_y, ins_y);
            for (int64_t c = 0; c < lay.in.cols; ++c) {
                bool pad_x = false, ins_x = false;
                const int64_t sx = e.grid_source(1, c, pad_x, ins_x);
                const bool real = sy >= 0 && sx >= 0, padding = pad_y || pad_x;
                lay.in_kinds[std::size_t(r * lay.in.cols + c)] =
                    real ? (padding ? CellKind::PaddingCopy : CellKind::Real) : padding ? CellKind::Padding : CellKind::InsertedZero;
            }
        }
    const LayerGeometry& geo = e.geometry();
    lay.out_kinds.assign(std::size_t(lay.out.rows * lay.out.cols), CellKind::Real);
    for (int64_t r = lay.out.row0; r < lay.out.end_row(); ++r)
        for (int64_t c = lay.out.col0; c < lay.out.end_col(); ++c)
            if (r < 0 || c < 0 || r >= geo.h().out || c >= geo.w().out) lay.out_kinds[lay.out.index(r, c)] = CellKind::Cropped;
}

void choose_step(PerspectiveLayout& lay) {
    const StepEngine& e = lay.engine;
    lay.current = drawn_step(e, lay.frame);
    lay.tap_by_tap = adding_tap_by_tap(lay.frame);
    lay.in_channel = e.shown_input_channel(lay.opt.in_channel, std::max<int64_t>(lay.current, 0));
    if (lay.current < 0) return;
    lay.taps_shown = drawn_taps(e, lay.frame);
    if (lay.scatter) lay.scatter_step = e.scatter_step(lay.current);
    else lay.gather = e.gather_step(lay.current);
    const std::size_t n = lay.scatter ? lay.scatter_step.taps.size() : lay.gather.taps.size();
    if (lay.tap_by_tap && n > 0) {
        const std::size_t t = std::size_t(std::clamp<int64_t>(lay.taps_shown, 1, int64_t(n)) - 1);
        lay.in_channel = lay.scatter ? lay.scatter_step.taps[t].in_channel : lay.gather.taps[t].in_channel;
    }
    lay.has_step = n > 0;
}

/// The caption, each plane's label (lines) and the text size: at least 1/34 of the
/// space given, so that on the trimmed figure no text is under 1/40 of its height.
std::vector<std::string> input_label(const PerspectiveLayout& lay) {
    const StepEngine& e = lay.engine;
    const LayerGeometry& geo = e.geometry();
    std::vector<std::string> lines{lay.in_name + " " + size_text(geo.h().in, geo.w().in)};
    if (!lay.scatter && lay.transposed) {
        // Two short lines, not one long one: the label column stays narrow.
        const std::string grid = as_convolution_grid_label(geo, !(lay.opt.hide_shape || lay.opt.hide_grid_size));
        const std::size_t comma = grid.find(", ");
        if (comma != std::string::npos) {
            lines.push_back(grid.substr(0, comma + 1));
            lines.push_back(grid.substr(comma + 2));
        } else if (!grid.empty()) {
            lines.push_back(grid);
        }
    } else if (!lay.scatter && (lay.in.rows != geo.h().in || lay.in.cols != geo.w().in))
        lines.push_back((lay.opt.hide_shape || lay.opt.hide_grid_size) ? "padded" : "padded to " + size_text(lay.in.rows, lay.in.cols));
    if (e.layer().in_channels > 1) lines.push_back("channel " + std::to_string(lay.in_channel) + " of " + std::to_string(e.layer().in_channels));
    return lines;
}

std::vector<std::string> output_label(const PerspectiveLayout& lay) {
    const LayerGeometry& geo = lay.engine.geometry();
    std::vector<std::string> lines{lay.out_name + " " + size_text(geo.h().out, geo.w().out)};
    if (lay.out.rows != geo.h().out || lay.out.cols != geo.w().out) lines.push_back("grey ring: cropped by padding");
    if (lay.engine.layer().out_channels > 1)
        lines.push_back("channel " + std::to_string(lay.engine.out_channel()) + " of " + std::to_string(lay.engine.layer().out_channels));
    return lines;
}

float text_width(const std::string& s, float size) { return 0.6f * size * float(s.size()); }  // DejaVu Sans: ~0.6 em a character

float widest(const std::vector<std::string>& lines, float size) {
    float w = 0;
    for (const std::string& s : lines) w = std::max(w, text_width(s, size));
    return w;
}

std::string caption_text(const PerspectiveLayout& lay) {
    return lay.opt.caption.empty() ? perspective_caption(lay.engine.layer(), lay.engine.geometry()) : lay.opt.caption;
}

/// The key's entries, the same on every frame of a figure (declared here, built below).
struct KeyEntry;
std::vector<KeyEntry> key_entries(const PerspectiveLayout& lay);
float key_height(const PerspectiveLayout& lay, float drawing_width);

/// Cell size and where the planes go: the output plane on top, the input below it,
/// centred on one vertical, labels to their left, the key under them. Text is 1/34 of
/// the space given, so that on the trimmed figure none is under 1/40 of its height.
void place_planes(PerspectiveLayout& lay) {
    lay.text = std::clamp(lay.opt.height / 34.0f, 14.0f, 27.0f);
    lay.margin = std::max(16.0f, lay.text);
    lay.gap = 1.2f * lay.text;
    const float label_w = std::max(widest(input_label(lay), lay.text), widest(output_label(lay), lay.text)) + lay.text;
    const float top = lay.margin + 2.2f * lay.text;
    const float avail_w = lay.opt.width - 2 * lay.margin - label_w;
    const float span_w = std::max(float(lay.in.cols) * kColX + float(lay.in.rows) * kRowX, float(lay.out.cols) * kColX + float(lay.out.rows) * kRowX);
    const float span_h = float(lay.in.cols + lay.out.cols) * kColY + float(lay.in.rows + lay.out.rows) * kRowY;
    // The key wraps to the drawing's width, which depends on the cell size: two passes.
    float s = 120;
    for (int pass = 0; pass < 2; ++pass) {
        const float key_h = key_height(lay, std::max(label_w + s * span_w, text_width(caption_text(lay), 1.2f * lay.text)));
        const float avail_h = lay.opt.height - top - key_h - lay.gap - lay.margin;
        s = std::clamp(std::min(avail_w / span_w, avail_h / span_h), 1.5f, 120.0f);
    }
    lay.in.cell = lay.out.cell = s;
    const float centre = lay.margin + label_w + s * span_w / 2;
    lay.out.x = centre - lay.out.width() / 2;
    lay.out.y = top;
    lay.in.x = centre - lay.in.width() / 2;
    lay.in.y = top + lay.out.height() + lay.gap;
}

ScenePolygon segment(Point a, Point b, const Color& color, float width, RectRole role = RectRole::Other) {
    ScenePolygon p;
    p.points[0] = {a.x, a.y};
    p.points[1] = {b.x, b.y};
    p.count = 2;
    p.closed = false;
    p.stroke = color;
    p.stroke_width = width;
    p.role = role;
    return p;
}

/// The plane's cell borders as rows + 1 and cols + 1 lines; under 10 px cells only its
/// outline (a finer grid of slanted lines turns to moire on a raster and reads as grey).
void add_grid_lines(const PerspectiveLayout& lay, Scene& sc, const SlantedGrid& p) {
    if (p.cell < 10) {
        ScenePolygon edge = p.quad(float(p.row0), float(p.col0), float(p.end_row()), float(p.end_col()));
        edge.stroke = lay.colors.grid;
        edge.stroke_width = 1;
        sc.polygons.push_back(edge);
        return;
    }
    const float w = std::clamp(p.cell / 20, 1.0f, 3.5f);  // the guide's thick borders, legible when the figure is small
    for (int64_t r = p.row0; r <= p.end_row(); ++r)
        sc.polygons.push_back(segment(p.at(float(r), float(p.col0)), p.at(float(r), float(p.end_col())), lay.colors.grid, w));
    for (int64_t c = p.col0; c <= p.end_col(); ++c)
        sc.polygons.push_back(segment(p.at(float(p.row0), float(c)), p.at(float(p.end_row()), float(c)), lay.colors.grid, w));
}

/// Three strokes of slope 45 degrees in the cell's own coordinates (u + v = t).
void add_hatching(const PerspectiveLayout& lay, Scene& sc, const SlantedGrid& p, int64_t r, int64_t c, float width) {
    for (float t : {0.5f, 1.0f, 1.5f}) {
        const float a = std::max(0.0f, t - 1.0f), b = std::min(1.0f, t);
        sc.polygons.push_back(segment(p.at(float(r) + t - a, float(c) + a), p.at(float(r) + t - b, float(c) + b), lay.colors.pen, width,
                                      RectRole::Marker));
    }
}

/// A cell's own mark: padding dashed, inserted zeros hatched, cropped cells dotted.
/// Under 10 px cells the fills tell them apart, and the padding's border is one dashed
/// outline round the real cells.
void add_cell_marker(const PerspectiveLayout& lay, Scene& sc, const SlantedGrid& p, int64_t r, int64_t c, CellKind kind) {
    const float w = p.cell >= 24 ? 1.5f : 1.0f;
    if (kind == CellKind::Padding || kind == CellKind::PaddingCopy || kind == CellKind::Cropped) {
        ScenePolygon m = p.cell_quad(r, c, 0.14f);
        m.stroke = lay.colors.pen;
        m.stroke_width = w;
        m.dash = kind == CellKind::Cropped ? std::max(1.0f, p.cell / 14) : std::max(2.0f, p.cell / 6);
        m.role = RectRole::Marker;
        sc.polygons.push_back(m);
    } else if (kind == CellKind::InsertedZero) {
        add_hatching(lay, sc, p, r, c, w);
    }
}

Color cell_fill(const PerspectiveLayout& lay, CellKind kind) {
    switch (kind) {
        case CellKind::Real: return lay.colors.input;
        case CellKind::Padding: return lay.theme.background;
        case CellKind::PaddingCopy: return lay.colors.padding_copy;
        case CellKind::InsertedZero: return lay.colors.inserted;
        case CellKind::Cropped: return lay.colors.cropped;
    }
    return lay.colors.input;
}

void add_input_plane(const PerspectiveLayout& lay, Scene& sc) {
    const SlantedGrid& p = lay.in;
    for (int64_t r = p.row0; r < p.end_row(); ++r)
        for (int64_t c = p.col0; c < p.end_col(); ++c) {
            ScenePolygon q = p.cell_quad(r, c);
            q.fill = cell_fill(lay, lay.in_kinds[p.index(r, c)]);
            q.role = RectRole::InputCell;
            q.indexed = true;
            q.row = r;
            q.col = c;
            q.layer = p.layer;
            q.channel = lay.in_channel;
            sc.polygons.push_back(q);
        }
    add_grid_lines(lay, sc, p);
    if (p.cell >= 10) {
        for (int64_t r = p.row0; r < p.end_row(); ++r)
            for (int64_t c = p.col0; c < p.end_col(); ++c) add_cell_marker(lay, sc, p, r, c, lay.in_kinds[p.index(r, c)]);
    } else if (p.row0 < 0 || p.col0 < 0) {
        const LayerGeometry& geo = lay.engine.geometry();
        ScenePolygon edge = p.quad(0, 0, float(geo.h().in), float(geo.w().in));
        edge.stroke = lay.colors.pen;
        edge.stroke_width = 1.5f;
        edge.dash = 5;
        edge.role = RectRole::Marker;
        sc.polygons.push_back(edge);
    }
}

/// A tap: dark where it reads a real cell, paler where it reads a zero (padding, an
/// inserted zero), whose dashes or hatching are drawn over it; a light edge keeps
/// neighbouring taps apart.
ScenePolygon tap_cell(const PerspectiveLayout& lay, const SlantedGrid& p, int64_t r, int64_t c, const char* state, bool on_output, bool zero) {
    const Palette& colors = lay.colors;
    ScenePolygon q = p.cell_quad(r, c);
    const bool current = std::string(state) == "current", summed = std::string(state) == "summed";
    q.fill = current ? (on_output ? colors.focus : colors.tap_current) : summed ? colors.tap_summed : colors.tap_pending;
    if (zero && (current || summed)) q.fill = mix(q.fill, lay.theme.background, 0.5f);
    // Each tap its own cell: a light border between neighbouring taps (never one solid block).
    q.stroke = !current && !summed ? colors.tap_current : colors.tap_border;
    q.stroke_width = p.cell >= 10 ? std::clamp(p.cell / 18, 1.5f, 3.5f) : 1.0f;
    q.role = RectRole::Highlight;
    q.indexed = true;
    q.row = r;
    q.col = c;
    q.layer = p.layer;
    q.channel = p.channel;
    q.state = state;
    return q;
}

/// The state of tap i of the step: being added, added already, or still to come.
const char* tap_state(const PerspectiveLayout& lay, int64_t i) {
    if (!lay.tap_by_tap) return "current";
    return i == lay.taps_shown - 1 ? "current" : i < lay.taps_shown ? "summed" : "pending";
}

/// Gather: the step's taps on the input (its whole footprint; the cells between the
/// taps, dilation's holes, keep the plane's colour), and the footprint's outline.
void add_gather_footprint(PerspectiveLayout& lay, Scene& sc) {
    SlantedGrid p = lay.in;
    p.channel = lay.in_channel;
    int64_t r_lo = INT64_MAX, r_hi = INT64_MIN, c_lo = INT64_MAX, c_hi = INT64_MIN;
    for (std::size_t i = 0; i < lay.gather.taps.size(); ++i) {
        const GatherTap& t = lay.gather.taps[i];
        const int64_t r = t.grid_y + p.row0, c = t.grid_x + p.col0;
        r_lo = std::min(r_lo, r);
        r_hi = std::max(r_hi, r);
        c_lo = std::min(c_lo, c);
        c_hi = std::max(c_hi, c);
        if (t.in_channel != lay.in_channel) continue;
        const CellKind kind = lay.in_kinds[p.index(r, c)];
        const bool zero = kind == CellKind::Padding || kind == CellKind::InsertedZero;
        sc.polygons.push_back(tap_cell(lay, p, r, c, tap_state(lay, int64_t(i)), false, zero));
        if (p.cell >= 10) add_cell_marker(lay, sc, p, r, c, kind);
    }
    lay.from = p.quad(float(r_lo), float(c_lo), float(r_hi + 1), float(c_hi + 1));
    lay.from.stroke = lay.colors.tap_current;
    lay.from.stroke_width = std::max(2.0f, lay.text / 8);
    lay.from.role = RectRole::Window;
    sc.polygons.push_back(lay.from);
}

/// Scatter: the input cell being stamped.
void add_scatter_source(PerspectiveLayout& lay, Scene& sc) {
    SlantedGrid p = lay.in;
    p.channel = lay.in_channel;
    const ScatterStep& s = lay.scatter_step;
    sc.polygons.push_back(tap_cell(lay, p, s.in_y, s.in_x, "current", false, false));
    lay.from = p.cell_quad(s.in_y, s.in_x);
    lay.from.stroke = lay.colors.tap_current;
    lay.from.stroke_width = std::max(2.0f, lay.text / 8);
    lay.from.role = RectRole::Window;
    sc.polygons.push_back(lay.from);
}

/// How many products have landed on each output cell (scatter), this frame and in all.
struct Landed {
    CountPlane now, total;
};

Landed landed_counts(const PerspectiveLayout& lay) {
    const StepEngine& e = lay.engine;
    Landed l{e.landed_counts(lay.frame.steps_done), e.landed_counts(e.step_count())};
    if (lay.frame.extra_taps > 0 && lay.frame.steps_done < e.step_count()) {
        const ScatterStep s = e.scatter_step(lay.frame.steps_done);
        for (int64_t i = 0; i < lay.frame.extra_taps && i < int64_t(s.taps.size()); ++i) {
            const ScatterTap& t = s.taps[std::size_t(i)];
            if (t.inside && t.in_channel == s.taps.front().in_channel) ++l.now(t.out_y, t.out_x);
        }
    }
    return l;
}

/// The contract's output states: empty (nothing landed), partial (some contributions
/// landed), done (nothing more will be added).
const char* output_state(const PerspectiveLayout& lay, const Landed& landed, int64_t r, int64_t c) {
    if (!lay.scatter) {
        const int64_t k = r * lay.engine.geometry().w().out + c;
        if (k < lay.frame.steps_done) return "done";
        return lay.tap_by_tap && k == lay.frame.steps_done ? "partial" : "empty";
    }
    const int64_t now = landed.now(r, c), total = landed.total(r, c);
    if (now >= total) return total > 0 || lay.frame.steps_done >= lay.engine.step_count() ? "done" : "empty";
    return now > 0 ? "partial" : "empty";
}

void add_output_plane(const PerspectiveLayout& lay, Scene& sc) {
    const SlantedGrid& p = lay.out;
    const Landed landed = lay.scatter ? landed_counts(lay) : Landed{};
    for (int64_t r = p.row0; r < p.end_row(); ++r)
        for (int64_t c = p.col0; c < p.end_col(); ++c) {
            ScenePolygon q = p.cell_quad(r, c);
            q.indexed = true;
            q.row = r;
            q.col = c;
            q.layer = p.layer;
            q.channel = p.channel;
            if (lay.out_kinds[p.index(r, c)] == CellKind::Cropped) {
                q.fill = lay.colors.cropped;
                q.role = RectRole::CroppedCell;
            } else {
                q.state = output_state(lay, landed, r, c);
                const std::string st = q.state;
                q.fill = st == "done" ? lay.colors.output : st == "partial" ? lay.colors.output_partial : lay.colors.output_empty;
                q.role = RectRole::OutputCell;
            }
            sc.polygons.push_back(q);
        }
    add_grid_lines(lay, sc, p);
    for (int64_t r = p.row0; r < p.end_row(); ++r)
        for (int64_t c = p.col0; c < p.end_col(); ++c)
            if (lay.out_kinds[p.index(r, c)] == CellKind::Cropped && p.cell >= 10) add_cell_marker(lay, sc, p, r, c, CellKind::Cropped);
    if (p.row0 < 0 || p.col0 < 0 || p.rows != lay.engine.geometry().h().out || p.cols != lay.engine.geometry().w().out) {
        const LayerGeometry& geo = lay.engine.geometry();
        ScenePolygon edge = p.quad(0, 0, float(geo.h().out), float(geo.w().out));
        edge.stroke = lay.colors.pen;
        edge.stroke_width = 1.5f;
        edge.role = RectRole::Marker;
        sc.polygons.push_back(edge);
    }
}

/// Gather: the output cell the footprint makes. Scatter: the stamp of the input cell
/// on the output (its taps, landed or to come), and the stamp's outline.
void add_output_target(PerspectiveLayout& lay, Scene& sc) {
    const SlantedGrid& p = lay.out;
    const float w = std::max(2.0f, lay.text / 8);
    if (!lay.scatter) {
        lay.to = p.cell_quad(lay.gather.out_y, lay.gather.out_x);
        lay.to.fill = lay.colors.focus;
    } else {
        int64_t r_lo = INT64_MAX, r_hi = INT64_MIN, c_lo = INT64_MAX, c_hi = INT64_MIN;
        for (std::size_t i = 0; i < lay.scatter_step.taps.size(); ++i) {
            const ScatterTap& t = lay.scatter_step.taps[i];
            r_lo = std::min(r_lo, t.out_y);
            r_hi = std::max(r_hi, t.out_y);
            c_lo = std::min(c_lo, t.out_x);
            c_hi = std::max(c_hi, t.out_x);
            if (t.in_channel == lay.in_channel)
                sc.polygons.push_back(tap_cell(lay, p, t.out_y, t.out_x, tap_state(lay, int64_t(i)), true, false));
        }
        lay.to = p.quad(float(r_lo), float(c_lo), float(r_hi + 1), float(c_hi + 1));
    }
    lay.to.stroke = lay.colors.tap_current;
    lay.to.stroke_width = w;
    lay.to.role = RectRole::Window;
    sc.polygons.push_back(lay.to);
}

/// The footprint's outline joined to what it makes by its four corner lines (each
/// corner to the same corner), drawn over both planes.
void add_connectors(const PerspectiveLayout& lay, Scene& sc) {
    Color c = lay.colors.tap_current;
    c.a = 0.9f;
    const float w = std::max(1.5f, lay.text / 10);
    for (std::size_t i = 0; i < 4; ++i)
        sc.polygons.push_back(segment({lay.from.points[i][0], lay.from.points[i][1]}, {lay.to.points[i][0], lay.to.points[i][1]}, c, w,
                                      RectRole::Connector));
}


/// The four corners of both planes: every connector runs inside their convex hull
/// (from a footprint on one plane to a cell on the other).
std::vector<Point> plane_corners(const PerspectiveLayout& lay) {
    std::vector<Point> pts;
    for (const SlantedGrid* p : {&lay.in, &lay.out}) {
        const float r0 = float(p->row0), c0 = float(p->col0), r1 = float(p->end_row()), c1 = float(p->end_col());
        for (Point q : {p->at(r0, c0), p->at(r0, c1), p->at(r1, c1), p->at(r1, c0)}) pts.push_back(q);
    }
    return pts;
}

/// The leftmost x of that hull between heights y0 and y1 (+inf where it does not reach):
/// text right-aligned short of it is crossed by no connector on any frame, so a label
/// keeps its place from frame to frame. The hull's left edge at a height is the leftmost
/// of the segments between two corners there; over a band, a convex outline is leftmost
/// at the band's ends or at a corner inside it.
float hull_left(const PerspectiveLayout& lay, float y0, float y1) {
    const std::vector<Point> pts = plane_corners(lay);
    float left = 1e30f;
    std::vector<float> heights{y0, y1};
    for (const Point& q : pts)
        if (q.y >= y0 && q.y <= y1) left = std::min(left, q.x);
    for (float y : heights)
        for (const Point& a : pts)
            for (const Point& b : pts)
                if (a.y != b.y && (a.y - y) * (b.y - y) <= 0) left = std::min(left, a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
    return left;
}

/// A plane's label, its lines centred on the plane's left corner (below the caption),
/// right-aligned short of both planes and of every line joining them.
void add_plane_label(const PerspectiveLayout& lay, Scene& sc, const SlantedGrid& p, const std::vector<std::string>& lines) {
    const float size = lay.text, line_h = 1.25f * size;
    const float height = line_h * float(lines.size());
    const float top = std::max(p.corner().y - height / 2, lay.margin + 1.8f * lay.text);
    const float right = std::min(p.corner().x, hull_left(lay, top, top + height)) - 0.6f * size;
    for (std::size_t i = 0; i < lines.size(); ++i)
        sc.texts.push_back({right - text_width(lines[i], size), top + line_h * float(i), size, lay.theme.ink, lines[i], false});
}

/// One entry of the key: a one-cell plane drawn as the figure draws that kind of cell.
struct KeyEntry {
    Color fill;
    CellKind marker = CellKind::Real;
    bool outlined = false;
    std::string text;
};

/// Whether any step of the figure has a tap on a zero (padding, an inserted zero). A
/// step's taps are the product of the rows read down the first column of steps and the
/// columns read along the first row, so those H_out + W_out steps tell for all.
bool any_step_reads_a_zero(const PerspectiveLayout& lay) {
    if (lay.scatter) return false;
    auto zero = [](CellKind k) { return k == CellKind::Padding || k == CellKind::InsertedZero; };
    if (std::none_of(lay.in_kinds.begin(), lay.in_kinds.end(), zero)) return false;
    const StepEngine& e = lay.engine;
    const int64_t per_row = std::max<int64_t>(1, e.step_row_length()), step_rows = e.step_count() / per_row;
    std::vector<char> row_read(std::size_t(lay.in.rows), 0), col_read(std::size_t(lay.in.cols), 0);
    for (int64_t oy = 0; oy < step_rows; ++oy)
        for (const GatherTap& t : e.gather_step(oy * per_row).taps) row_read[std::size_t(t.grid_y)] = 1;
    for (int64_t ox = 0; ox < per_row && ox < e.step_count(); ++ox)
        for (const GatherTap& t : e.gather_step(ox).taps) col_read[std::size_t(t.grid_x)] = 1;
    for (int64_t r = 0; r < lay.in.rows; ++r)
        for (int64_t c = 0; c < lay.in.cols; ++c)
            if (row_read[std::size_t(r)] && col_read[std::size_t(c)] && zero(lay.in_kinds[std::size_t(r * lay.in.cols + c)])) return true;
    return false;
}

/// The key: the same entries on every frame of a figure (those any of its frames shows).
std::vector<KeyEntry> key_entries(const PerspectiveLayout& lay) {
    const Palette& k = lay.colors;
    bool padding = false, copy = false, inserted = false, cropped = false;
    for (CellKind c : lay.in_kinds) {
        padding |= c == CellKind::Padding;
        copy |= c == CellKind::PaddingCopy;
        inserted |= c == CellKind::InsertedZero;
    }
    for (CellKind c : lay.out_kinds) cropped |= c == CellKind::Cropped;
    const bool by_taps = lay.opt.taps_one_by_one || lay.tap_by_tap;
    std::vector<KeyEntry> e{{k.input, CellKind::Real, false, lay.in_name}};
    if (padding) e.push_back({lay.theme.background, CellKind::Padding, false, "zero padding"});
    if (copy) e.push_back({k.padding_copy, CellKind::PaddingCopy, false, std::string(padding_mode_name(lay.engine.layer().padding_mode)) + " padding (a copy)"});
    if (inserted) e.push_back({k.inserted, CellKind::InsertedZero, false, "inserted zero"});
    const Pair d = lay.engine.layer().dilation;
    const bool holes = !lay.scatter && (d.h > 1 || d.w > 1);
    if (lay.scatter) {
        e.push_back({k.tap_current, CellKind::Real, false, lay.in_name + " cell stamped"});
        e.push_back({k.focus, CellKind::Real, false, by_taps ? "product landing" : "its stamp (value x kernel)"});
        if (by_taps) e.push_back({k.tap_summed, CellKind::Real, false, "landed"});
    } else if (by_taps) {
        e.push_back({k.tap_current, CellKind::Real, false, "tap being added"});
        e.push_back({k.tap_summed, CellKind::Real, false, "taps summed"});
    } else {
        e.push_back({k.tap_current, CellKind::Real, false, holes ? "taps (holes: dilation)" : "taps"});
    }
    if (any_step_reads_a_zero(lay)) e.push_back({mix(k.tap_current, lay.theme.background, 0.5f), CellKind::Real, false, "tap on a zero"});
    if (by_taps) e.push_back({k.tap_pending, CellKind::Real, true, "taps to come"});
    if (!lay.scatter) e.push_back({k.focus, CellKind::Real, false, lay.out_name + " cell computed"});
    else e.push_back({k.output_partial, CellKind::Real, false, "partly summed"});
    e.push_back({k.output, CellKind::Real, false, lay.out_name + " done"});
    if (cropped) e.push_back({k.cropped, CellKind::Cropped, false, "cropped by padding"});
    return e;
}

/// The key's entries in a table, row by row: as many columns as fit the drawing's
/// width, each as wide as its widest entry.
struct KeyTable {
    float swatch_cell = 1, row_h = 1;
    std::vector<float> column_x;  ///< each column's left, from the table's
    std::size_t rows = 1;
};

KeyTable key_table(const PerspectiveLayout& lay, const std::vector<KeyEntry>& entries, float width) {
    KeyTable t;
    const float size = lay.text, pad = 1.0f * size;
    t.swatch_cell = 1.05f * size / (kColY + kRowY);
    t.row_h = 1.6f * size;
    const float swatch = t.swatch_cell * (kColX + kRowX) + 0.4f * size;
    const std::size_t n = std::max<std::size_t>(1, entries.size());
    for (std::size_t columns = n; columns >= 1; --columns) {
        std::vector<float> w(columns, 0);
        for (std::size_t i = 0; i < entries.size(); ++i) w[i % columns] = std::max(w[i % columns], swatch + text_width(entries[i].text, size));
        t.column_x.assign(1, 0);
        for (std::size_t c = 0; c + 1 < columns; ++c) t.column_x.push_back(t.column_x.back() + w[c] + pad);
        t.rows = (entries.size() + columns - 1) / columns;
        if (columns == 1 || t.column_x.back() + w.back() <= width) break;
    }
    return t;
}

float key_height(const PerspectiveLayout& lay, float drawing_width) {
    return 1.2f * lay.text + lay.text * 1.6f * float(key_table(lay, key_entries(lay), drawing_width).rows);
}

void add_key_swatch(const PerspectiveLayout& lay, Scene& sc, const SlantedGrid& cell, const KeyEntry& k) {
    ScenePolygon q = cell.cell_quad(0, 0);
    q.fill = k.fill;
    q.stroke = k.outlined ? lay.colors.tap_current : lay.colors.grid;
    q.stroke_width = 1;
    q.role = RectRole::Legend;
    sc.polygons.push_back(q);
    if (k.marker == CellKind::Real) return;
    if (k.marker == CellKind::InsertedZero) return add_hatching(lay, sc, cell, 0, 0, 1);
    ScenePolygon m = cell.cell_quad(0, 0, 0.14f);
    m.stroke = lay.colors.pen;
    m.stroke_width = 1;
    m.dash = k.marker == CellKind::Cropped ? 1.5f : 3;
    m.role = RectRole::Legend;
    sc.polygons.push_back(m);
}

/// The key under the drawing (left, top, width: the planes and their labels), in a
/// table no wider than the drawing, in the same places on every frame.
void add_key(const PerspectiveLayout& lay, Scene& sc, float left, float top, float width) {
    const std::vector<KeyEntry> entries = key_entries(lay);
    const KeyTable t = key_table(lay, entries, width);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        SlantedGrid cell;
        const std::size_t columns = t.column_x.size();
        cell.x = left + t.column_x[i % columns];
        cell.y = top + t.row_h * float(i / columns);
        cell.cell = t.swatch_cell;
        cell.rows = cell.cols = 1;
        add_key_swatch(lay, sc, cell, entries[i]);
        const float text_x = cell.x + cell.width() + 0.4f * lay.text;
        sc.texts.push_back({text_x, cell.y + cell.height() / 2 - 0.6f * lay.text, lay.text, lay.theme.ink, entries[i].text, false});
    }
}

/// The box round everything drawn so far.
struct Bounds {
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    void grow(float x, float y) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
    }
};

Bounds bounds_of(const Scene& sc) {
    Bounds b;
    for (const ScenePolygon& p : sc.polygons)
        for (int i = 0; i < p.count; ++i) b.grow(p.points[std::size_t(i)][0], p.points[std::size_t(i)][1]);
    for (const SceneText& t : sc.texts) {
        b.grow(t.x, t.y);
        b.grow(t.x + text_width(t.text, t.size), t.y + 1.2f * t.size);
    }
    return b;
}

void add_texts(const PerspectiveLayout& lay, Scene& sc) {
    add_plane_label(lay, sc, lay.out, output_label(lay));
    add_plane_label(lay, sc, lay.in, input_label(lay));
    // The drawing: both planes (whatever the frame highlights lies on them) and labels.
    Bounds drawing;
    for (const Point& q : plane_corners(lay)) drawing.grow(q.x, q.y);
    for (const SceneText& t : sc.texts) {
        drawing.grow(t.x, t.y);
        drawing.grow(t.x + text_width(t.text, t.size), t.y + 1.2f * t.size);
    }
    // The key no wider than the drawing under its caption: it never widens the figure.
    const std::string caption = caption_text(lay);
    const float width = std::max(drawing.x1 - drawing.x0, text_width(caption, 1.2f * lay.text));
    add_key(lay, sc, drawing.x0, drawing.y1 + 1.2f * lay.text, width);
    sc.texts.push_back({drawing.x0, lay.margin, 1.2f * lay.text, lay.theme.ink, caption, false});
}

/// Everything moved so that it starts one margin from the top-left corner; a figure
/// for export is trimmed to its content plus that margin.
void fit(const PerspectiveLayout& lay, Scene& sc) {
    const Bounds b = bounds_of(sc);
    const float dx = lay.margin - b.x0, dy = lay.margin - b.y0;
    for (ScenePolygon& p : sc.polygons)
        for (int i = 0; i < p.count; ++i) {
            p.points[std::size_t(i)][0] += dx;
            p.points[std::size_t(i)][1] += dy;
        }
    for (SceneText& t : sc.texts) {
        t.x += dx;
        t.y += dy;
    }
    sc.width = lay.opt.fit_content ? std::ceil(b.x1 - b.x0 + 2 * lay.margin) : lay.opt.width;
    sc.height = lay.opt.fit_content ? std::ceil(b.y1 - b.y0 + 2 * lay.margin) : lay.opt.height;
}

}  // namespace

std::string perspective_caption(const Layer& L, const LayerGeometry& g) {
    if (!has_window(L.kind) || g.h().pad_before != g.h().pad_after || g.w().pad_before != g.w().pad_after ||
        L.padding_mode != PaddingMode::Zeros)
        return layer_caption(L, g);
    // The padding as resolved ('same' as the cells it pads).
    const Pair pad{g.h().pad_before, g.w().pad_before};
    return layer_short_words(L, pad == Pair{0, 0} ? "" : pair_words(pad)) + ": " + size_text(g.h().in, g.w().in) + " -> " +
           size_text(g.h().out, g.w().out);
}

std::string as_convolution_grid_label(const LayerGeometry& geo, bool with_size) {
    bool inserted = false, padded = false, cropped = false;
    int64_t size[2] = {0, 0};
    for (int a = 0; a < 2; ++a) {
        const AxisGeometry& g = geo.axis[std::size_t(a)];
        const int64_t before = g.dilation * (g.kernel - 1) - g.pad_before, after = before + g.output_padding;
        inserted |= g.stride > 1 && g.in > 1;
        padded |= before > 0 || after > 0;
        cropped |= before < 0 || after < 0;
        size[a] = (g.in - 1) * g.stride + 1 + before + after;  // = out + d*(k-1), the grid StepEngine slides over
    }
    const std::string dims = size_text(size[0], size[1]);
    // Without the size (a question hides the output's): the grid's size gives it away,
    // as that size minus the kernel's extent plus one.
    if (!inserted && !cropped) return padded ? with_size ? "padded to " + dims : "padded" : "";
    if (!inserted && !padded) return with_size ? "cropped to " + dims : "cropped";
    std::string words = inserted ? "zeros inserted" : "";
    for (const auto& [yes, word] : {std::pair<bool, const char*>{padded, "padded"}, {cropped, "cropped"}})
        if (yes) words += (words.empty() ? "" : ", ") + std::string(word);
    return with_size ? words + ": " + dims : words;
}

Scene build_perspective_scene(const StepEngine& engine, const FramePosition& frame, const SceneOptions& opt) {
    if (!has_window(engine.layer().kind)) {  // no kernel to lay over a plane: the flat slide says it better
        SceneOptions flat = opt;
        flat.style = SceneStyle::Schematic;
        return build_scene(engine, frame, flat);
    }
    Scene sc;
    PerspectiveLayout lay(engine, frame, opt);
    lay.theme = SceneTheme::make(opt.dark);
    lay.colors = make_palette(lay.theme);
    sc.background = lay.theme.background;
    setup_planes(lay);
    classify_cells(lay);
    choose_step(lay);
    place_planes(lay);
    sc.polygons.reserve(std::size_t(2 * (lay.in.rows * lay.in.cols + lay.out.rows * lay.out.cols) + 64));
    add_input_plane(lay, sc);
    if (lay.has_step) {
        if (lay.scatter) add_scatter_source(lay, sc);
        else add_gather_footprint(lay, sc);
    }
    add_output_plane(lay, sc);
    if (lay.has_step) {
        add_output_target(lay, sc);
        add_connectors(lay, sc);
    }
    add_texts(lay, sc);
    fit(lay, sc);
    return sc;
}

}  // namespace convscope
