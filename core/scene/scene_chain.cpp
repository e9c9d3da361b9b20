#include "core/scene/scene_chain.hpp"

#include <algorithm>

#include "core/base/errors.hpp"

namespace convscope {

namespace {

/// Space between two maps: the arrow, and the layer's name on two lines beside it.
constexpr float kGap = 64;
/// A tap of the first layer's footprint drawn beside its arrow, in px.
constexpr float kFootprintCell = 8;
/// The smallest box marking cells on a map of a few px a cell (as the slide's locators).
constexpr float kBox = 18;

}  // namespace

// One meaning a colour on the combined slide: the slide's blue is the features (the
// up-convolution's input), its orange x*W; the stack's input and the dilated read get their own.
const Color kChainInput{0.62f, 0.64f, 0.70f, 1};
const Color kChainSpan{0.55f, 0.27f, 0.72f, 1};

namespace {

std::string shape_text(std::int64_t c, std::int64_t h, std::int64_t w) {
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

std::string pair_text(const char* name, const Pair& p) {
    return std::string(name) + "=" + (p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "x" + std::to_string(p.w));
}

/// A layer's name on two lines, its parameters past PyTorch's defaults: what the first
/// reads ("reads a 5x5 span"), what the second writes per cell ("1 cell -> 2x2").
std::array<std::string, 2> layer_lines(const Layer& L, const LayerGeometry& g, bool first) {
    std::string params = pair_text("k", L.kernel);
    if (L.stride != Pair{1, 1}) params += " " + pair_text("s", L.stride);
    if (L.dilation != Pair{1, 1}) params += " " + pair_text("d", L.dilation);
    if (first) {
        const std::string span = std::to_string(g.h().span()) + "x" + std::to_string(g.w().span());
        return {std::string(class_name(L.kind)) + " " + params, "reads a " + span + " span"};
    }
    if (L.kind == LayerKind::ConvTranspose2d)
        return {class_name(L.kind), params + ": 1 -> " + std::to_string(L.kernel.h) + "x" + std::to_string(L.kernel.w)};
    return {class_name(L.kind), params};
}

/// A downward arrow from (x, y0) to (x, y1), its head a filled triangle.
void arrow_down(Scene& sc, float x, float y0, float y1, const Color& ink) {
    sc.lines.push_back({x, y0, x, y1 - 12, ink, 3});
    ScenePolygon head;
    head.points = {{{x - 9, y1 - 16}, {x, y1}, {x + 9, y1 - 16}, {x + 9, y1 - 16}}};
    head.count = 3;
    head.fill = ink;
    sc.polygons.push_back(head);
}

}  // namespace

ChainColumn chain_column(const std::vector<Layer>& layers, const std::array<std::int64_t, 4>& input, float x, float y, float cell,
                         float text) {
    if (layers.size() != 2) throw UserError("internal: a chain column draws a stack of two layers");
    ChainColumn col;
    col.text = text;
    col.first = resolve_spatial(layers[0], input[2], input[3]);
    const LayerGeometry second = resolve_spatial(layers[1], col.first.h().out, col.first.w().out);
    const std::array<std::int64_t, 3> rows{input[2], col.first.h().out, second.h().out}, cols{input[3], col.first.w().out, second.w().out};
    col.channels = {input[1], layers[0].out_channels, layers[1].out_channels};
    const float widest = float(*std::max_element(cols.begin(), cols.end())) * cell;
    col.arrow_x = x + widest / 2;
    float top = y;
    for (std::size_t i = 0; i < 3; ++i) {
        col.maps[i] = {col.arrow_x - float(cols[i]) * cell / 2, top, cell, rows[i], cols[i]};
        top += float(rows[i]) * cell + kGap;
    }
    col.layer_names = {layer_lines(layers[0], col.first, true), layer_lines(layers[1], second, false)};
    auto what = [](const Layer& L) {  // the parameter that makes the layer what it is
        std::string p = L.dilation != Pair{1, 1} ? pair_text("d", L.dilation) : "";
        if (L.stride != Pair{1, 1}) p += (p.empty() ? "" : " ") + pair_text("s", L.stride);
        return std::string(class_name(L.kind)) + (p.empty() ? "" : " (" + p + ")");
    };
    auto size = [&](std::size_t i) { return std::to_string(rows[i]) + "x" + std::to_string(cols[i]); };
    col.caption = what(layers[0]) + ", then " + what(layers[1]) + ": " + size(0) + " -> " + size(1) + " -> " + size(2);
    col.label_x = col.arrow_x + 12 + float(col.first.w().span()) * kFootprintCell + 12;
    // DejaVu Sans: about 0.6 em a character.
    col.right = x + widest;
    for (const auto& lines : col.layer_names)
        for (const std::string& s : lines) col.right = std::max(col.right, col.label_x + 0.6f * text * float(s.size()));
    for (std::size_t i = 0; i < 3; ++i) {
        const float name_x = col.maps[i].x + float(cols[i]) * cell + 12;
        col.right = std::max(col.right, name_x + 0.6f * text * float(shape_text(col.channels[i], rows[i], cols[i]).size() + 1));
    }
    return col;
}

void add_chain_column(Scene& sc, const ChainColumn& col, const SceneTheme& theme, std::int64_t feature_row, std::int64_t feature_col) {
    const Color& ink = theme.ink;
    const Color edge{ink.r, ink.g, ink.b, 0.45f};
    const GridPlacement& in = col.maps[0];
    sc.rects.push_back({in.x, in.y, float(in.cols) * in.cell, float(in.rows) * in.cell, kChainInput, edge, 1, RectRole::Other});
    // The cells the stamped feature cell reads: rows r*s - p .. r*s - p + d*(k-1), boxed
    // (at least kBox px, as the slide's locators), inside the map.
    const AxisGeometry& gh = col.first.h();
    const AxisGeometry& gw = col.first.w();
    const std::int64_t r0 = std::max<std::int64_t>(0, feature_row * gh.stride - gh.pad_before);
    const std::int64_t c0 = std::max<std::int64_t>(0, feature_col * gw.stride - gw.pad_before);
    const std::int64_t r1 = std::min(in.rows, feature_row * gh.stride - gh.pad_before + gh.span());
    const std::int64_t c1 = std::min(in.cols, feature_col * gw.stride - gw.pad_before + gw.span());
    const float cx = in.x + float(c0 + c1) / 2 * in.cell, cy = in.y + float(r0 + r1) / 2 * in.cell;
    const float bw = std::max(float(c1 - c0) * in.cell + 2, kBox), bh = std::max(float(r1 - r0) * in.cell + 2, kBox);
    sc.rects.push_back({cx - bw / 2, cy - bh / 2, bw, bh, Color{0, 0, 0, 0}, kChainSpan, 3, RectRole::Marker});
    // Each map's name and shape beside it.
    const std::array<const char*, 3> names{"input", "features", "output"};
    for (std::size_t i = 0; i < 3; ++i) {
        const GridPlacement& g = col.maps[i];
        const float x = g.x + float(g.cols) * g.cell + 12, mid = g.y + float(g.rows) * g.cell / 2;
        sc.texts.push_back({x, mid - col.text - 2, col.text, ink, names[i], false});
        sc.texts.push_back({x, mid + 2, col.text, ink, shape_text(col.channels[i], g.rows, g.cols), false});
    }
    // Between the maps: the arrow, the layer's name, and beside the first arrow the
    // first layer's footprint (its taps d apart, the holes between them).
    for (std::size_t i = 0; i < 2; ++i) {
        const float y0 = col.maps[i].y + float(col.maps[i].rows) * col.maps[i].cell, y1 = col.maps[i + 1].y;
        arrow_down(sc, col.arrow_x, y0 + 4, y1 - 4, ink);
        const float mid = (y0 + y1) / 2;
        sc.texts.push_back({col.label_x, mid - col.text - 2, col.text, ink, col.layer_names[i][0], false});
        sc.texts.push_back({col.label_x, mid + 2, col.text, ink, col.layer_names[i][1], false});
        if (i != 0) continue;
        const float fx = col.arrow_x + 12, fy = mid - float(gh.span()) * kFootprintCell / 2;
        for (std::int64_t r = 0; r < gh.span(); ++r)
            for (std::int64_t c = 0; c < gw.span(); ++c) {
                const bool tap = r % gh.dilation == 0 && c % gw.dilation == 0;
                sc.rects.push_back({fx + float(c) * kFootprintCell, fy + float(r) * kFootprintCell, kFootprintCell, kFootprintCell,
                                    tap ? kChainSpan : kChainInput, edge, 1, RectRole::Other});
            }
    }
}

}  // namespace convscope
