// The whole stack as one row of maps (see scene_pipeline.hpp).
#include "core/scene/scene_pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "core/scene/scene_theme.hpp"

namespace convscope {

using std::int64_t;

namespace {

/// One short line per layer for the arrow between its maps, saying what the layer is:
/// "Conv2d k3 p2 d2", "ConvTranspose2d k2 s2", "MaxPool2d k2 s2" for the layers with a
/// window; "Upsample x2 nearest", "PixelShuffle r2", "LeakyReLU 0.2", "ReLU" for the rest
/// (their interpolation or shuffle is no kernel a teacher would name).
std::string arrow_label(const Layer& L, const LayerGeometry& g) {
    auto pair = [](int64_t a, int64_t b) { return a == b ? std::to_string(a) : std::to_string(a) + "x" + std::to_string(b); };
    const std::string name = class_name(L.kind);
    switch (L.kind) {
        case LayerKind::Upsample: {
            // "x2" for a whole factor (Python prints 2.0), "to 32x32" for a size.
            std::string factor;
            if (L.scale_factor) {
                factor = scale_factor_text(*L.scale_factor);
                for (const char* whole = ".0"; factor.find(whole) != std::string::npos;) factor.erase(factor.find(whole), 2);
            }
            return name + (L.size ? " to " + std::to_string(L.size->h) + "x" + std::to_string(L.size->w) : " x" + factor) + " " +
                   upsample_mode_name(L.upsample_mode);
        }
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: return name + " r" + std::to_string(L.shuffle_factor);
        case LayerKind::LeakyReLU: return name + " " + python_float(L.negative_slope);
        case LayerKind::ReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return name;  // a function of each cell
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: break;  // a window: its kernel, stride, padding, dilation below
    }
    std::string s = name + " k" + pair(L.kernel.h, L.kernel.w);
    if (L.stride != Pair{1, 1}) s += " s" + pair(L.stride.h, L.stride.w);
    if (g.h().pad_before || g.w().pad_before || g.h().pad_after || g.w().pad_after) s += " p" + pair(g.h().pad_before, g.w().pad_before);
    if (L.dilation != Pair{1, 1}) s += " d" + pair(L.dilation.h, L.dilation.w);
    return s;
}

/// The largest font size, at most `size`, at which `text` fits `room` px (the scene's
/// width estimate: 0.6 em per character); never below 8 px.
float fitted_size(const std::string& text, float size, float room) {
    return std::max(8.0f, std::min(size, room / (0.6f * float(std::max<std::size_t>(1, text.size())))));
}

/// The region an inset magnifies, outlined on the map it comes from (clipped to the map:
/// the inset's padding cells are not on it).
void add_inset_callout(Scene& sc, const Scene& inset, const GridPlacement& g, const Color& ink) {
    const SceneHeatmap& h = inset.heatmaps.front();
    const int64_t r0 = std::max<int64_t>(0, h.row0), c0 = std::max<int64_t>(0, h.col0);
    const int64_t r1 = std::min(g.rows - 1, h.row0 + h.rows - 1), c1 = std::min(g.cols - 1, h.col0 + h.cols - 1);
    if (r0 > r1 || c0 > c1) return;
    sc.rects.push_back({g.x + float(c0) * g.cell - 1, g.y + float(r0) * g.cell - 1, float(c1 - c0 + 1) * g.cell + 2,
                        float(r1 - r0 + 1) * g.cell + 2, Color{0, 0, 0, 0}, ink, 1.5f, RectRole::Marker, 3});
}

std::string shape_text(const Tensor4& t) {
    return std::to_string(t.shape()[1]) + "x" + std::to_string(t.shape()[2]) + "x" + std::to_string(t.shape()[3]);
}

/// Everything the pipeline's builders share: the frame, and where the maps go.
struct PipelineLayout {
    const Session& session;
    const PipelineData& data;
    const StepEngine& engine;
    const SceneOptions& opt;
    FramePosition pos;
    SceneTheme theme;
    bool schematic = false, finished = false;
    int64_t n = 0;            ///< layers
    int64_t animated = 0;     ///< the layer animated
    int64_t in_channel = 0;   ///< the animated layer's input channel drawn
    int64_t current = -1;     ///< the step shown (may be out of range: none)
    float margin = 16, gap = 176, top = 60, cell = 1, band_h = 0;
    bool code = false;        ///< the code line is drawn
    float x_end = 0;          ///< right of the last map plus one gap

    PipelineLayout(const Session& s, const PipelineData& d, const StepEngine& e, const SceneOptions& o)
        : session(s), data(d), engine(e), opt(o) {}
    bool step_shown() const { return current >= 0 && current < engine.step_count(); }
};

/// Layout: one cell size for every map, gaps holding an arrow and the layer's name.
void layout_pipeline(PipelineLayout& lay) {
    const SceneOptions& opt = lay.opt;
    const int64_t n = lay.n;
    const float margin = lay.margin;
    // The gap shrinks with the width (176 px on a wide canvas, 90 px when the maps would
    // get less than half the width), so a narrow canvas still shows the maps.
    lay.gap = n > 0 ? std::clamp((opt.width - 2 * margin) * 0.5f / float(n), 90.0f, 176.0f) : 176.0f;
    // A long nn.Sequential line that would widen the figure beyond the space given is
    // left out: the arrows name every layer.
    lay.code = !opt.code_line.empty() && 0.6f * 13 * float(opt.code_line.size()) <= opt.width - 2 * margin;
    lay.top = lay.code ? 82 : 60;
    const float top = lay.top;
    int64_t total_cols = 0, max_rows = 1;
    for (const Tensor4& m : lay.data.maps) {
        total_cols += int64_t(m.shape()[3]);
        max_rows = std::max<int64_t>(max_rows, int64_t(m.shape()[2]));
    }
    float cell = std::max(0.5f, std::min({(opt.width - 2 * margin - lay.gap * float(n)) / float(total_cols),
                                          (opt.height - top - 90) / float(max_rows), 40.0f}));
    // Maps of a few pixels a cell get the animated step magnified under them (below):
    // on a canvas of given height, keep the room it needs (its title and about 150 px).
    if (opt.inset && !opt.fit_content && cell < kInsetBelowCell)
        cell = std::min(cell, std::max(0.5f, (opt.height - top - 90 - 176) / float(max_rows)));
    lay.cell = cell;
    const float maps_h = float(max_rows) * cell;
    // The band is at least 64 px high where the height allows (the map names need 40 px
    // under it): the arrow labels above and below the arrow stay clear of the caption and
    // of the map names however small the maps are.
    lay.band_h = std::max(maps_h, std::min(64.0f, opt.height - top - 40));
}

/// Caption: the shapes through the stack, and which layer is animated.
void pipeline_caption(const PipelineLayout& lay, Scene& sc) {
    const SceneOptions& opt = lay.opt;
    const StepEngine& engine = lay.engine;
    const float margin = lay.margin;
    std::string shapes = "input " + shape_text(lay.data.maps[0]);
    for (int64_t i = 0; i < lay.n; ++i) shapes += " -> " + shape_text(lay.data.maps[std::size_t(i + 1)]);
    const float room = opt.width - 2 * margin;
    sc.texts.push_back({margin, 8, fitted_size(shapes, 18, room), lay.theme.ink, shapes, false});
    if (lay.code) sc.texts.push_back({margin, 32, 13, Color{lay.theme.ink.r, lay.theme.ink.g, lay.theme.ink.b, 0.75f}, opt.code_line, false});
    if (opt.show_arithmetic) {
        const std::string caption = "animating layer " + std::to_string(lay.animated) + ": " + layer_caption(engine.layer(), engine.geometry()) +
                                    "  (step " + std::to_string(std::min(lay.pos.steps_done, engine.step_count())) + " of " +
                                    std::to_string(engine.step_count()) + ")";
        sc.texts.push_back({margin, lay.code ? 54.0f : 32.0f, fitted_size(caption, 14, room), lay.theme.ink, caption, false});
    }
}

/// Map b (0: the input; b: layer b - 1's output), channel ch, at g; the one being filled
/// holds the animation's partial output (`partial`, known where `landed` or the steps say).
SceneHeatmap map_heatmap(const PipelineLayout& lay, int64_t b, int64_t ch, const GridPlacement& g, const Plane& partial, const CountPlane& landed) {
    const SceneTheme& theme = lay.theme;
    const Tensor4& m = lay.data.maps[std::size_t(b)];
    const int64_t rows = g.rows, cols = g.cols;
    // Every map after the input is a layer's output.
    SceneHeatmap h = SceneHeatmap::at(g, b == 0 ? RectRole::InputCell : RectRole::OutputCell);
    h.layer = b;
    h.channel = ch;
    h.flat = lay.schematic;
    h.flat_fill = b == 0 ? theme.input_plane : theme.output_plane;
    h.empty = theme.empty;
    h.background = theme.background;
    h.grid = Color{theme.ink.r, theme.ink.g, theme.ink.b, lay.cell >= 6 ? 0.3f : 0.0f};
    ValueRange range;  // the finished map's: colours never change during the animation
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) range.add(m(0, ch, r, c));
    h.lo = float(range.lo);
    h.hi = float(range.hi);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) {
            const int64_t k = r * cols + c;
            // Maps before and after the animated layer are drawn finished (their values are known).
            bool known = true;
            double v = m(0, ch, r, c);
            if (b == lay.animated + 1 && !lay.finished) {
                known = lay.engine.is_scatter() ? landed.data()[k] > 0 : k < lay.pos.steps_done;
                v = partial(r, c);
            }
            h.values.push_back(float(v));
            // Maps after the one being filled hold their final values, faded: they are
            // not computed yet in this animation (a plain "done" colour said they were).
            h.styles.push_back(!known ? CellStyle::Empty : b > lay.animated + 1 ? CellStyle::FadedValue : CellStyle::Value);
        }
    return h;
}

/// Map b's name and channel under it, from x.
void map_labels(const PipelineLayout& lay, Scene& sc, int64_t b, int64_t ch, float x) {
    const SceneOptions& opt = lay.opt;
    const Tensor4& m = lay.data.maps[std::size_t(b)];
    const int64_t cols = int64_t(m.shape()[3]), channels = int64_t(m.shape()[1]);
    const float margin = lay.margin;
    const std::string name = (b == 0 ? "input" : "layer " + std::to_string(b - 1) + " output") + " " + shape_text(m);
    const std::string channel_text = "channel " + std::to_string(ch) + " of " + std::to_string(channels);
    const float label_y = lay.top + lay.band_h + 8;
    // The names start under their map, smaller when the map and its gap are narrow,
    // and moved left where they would pass the right edge.
    // A page cut to its content (fit_content: a slide, an export) widens to the last
    // map's names instead: "layer 3 output 1x64x64" under a 64 px map kept its 14 px.
    const float label_room = b < lay.n ? float(cols) * lay.cell + lay.gap - 8 : opt.fit_content ? 1e6f : opt.width - margin - x;
    const float name_size = fitted_size(name, 14, std::max(label_room, 0.0f));
    const float channel_size = fitted_size(channel_text, 12, std::max(label_room, 0.0f));
    auto label_x = [&](const std::string& t, float size) {
        return opt.fit_content ? x : std::max(0.0f, std::min(x, opt.width - margin - 0.6f * size * float(t.size())));
    };
    sc.texts.push_back({label_x(name, name_size), label_y, name_size, lay.theme.ink, name, false});
    sc.texts.push_back({label_x(channel_text, channel_size), label_y + 18, channel_size, lay.theme.ink, channel_text, false});
}

/// The arrow from map b (`cols` wide, at x) to the next, with layer b's name; the
/// animated one in the tap colour.
void layer_arrow(const PipelineLayout& lay, Scene& sc, int64_t b, int64_t cols, float x) {
    const SceneTheme& theme = lay.theme;
    const Layer& L = lay.session.layers[std::size_t(b)];
    const bool is_animated = b == lay.animated;
    const Color pen = is_animated ? theme.accent : Color{theme.ink.r, theme.ink.g, theme.ink.b, 0.7f};
    const float ax0 = x + float(cols) * lay.cell + 14, ax1 = x + float(cols) * lay.cell + lay.gap - 14, ay = lay.top + lay.band_h / 2;
    const float w = is_animated ? 3.0f : 1.5f;
    sc.lines.push_back({ax0, ay, ax1, ay, pen, w});
    sc.lines.push_back({ax1 - 9, ay - 6, ax1, ay, pen, w});
    sc.lines.push_back({ax1 - 9, ay + 6, ax1, ay, pen, w});
    const Tensor4& in = lay.data.maps[std::size_t(b)];
    const LayerGeometry geo = resolve_spatial(L, int64_t(in.shape()[2]), int64_t(in.shape()[3]));
    // The layer's name fits its gap: on one line at 12 px, else the class above the
    // parameters, each line as large as fits.
    const std::string label = arrow_label(L, geo);
    const float label_room = lay.gap - 8;
    const std::size_t space = label.find(' ');
    if (0.6f * 12 * float(label.size()) <= label_room || space == std::string::npos) {
        sc.texts.push_back({(ax0 + ax1) / 2, ay - 22, fitted_size(label, 12, label_room), pen, label, true});
    } else {
        const std::string head = label.substr(0, space), tail = label.substr(space + 1);
        sc.texts.push_back({(ax0 + ax1) / 2, ay - 30, fitted_size(head, 12, label_room), pen, head, true});
        sc.texts.push_back({(ax0 + ax1) / 2, ay - 16, fitted_size(tail, 12, label_room), pen, tail, true});
    }
    if (is_animated) sc.texts.push_back({(ax0 + ax1) / 2, ay + 18, fitted_size("animated", 12, label_room), pen, "animated", true});
}

/// Every map left to right, with its labels and the arrow to the next.
void build_maps(PipelineLayout& lay, Scene& sc) {
    const StepEngine& engine = lay.engine;
    const Plane partial = engine.partial_output(lay.pos.steps_done, lay.pos.extra_taps);
    const CountPlane landed = engine.is_scatter() ? engine.landed_counts(lay.pos.steps_done) : CountPlane{};
    sc.heatmaps.reserve(lay.data.maps.size());
    float x = lay.margin;
    for (int64_t b = 0; b <= lay.n; ++b) {
        const Tensor4& m = lay.data.maps[std::size_t(b)];
        const int64_t rows = int64_t(m.shape()[2]), cols = int64_t(m.shape()[3]);
        const int64_t ch = b == lay.animated ? lay.in_channel : b == lay.animated + 1 ? engine.out_channel() : 0;
        const float y = lay.top + (lay.band_h - float(rows) * lay.cell) / 2;
        const GridPlacement g{x, y, lay.cell, rows, cols};
        sc.stack_maps.push_back(g);
        if (b == lay.animated) sc.input_grid = g;
        if (b == lay.animated + 1) sc.output_grid = g;
        sc.heatmaps.push_back(map_heatmap(lay, b, ch, g, partial, landed));
        map_labels(lay, sc, b, ch, x);
        if (b < lay.n) layer_arrow(lay, sc, b, cols, x);
        x += float(cols) * lay.cell + lay.gap;
    }
    lay.x_end = x;
}

/// Lights cell (r, c) of g (a ring around the focus cell where cells are a few pixels).
void light_cell(const PipelineLayout& lay, Scene& sc, const GridPlacement& g, int64_t r, int64_t c, const Color& color) {
    if (r < 0 || c < 0 || r >= g.rows || c >= g.cols) return;
    const float x0 = g.x + float(c) * g.cell, y0 = g.y + float(r) * g.cell;
    if (g.cell < 6 && color.r == lay.theme.focus.r && color.g == lay.theme.focus.g) {
        // A cell of a few pixels: a ring around it, so the eye finds it.
        const float ring = 14;
        sc.rects.push_back({x0 + g.cell / 2 - ring / 2, y0 + g.cell / 2 - ring / 2, ring, ring, Color{0, 0, 0, 0}, color, 2, RectRole::Marker});
    }
    if (lay.schematic) sc.rects.push_back({x0, y0, g.cell, g.cell, color, Color{0, 0, 0, 0}, 0, RectRole::Highlight});
    else sc.rects.push_back({x0, y0, g.cell, g.cell, Color{0, 0, 0, 0}, color, std::max(1.0f, std::min(2.0f, g.cell / 3)), RectRole::Highlight});
}

std::pair<float, float> cell_centre(const GridPlacement& g, int64_t r, int64_t c) {
    return std::pair<float, float>{g.x + (float(c) + 0.5f) * g.cell, g.y + (float(r) + 0.5f) * g.cell};
}

Color step_line_color(const SceneTheme& theme) { return Color{theme.accent.r * 0.8f, theme.accent.g * 0.8f, theme.accent.b * 0.8f, 0.85f}; }

/// A scatter step: the input cell, the output cells it stamps on, a line to each.
void light_scatter_step(const PipelineLayout& lay, Scene& sc) {
    const ScatterStep s = lay.engine.scatter_step(lay.current);
    const Color line = step_line_color(lay.theme);
    light_cell(lay, sc, sc.input_grid, s.in_y, s.in_x, lay.theme.focus);
    const auto [x0, y0] = cell_centre(sc.input_grid, s.in_y, s.in_x);
    for (const ScatterTap& t : s.taps) {
        if (t.in_channel != lay.in_channel || !t.inside) continue;
        light_cell(lay, sc, sc.output_grid, t.out_y, t.out_x, lay.theme.accent);
        const auto [x1, y1] = cell_centre(sc.output_grid, t.out_y, t.out_x);
        sc.lines.push_back({x0, y0, x1, y1, line, 1.1f});
    }
}

/// A gather step: the kernel's footprint shaded (dilated layers), the taps read, the
/// output cell, a line from each tap.
void light_gather_step(const PipelineLayout& lay, Scene& sc) {
    const StepEngine& engine = lay.engine;
    const SceneTheme& theme = lay.theme;
    const GatherStep s = engine.gather_step(lay.current);
    const Color line = step_line_color(theme);
    // The kernel's footprint on the map (its taps and the gaps between them), shaded:
    // on maps of a few pixels a cell, the dilation's gaps read against it.
    int64_t top_row = INT64_MAX, left = INT64_MAX, bottom_row = -1, right = -1;
    for (const GatherTap& t : s.taps)
        if (t.in_channel == lay.in_channel && t.src_y >= 0) {
            top_row = std::min(top_row, t.src_y), left = std::min(left, t.src_x);
            bottom_row = std::max(bottom_row, t.src_y), right = std::max(right, t.src_x);
        }
    const GridPlacement& g = sc.input_grid;
    if (bottom_row >= 0 && has_window(engine.layer().kind) && !engine.layer().is_pool() && engine.layer().dilation != Pair{1, 1})
        sc.rects.push_back({g.x + float(left) * g.cell, g.y + float(top_row) * g.cell, float(right - left + 1) * g.cell,
                            float(bottom_row - top_row + 1) * g.cell, Color{theme.ink.r, theme.ink.g, theme.ink.b, 0.22f}, theme.accent,
                            1, RectRole::Window});
    light_cell(lay, sc, sc.output_grid, s.out_y, s.out_x, theme.focus);
    const auto [x1, y1] = cell_centre(sc.output_grid, s.out_y, s.out_x);
    for (const GatherTap& t : s.taps) {
        if (t.in_channel != lay.in_channel || t.src_y < 0) continue;  // padding and inserted zeros are not in the map
        light_cell(lay, sc, sc.input_grid, t.src_y, t.src_x, theme.accent);
        const auto [x0, y0] = cell_centre(sc.input_grid, t.src_y, t.src_x);
        sc.lines.push_back({x0, y0, x1, y1, line, 1.1f});
    }
}

/// The animated layer: both maps framed, and the current step lit.
void light_animated_layer(const PipelineLayout& lay, Scene& sc) {
    for (const GridPlacement* g : {&sc.input_grid, &sc.output_grid})
        sc.rects.push_back({g->x - 4, g->y - 4, float(g->cols) * g->cell + 8, float(g->rows) * g->cell + 8, Color{0, 0, 0, 0}, lay.theme.accent, 2,
                            RectRole::Marker});
    if (!lay.step_shown()) return;
    if (lay.engine.is_scatter()) light_scatter_step(lay, sc);
    else light_gather_step(lay, sc);
}

/// Maps of a few pixels a cell: the animated layer's step magnified under them, as the
/// single-layer view does (the taps and their gaps, the cell computed). Returns the
/// bottom of what is drawn.
float add_step_inset(const PipelineLayout& lay, Scene& sc) {
    const SceneOptions& opt = lay.opt;
    const StepEngine& engine = lay.engine;
    const int64_t animated = lay.animated;
    float bottom = lay.top + lay.band_h + 8 + 18 + 12 + 16;
    const float inset_y = lay.top + lay.band_h + 8 + 36 + 24;
    const float inset_side = opt.fit_content ? 196.0f : std::min(196.0f, opt.height - inset_y - 8);
    if (!(opt.inset && lay.cell < kInsetBelowCell && inset_side >= 60 && lay.step_shown())) return bottom;
    SceneOptions inset_opt = opt;
    inset_opt.in_channel = lay.in_channel;
    if (lay.schematic) inset_opt.style = SceneStyle::Schematic;
    inset_opt.output_range = std::array<double, 2>{sc.heatmaps[std::size_t(animated + 1)].lo, sc.heatmaps[std::size_t(animated + 1)].hi};
    Scene inset = build_step_inset(engine, lay.pos, inset_opt, lay.margin, inset_y, inset_side);
    if (inset.inset_grid.rows <= 0) return bottom;
    // (The as-a-convolution view magnifies its zero-inserted grid: not the map drawn.)
    if (engine.is_scatter() || engine.layer().kind != LayerKind::ConvTranspose2d)
        add_inset_callout(sc, inset, engine.is_scatter() ? sc.output_grid : sc.input_grid, lay.theme.ink);
    for (SceneHeatmap& h : inset.heatmaps) {
        h.layer = engine.is_scatter() ? animated + 1 : animated;
        sc.heatmaps.push_back(std::move(h));
    }
    sc.rects.insert(sc.rects.end(), inset.rects.begin(), inset.rects.end());
    sc.lines.insert(sc.lines.end(), inset.lines.begin(), inset.lines.end());
    sc.texts.insert(sc.texts.end(), inset.texts.begin(), inset.texts.end());
    sc.inset_grid = inset.inset_grid;
    sc.inset_row0 = inset.inset_row0;
    sc.inset_col0 = inset.inset_col0;
    return std::max(bottom, inset_y + float(inset.inset_grid.rows) * inset.inset_grid.cell + 16);
}

/// The page cut to what is drawn on it, down to `bottom`.
void fit_pipeline(const PipelineLayout& lay, Scene& sc, float bottom) {
    float right = lay.x_end - lay.gap;
    for (const SceneText& t : sc.texts)
        if (!t.centered) right = std::max(right, t.x + 0.6f * t.size * float(t.text.size()));
    if (sc.inset_grid.rows > 0) right = std::max(right, sc.inset_grid.x + float(sc.inset_grid.cols) * sc.inset_grid.cell);
    sc.width = std::ceil(right + lay.margin);
    sc.height = std::ceil(bottom);
}

}  // namespace

Scene build_pipeline_scene(const Session& session, const PipelineData& data, const Animation& animation, int64_t frame,
                           const SceneOptions& opt) {
    const FramePosition pos = animation.timeline().at(frame);
    PipelineLayout lay(session, data, animation.engine_for(pos.channel), opt);
    lay.pos = pos;
    lay.theme = SceneTheme::make(opt.dark);
    // The stack has no perspective drawing of its own: that style's pipeline is the slide's.
    lay.schematic = opt.style != SceneStyle::Values;
    lay.n = int64_t(session.layers.size());
    lay.animated = std::clamp<int64_t>(session.layer_index, 0, lay.n - 1);
    lay.finished = pos.steps_done >= lay.engine.step_count() && pos.extra_taps == 0;
    lay.in_channel = std::clamp<int64_t>(opt.in_channel, 0, lay.engine.layer().in_channels - 1);
    lay.current = pos.shown_step >= 0 ? pos.shown_step : pos.extra_taps > 0 || pos.steps_done == 0 ? pos.steps_done : pos.steps_done - 1;
    // PixelShuffle moves channels to space: each output cell copies one input channel,
    // which changes along a row (the cell's phase, (r mod s) * s + c mod s). The map drawn
    // is the one the step reads, so the copies are seen interleaving (0, 1, 0, 1, ...).
    if (lay.engine.layer().kind == LayerKind::PixelShuffle && lay.current >= 0 && lay.current < lay.engine.step_count()) {
        const GatherStep read = lay.engine.gather_step(lay.current);
        if (!read.taps.empty()) lay.in_channel = read.taps.front().in_channel;
    }
    Scene sc;
    sc.background = lay.theme.background;
    sc.width = opt.width;
    sc.height = opt.height;
    layout_pipeline(lay);
    pipeline_caption(lay, sc);
    build_maps(lay, sc);
    light_animated_layer(lay, sc);
    const float bottom = add_step_inset(lay, sc);
    if (opt.fit_content) fit_pipeline(lay, sc, bottom);
    return sc;
}

}  // namespace convscope
