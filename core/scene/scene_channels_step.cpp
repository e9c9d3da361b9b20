// The channels view's step for a convolution, pool or other windowed layer (gather) and for
// a transposed convolution (scatter), see scene_channels.hpp: the step's taps lit through
// every channel it reads, lines into the pulled-out filter and on to the output, the
// arithmetic in words, and the strip that magnifies each channel's taps and kernel slice.
#include <algorithm>
#include <climits>

#include "core/base/wording.hpp"
#include "core/nn/tap_geometry.hpp"
#include "core/scene/scene_channels_build.hpp"
#include "core/scene/text_metrics.hpp"

namespace convscope::channels_view {

using std::int64_t;

namespace {

/// Largest cell of the magnified strip.
constexpr float kStripCellMax = 18;

/// A gather step per channel: the window (the whole dilated kernel's footprint, in slab
/// cells), the taps done on each channel it reads, their partial sums.
struct GatherSums {
    std::vector<int64_t> channels;
    std::vector<double> partial_sums;
    std::vector<int64_t> taps_per_channel;
    int64_t wy0 = INT64_MAX, wx0 = INT64_MAX, wy1 = INT64_MIN, wx1 = INT64_MIN;
    int64_t pad_top = 0, pad_left = 0;
    int64_t products = 0;
    double sum = 0;
};

/// The footprint, and the taps done lit on their slabs and summed per channel.
GatherSums light_gather_taps(Build& b, const GatherStep& s) {
    GatherSums g;
    g.pad_top = b.engine.grid_pad_top();
    g.pad_left = b.engine.grid_pad_left();
    for (const GatherTap& t : s.taps) {
        g.wy0 = std::min(g.wy0, t.grid_y - g.pad_top);
        g.wx0 = std::min(g.wx0, t.grid_x - g.pad_left);
        g.wy1 = std::max(g.wy1, t.grid_y - g.pad_top);
        g.wx1 = std::max(g.wx1, t.grid_x - g.pad_left);
    }
    for (int64_t i = 0; i < int64_t(s.taps.size()); ++i) {
        const GatherTap& t = s.taps[std::size_t(i)];
        if (g.channels.empty() || g.channels.back() != t.in_channel) {
            g.channels.push_back(t.in_channel);
            g.partial_sums.push_back(0);
            g.taps_per_channel.push_back(0);
        }
        if (i >= b.taps_shown) continue;
        g.partial_sums.back() += t.product;
        ++g.taps_per_channel.back();
        const GridPlacement& slab = b.out.input_slabs[std::size_t(t.in_channel)];
        // Padding taps sit outside the slab, on the padding ring; they read zeros.
        light(b, slab, t.grid_y - g.pad_top, t.grid_x - g.pad_left, b.accent, t.src_y < 0);
        ++b.out.lit_taps;
    }
    g.sum = s.bias;
    for (std::size_t k = 0; k < g.channels.size(); ++k) {
        g.products += g.taps_per_channel[k];
        g.sum += g.partial_sums[k];
    }
    return g;
}

/// The block sliding through the stack: its footprint on every slab it reads, the
/// footprints joined, a line from each to the output cell at (ox, oy).
void draw_footprints(Build& b, const GatherSums& g, float ox, float oy) {
    Scene& sc = b.out.scene;
    const GridPlacement* prev = nullptr;
    for (std::size_t k = 0; k < g.channels.size(); ++k) {
        const GridPlacement& slab = b.out.input_slabs[std::size_t(g.channels[k])];
        const float fx = slab.x + float(g.wx0) * slab.cell, fy = slab.y + float(g.wy0) * slab.cell;
        const float fw = float(g.wx1 - g.wx0 + 1) * slab.cell, fh = float(g.wy1 - g.wy0 + 1) * slab.cell;
        sc.rects.push_back({fx, fy, fw, fh, Color{0, 0, 0, 0}, b.accent, 1.5f, RectRole::Window});
        if (prev) {
            const float px = prev->x + float(g.wx0) * prev->cell, py = prev->y + float(g.wy0) * prev->cell;
            for (const auto& [cx, cy] : {std::pair<float, float>{0, 0}, {fw, 0}, {0, fh}, {fw, fh}})
                sc.lines.push_back({px + cx, py + cy, fx + cx, fy + cy, with_alpha(b.accent, 0.7f), 1.2f});
        }
        prev = &slab;
        if (g.taps_per_channel[k] > 0) line_into_filter(b, fx + fw / 2, fy + fh / 2, g.channels[k], ox, oy, b.line, 1.4f);
    }
    if (b.taps_shown > 0) line_out_of_filter(b, ox, oy, b.line, 1.4f);
}

/// The sum, channel by channel (a pool: what it takes of its taps; tap by tap: the tap added).
std::string gather_arithmetic(const Build& b, const GatherStep& s, const GatherSums& g) {
    const Layer& L = b.L;
    const int64_t co = b.out.active_output;
    const int64_t Cgi = std::max<int64_t>(1, b.cin / b.groups), Cgo = std::max<int64_t>(1, b.cout / b.groups);
    const int64_t nch = int64_t(g.channels.size());
    const int64_t kk = L.kernel.h * L.kernel.w;
    if (!L.is_conv()) {
        const std::string how = L.kind == LayerKind::MaxPool2d ? "the maximum of " : L.kind == LayerKind::AvgPool2d ? "the mean of " : "computed from ";
        return "output channel " + std::to_string(co) + ", cell " + at(s.out_y, s.out_x) + " = " + how + std::to_string(s.taps.size()) + " tap" +
               (s.taps.size() == 1 ? "" : "s") + " of input channel " + std::to_string(co) + " (this layer reads one channel) = " +
               number_text(s.result);
    }
    if (b.taps_shown < b.engine.taps_per_step()) {
        const GatherTap& t = s.taps[std::size_t(b.taps_shown - 1)];
        return "output channel " + std::to_string(co) + ", cell " + at(s.out_y, s.out_x) + ", tap " + std::to_string(b.taps_shown) + "/" +
               std::to_string(s.taps.size()) + ": x[c=" + std::to_string(t.in_channel) + "]" + at(t.grid_y - g.pad_top, t.grid_x - g.pad_left) +
               " = " + number_text(t.value) + "  x  w[" + std::to_string(co) + ", " + std::to_string(t.in_channel - (co / Cgo) * Cgi) + ", " +
               std::to_string(t.ky) + ", " + std::to_string(t.kx) + "] = " + number_text(t.weight) + "  ->  " + number_text(t.product) +
               ";  running sum " + number_text(s.bias + t.running_sum);
    }
    // The terms as they add up: the bias, then each channel's partial sum (sum_term_text).
    std::string arithmetic = "output channel " + std::to_string(co) + ", cell " + at(s.out_y, s.out_x) + " = bias + " +
                             std::to_string(g.products) + " products over " + std::to_string(nch) + " input channel" + (nch > 1 ? "s" : "") +
                             " (" + std::to_string(nch) + " x " + std::to_string(kk) + " taps): bias " + sum_term_text(s.bias);
    for (std::size_t k = 0; k < g.channels.size() && k < 8; ++k)
        arithmetic += " + c" + std::to_string(g.channels[k]) + " " + sum_term_text(g.partial_sums[k]);
    if (g.channels.size() > 8) arithmetic += " + ...";
    arithmetic += " = " + sum_term_text(g.sum);
    return arithmetic;
}

/// The magnified strip's cells: `m` px each, from sy0; each window `eh` x `ew` (the
/// footprint and one margin cell around it).
struct GatherStrip {
    float m = 1, sy0 = 0;
    int64_t eh = 0, ew = 0;
};

/// Channel ch's window magnified, its taps lit, x its kernel slice (= its partial sum).
void strip_channel(Build& b, const GatherStep& s, const GatherSums& g, const GatherStrip& st, std::size_t k) {
    Scene& sc = b.out.scene;
    const Layer& L = b.L;
    const int64_t ch = g.channels[k], co = b.out.active_output;
    const float m = st.m, sy0 = st.sy0;
    const int64_t eh = st.eh, ew = st.ew;
    const GridPlacement wg{b.strip_x, sy0, m, eh, ew};
    SceneHeatmap h = slab_heatmap(b, wg, RectRole::Inset, b.animation.layer_index(), ch, b.data.input_lo, b.data.input_hi, kInputPlane);
    h.row0 = g.wy0 - 1;
    h.col0 = g.wx0 - 1;
    h.grid = with_alpha(b.theme.ink, 0.3f);
    auto real = [&](int64_t yy, int64_t xx) { return yy >= 0 && xx >= 0 && yy < b.Hi && xx < b.Wi; };
    for (int64_t r = 0; r < eh; ++r)
        for (int64_t c = 0; c < ew; ++c) {
            const int64_t yy = g.wy0 - 1 + r, xx = g.wx0 - 1 + c;
            h.values.push_back(real(yy, xx) ? float(b.engine.input()(b.engine.batch(), ch, yy, xx)) : 0.0f);
            h.styles.push_back(real(yy, xx) ? CellStyle::Value : CellStyle::Padding);
        }
    sc.heatmaps.push_back(std::move(h));
    for (int64_t r = 0; r < eh; ++r)
        for (int64_t c = 0; c < ew; ++c)
            if (!real(g.wy0 - 1 + r, g.wx0 - 1 + c))
                sc.rects.push_back({b.strip_x + float(c) * m, sy0 + float(r) * m, m, m, Color{0, 0, 0, 0}, with_alpha(b.theme.ink, 0.5f), 1,
                                    RectRole::Marker, 2});
    int64_t lit = 0;
    for (int64_t i = 0; i < b.taps_shown && i < int64_t(s.taps.size()); ++i) {
        const GatherTap& t = s.taps[std::size_t(i)];
        if (t.in_channel != ch) continue;
        light(b, wg, t.grid_y - g.pad_top - (g.wy0 - 1), t.grid_x - g.pad_left - (g.wx0 - 1), b.accent, t.src_y < 0);
        ++lit;
    }
    outline_slab(sc, wg, b.out.input_colors[std::size_t(ch)], true);
    strip_text(b, b.strip_x, sy0 + float(eh) * m + 4, "c" + std::to_string(ch) + ": " + counted(int64_t(lit), "tap"), 12);
    b.strip_x += float(ew) * m + 8;
    if (!L.is_conv()) return;
    strip_text(b, b.strip_x, sy0 + float(eh) * m / 2 - 9, "x", 16);
    b.strip_x += 16;
    const GridPlacement kg{b.strip_x, sy0 + (float(eh) - float(L.kernel.h)) * m / 2, m, L.kernel.h, L.kernel.w};
    SceneHeatmap kh = kernel_slice_heatmap(b, kg, RectRole::Inset, ch, co, CellStyle::Value);
    kh.grid = with_alpha(b.theme.ink, 0.3f);
    sc.heatmaps.push_back(std::move(kh));
    outline_slab(sc, kg, b.out.input_colors[std::size_t(ch)], true);
    strip_text(b, b.strip_x, sy0 + float(eh) * m + 4, "= " + sum_term_text(g.partial_sums[k]), 12);
    b.strip_x += float(L.kernel.w) * m + 8;
}

/// The strip's end for a convolution: + bias = the output cell and its value.
void strip_bias_and_result(Build& b, const GatherStep& s, const GatherSums& g, const GatherStrip& st) {
    const float m = st.m, sy0 = st.sy0;
    const int64_t eh = st.eh, co = b.out.active_output;
    const std::string bias = "+ bias " + sum_term_text(s.bias) + " =";
    strip_text(b, b.strip_x + 6, sy0 + float(eh) * m / 2 - 10, bias, 16);
    b.strip_x += 12 + dejavu_advance_em(bias) * 16;
    b.out.scene.rects.push_back({b.strip_x, sy0 + (float(eh) - 1) * m / 2, m, m, b.focus, Color{0, 0, 0, 0}, 0, RectRole::Highlight});
    const bool partial_sum = g.products < int64_t(s.taps.size());  // tap by tap: the sum so far
    strip_text(b, b.strip_x + m + 6, sy0 + float(eh) * m / 2 - 8,
               sum_term_text(g.sum) + "  (output c" + std::to_string(co) + " " + at(s.out_y, s.out_x) +
                   (partial_sum ? ", running sum after " + std::to_string(g.products) + " of " + std::to_string(s.taps.size()) + " taps)" : ")"),
               13);
    b.strip_x += m + 200;
}

/// The strip: each channel's window magnified (one margin cell around the footprint),
/// x its kernel slice, + ... = the output cell.
void gather_strip(Build& b, const GatherStep& s, const GatherSums& g) {
    const Layer& L = b.L;
    const int64_t nch = int64_t(g.channels.size());
    GatherStrip st;
    st.eh = g.wy1 - g.wy0 + 3;
    st.ew = g.wx1 - g.wx0 + 3;
    const int64_t shown = std::min<int64_t>(nch, kMaxStripChannels);
    const float unit_cells = float(st.ew + (L.is_conv() ? L.kernel.w : 0)) ;
    st.m = std::max(3.0f, std::min({kStripCellMax, (b.strip_h - 40) / float(std::max(st.eh, L.kernel.h)),
                                    (b.opt.width - 2 * b.margin - float(shown) * 70 - 120) / (float(shown) * unit_cells)}));
    st.sy0 = b.strip_y + 18;
    strip_text(b, b.margin, b.strip_y, "magnified: the taps on each input channel the filter reads" + std::string(L.is_conv() ? ", times its slice" : ""), 12);
    for (int64_t k = 0; k < shown; ++k) {
        strip_channel(b, s, g, st, std::size_t(k));
        if (k + 1 < shown) {
            strip_text(b, b.strip_x + 2, st.sy0 + float(st.eh) * st.m / 2 - 10, "+", 18);
            b.strip_x += 22;
        }
    }
    if (shown < nch) {
        strip_text(b, b.strip_x + 4, st.sy0 + float(st.eh) * st.m / 2 - 8, "+ " + std::to_string(nch - shown) + " more channels", 13);
        b.strip_x += 150;
    }
    if (L.is_conv()) strip_bias_and_result(b, s, g, st);
}

/// A scatter step's stamps so far: the input channels that stamp, how many products land
/// inside the output, and the box of output cells they land on.
struct ScatterStamps {
    std::vector<int64_t> channels;
    int64_t landed_taps = 0;
    int64_t oy0 = INT64_MAX, ox0 = INT64_MAX, oy1 = INT64_MIN, ox1 = INT64_MIN;
};

/// The products landed lit on the output slab, the input cell lit on each slab, the lines.
ScatterStamps light_stamps(Build& b, const ScatterStep& s) {
    const GridPlacement& out_slab = b.out.output_slabs[std::size_t(b.out.active_output)];
    ScatterStamps st;
    for (int64_t i = 0; i < int64_t(s.taps.size()) && i < b.taps_shown; ++i) {
        const ScatterTap& t = s.taps[std::size_t(i)];
        if (st.channels.empty() || st.channels.back() != t.in_channel) st.channels.push_back(t.in_channel);
        if (!t.inside) continue;
        ++st.landed_taps;
        light(b, out_slab, t.out_y, t.out_x, b.accent);
        st.oy0 = std::min(st.oy0, t.out_y);
        st.ox0 = std::min(st.ox0, t.out_x);
        st.oy1 = std::max(st.oy1, t.out_y);
        st.ox1 = std::max(st.ox1, t.out_x);
    }
    const bool any = st.oy0 <= st.oy1;
    const auto [tx, ty] = any ? centre(out_slab, float(st.oy0 + st.oy1) / 2, float(st.ox0 + st.ox1) / 2) : centre(out_slab, 0, 0);
    for (int64_t ch : st.channels) {
        const GridPlacement& g = b.out.input_slabs[std::size_t(ch)];
        light(b, g, s.in_y, s.in_x, b.focus);
        ++b.out.lit_taps;
        const auto [ix, iy] = centre(g, float(s.in_y), float(s.in_x));
        if (any) line_into_filter(b, ix, iy, ch, tx, ty, b.line, 1.3f);
    }
    if (any) line_out_of_filter(b, tx, ty, b.line, 1.3f);
    return st;
}

/// Strip: value x slice, per channel, then where the products go.
void scatter_strip(Build& b, const ScatterStep& s, const ScatterStamps& st) {
    Scene& sc = b.out.scene;
    const Layer& L = b.L;
    const int64_t co = b.out.active_output, nch = int64_t(st.channels.size());
    const float m = std::max(4.0f, std::min(kStripCellMax, (b.strip_h - 40) / float(L.kernel.h)));
    const float sy0 = b.strip_y + 18;
    strip_text(b, b.margin, b.strip_y, "magnified: each input channel's value times its slice for output channel " + std::to_string(co), 12);
    const int64_t shown = std::min<int64_t>(nch, kMaxStripChannels);
    for (int64_t k = 0; k < shown; ++k) {
        const int64_t ch = st.channels[std::size_t(k)];
        const float my = sy0 + (float(L.kernel.h) - 1) * m / 2;
        sc.rects.push_back({b.strip_x, my, m, m, b.focus, b.out.input_colors[std::size_t(ch)], 2, RectRole::Highlight});
        strip_text(b, b.strip_x, sy0 + float(L.kernel.h) * m + 4,
                   "c" + std::to_string(ch) + " " + number_text(b.engine.input()(b.engine.batch(), ch, s.in_y, s.in_x)), 12);
        b.strip_x += m + 30;
        strip_text(b, b.strip_x - 20, my - 4, "x", 16);
        const GridPlacement kg{b.strip_x, sy0, m, L.kernel.h, L.kernel.w};
        SceneHeatmap kh = kernel_slice_heatmap(b, kg, RectRole::Inset, ch, co, CellStyle::Value);
        kh.grid = with_alpha(b.theme.ink, 0.3f);
        sc.heatmaps.push_back(std::move(kh));
        outline_slab(sc, kg, b.out.input_colors[std::size_t(ch)], true);
        b.strip_x += float(L.kernel.w) * m + 10;
        if (k + 1 < shown) {
            strip_text(b, b.strip_x, my - 6, "+", 18);
            b.strip_x += 22;
        }
    }
    if (shown < nch) {
        strip_text(b, b.strip_x + 4, sy0 + float(L.kernel.h) * m / 2 - 8, "+ " + std::to_string(nch - shown) + " more channels", 13);
        b.strip_x += 150;
    }
    const std::string summed = "-> summed onto output c" + std::to_string(co);
    const float room = b.opt.width - b.margin - (b.strip_x + 6);  // the strip may end near the canvas's edge
    if (room / (0.6f * float(summed.size())) >= 9) {
        strip_text(b, b.strip_x + 6, sy0 + float(L.kernel.h) * m / 2 - 8, summed, std::min(14.0f, room / (0.6f * float(summed.size()))));
    } else {
        strip_text(b, b.margin, sy0 + float(L.kernel.h) * m + 20, summed, 13);  // no room beside it: under the strip
    }
    b.strip_x += 220;
}

}  // namespace

std::string gather_step(Build& b) {
    const GatherStep s = b.engine.gather_step(b.current);
    const GridPlacement& out_slab = b.out.output_slabs[std::size_t(b.out.active_output)];
    light(b, out_slab, s.out_y, s.out_x, b.focus);
    const auto [ox, oy] = centre(out_slab, float(s.out_y), float(s.out_x));
    const GatherSums g = light_gather_taps(b, s);
    draw_footprints(b, g, ox, oy);
    std::string arithmetic = gather_arithmetic(b, s, g);
    gather_strip(b, s, g);
    return arithmetic;
}

std::string scatter_step(Build& b) {
    // Scatter: one input cell of every slab in the group stamps its value times the
    // block's slice for this output channel onto the output slab.
    const ScatterStep s = b.engine.scatter_step(b.current);
    const int64_t co = b.out.active_output;
    const int64_t Cgo = std::max<int64_t>(1, b.cout / b.groups);
    const ScatterStamps st = light_stamps(b, s);
    const int64_t nch = int64_t(st.channels.size());
    const std::string arithmetic =
        "input cell " + at(s.in_y, s.in_x) + " of " + std::to_string(nch) + " input channel" + (nch > 1 ? "s" : "") +
        ", each x its block's slice w[c, " + std::to_string(co - (co / Cgo) * Cgo) + ", :, :], stamps " + std::to_string(int64_t(s.taps.size())) +
        " products onto output channel " + std::to_string(co) + " (" + std::to_string(st.landed_taps) +
        " land inside); every input slab stamps onto all " + std::to_string(Cgo) + " output slabs of its group";
    scatter_strip(b, s, st);
    return arithmetic;
}

}  // namespace convscope::channels_view
