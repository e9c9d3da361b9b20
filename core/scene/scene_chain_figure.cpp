#include "core/scene/scene_chain_figure.hpp"

#include <algorithm>
#include <cmath>

#include "core/anim/session.hpp"
#include "core/io/pycode.hpp"
#include "core/scene/scene_theme.hpp"

namespace convscope {

using std::int64_t;

// Purple: the input is blue, the weights orange, the output teal and the stamped cell's
// crimson is the single-layer slides' (one meaning a colour across the three seed slides).
const Color kFeaturePlane{0.50f, 0.30f, 0.72f, 1};

namespace {

/// The slide's type, as the other seed slides (1.5 times the app's): words 21 px, the
/// title 27; numbers 20 px in 64 px cells ("-0.64" fits); the zoom of the input 7x7 cells.
constexpr float kText = 21, kTitle = 27, kNumber = 20, kCell = 64, kFeatureCell = 88;
constexpr float kMargin = 24, kLine = kText + 6;
constexpr int64_t kZoom = 7;
/// The whole maps under the zooms, in px a cell (a 64x64 map 48 px), and their smallest box.
constexpr float kLocatorCell = 0.75f, kLocatorBox = 18;

/// Width of `s` in `size` px type: DejaVu Sans averages about 0.6 em a character (UTF-8
/// continuation bytes are not characters).
float text_width(const std::string& s, float size) {
    const auto chars = std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    return 0.6f * size * float(chars);
}

std::string times(int64_t a, int64_t b) { return std::to_string(a) + "\u00d7" + std::to_string(b); }

/// What the slide shows, all from the engines: the feature cell the frame's step stamps,
/// the channel drawn, its value, the first layer's step that computes it, and its block.
struct ChainNumbers {
    int64_t fr = 0, fc = 0;          ///< the feature cell (the second layer's input cell)
    int64_t feature_ch = 0, out_ch = 0, in_ch = 0;
    double x = 0;                    ///< its value: the second layer's input, as the core computed it
    GatherStep read;                 ///< the first layer's step that computes it (feature_ch's filter)
    std::vector<ScatterTap> block;   ///< feature_ch's taps of the stamp: x × W where each lands
    int64_t span_r0 = 0, span_c0 = 0, span_h = 0, span_w = 0;  ///< the input cells it reads (padding < 0)
    Pair dilation{1, 1};             ///< the first layer's: its taps this far apart
    std::array<int64_t, 3> channels{}, rows{}, cols{};       ///< input, features, output
};

int64_t shown_step(const StepEngine& e, const FramePosition& f) {
    const int64_t k = f.shown_step >= 0 ? f.shown_step : f.extra_taps > 0 || f.steps_done == 0 ? f.steps_done : f.steps_done - 1;
    return std::clamp<int64_t>(k, 0, e.step_count() - 1);
}

ChainNumbers chain_numbers(const StepEngine& second, const FramePosition& frame, const SceneOptions& opt) {
    ChainNumbers n;
    const ScatterStep stamp = second.scatter_step(shown_step(second, frame));
    n.fr = stamp.in_y;
    n.fc = stamp.in_x;
    n.out_ch = second.out_channel();
    // A stamp of zeros shows nothing: the channel drawn is the first, from the one asked
    // for, whose value at the cell is not 0.
    const int64_t channels = second.layer().in_channels / second.layer().groups;
    n.feature_ch = std::clamp<int64_t>(opt.in_channel, 0, channels - 1);
    for (int64_t k = 0; k < channels; ++k) {
        const int64_t ci = (n.feature_ch + k) % channels;
        const auto t = std::find_if(stamp.taps.begin(), stamp.taps.end(), [&](const ScatterTap& s) { return s.in_channel == ci; });
        if (t != stamp.taps.end() && t->value != 0) {
            n.feature_ch = ci;
            break;
        }
    }
    for (const ScatterTap& t : stamp.taps)
        if (t.in_channel == n.feature_ch) n.block.push_back(t);
    n.x = n.block.empty() ? 0 : n.block.front().value;
    const LayerData& data = *opt.stack_first;
    const StepEngine first(data.layer, data.input, data.weights, 0, n.feature_ch);
    n.read = first.gather_step(n.fr * first.step_row_length() + n.fc);
    const AxisGeometry& gh = first.geometry().h();
    const AxisGeometry& gw = first.geometry().w();
    n.span_r0 = n.fr * gh.stride - gh.pad_before;
    n.span_c0 = n.fc * gw.stride - gw.pad_before;
    n.dilation = data.layer.dilation;
    n.span_h = gh.span();
    n.span_w = gw.span();
    n.channels = {data.layer.in_channels, data.layer.out_channels, second.layer().out_channels};
    n.rows = {gh.in, gh.out, second.geometry().h().out};
    n.cols = {gw.in, gw.out, second.geometry().w().out};
    return n;
}

void add_text(Scene& sc, float x, float y, float size, const Color& ink, const std::string& s, bool centered = false) {
    sc.texts.push_back({x, y, size, ink, s, centered});
}

/// Lines of words centred over x, the last one ending `gap` px above y.
void add_lines_above(Scene& sc, float x, float y, const Color& ink, const std::vector<std::string>& lines, float gap = 8) {
    float top = y - gap - kLine * float(lines.size());
    for (const std::string& s : lines) {
        add_text(sc, x, top + kText / 2, kText, ink, s, true);
        top += kLine;
    }
}

/// An arrow from (x0, y) to (x1, y), its head a filled triangle.
void add_arrow(Scene& sc, float x0, float x1, float y, const Color& ink) { add_right_arrow(sc, x0, x1, y, ink, 18, 10); }

/// A square cell with its number (or none), the number's ink chosen against the fill.
void add_cell(Scene& sc, float x, float y, float side, const Color& fill, const Color& ink, RectRole role, const std::string& number,
              float size = kNumber) {
    sc.rects.push_back({x, y, side, side, fill, Color{ink.r, ink.g, ink.b, 0.55f}, 1, role});
    if (!number.empty()) add_text(sc, x + side / 2, y + side / 2, size, text_on(fill, ink), number, true);
}

/// The input zoom: kZoom x kZoom cells of input channel in_ch round the span, the span
/// in the input's blue (outside it paler, outside the map the padding's grey), the taps
/// orange with their weights, the span outlined. Top-left at (x, y).
void add_input_zoom(Scene& sc, const ChainNumbers& n, const SceneTheme& theme, float x, float y) {
    const int64_t r0 = n.span_r0 - (kZoom - n.span_h) / 2, c0 = n.span_c0 - (kZoom - n.span_w) / 2;
    const Color around = mix(theme.input_plane, theme.background, 0.5f);
    for (int64_t r = 0; r < kZoom; ++r)
        for (int64_t c = 0; c < kZoom; ++c) {
            const int64_t ir = r0 + r, ic = c0 + c;
            const bool in_map = ir >= 0 && ic >= 0 && ir < n.rows[0] && ic < n.cols[0];
            const bool in_span = ir >= n.span_r0 && ic >= n.span_c0 && ir < n.span_r0 + n.span_h && ic < n.span_c0 + n.span_w;
            add_cell(sc, x + float(c) * kCell, y + float(r) * kCell, kCell, !in_map ? theme.empty : in_span ? theme.input_plane : around,
                     theme.ink, RectRole::Inset, "");
        }
    for (const GatherTap& t : n.read.taps) {
        if (t.in_channel != n.in_ch) continue;
        const int64_t r = n.span_r0 + t.ky * n.dilation.h, c = n.span_c0 + t.kx * n.dilation.w;
        add_cell(sc, x + float(c - c0) * kCell, y + float(r - r0) * kCell, kCell, theme.accent, theme.ink, RectRole::Window,
                 stamp_number(t.weight, kCell, kNumber));
    }
    const float sx = x + float(n.span_c0 - c0) * kCell, sy = y + float(n.span_r0 - r0) * kCell;
    sc.rects.push_back({sx - 2, sy - 2, float(n.span_w) * kCell + 4, float(n.span_h) * kCell + 4, Color{0, 0, 0, 0}, theme.ink, 5,
                        RectRole::Marker});
}

}  // namespace

namespace {

/// The words of the slide, each part's lines top to bottom.
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
    const int64_t taps = first.kernel.h * first.kernel.w, cin = first.in_channels / first.groups;
    const std::string f = std::to_string(n.feature_ch), ch16 = std::to_string(n.channels[1]);
    w.zoom = {"input, ch " + std::to_string(n.in_ch) + " of " + std::to_string(n.channels[0]) + ", magnified",
              std::to_string(taps) + " taps " + std::to_string(first.dilation.h) + " apart over a " + times(n.span_h, n.span_w) +
                  " span: feature ch " + f + "'s weights"};
    w.read_above = {std::string(class_name(first.kind)), layer_params(first)};
    w.read_below = {"\u03a3 over " + std::to_string(cin) + " in ch", "\u00d7 " + std::to_string(taps) + " taps" + (first.bias ? " + bias" : "")};
    w.feature = {"feature cell (" + std::to_string(n.fr) + ", " + std::to_string(n.fc) + ")", "ch " + f + ": 1 of its " + ch16 + " values"};
    w.weights = {"W, learned", "feature ch " + f + " \u2192 out ch " + std::to_string(n.out_ch)};
    w.stamp_above = {std::string(class_name(second.kind)), layer_params(second)};
    w.stamp_below = {"x \u00d7 W"};
    w.block = {"output block, ch " + std::to_string(n.out_ch), "= x \u00d7 W (feature ch " + f + "'s share)",
               "output = \u03a3 over " + ch16 + " feature ch" + (second.bias ? " + bias" : "")};
    return w;
}

float widest(const std::vector<std::string>& lines) {
    float w = 0;
    for (const std::string& s : lines) w = std::max(w, text_width(s, kText));
    return w;
}

/// Where the parts go, left to right on one middle line: the input zoom, the first
/// layer's arrow, the feature cell, "×", W, the second layer's arrow, the output block.
/// Each gap holds its arrow's words, and the words over two neighbours never meet.
struct ChainPlaces {
    float zoom_x = kMargin, zoom_y = 0, mid = 0, feature_x = 0, w_x = 0, block_x = 0, right = 0, locator_y = 0;
};

ChainPlaces chain_places(const ChainWords& w, float header_bottom) {
    ChainPlaces p;
    const float zoom_side = float(kZoom) * kCell, w_side = 2 * kCell;
    p.zoom_y = header_bottom + kLine * float(w.zoom.size()) + 8;
    p.mid = p.zoom_y + zoom_side / 2;
    const float lf = widest(w.feature), lw = widest(w.weights), lb = widest(w.block);
    p.feature_x = p.zoom_x + zoom_side + std::max(std::max(widest(w.read_above), widest(w.read_below)) + 56, lf / 2 - kFeatureCell / 2 + 16);
    p.w_x = p.feature_x + kFeatureCell + std::max(64.0f, lf / 2 + lw / 2 + 24 - kFeatureCell / 2 - w_side / 2);
    const float stamp_gap = std::max(widest(w.stamp_above), widest(w.stamp_below)) + 56;
    p.block_x = p.w_x + w_side + std::max(stamp_gap, lw / 2 + lb / 2 + 24 - w_side);
    p.right = std::max(p.block_x + w_side, p.block_x + w_side / 2 + lb / 2);
    p.locator_y = p.zoom_y + zoom_side + 44;
    return p;
}

}  // namespace

namespace {

/// The middle of the slide: the zoom's words, the arrows with the layers' words, the
/// feature cell with its value, "×" W with its weights, and the block of products.
void add_chain_row(Scene& sc, const ChainNumbers& n, const ChainWords& w, const ChainPlaces& p, const SceneTheme& theme) {
    const Color& ink = theme.ink;
    float y = p.zoom_y - 8 - kLine * float(w.zoom.size());
    for (const std::string& s : w.zoom) {
        add_text(sc, p.zoom_x, y, kText, ink, s);
        y += kLine;
    }
    add_input_zoom(sc, n, theme, p.zoom_x, p.zoom_y);
    // First layer: zoom -> feature cell.
    const float zoom_right = p.zoom_x + float(kZoom) * kCell;
    add_arrow(sc, zoom_right + 12, p.feature_x - 12, p.mid, ink);
    const float a1 = (zoom_right + p.feature_x) / 2;
    add_lines_above(sc, a1, p.mid, ink, w.read_above, 10);
    add_lines_above(sc, a1, p.mid + 14 + kLine * float(w.read_below.size()), ink, w.read_below, 0);
    // The feature cell, its value as the second layer reads it.
    const float fy = p.mid - kFeatureCell / 2;
    add_cell(sc, p.feature_x, fy, kFeatureCell, kFeaturePlane, ink, RectRole::InputCell, stamp_number(n.x, kFeatureCell, 24), 24);
    add_lines_above(sc, p.feature_x + kFeatureCell / 2, fy, ink, w.feature);
    add_text(sc, (p.feature_x + kFeatureCell + p.w_x) / 2, p.mid, 2 * kText, ink, "\u00d7", true);
    // W: the second layer's weights from feature ch k to the output channel, as they act.
    const float wy = p.mid - kCell;
    sc.kernel_grid = {p.w_x, wy, kCell, 2, 2};
    for (const ScatterTap& t : n.block)
        add_cell(sc, p.w_x + float(t.kx) * kCell, wy + float(t.ky) * kCell, kCell, theme.accent, ink, RectRole::KernelCell,
                 stamp_number(t.weight, kCell, kNumber));
    add_lines_above(sc, p.w_x + kCell, wy, ink, w.weights);
    // Second layer: W -> the block, each cell x × W of the factors as written.
    add_arrow(sc, p.w_x + 2 * kCell + 12, p.block_x - 12, p.mid, ink);
    const float a2 = (p.w_x + 2 * kCell + p.block_x) / 2;
    add_lines_above(sc, a2, p.mid, ink, w.stamp_above, 10);
    add_lines_above(sc, a2, p.mid + 14 + kLine, ink, w.stamp_below, 0);
    int64_t r0 = INT64_MAX, c0 = INT64_MAX;
    for (const ScatterTap& t : n.block) {
        r0 = std::min(r0, t.out_y);
        c0 = std::min(c0, t.out_x);
    }
    sc.inset_grid = {p.block_x, wy, kCell, 2, 2};
    sc.inset_row0 = r0;
    sc.inset_col0 = c0;
    for (const ScatterTap& t : n.block)
        add_cell(sc, p.block_x + float(t.out_x - c0) * kCell, wy + float(t.out_y - r0) * kCell, kCell, theme.output_plane, ink,
                 RectRole::OutputCell, stamp_number(shown_product(t.value, t.weight), kCell, kNumber));
    add_lines_above(sc, p.block_x + kCell, wy, ink, w.block);
}

/// One whole map under its zoom, `cell` px a cell: its plane, a box round cells
/// [r0, r0 + rows) x [c0, c0 + cols) (at least kLocatorBox), a line from the box up to
/// the zoom's bottom middle (zx, zy), and its name and shape on two lines right of it.
void add_locator(Scene& sc, const SceneTheme& theme, float centre_x, float y, int64_t map_rows, int64_t map_cols, int64_t r0, int64_t c0,
                 int64_t rows, int64_t cols, const Color& plane, float zx, float zy, const std::string& name, const std::string& shape) {
    const Color& ink = theme.ink;
    const float w = float(map_cols) * kLocatorCell, h = float(map_rows) * kLocatorCell, x = centre_x - w / 2;
    sc.rects.push_back({x, y, w, h, plane, Color{ink.r, ink.g, ink.b, 0.45f}, 1, RectRole::Other});
    const float cx = x + (float(c0) + float(cols) / 2) * kLocatorCell, cy = y + (float(r0) + float(rows) / 2) * kLocatorCell;
    const float bw = std::max(float(cols) * kLocatorCell + 2, kLocatorBox), bh = std::max(float(rows) * kLocatorCell + 2, kLocatorBox);
    sc.rects.push_back({cx - bw / 2, cy - bh / 2, bw, bh, Color{0, 0, 0, 0}, ink, 2.5f, RectRole::Marker});
    sc.lines.push_back({cx, cy - bh / 2, zx, zy, ink, 2});
    add_text(sc, x + w + 12, y + h / 2 - kText - 2, kText, ink, name);
    add_text(sc, x + w + 12, y + h / 2 + 2, kText, ink, shape);
}

/// The three locators: the input with the span, the features with the cell, the output with the block.
void add_locators(Scene& sc, const ChainNumbers& n, const ChainPlaces& p, const SceneTheme& theme) {
    const float zoom_bottom = p.zoom_y + float(kZoom) * kCell + 4, zoom_mid = p.zoom_x + float(kZoom) * kCell / 2;
    const int64_t r0 = std::max<int64_t>(0, n.span_r0), c0 = std::max<int64_t>(0, n.span_c0);
    const int64_t r1 = std::min(n.rows[0], n.span_r0 + n.span_h), c1 = std::min(n.cols[0], n.span_c0 + n.span_w);
    auto shape = [&](std::size_t i) { return std::to_string(n.channels[i]) + "\u00d7" + times(n.rows[i], n.cols[i]); };
    add_locator(sc, theme, zoom_mid, p.locator_y, n.rows[0], n.cols[0], r0, c0, r1 - r0, c1 - c0, theme.input_plane, zoom_mid, zoom_bottom,
                "input", shape(0));
    sc.input_grid = {zoom_mid - float(n.cols[0]) * kLocatorCell / 2, p.locator_y, kLocatorCell, n.rows[0], n.cols[0]};
    const float fx = p.feature_x + kFeatureCell / 2;
    add_locator(sc, theme, fx, p.locator_y, n.rows[1], n.cols[1], n.fr, n.fc, 1, 1, kFeaturePlane, fx, p.mid + kFeatureCell / 2 + 4,
                "features", shape(1));
    const float bx = p.block_x + kCell;
    add_locator(sc, theme, bx, p.locator_y, n.rows[2], n.cols[2], sc.inset_row0, sc.inset_col0, 2, 2, theme.output_plane, bx,
                p.mid + kCell + 4, "output", shape(2));
    sc.output_grid = {bx - float(n.cols[2]) * kLocatorCell / 2, p.locator_y, kLocatorCell, n.rows[2], n.cols[2]};
}

/// One swatch and its words; returns where the next starts.
float key_entry(Scene& sc, const SceneTheme& theme, float x, float y, const Color& fill, const Color& outline, float width,
                const std::string& words) {
    sc.rects.push_back({x, y, kText, kText, fill, outline, width, RectRole::Legend});
    add_text(sc, x + kText + 6, y, kText, theme.ink, words);
    return x + kText + 6 + text_width(words, kText) + 28;
}

/// The key: one line, what each colour and the outline are (only what is drawn).
float add_key(Scene& sc, const ChainNumbers& n, const SceneTheme& theme, float y) {
    const Color& ink = theme.ink;
    const Color edge{ink.r, ink.g, ink.b, 0.45f};
    float x = kMargin;
    x = key_entry(sc, theme, x, y, theme.input_plane, edge, 1, "input");
    x = key_entry(sc, theme, x, y, theme.accent, edge, 1, "weights");
    x = key_entry(sc, theme, x, y, kFeaturePlane, edge, 1, "features");
    x = key_entry(sc, theme, x, y, theme.output_plane, edge, 1, "output");
    if (n.span_r0 < 0 || n.span_c0 < 0 || n.span_r0 + n.span_h > n.rows[0] || n.span_c0 + n.span_w > n.cols[0])
        x = key_entry(sc, theme, x, y, theme.empty, edge, 1, "padding (0)");
    return key_entry(sc, theme, x, y, Color{0, 0, 0, 0}, ink, 4,
                     "the " + times(n.span_h, n.span_w) + " span: the " + times(2, 2) + " block's receptive field");
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

std::string chain_takeaway(const Layer& first, const Layer& second) {
    const int64_t span_h = first.dilation.h * (first.kernel.h - 1) + 1, span_w = first.dilation.w * (first.kernel.w - 1) + 1;
    return "each " + times(second.kernel.h, second.kernel.w) + " output block \u2190 1 feature cell \u2190 a " + times(span_h, span_w) +
           " span of the input";
}

std::string compact_stack_code(const std::vector<Layer>& layers) {
    std::string code = "nn.Sequential(";
    for (std::size_t i = 0; i < layers.size(); ++i) {
        std::string one = to_pytorch_code(layers[i]);
        for (const char* keyword : {"in_channels=", "out_channels=", "kernel_size="}) {
            const std::size_t at = one.find(keyword);
            if (at != std::string::npos) one.erase(at, std::string(keyword).size());
        }
        code += (i ? ", " : "") + one;
    }
    return code + ")";
}

Scene build_chain_figure(const StepEngine& second, const FramePosition& frame, const SceneOptions& opt) {
    const SceneTheme theme = SceneTheme::make(opt.dark);
    const Layer& first = opt.stack_first->layer;
    const ChainNumbers n = chain_numbers(second, frame, opt);
    Scene sc;
    sc.background = theme.background;
    // The title, the stack's code and the message, one line each.
    auto what = [](const Layer& L) {  // the parameter that makes the layer what it is
        std::string p = L.dilation != Pair{1, 1} ? pair_text("d", L.dilation) : "";
        if (L.stride != Pair{1, 1}) p += (p.empty() ? "" : " ") + pair_text("s", L.stride);
        return std::string(class_name(L.kind)) + (p.empty() ? "" : " (" + p + ")");
    };
    auto size = [&](std::size_t i) { return std::to_string(n.rows[i]) + "x" + std::to_string(n.cols[i]); };
    const Color& ink = theme.ink;
    add_text(sc, kMargin, 12, kTitle, ink,
             opt.caption.empty() ? what(first) + ", then " + what(second.layer()) + ": " + size(0) + " -> " + size(1) + " -> " + size(2) : opt.caption);
    float y = 12 + kTitle + 10;
    if (!opt.code_line.empty()) {
        add_text(sc, kMargin, y, kText, Color{ink.r, ink.g, ink.b, 0.8f}, compact_stack_code(opt.stack_layers));
        y += kLine + 4;
    }
    if (opt.show_arithmetic) {
        add_text(sc, kMargin, y, kText, ink, chain_takeaway(first, second.layer()));
        y += kLine + 4;
    }
    const ChainWords words = chain_words(n, first, second.layer());
    const ChainPlaces places = chain_places(words, y + 10);
    add_chain_row(sc, n, words, places, theme);
    add_locators(sc, n, places, theme);
    // The key under the two small locators, left of the output's (under all where it does not fit).
    const Scene before_key = sc;
    const float output_locator_bottom = places.locator_y + float(n.rows[2]) * kLocatorCell;
    float key_y = places.locator_y + float(std::max(n.rows[0], n.rows[1])) * kLocatorCell + 18;
    float key_right = add_key(sc, n, theme, key_y);
    if (key_right > sc.output_grid.x - 24) {
        sc = before_key;
        key_y = output_locator_bottom + 18;
        key_right = add_key(sc, n, theme, key_y);
    }
    // Trimmed to what is drawn (words: 0.6 em a character).
    float right = std::max(places.right, key_right);
    for (const SceneText& t : sc.texts) right = std::max(right, t.centered ? t.x + text_width(t.text, t.size) / 2 : t.x + text_width(t.text, t.size));
    sc.width = std::ceil(right + kMargin);
    sc.height = std::ceil(std::max(key_y + kText, output_locator_bottom) + 18);
    return sc;
}

}  // namespace convscope
