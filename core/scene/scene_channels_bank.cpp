// The channels view's middle column (see scene_channels.hpp): the weight tensor as a bank
// of blocks with the step's filter pulled out in front, or for a pixel (un)shuffle, which
// has no weights, its index rule and the r x r block of the active channel.
#include <algorithm>
#include <cmath>

#include "core/nn/conv.hpp"
#include "core/nn/layer_ops.hpp"
#include "core/nn/tap_geometry.hpp"
#include "core/scene/scene_channels_build.hpp"

namespace convscope::channels_view {

using std::int64_t;

namespace {

std::string shape4(const std::array<int64_t, 4>& s) {
    return "[" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + ", " + std::to_string(s[3]) + "]";
}

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

/// Where the bank's blocks go: a grid of `nrow` x `ncol` blocks of slices `kc` px a tap,
/// from (x0, y); each block's slices `share` of the kernel's larger side apart.
struct BankGrid {
    float x0 = 0, y = 0;
    int64_t drawn = 0, ncol = 1, nrow = 0;
    float share = 0, bh_units = 0, kc = 1, pitch_x = 0, pitch_y = 0;
};

/// One line per group in its colour: which input slabs, filters and output slabs belong together.
void group_legend(Build& b, const BankIndex& bank, float x0, float& y) {
    Scene& sc = b.out.scene;
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

/// Header: the shape, what each dimension is, and what one block is; returns the y under it.
float bank_header(Build& b, const BankIndex& bank, float x0, float y0) {
    Scene& sc = b.out.scene;
    const Layer& L = b.L;
    const int64_t kH = L.kernel.h, kW = L.kernel.w;
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
        if (b.groups <= 6) group_legend(b, bank, x0, y);
    }
    return y + 6;
}

/// Blocks in a grid; kernel cell size fitted to the space left (x0, y0, w, h) under y.
BankGrid bank_grid(const Build& b, const BankIndex& bank, float x0, float y, float y0, float w, float h) {
    const int64_t kH = b.L.kernel.h, kW = b.L.kernel.w, K = std::max(kH, kW);
    BankGrid grid;
    grid.x0 = x0;
    grid.y = y;
    grid.drawn = std::min(bank.blocks, kMaxBlocksDrawn);
    grid.ncol = std::max<int64_t>(1, int64_t(std::ceil(std::sqrt(double(grid.drawn)))));
    grid.nrow = (grid.drawn + grid.ncol - 1) / grid.ncol;
    grid.share = bank.slices <= 1 ? 0.0f : std::min(0.7f, 2.0f / float(bank.slices - 1));
    const float dx = b.ux, dy = b.uy;  // the stacks' depth direction
    const float depth_units = float(K) * grid.share * float(bank.slices - 1);
    const float bw_units = float(kW) + depth_units * std::fabs(dx);
    grid.bh_units = float(kH) + depth_units * std::fabs(dy);
    const float label_h = 14, gap = 10;
    // Under the grid, room for the active filter pulled out in front of the bank.
    const float pulled_room = std::min(150.0f, 0.3f * (y0 + h - y));
    float kc = std::min({(w - float(grid.ncol) * gap) / (float(grid.ncol) * bw_units),
                         (y0 + h - y - pulled_room - float(grid.nrow) * (label_h + gap)) / (float(grid.nrow) * grid.bh_units), 16.0f});
    grid.kc = std::max(kc, 1.5f);
    grid.pitch_x = bw_units * grid.kc + gap;
    grid.pitch_y = grid.bh_units * grid.kc + label_h + gap;
    return grid;
}

/// Block i of the bank: its slices back to front, the lit ones at full strength, its name under it.
void draw_block(Build& b, const BankIndex& bank, const BankGrid& grid, int64_t i) {
    Scene& sc = b.out.scene;
    const int64_t kH = b.L.kernel.h, kW = b.L.kernel.w, K = std::max(kH, kW);
    const int64_t active = b.out.active_output;
    const int64_t gi_active = active / bank.Cgo;
    StackGeometry s;
    s.count = bank.slices;
    s.rows = kH;
    s.cols = kW;
    s.cell = grid.kc;
    s.step_x = float(K) * grid.share * grid.kc * b.ux;
    s.step_y = float(K) * grid.share * grid.kc * b.uy;
    s.place(grid.x0 + float(i % grid.ncol) * grid.pitch_x, grid.y + float(i / grid.ncol) * grid.pitch_y);
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
        sc.heatmaps.push_back(kernel_slice_heatmap(b, g, RectRole::KernelCell, ci, co, slice_lit ? CellStyle::Value : CellStyle::FadedValue));
        if (j > 0) outline_slab_behind(sc, g, s.slab(j - 1), gc, slice_lit);
        else outline_slab(sc, g, gc, slice_lit);
    }
    sc.texts.push_back({grid.x0 + float(i % grid.ncol) * grid.pitch_x, grid.y + float(i / grid.ncol) * grid.pitch_y + grid.bh_units * grid.kc + 2, 11,
                        lit ? b.theme.ink : with_alpha(b.theme.ink, 0.55f), (bank.transposed ? "in " : "f") + std::to_string(i), false});
}

/// The weights of the step pulled out in front, larger, from (x0, py): one slice per input
/// channel the output channel reads (conv2d: filter co; transposed: slice co of each block
/// of its group). The step's lines enter it and leave it, and pass no other filter.
void pull_out_filter(Build& b, const BankIndex& bank, float x0, float py, float y0, float w, float h) {
    Scene& sc = b.out.scene;
    const int64_t kH = b.L.kernel.h, kW = b.L.kernel.w, K = std::max(kH, kW);
    const float dx = b.ux, dy = b.uy;
    const int64_t active = b.out.active_output;
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
        sc.heatmaps.push_back(kernel_slice_heatmap(b, g, RectRole::Inset, ci, active, CellStyle::Value));
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

}  // namespace

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
    b.out.weight_text = "weight " + shape4(shape);
    b.out.layout_text = std::string("= ") + weight_layout_text(L);

    const float y = bank_header(b, bank, x0, y0);
    const BankGrid grid = bank_grid(b, bank, x0, y, y0, w, h);
    for (int64_t i = 0; i < grid.drawn; ++i) draw_block(b, bank, grid, i);
    float py = y + float(grid.nrow) * grid.pitch_y;
    if (grid.drawn < bank.blocks) {
        sc.texts.push_back({x0, py, 12, b.theme.ink, "+ " + std::to_string(bank.blocks - grid.drawn) + " more " + (bank.transposed ? "blocks" : "filters"),
                            false});
        py += 16;
    }
    pull_out_filter(b, bank, x0, py, y0, w, h);
}

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

}  // namespace convscope::channels_view
