#include "core/scene/scene_chain_figure.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>

#include "core/anim/session.hpp"
#include "core/io/pycode.hpp"
#include "core/scene/scene_theme.hpp"
#include "core/scene/text_metrics.hpp"

namespace convscope {

using std::int64_t;

// Purple: the input is blue, the weights orange, the output teal and the stamped cell's
// crimson is the single-layer slides' (one meaning a colour across the three seed slides).
const Color kFeaturePlane{0.50f, 0.30f, 0.72f, 1};

namespace {

/// The slide's type: words and numbers 30 px in a figure about 1900x1000, so that fitted
/// on a 1920x1080 slide under a slide title of its own (960 px left) they stay 28 px or
/// more, what a back row reads. The input's numbers sit in 96 px cells ("-0.64" at 30 px
/// is about 78 px in DejaVu Sans), W's and the output's in 120 px ones (outputs sum 16
/// channels: "-13.48", about 97 px); the feature cell is the one value the slide is about.
constexpr float kText = 34, kTitle = 42, kNumber = 32, kCell = 98, kBlockCell = 120, kFeatureCell = 140, kFeatureNumber = 36;
/// The code line is the widest text (the stack's nn.Sequential, 98 characters): a little
/// smaller than the words, still over 28 px.
/// The layers' words over and under their arrows: the gaps between the parts are as wide as they are.
constexpr float kCode = 30, kArrowText = 30;
/// The key's words: it sits in the room between two maps.
constexpr float kKeyText = 30, kKeyLine = kKeyText + 6;
constexpr float kMargin = 24, kLine = kText + 6;
/// The whole maps under the parts, 2 px a cell whatever the map, so that the 128x128
/// output is drawn twice the 64x64 input (the upsampling seen); their smallest box.
constexpr float kLocatorCell = 2, kLocatorBox = 18;
/// The chain's cells: no numbers in them, so smaller than the halves' (its words then
/// come out larger on a slide: the figure is narrower for the same type).
constexpr float kChainCell = 64, kChainBlockCell = 80, kChainFeatureCell = 96;

/// Width of `s` in `size` px type (DejaVu Sans, as drawn).
float text_width(const std::string& s, float size) { return size * dejavu_advance_em(s); }

std::string times(int64_t a, int64_t b) { return std::to_string(a) + "\u00d7" + std::to_string(b); }

/// What the slide shows, all from the engines: the feature cell the frame's step stamps,
/// the channel drawn, its value, the first layer's step that computes it, the weights
/// that stamp it and the output block it lands in.
struct ChainNumbers {
    int64_t fr = 0, fc = 0;          ///< the feature cell (the second layer's input cell)
    int64_t step = 0;                ///< the drawn step of the animated layer (row-major over its cells)
    /// Its steps done at this frame (row granularity draws a row's middle cell once the row
    /// is done); at least the drawn one, whose result the slide shows.
    int64_t steps_done = 0;
    int64_t feature_ch = 0, out_ch = 0, in_ch = 0;
    double x = 0;                    ///< its value: the second layer's input, as the core computed it
    GatherStep read;                 ///< the first layer's step that computes it (feature_ch's filter)
    std::vector<ScatterTap> block;   ///< feature_ch's taps of the stamp: W and where each lands
    std::array<double, 4> output{};  ///< the output at the block's cells (row-major): Σ over every feature channel + bias
    int64_t block_r0 = 0, block_c0 = 0;
    int64_t span_r0 = 0, span_c0 = 0, span_h = 0, span_w = 0;  ///< the input cells it reads (padding < 0)
    Pair dilation{1, 1};             ///< the first layer's: its taps this far apart
    /// What the slide draws: the chain, its left half (the Conv2d alone: the input's span
    /// -> the output cell it computes, drawn as the chain's feature cell) or its right half
    /// (the up-convolution alone: its input cell is the chain's feature cell).
    enum class Part { Chain, Read, Stamp } part = Part::Chain;
    bool reads() const { return part != Part::Stamp; }
    bool stamps() const { return part != Part::Read; }
    /// What the cell in the middle is called: "feature cell", "output cell" or "input cell".
    const char* cell_noun() const { return part == Part::Chain ? "feature" : part == Part::Read ? "output" : "input"; }
    std::array<int64_t, 3> channels{}, rows{}, cols{};       ///< input, features, output
    /// The parts' cells, and whether they carry their numbers: each half's slide writes
    /// its arithmetic; the chain says how the parts connect, its cells smaller and its
    /// words larger (blind readings: too dense, numbers that invite sums they cannot check).
    float cell = kCell, block_cell = kBlockCell, feature_cell = kFeatureCell;
    bool numbers = true;
};

/// Map i's shape as the slide writes it: "3×64×64" (0 the input, 1 the features, 2 the output).
std::string map_shape(const ChainNumbers& n, std::size_t i) { return std::to_string(n.channels[i]) + "\u00d7" + times(n.rows[i], n.cols[i]); }

int64_t shown_step(const StepEngine& e, const FramePosition& f) {
    const int64_t k = f.shown_step >= 0 ? f.shown_step : f.extra_taps > 0 || f.steps_done == 0 ? f.steps_done : f.steps_done - 1;
    return std::clamp<int64_t>(k, 0, e.step_count() - 1);
}

/// The feature channel drawn: the one asked for, or the first after it whose value at
/// the cell is not 0 (a stamp of zeros shows nothing).
int64_t drawn_feature_channel(const StepEngine& second, const ScatterStep& stamp, int64_t requested) {
    const int64_t channels = second.layer().in_channels / second.layer().groups;
    const int64_t first = std::clamp<int64_t>(requested, 0, channels - 1);
    for (int64_t k = 0; k < channels; ++k) {
        const int64_t ci = (first + k) % channels;
        const auto t = std::find_if(stamp.taps.begin(), stamp.taps.end(), [&](const ScatterTap& s) { return s.in_channel == ci; });
        if (t != stamp.taps.end() && t->value != 0) return ci;
    }
    return first;
}

/// The first layer's numbers: its step (the cell it computes), the span that step reads
/// (padding < 0) and the input's size.
void add_read_numbers(ChainNumbers& n, const StepEngine& first, int64_t step) {
    n.read = first.gather_step(step);
    const AxisGeometry& gh = first.geometry().h();
    const AxisGeometry& gw = first.geometry().w();
    n.span_r0 = n.read.out_y * gh.stride - gh.pad_before;
    n.span_c0 = n.read.out_x * gw.stride - gw.pad_before;
    n.dilation = first.layer().dilation;
    n.span_h = gh.span();
    n.span_w = gw.span();
    n.channels[0] = first.layer().in_channels;
    n.rows[0] = gh.in;
    n.cols[0] = gw.in;
}

/// The Conv2d alone (the chain's left half): the output cell of the frame's step, its value and channel.
ChainNumbers read_numbers(const StepEngine& conv, const FramePosition& frame, const SceneOptions& opt) {
    ChainNumbers n;
    n.part = ChainNumbers::Part::Read;
    n.step = shown_step(conv, frame);
    n.steps_done = std::max(frame.steps_done, n.step + 1);
    add_read_numbers(n, conv, n.step);
    n.fr = n.read.out_y;
    n.fc = n.read.out_x;
    n.feature_ch = conv.out_channel();
    n.in_ch = std::clamp<int64_t>(opt.in_channel, 0, conv.layer().in_channels / conv.layer().groups - 1);
    n.x = n.read.result;
    n.channels[1] = conv.layer().out_channels;
    n.rows[1] = conv.geometry().h().out;
    n.cols[1] = conv.geometry().w().out;
    return n;
}

ChainNumbers chain_numbers(const StepEngine& second, const FramePosition& frame, const SceneOptions& opt) {
    if (!second.is_scatter()) return read_numbers(second, frame, opt);
    ChainNumbers n;
    n.step = shown_step(second, frame);
    n.steps_done = std::max(frame.steps_done, n.step + 1);
    const ScatterStep stamp = second.scatter_step(n.step);
    n.fr = stamp.in_y;
    n.fc = stamp.in_x;
    n.out_ch = second.out_channel();
    n.feature_ch = drawn_feature_channel(second, stamp, opt.in_channel);
    for (const ScatterTap& t : stamp.taps)
        if (t.in_channel == n.feature_ch) n.block.push_back(t);
    n.x = n.block.empty() ? 0 : n.block.front().value;
    // The block's cells as the layer outputs them: every feature channel's x × W landed, and the bias.
    n.block_r0 = n.block_c0 = INT64_MAX;
    for (const ScatterTap& t : n.block) {
        n.block_r0 = std::min(n.block_r0, t.out_y);
        n.block_c0 = std::min(n.block_c0, t.out_x);
    }
    const Plane out = second.partial_output(second.step_count());
    for (const ScatterTap& t : n.block)
        n.output[std::size_t((t.out_y - n.block_r0) * 2 + (t.out_x - n.block_c0))] = out(std::size_t(t.out_y), std::size_t(t.out_x));
    n.channels = {0, second.layer().in_channels, second.layer().out_channels};
    n.rows = {0, second.geometry().h().in, second.geometry().h().out};
    n.cols = {0, second.geometry().w().in, second.geometry().w().out};
    if (!opt.stack_first) {
        n.part = ChainNumbers::Part::Stamp;
        return n;
    }
    n.cell = kChainCell;
    n.block_cell = kChainBlockCell;
    n.feature_cell = kChainFeatureCell;
    n.numbers = false;
    const LayerData& data = *opt.stack_first;
    const StepEngine first(data.layer, data.input, data.weights, 0, n.feature_ch);
    add_read_numbers(n, first, n.fr * first.step_row_length() + n.fc);
    return n;
}

void add_text(Scene& sc, float x, float y, float size, const Color& ink, const std::string& s, bool centered = false) {
    sc.texts.push_back({x, y, size, ink, s, centered});
}

/// Lines of `size` px words centred over x, the last one ending `gap` px above y.
void add_lines_above(Scene& sc, float x, float y, const Color& ink, const std::vector<std::string>& lines, float gap = 8, float size = kText) {
    const float line = size + 6;
    float top = y - gap - line * float(lines.size());
    for (const std::string& s : lines) {
        add_text(sc, x, top + size / 2, size, ink, s, true);
        top += line;
    }
}

/// An arrow from (x0, y) to (x1, y), its head a filled triangle.
void add_arrow(Scene& sc, float x0, float x1, float y, const Color& ink) { add_right_arrow(sc, x0, x1, y, ink, 22, 12); }

/// A cell with its number (or none), the number's ink chosen against the fill.
void add_cell(Scene& sc, float x, float y, float w, float h, const Color& fill, const Color& ink, RectRole role, const std::string& number,
              float size = kNumber) {
    sc.rects.push_back({x, y, w, h, fill, Color{ink.r, ink.g, ink.b, 0.55f}, 1, role});
    if (!number.empty()) add_text(sc, x + w / 2, y + h / 2, size, text_on(fill, ink), number, true);
}

/// The last rect added stands for input cell (row, col), a tap of the step in `state`.
void index_last_rect(Scene& sc, TapState state, int64_t row, int64_t col) {
    SceneRect& r = sc.rects.back();
    r.state = state;
    r.indexed = true;
    r.row = row;
    r.col = col;
}

/// The channels behind a part, as the planes of a stack: `behind` copies of its
/// (w x h) outline, each `step` px up and right of the one in front, paler.
void add_stack(Scene& sc, float x, float y, float w, float h, int64_t behind, float step, const Color& plane, const SceneTheme& theme) {
    const Color& ink = theme.ink;
    for (int64_t i = behind; i >= 1; --i)
        sc.rects.push_back({x + float(i) * step, y - float(i) * step, w, h, mix(plane, theme.background, 0.45f), Color{ink.r, ink.g, ink.b, 0.45f},
                            1, RectRole::Other});
}

/// How far up and right a stack of `channels` planes reaches past its front plane: a few
/// planes drawn apart, many drawn close (16 channels: 15 planes 3 px apart).
float stack_step(int64_t channels) { return channels <= 4 ? 8.0f : 3.0f; }
float stack_depth(int64_t channels) { return float(std::min<int64_t>(channels, 16) - 1) * stack_step(channels); }

/// The colour of the cells that dilation skips: the input's blue washed out toward the
/// background, holes in the kernel's reach. 3:1 against the input's blue (WCAG's contrast
/// for graphics): two blind readings found a darker blue, 1.4:1, hard to tell from the input.
Color skipped_color(const SceneTheme& theme) { return mix(theme.input_plane, theme.background, 0.85f); }

/// The side of the input zoom: the span.
float zoom_side(const ChainNumbers& n, int64_t span) { return float(span) * n.cell; }

/// The input zoom, top-left at (x, y): the span of input channel in_ch, the other
/// channels stacked behind; the 9 taps orange with their weights, the cells between them
/// that dilation skips shaded, padding cells (outside the map) blank, the span outlined.
void add_input_zoom(Scene& sc, const ChainNumbers& n, const SceneTheme& theme, float x, float y) {
    const float side_w = zoom_side(n, n.span_w), side_h = zoom_side(n, n.span_h);
    add_stack(sc, x, y, side_w, side_h, std::min<int64_t>(n.channels[0], 16) - 1, stack_step(n.channels[0]), theme.input_plane, theme);
    const float sx = x, sy = y;  // the span's top-left
    for (int64_t r = 0; r < n.span_h; ++r)
        for (int64_t c = 0; c < n.span_w; ++c) {
            const int64_t ir = n.span_r0 + r, ic = n.span_c0 + c;
            const bool in_map = ir >= 0 && ic >= 0 && ir < n.rows[0] && ic < n.cols[0];
            // The cells between the taps (not on a multiple of the dilation).
            const bool skipped = r % n.dilation.h != 0 || c % n.dilation.w != 0;
            add_cell(sc, sx + float(c) * n.cell, sy + float(r) * n.cell, n.cell, n.cell,
                     !in_map ? theme.empty : skipped ? skipped_color(theme) : theme.input_plane, theme.ink, RectRole::Inset, "");
            index_last_rect(sc, TapState::None, ir, ic);
        }
    for (const GatherTap& t : n.read.taps) {
        if (t.in_channel != n.in_ch) continue;
        const int64_t r = t.ky * n.dilation.h, c = t.kx * n.dilation.w;
        // A tap of the step, in input coordinates (SVG: class "tap"); the cell shows its value, so all are summed.
        add_cell(sc, sx + float(c) * n.cell, sy + float(r) * n.cell, n.cell, n.cell, theme.accent, theme.ink, RectRole::Highlight,
                 n.numbers ? stamp_number(t.weight, n.cell, kNumber) : "");
        index_last_rect(sc, TapState::Summed, n.span_r0 + r, n.span_c0 + c);
    }
    sc.rects.push_back({sx - 2, sy - 2, float(n.span_w) * n.cell + 4, float(n.span_h) * n.cell + 4, Color{0, 0, 0, 0}, theme.ink, 5,
                        RectRole::Marker});
    // The dilated layer alone ("..., not 3×3"): the k x k the same kernel reads without
    // dilation, dashed round the centre of the span.
    if (n.part == ChainNumbers::Part::Read) {
        const int64_t kh = (n.span_h - 1) / n.dilation.h + 1, kw = (n.span_w - 1) / n.dilation.w + 1;
        const float ox = sx + float(n.span_w - kw) / 2 * n.cell, oy = sy + float(n.span_h - kh) / 2 * n.cell;
        SceneRect plain{ox + 3, oy + 3, float(kw) * n.cell - 6, float(kh) * n.cell - 6, Color{0, 0, 0, 0}, theme.ink, 3, RectRole::Marker};
        plain.dash = 12;
        sc.rects.push_back(plain);
    }
}

}  // namespace

namespace {

/// The words of the slide: each part's name over it, each layer's over and under its arrow.
struct ChainWords {
    std::vector<std::string> zoom, read_above, read_below, feature, weights, stamp_above, stamp_below, block;
};

std::string pair_text(const char* name, const Pair& p) {
    return std::string(name) + "=" + (p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "x" + std::to_string(p.w));
}

/// A layer's parameters past PyTorch's defaults: "k=3 d=2", "k=2 s=2".
std::string layer_params(const Layer& L) {
    std::string p = pair_text("k", L.kernel);
    if (L.stride != Pair{1, 1}) p += " " + pair_text("s", L.stride);
    if (L.dilation != Pair{1, 1}) p += " " + pair_text("d", L.dilation);
    return p;
}

ChainWords chain_words(const ChainNumbers& n, const Layer& first, const Layer& second) {
    ChainWords w;
    const int64_t cin = first.in_channels / first.groups;
    const std::string of16 = " of " + std::to_string(n.channels[1]);
    if (n.reads()) {
        // Its numbers are the weights (the taps'): said over it, so that no one reads them as the input's values.
        const std::string taps = std::to_string(n.read.taps.size() / std::size_t(std::max<int64_t>(1, first.in_channels / first.groups)));
        const std::string apart = n.dilation.h == n.dilation.w && n.dilation.h > 1 ? ", " + std::to_string(n.dilation.h) + " apart" : "";
        w.zoom = {"input ch " + std::to_string(n.in_ch) + " of " + std::to_string(n.channels[0]) + ",",
                  n.numbers ? "with the " + taps + " weights on it" : "its " + taps + " taps" + apart};
        w.read_above = {std::string(class_name(first.kind)), layer_params(first)};
        w.read_below = {"\u03a3 over " + std::to_string(cin) + " ch"};
        if (first.bias) w.read_below.push_back("+ bias");
    }
    // Three short lines: the names over the cell and over W are what spaces them apart.
    w.feature = {std::string(n.cell_noun()) + " cell", "[" + std::to_string(n.fr) + ", " + std::to_string(n.fc) + "]", "ch " + std::to_string(n.feature_ch) + of16};
    w.weights = {"W, learned", std::to_string(n.channels[1]) + " ch \u00d7 " + times(second.kernel.h, second.kernel.w)};
    w.stamp_above = {std::string(class_name(second.kind)), layer_params(second)};
    // The block is the layer's output: this cell's x × W plus the other channels' (the arrow
    // says so, so that x × W ≠ the block does not read as an error).
    w.stamp_below = {"+ " + std::to_string(n.channels[1] - 1) + " more ch"};
    if (second.bias) w.stamp_below.push_back("+ bias");
    w.block = {"output block", "ch " + std::to_string(n.out_ch) + " of " + std::to_string(n.channels[2])};
    return w;
}

float widest(const std::vector<std::string>& lines, float size = kText) {
    float w = 0;
    for (const std::string& s : lines) w = std::max(w, text_width(s, size));
    return w;
}

/// Where the parts go, left to right on one middle line: the input zoom, the first
/// layer's arrow, the feature cell, "×", W, the second layer's arrow, the output block;
/// each stacked with its channels behind. Each gap holds its arrow's words, and the
/// names over two neighbours never meet.
struct ChainPlaces {
    float zoom_x = kMargin, zoom_y = 0, zoom_w = 0, zoom_h = 0, mid = 0, feature_x = 0, w_x = 0, block_x = 0, right = 0;
    /// The tops of the whole maps under the input, the features and the output.
    float input_locator_y = 0, feature_locator_y = 0, output_locator_y = 0;
    float zoom_depth = 0, feature_depth = 0, w_depth = 0, block_depth = 0;
};

ChainPlaces chain_places(const ChainNumbers& n, const ChainWords& w, float header_bottom) {
    ChainPlaces p;
    p.feature_depth = p.w_depth = stack_depth(n.channels[1]);
    p.block_depth = stack_depth(n.channels[2]);
    const float two = 2 * n.block_cell;
    // The widest the feature's name gets on this map, so that an animation's frames keep one layout.
    const std::string widest_cell = "[" + std::to_string(n.rows[1] - 1) + ", " + std::to_string(n.cols[1] - 1) + "]";
    const float feature_name = std::max(widest(w.feature), text_width(widest_cell, kText));
    if (n.reads()) {
        p.zoom_w = zoom_side(n, n.span_w);
        p.zoom_h = zoom_side(n, n.span_h);
        p.zoom_x = kMargin + std::max(0.0f, widest(w.zoom) / 2 - p.zoom_w / 2);  // its name, centred over it, inside the figure
        p.zoom_depth = stack_depth(n.channels[0]);
        p.zoom_y = header_bottom + 10 + kLine * float(w.zoom.size()) + 6 + p.zoom_depth;
        p.mid = p.zoom_y + p.zoom_h / 2;
        const float gap1 = std::max(widest(w.read_above, kArrowText), widest(w.read_below, kArrowText)) + 36;
        p.feature_x = p.zoom_x + p.zoom_w + p.zoom_depth + gap1;
    } else {
        // The up-convolution alone starts at its input cell, under W's two lines of name.
        p.mid = header_bottom + 10 + kLine * float(w.weights.size()) + 6 + p.w_depth + n.block_cell;
        // (Its whole map's name, centred under it, is as wide as its own.)
        const float map_name = text_width("input " + map_shape(n, 1), kText);
        p.feature_x = kMargin + std::max(0.0f, std::max(feature_name, map_name) / 2 - n.feature_cell / 2);
    }
    const float f_mid = p.feature_x + n.feature_cell / 2;
    if (!n.stamps()) {  // the Conv2d alone ends at its output cell
        p.right = std::max(p.feature_x + n.feature_cell + p.feature_depth, f_mid + feature_name / 2);
        p.input_locator_y = p.feature_locator_y = p.zoom_y + p.zoom_h + 34;
        return p;
    }
    // The names over the feature cell and W are centred on them and must not meet.
    const float min_centres = feature_name / 2 + widest(w.weights) / 2 + 16;
    p.w_x = std::max(p.feature_x + n.feature_cell + p.feature_depth + 64, f_mid + min_centres - two / 2);
    const float gap2 = std::max(widest(w.stamp_above, kArrowText), widest(w.stamp_below, kArrowText)) + 36;
    p.block_x = p.w_x + two + p.w_depth + gap2;
    p.right = std::max(p.block_x + two + p.block_depth, p.block_x + two / 2 + widest(w.block) / 2);
    // One row under the zoom, or under W alone (the output's map, twice as tall, reaches lower).
    p.input_locator_y = p.feature_locator_y = p.output_locator_y = (n.reads() ? p.zoom_y + p.zoom_h : p.mid + n.block_cell) + 34;
    return p;
}

}  // namespace

namespace {

/// The middle of the slide: the zoom and its name, the arrows with the layers' words, the
/// feature cell with its value, "×" W with its weights, and the output block.
void add_chain_row(Scene& sc, const ChainNumbers& n, const ChainWords& w, const ChainPlaces& p, const SceneTheme& theme) {
    const Color& ink = theme.ink;
    if (n.reads()) {
        add_lines_above(sc, p.zoom_x + p.zoom_w / 2, p.zoom_y - p.zoom_depth, ink, w.zoom, 6);
        add_input_zoom(sc, n, theme, p.zoom_x, p.zoom_y);
        // First layer: zoom -> feature cell.
        const float zoom_right = p.zoom_x + p.zoom_w + p.zoom_depth;
        add_arrow(sc, zoom_right + 14, p.feature_x - 14, p.mid, ink);
        const float a1 = (zoom_right + p.feature_x) / 2;
        add_lines_above(sc, a1, p.mid, ink, w.read_above, 12, kArrowText);
        add_lines_above(sc, a1, p.mid + 16 + (kArrowText + 6) * float(w.read_below.size()), ink, w.read_below, 0, kArrowText);
    }
    // The feature cell, its value as the second layer reads it, its 16 channels behind.
    const float fy = p.mid - n.feature_cell / 2;
    add_stack(sc, p.feature_x, fy, n.feature_cell, n.feature_cell, std::min<int64_t>(n.channels[1], 16) - 1, stack_step(n.channels[1]), kFeaturePlane,
              theme);
    add_cell(sc, p.feature_x, fy, n.feature_cell, n.feature_cell, kFeaturePlane, ink, n.stamps() ? RectRole::InputCell : RectRole::OutputCell,
             n.numbers ? stamp_number(n.x, n.feature_cell, kFeatureNumber) : "", kFeatureNumber);
    add_lines_above(sc, p.feature_x + n.feature_cell / 2, fy - p.feature_depth, ink, w.feature);
    if (!n.stamps()) return;
    add_text(sc, (p.feature_x + n.feature_cell + p.feature_depth + p.w_x) / 2, p.mid, 2 * kText, ink, "\u00d7", true);
    // W: the second layer's weights from the drawn feature channel to the output channel, the others behind.
    const float wy = p.mid - n.block_cell;
    add_stack(sc, p.w_x, wy, 2 * n.block_cell, 2 * n.block_cell, std::min<int64_t>(n.channels[1], 16) - 1, stack_step(n.channels[1]), theme.accent, theme);
    sc.kernel_grid = {p.w_x, wy, n.block_cell, 2, 2};
    for (const ScatterTap& t : n.block)
        add_cell(sc, p.w_x + float(t.kx) * n.block_cell, wy + float(t.ky) * n.block_cell, n.block_cell, n.block_cell, theme.accent, ink, RectRole::KernelCell,
                 n.numbers ? stamp_number(t.weight, n.block_cell, kNumber) : "");
    add_lines_above(sc, p.w_x + n.block_cell, wy - p.w_depth, ink, w.weights);
    // Second layer: W -> the block, each cell the layer's output there.
    const float w_right = p.w_x + 2 * n.block_cell + p.w_depth;
    add_arrow(sc, w_right + 14, p.block_x - 14, p.mid, ink);
    const float a2 = (w_right + p.block_x) / 2;
    add_lines_above(sc, a2, p.mid, ink, w.stamp_above, 12, kArrowText);
    add_lines_above(sc, a2, p.mid + 16 + (kArrowText + 6) * float(w.stamp_below.size()), ink, w.stamp_below, 0, kArrowText);
    add_stack(sc, p.block_x, wy, 2 * n.block_cell, 2 * n.block_cell, std::min<int64_t>(n.channels[2], 16) - 1, stack_step(n.channels[2]), theme.output_plane,
              theme);
    sc.inset_grid = {p.block_x, wy, n.block_cell, 2, 2};
    sc.inset_row0 = n.block_r0;
    sc.inset_col0 = n.block_c0;
    for (std::size_t i = 0; i < 4; ++i)
        add_cell(sc, p.block_x + float(i % 2) * n.block_cell, wy + float(i / 2) * n.block_cell, n.block_cell, n.block_cell, theme.output_plane, ink, RectRole::OutputCell,
                 n.numbers ? stamp_number(n.output[i], n.block_cell, kNumber) : "");
    add_lines_above(sc, p.block_x + n.block_cell, wy - p.block_depth, ink, w.block);
}

/// A whole map drawn as a locator: its size, what its cells are (SVG data attributes: the
/// map, 0 the input and L + 1 the output of layer L, and the channel), its plane's colour,
/// and, for a map being computed, which cells are done at this frame (SVG data-state done
/// or empty; null: no state, an input). A locator is drawn whole, in its plane's colour: it
/// says where the part sits in its map (a slide's blind reading found a half-grey map a
/// scan order the slide need not teach; the app's canvas shows the output filling in).
struct LocatorMap {
    int64_t rows = 0, cols = 0;
    RectRole role = RectRole::InputCell;
    int64_t layer = 0, channel = 0;
    Color plane;
    std::function<bool(int64_t, int64_t)> done;
};

/// One whole map under its part, kLocatorCell px a cell, centred on centre_x: its cells
/// (one rect each in SVG, with the contract's attributes), a box round cells [r0, r0 +
/// rows) x [c0, c0 + cols) (at least kLocatorBox), lines from the box's top corners up to
/// the part's bottom corners (part_x0, part_x1 at part_y), and its name and shape under
/// it. Returns where the map was put.
GridPlacement add_locator(Scene& sc, const SceneTheme& theme, float centre_x, float y, const LocatorMap& map, double r0, double c0, double rows,
                          double cols, float part_x0, float part_x1, float part_y, const std::string& name) {
    const Color& ink = theme.ink;
    const float cell = kLocatorCell;
    const float w = float(map.cols) * cell, h = float(map.rows) * cell, x = centre_x - w / 2;
    const GridPlacement placed{x, y, cell, map.rows, map.cols};
    SceneHeatmap cells = SceneHeatmap::at(placed, map.role);
    cells.flat = true;
    cells.flat_fill = map.plane;
    cells.empty = theme.empty;
    cells.background = theme.background;
    cells.layer = map.layer;
    cells.channel = map.channel;
    const std::size_t count = std::size_t(map.rows * map.cols);
    cells.values.assign(count, 0.0f);
    cells.styles.assign(count, CellStyle::Value);
    if (map.done) {
        cells.states.assign(count, CellState::Done);
        for (int64_t r = 0; r < map.rows; ++r)
            for (int64_t c = 0; c < map.cols; ++c)
                if (!map.done(r, c)) cells.states[std::size_t(r * map.cols + c)] = CellState::Empty;
    }
    sc.heatmaps.push_back(std::move(cells));
    sc.rects.push_back({x, y, w, h, Color{0, 0, 0, 0}, Color{ink.r, ink.g, ink.b, 0.45f}, 1, RectRole::Other});
    const float cx = x + float(c0 + cols / 2) * cell, cy = y + float(r0 + rows / 2) * cell;
    const float bw = std::max(float(cols) * cell + 2, kLocatorBox), bh = std::max(float(rows) * cell + 2, kLocatorBox);
    sc.rects.push_back({cx - bw / 2, cy - bh / 2, bw, bh, Color{0, 0, 0, 0}, ink, 2, RectRole::Marker});
    sc.lines.push_back({cx - bw / 2, cy - bh / 2, part_x0, part_y, ink, 1.5f});
    sc.lines.push_back({cx + bw / 2, cy - bh / 2, part_x1, part_y, ink, 1.5f});
    add_text(sc, centre_x, y + h + 10 + kText / 2, kText, ink, name, true);
    return placed;
}

/// The three locators: the input with the zoom's region, the features with the cell, the
/// output with the block. A map being computed says (SVG) which cells are done at this
/// frame: the Conv2d's first steps_done outputs (row-major), the blocks of the
/// up-convolution's first steps_done input cells (each output cell of a k=2 s=2 layer lies
/// in one block).
void add_locators(Scene& sc, const ChainNumbers& n, const ChainPlaces& p, const SceneTheme& theme) {
    using Part = ChainNumbers::Part;
    const float zoom_mid = p.zoom_x + p.zoom_w / 2, zoom_bottom = p.zoom_y + p.zoom_h;
    if (n.reads())
        sc.input_grid = add_locator(sc, theme, zoom_mid, p.input_locator_y, {n.rows[0], n.cols[0], RectRole::InputCell, 0, n.in_ch, theme.input_plane, nullptr},
                                    double(n.span_r0), double(n.span_c0), double(n.span_h), double(n.span_w), p.zoom_x, p.zoom_x + p.zoom_w,
                                    zoom_bottom, "input " + map_shape(n, 0));
    const float fx = p.feature_x + n.feature_cell / 2, fy = p.mid + n.feature_cell / 2;
    LocatorMap features{n.rows[1], n.cols[1], RectRole::InputCell, n.part == Part::Chain ? 1 : 0, n.feature_ch, kFeaturePlane, nullptr};
    if (n.part == Part::Read) {
        features.role = RectRole::OutputCell;
        features.layer = 1;
        features.done = [&n](int64_t r, int64_t c) { return r * n.cols[1] + c < n.steps_done; };
    }
    const GridPlacement placed = add_locator(sc, theme, fx, p.feature_locator_y, features, double(n.fr), double(n.fc), 1, 1, p.feature_x,
                                             p.feature_x + n.feature_cell, fy,
                                             (n.part == Part::Chain ? "features " : n.part == Part::Read ? "output " : "input ") + map_shape(n, 1));
    if (n.part == Part::Stamp) sc.input_grid = placed;  // the up-convolution's input
    if (!n.stamps()) {
        sc.output_grid = placed;  // the Conv2d's output
        return;
    }
    const float bx = p.block_x + n.block_cell, by = p.mid + n.block_cell;
    const LocatorMap output{n.rows[2], n.cols[2], RectRole::OutputCell, n.part == Part::Chain ? 2 : 1, n.out_ch, theme.output_plane,
                            [&n](int64_t r, int64_t c) { return (r / 2) * n.cols[1] + c / 2 < n.steps_done; }};
    sc.output_grid = add_locator(sc, theme, bx, p.output_locator_y, output, double(n.block_r0), double(n.block_c0), 2, 2, p.block_x,
                                 p.block_x + 2 * n.block_cell, by, "output " + map_shape(n, 2));
}

/// A key entry: its swatch (fill, outline and its width) and its words, one or more lines.
struct ChainKeyEntry {
    Color fill, outline;
    float outline_width = 1;
    std::vector<std::string> lines;
    float dash = 0;  ///< the outline dashed (SceneRect::dash); 0: solid
};

/// What the unnamed colours and the outline are (the planes are named where they are drawn).
std::vector<ChainKeyEntry> chain_key(const ChainNumbers& n, const SceneTheme& theme) {
    const Color& ink = theme.ink;
    const Color edge{ink.r, ink.g, ink.b, 0.45f};
    // The weights are named where they are drawn ("W, learned"; "with the 9 weights on
    // it"), and a thin box with its two callout lines reads as "this part of that map":
    // the key keeps what a picture alone does not say (blind readings: fewer entries).
    std::vector<ChainKeyEntry> key;
    if (!n.reads()) return key;
    if (n.dilation != Pair{1, 1}) key.push_back({skipped_color(theme), edge, 1, {"skipped by dilation"}});
    if (n.span_r0 < 0 || n.span_c0 < 0 || n.span_r0 + n.span_h > n.rows[0] || n.span_c0 + n.span_w > n.cols[0])
        key.push_back({theme.empty, edge, 1, {"padding (0)"}});
    key.push_back({Color{0, 0, 0, 0}, ink, 5, {"the " + times(n.span_h, n.span_w) + " span: the output", std::string(n.stamps() ? "block" : "cell") + "'s receptive field"}});
    if (n.part == ChainNumbers::Part::Read) {
        const int64_t kh = (n.span_h - 1) / n.dilation.h + 1, kw = (n.span_w - 1) / n.dilation.w + 1;
        key.push_back({Color{0, 0, 0, 0}, ink, 3, {"the " + times(kh, kw) + " it would read", "without dilation"}, 8});
    }
    return key;
}

float key_entry_width(const ChainKeyEntry& e) {
    float w = 0;
    for (const std::string& s : e.lines) w = std::max(w, text_width(s, kKeyText));
    return kKeyText + 10 + w;
}

void add_key_entry(Scene& sc, const SceneTheme& theme, float x, float y, const ChainKeyEntry& e) {
    SceneRect swatch{x, y, kKeyText, kKeyText, e.fill, e.outline, e.outline_width, RectRole::Legend};
    swatch.dash = e.dash;
    sc.rects.push_back(swatch);
    for (std::size_t i = 0; i < e.lines.size(); ++i) add_text(sc, x + kKeyText + 10, y + float(i) * kKeyLine, kKeyText, theme.ink, e.lines[i]);
}

float key_width(const std::vector<ChainKeyEntry>& key) {
    float width = 0;
    for (const ChainKeyEntry& e : key) width = std::max(width, key_entry_width(e));
    return width;
}

/// The key as a column from (x, y). Returns its bottom.
float add_key_column(Scene& sc, const SceneTheme& theme, const std::vector<ChainKeyEntry>& key, float x, float y) {
    for (const ChainKeyEntry& e : key) {
        add_key_entry(sc, theme, x, y, e);
        y += kKeyLine * float(e.lines.size()) + 10;
    }
    return y;
}

/// The key, a column in the room between the feature and output locators (x0 to x1, from
/// y) when it fits there; else one line at `below`. Returns the bottom of what it drew.
float add_key(Scene& sc, const ChainNumbers& n, const SceneTheme& theme, float x0, float x1, float y, float below) {
    const std::vector<ChainKeyEntry> key = chain_key(n, theme);
    const float width = key_width(key);
    // (Taller than the room when padding is keyed too: the figure grows a little, not twice as wide.)
    if (width + 48 <= x1 - x0) return add_key_column(sc, theme, key, (x0 + x1 - width) / 2, y);
    float x = kMargin;
    for (ChainKeyEntry e : key) {
        std::string words;
        for (const std::string& s : e.lines) words += (words.empty() ? "" : " ") + s;
        e.lines = {words};
        add_key_entry(sc, theme, x, below, e);
        x += key_entry_width(e) + 32;
    }
    return below + kKeyText;
}

}  // namespace

bool draws_chain_figure(const StepEngine& second, const FramePosition& frame, const SceneOptions& opt) {
    if (!opt.fit_content || !opt.stack_first || opt.stack_layers.size() != 2 || opt.backward || opt.hide_output || opt.hide_shape ||
        frame.crop || !second.is_scatter() || second.step_count() == 0)
        return false;
    const Layer& first = opt.stack_first->layer;
    const Layer& up = second.layer();
    const LayerGeometry& g = second.geometry();
    // One feature cell makes one block alone: stride = kernel, no dilation, nothing cropped.
    const bool tiles = up.kernel == Pair{2, 2} && up.stride == up.kernel && up.dilation == Pair{1, 1} && g.h().pad_before == 0 &&
                       g.w().pad_before == 0 && up.output_padding == Pair{0, 0} && up.groups == 1;
    return tiles && first.kind == LayerKind::Conv2d && first.groups == 1 && first.stride == Pair{1, 1} && first.out_channels == up.in_channels &&
           int64_t(opt.stack_first->input.shape()[1]) == first.in_channels;
}

bool draws_read_figure(const StepEngine& conv, const FramePosition& frame, const SceneOptions& opt) {
    if (!opt.fit_content || !opt.chain_halves || opt.stack_first || opt.stack_layers.size() > 1 || opt.backward || opt.hide_output || opt.hide_shape ||
        opt.taps_one_by_one || frame.crop || conv.is_scatter() || conv.step_count() == 0)
        return false;
    const Layer& L = conv.layer();
    const LayerGeometry& g = conv.geometry();
    // The span magnified at 96 px a cell: up to 7 x 7 (d=3), about 670 px.
    return L.kind == LayerKind::Conv2d && L.groups == 1 && L.stride == Pair{1, 1} && L.dilation != Pair{1, 1} && g.h().span() <= 7 &&
           g.w().span() <= 7;
}

bool draws_stamp_figure(const StepEngine& up, const FramePosition& frame, const SceneOptions& opt) {
    if (!opt.fit_content || !opt.chain_halves || opt.stack_first || opt.backward || opt.hide_output || opt.hide_shape || frame.crop || !up.is_scatter() ||
        up.step_count() == 0)
        return false;
    const Layer& L = up.layer();
    const LayerGeometry& g = up.geometry();
    return L.kind == LayerKind::ConvTranspose2d && L.kernel == Pair{2, 2} && L.stride == L.kernel && L.dilation == Pair{1, 1} &&
           g.h().pad_before == 0 && g.w().pad_before == 0 && L.output_padding == Pair{0, 0} && L.groups == 1;
}

std::string read_takeaway(const Layer& conv) {
    const int64_t span_h = conv.dilation.h * (conv.kernel.h - 1) + 1, span_w = conv.dilation.w * (conv.kernel.w - 1) + 1;
    const std::string d = conv.dilation.h == conv.dilation.w ? std::to_string(conv.dilation.h) : times(conv.dilation.h, conv.dilation.w);
    return "Dilation " + d + ": " + std::to_string(conv.kernel.h * conv.kernel.w) + " weights see a " + times(span_h, span_w) + " span of the input, not " + times(conv.kernel.h, conv.kernel.w);
}

std::string chain_takeaway(const Layer& first, const Layer& second) {
    const int64_t span_h = first.dilation.h * (first.kernel.h - 1) + 1, span_w = first.dilation.w * (first.kernel.w - 1) + 1;
    // One cell's features: all of its channels feed the block (the arrow says Σ over them).
    return "a " + times(span_h, span_w) + " span of the input \u2192 " + std::to_string(second.in_channels) + " features at one cell \u2192 one " +
           times(second.kernel.h, second.kernel.w) + " output block";
}

namespace {

/// A layer's code with its first three arguments positional ("nn.ConvTranspose2d(16, 3, 2, stride=2)").
std::string compact_layer_code(const Layer& layer) {
    std::string one = to_pytorch_code(layer);
    for (const char* keyword : {"in_channels=", "out_channels=", "kernel_size="}) {
        const std::size_t at = one.find(keyword);
        if (at != std::string::npos) one.erase(at, std::string(keyword).size());
    }
    return one;
}

}  // namespace

std::string compact_stack_code(const std::vector<Layer>& layers) {
    std::string code = "nn.Sequential(";
    for (std::size_t i = 0; i < layers.size(); ++i) code += (i ? ", " : "") + compact_layer_code(layers[i]);
    return code + ")";
}

namespace {

/// A layer alone (a half of the chain): the title (the caption asked for; else its
/// message, or what it is: "ConvTranspose2d: 32×32 → 64×64"), then its code with the
/// shapes of maps `from` and `to` in a comment.
float add_layer_header(Scene& sc, const ChainNumbers& n, const Layer& L, const std::string& message, std::size_t from, std::size_t to,
                       const SceneOptions& opt, const SceneTheme& theme) {
    std::string title = opt.caption;
    if (title.empty())
        title = opt.show_arithmetic ? message : std::string(class_name(L.kind)) + ": " + times(n.rows[from], n.cols[from]) + " \u2192 " + times(n.rows[to], n.cols[to]);
    const Color& ink = theme.ink;
    add_text(sc, kMargin, 14, kTitle, ink, title);
    float y = 14 + kTitle + 8;
    if (!opt.code_line.empty()) {
            add_text(sc, kMargin, y, kCode, Color{ink.r, ink.g, ink.b, 0.8f}, compact_layer_code(L) + "  # " + map_shape(n, from) + " \u2192 " + map_shape(n, to));
        y += kLine + 2;
    }
    return y;
}

/// The header: the title (the caption asked for; else the chain's message, or what the
/// two layers are), then the stack's code. Returns where it ends.
float add_chain_header(Scene& sc, const ChainNumbers& n, const StepEngine& second, const SceneOptions& opt, const SceneTheme& theme) {
    const Layer& L = second.layer();
    if (n.part == ChainNumbers::Part::Stamp) {
        const std::string k = times(L.kernel.h, L.kernel.w);
        return add_layer_header(sc, n, L, "Each input cell \u00d7 a learned " + k + " W \u2192 its own " + k + " output block", 1, 2, opt, theme);
    }
    if (n.part == ChainNumbers::Part::Read) return add_layer_header(sc, n, L, read_takeaway(L), 0, 1, opt, theme);
    const Layer& first = opt.stack_first->layer;
    auto what = [](const Layer& L) {  // the parameter that makes the layer what it is
        std::string p = L.dilation != Pair{1, 1} ? pair_text("d", L.dilation) : "";
        if (L.stride != Pair{1, 1}) p += (p.empty() ? "" : " ") + pair_text("s", L.stride);
        return std::string(class_name(L.kind)) + (p.empty() ? "" : " (" + p + ")");
    };
    auto size = [&](std::size_t i) { return std::to_string(n.rows[i]) + "x" + std::to_string(n.cols[i]); };
    std::string title = opt.caption;
    if (title.empty()) {
        title = opt.show_arithmetic ? chain_takeaway(first, second.layer())
                                    : what(first) + ", then " + what(second.layer()) + ": " + size(0) + " -> " + size(1) + " -> " + size(2);
        title[0] = char(std::toupper(static_cast<unsigned char>(title[0])));
    }
    const Color& ink = theme.ink;
    add_text(sc, kMargin, 14, kTitle, ink, title);
    float y = 14 + kTitle + 8;
    if (!opt.caption.empty() && opt.show_arithmetic) {
        add_text(sc, kMargin, y, kText, ink, chain_takeaway(first, second.layer()));
        y += kLine + 2;
    }
    if (!opt.code_line.empty()) {
        add_text(sc, kMargin, y, kCode, Color{ink.r, ink.g, ink.b, 0.8f}, compact_stack_code(opt.stack_layers));
        y += kLine + 2;
    }
    return y;
}

}  // namespace

Scene build_chain_figure(const StepEngine& second, const FramePosition& frame, const SceneOptions& opt) {
    const SceneTheme theme = SceneTheme::make(opt.dark);
    const ChainNumbers n = chain_numbers(second, frame, opt);
    Scene sc;
    sc.background = theme.background;
    const float header_bottom = add_chain_header(sc, n, second, opt, theme);
    const ChainWords words = chain_words(n, n.part == ChainNumbers::Part::Chain ? opt.stack_first->layer : second.layer(), second.layer());
    const ChainPlaces places = chain_places(n, words, header_bottom);
    add_chain_row(sc, n, words, places, theme);
    add_locators(sc, n, places, theme);
    // The key: beside the Conv2d alone, under the chain's input, or between the up-convolution's maps.
    const float names_bottom = std::max({places.input_locator_y + float(n.rows[0]) * kLocatorCell, places.feature_locator_y + float(n.rows[1]) * kLocatorCell,
                                         places.output_locator_y + float(n.rows[2]) * kLocatorCell}) + 10 + kText;
    auto text_right = [](const SceneText& t) { return t.centered ? t.x + text_width(t.text, t.size) / 2 : t.x + text_width(t.text, t.size); };
    auto text_left = [](const SceneText& t) { return t.centered ? t.x - text_width(t.text, t.size) / 2 : t.x; };
    const float feature_map_right = places.feature_x + n.feature_cell / 2 + float(n.cols[1]) * kLocatorCell / 2;
    float key_bottom = 0;
    if (!n.stamps()) {
        // The Conv2d alone: the key a column right of its output cell and map, from the zoom's top.
        const SceneText& output_name = sc.texts.back();
        const float x = std::max({places.right, feature_map_right, text_right(output_name)}) + 60;
        key_bottom = add_key_column(sc, theme, chain_key(n, theme), x, places.zoom_y);
    } else if (n.part == ChainNumbers::Part::Chain) {
        // The chain: the key under the input's map and name, by the span it explains.
        const float input_name_bottom = places.input_locator_y + float(n.rows[0]) * kLocatorCell + 10 + kText;
        key_bottom = add_key_column(sc, theme, chain_key(n, theme), kMargin, input_name_bottom + 12);
    } else {
        const SceneText& feature_name = sc.texts[sc.texts.size() - 2];
        const SceneText& output_name = sc.texts.back();
        // Right of the features' map and name, left of the output's, under the input's map.
        key_bottom = add_key(sc, n, theme, std::max(text_right(feature_name), feature_map_right), std::min(text_left(output_name), sc.output_grid.x),
                             places.feature_locator_y, names_bottom + 24);
    }
    // Trimmed to what is drawn (words as wide as DejaVu Sans sets them).
    float right = places.right;
    for (const SceneText& t : sc.texts) right = std::max(right, text_right(t));
    sc.width = std::ceil(right + kMargin);
    sc.height = std::ceil(std::max(names_bottom, key_bottom) + 16);
    return sc;
}

}  // namespace convscope
