// The channels view's step for a pixel (un)shuffle (see scene_channels.hpp): the value
// moved lit on its source slab, in the r x r block of the map and on its destination
// cell, joined by a line through the map; the strip magnifies the r^2 channels' cells at
// (h, w) and the r x r block they form.
#include <algorithm>

#include "core/scene/scene_channels_build.hpp"

namespace convscope::channels_view {

using std::int64_t;

namespace {

/// The one value a step moves, in the index rule's names: c the channel on the space
/// side, (h, w) the block, (i, j) the cell in it.
struct ShuffleMove {
    bool up = true;  ///< PixelShuffle (channels to space); false: PixelUnshuffle
    int64_t r = 1, r2 = 1, co = 0;
    GatherStep s;
    int64_t c = 0, h = 0, w = 0, i = 0, j = 0;
    const GatherTap& tap() const { return s.taps.front(); }
};

ShuffleMove shuffle_move(const Build& b) {
    ShuffleMove mv;
    mv.up = b.L.kind == LayerKind::PixelShuffle;
    mv.r = b.L.shuffle_factor;
    mv.r2 = mv.r * mv.r;
    mv.co = b.out.active_output;
    mv.s = b.engine.gather_step(b.current);
    const GatherTap& t = mv.tap();
    const int64_t r = mv.r, r2 = mv.r2, co = mv.co;
    const bool up = mv.up;
    mv.c = up ? co : t.in_channel;
    mv.h = up ? mv.s.out_y / r : mv.s.out_y;
    mv.w = up ? mv.s.out_x / r : mv.s.out_x;
    mv.i = up ? mv.s.out_y % r : (co % r2) / r;
    mv.j = up ? mv.s.out_x % r : co % r;
    return mv;
}

/// The source and destination cells lit, the block outlined, the line through the map's cell.
void light_move(Build& b, const ShuffleMove& mv) {
    ChannelsScene& out = b.out;
    Scene& sc = out.scene;
    const GatherTap& t = mv.tap();
    const int64_t r = mv.r, i = mv.i, j = mv.j;
    const GridPlacement& src = out.input_slabs[std::size_t(t.in_channel)];
    const GridPlacement& dst = out.output_slabs[std::size_t(mv.co)];
    light(b, src, t.src_y, t.src_x, b.accent);
    ++out.lit_taps;
    light(b, dst, mv.s.out_y, mv.s.out_x, b.focus);
    const GridPlacement& space = mv.up ? dst : src;  // the slab holding the r x r block
    sc.rects.push_back({space.x + float(mv.w * r) * space.cell, space.y + float(mv.h * r) * space.cell, float(r) * space.cell,
                        float(r) * space.cell, Color{0, 0, 0, 0}, b.accent, 1.5f, RectRole::Window});
    const auto [sx, sy] = centre(src, float(t.src_y), float(t.src_x));
    const auto [dx, dy] = centre(dst, float(mv.s.out_y), float(mv.s.out_x));
    const GridPlacement& map = out.shuffle_map;
    if (map.rows > 0) {
        // Through the map's cell (i, j): in at its left side, out at its right, clear of its label.
        const float my = map.y + (float(i) + 0.5f) * map.cell;
        sc.rects.push_back({map.x + float(j) * map.cell, map.y + float(i) * map.cell, map.cell, map.cell, with_alpha(b.accent, 0.35f), b.accent,
                            2.5f, RectRole::Highlight});
        sc.lines.push_back({sx, sy, map.x + float(j) * map.cell, my, b.line, 1.4f});
        sc.lines.push_back({map.x + float(j + 1) * map.cell, my, dx, dy, b.line, 1.4f});
    } else {
        sc.lines.push_back({sx, sy, dx, dy, b.line, 1.4f});
    }
}

std::string S(int64_t v) { return std::to_string(v); }

/// The index rule with the step's numbers.
std::string move_caption(const ShuffleMove& mv) {
    const GatherStep& s = mv.s;
    const GatherTap& t = mv.tap();
    const int64_t r = mv.r, c = mv.c, h = mv.h, w = mv.w, i = mv.i, j = mv.j, co = mv.co;
    const std::string hi = S(h) + "*" + S(r) + "+" + S(i), wj = S(w) + "*" + S(r) + "+" + S(j);
    const std::string channel = S(c) + "*" + S(r) + "*" + S(r) + " + " + S(i) + "*" + S(r) + " + " + S(j);
    return mv.up ? "out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w]:  out[" + S(c) + ", " + S(s.out_y) + ", " + S(s.out_x) + "] = out[" + S(c) +
                       ", " + hi + ", " + wj + "] = in[" + channel + ", " + S(h) + ", " + S(w) + "] = in[" + S(t.in_channel) + ", " + S(h) + ", " +
                       S(w) + "] = " + number_text(s.result)
                 : "out[c*r*r + i*r + j, h, w] = in[c, h*r+i, w*r+j]:  out[" + S(co) + ", " + S(h) + ", " + S(w) + "] = out[" + channel + ", " +
                       S(h) + ", " + S(w) + "] = in[" + S(c) + ", " + hi + ", " + wj + "] = in[" + S(c) + ", " + S(t.src_y) + ", " + S(t.src_x) +
                       "] = " + number_text(s.result);
}

/// The strip's channel side: the r^2 cells at (h, w), one per channel, `m` px each, from y0.
void strip_channel_side(Build& b, const ShuffleMove& mv, float m, float y0) {
    ChannelsScene& out = b.out;
    Scene& sc = out.scene;
    const bool up = mv.up;
    const int64_t r = mv.r, c = mv.c, h = mv.h, w = mv.w;
    const Tensor4& x = b.engine.input();
    const int64_t Wo = int64_t(b.data.output.shape()[3]);
    const float pitch = std::max(m, 40.0f) + 6;
    for (int64_t q = 0; q < mv.r2; ++q) {
        const int64_t ch = c * mv.r2 + q;
        const GridPlacement g{b.strip_x + (pitch - m) / 2, y0 + (float(r) - 1) * m / 2, m, 1, 1};
        SceneHeatmap hm = slab_heatmap(b, g, RectRole::Inset, b.animation.layer_index() + (up ? 0 : 1), ch, up ? b.data.input_lo : b.data.output_lo,
                                       up ? b.data.input_hi : b.data.output_hi, up ? kInputPlane : kOutputPlane);
        hm.row0 = h;
        hm.col0 = w;
        const bool known = up || ch < mv.co || (ch == mv.co && h * Wo + w <= b.current);
        hm.values.push_back(up ? float(x(b.engine.batch(), ch, h, w)) : float(b.data.output(0, ch, h, w)));
        hm.styles.push_back(known ? CellStyle::Value : CellStyle::Empty);
        sc.heatmaps.push_back(std::move(hm));
        const bool moved = q == mv.i * r + mv.j;
        outline_slab(sc, g, up ? out.input_colors[std::size_t(ch)] : out.output_colors[std::size_t(ch)], moved);
        if (moved) light(b, g, 0, 0, up ? b.accent : b.focus);
        sc.texts.push_back({b.strip_x + pitch / 2, g.y + m + 10, 11, b.theme.ink, (up ? "in " : "out ") + S(ch), true});
        b.strip_x += pitch;
    }
}

/// The strip's space side: the r x r block, `m` px a cell, from y0.
void strip_space_side(Build& b, const ShuffleMove& mv, float m, float y0) {
    Scene& sc = b.out.scene;
    const bool up = mv.up;
    const int64_t r = mv.r, c = mv.c, h = mv.h, w = mv.w;
    const Tensor4& x = b.engine.input();
    const int64_t Wo = int64_t(b.data.output.shape()[3]);
    const GridPlacement g{b.strip_x, y0, m, r, r};
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
    light(b, g, mv.i, mv.j, up ? b.focus : b.accent);
    b.strip_x += float(r) * m + 10;
}

/// The strip: the channel side and the space side, in the order the values move.
void move_strip(Build& b, const ShuffleMove& mv) {
    const int64_t r = mv.r, r2 = mv.r2, c = mv.c, h = mv.h, w = mv.w;
    const float m = std::clamp((b.strip_h - 44) / float(r), 8.0f, 36.0f);
    const float y0 = b.strip_y + 18;
    strip_text(b, b.strip_x, b.strip_y,
               mv.up ? "magnified: cell (" + S(h) + ", " + S(w) + ") of input channels " + S(c * r2) + "-" + S(c * r2 + r2 - 1) + " becomes block (" +
                           S(h) + ", " + S(w) + ") of output channel " + S(c)
                     : "magnified: block (" + S(h) + ", " + S(w) + ") of input channel " + S(c) + " becomes cell (" + S(h) + ", " + S(w) +
                           ") of output channels " + S(c * r2) + "-" + S(c * r2 + r2 - 1),
               12);
    auto arrow = [&]() {
        strip_text(b, b.strip_x + 4, y0 + float(r) * m / 2 - 10, "->", 18);
        b.strip_x += 34;
    };
    if (mv.up) {
        strip_channel_side(b, mv, m, y0);
        arrow();
        strip_space_side(b, mv, m, y0);
    } else {
        strip_space_side(b, mv, m, y0);
        arrow();
        strip_channel_side(b, mv, m, y0);
    }
}

}  // namespace

std::string shuffle_step(Build& b) {
    const ShuffleMove mv = shuffle_move(b);
    const GatherTap& t = mv.tap();
    b.out.move = {t.in_channel, t.src_y, t.src_x, mv.co, mv.s.out_y, mv.s.out_x};
    light_move(b, mv);
    const std::string caption = move_caption(mv);
    if (mv.r <= kMaxShuffleMapSide) move_strip(b, mv);
    return caption;
}

}  // namespace convscope::channels_view
