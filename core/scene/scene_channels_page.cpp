// The channels view's page (see scene_channels.hpp): one builder per element over a shared
// Build (scene_channels_build.hpp): caption, the stacks' layout, the input stack, the
// output stack, their labels, the bank (scene_channels_bank.cpp), the step
// (scene_channels_step.cpp, a shuffle's in scene_channels_shuffle.cpp), the arithmetic
// line, fitting.
#include <algorithm>
#include <cmath>

#include "core/scene/scene_channels_build.hpp"

namespace convscope {

using std::int64_t;

namespace {

using namespace channels_view;

/// The frame's step, the channels and the scene's page.
void start_build(Build& b, const FramePosition& pos) {
    const StepEngine& engine = b.engine;
    const Layer& L = b.L;
    b.schematic = b.opt.style == SceneStyle::Schematic;
    b.pos = pos;
    b.cin = int64_t(engine.input().shape()[1]);
    b.cout = int64_t(b.data.output.shape()[1]);
    b.groups = L.is_conv() ? L.groups : std::min(b.cin, b.cout);  // a shuffle: C groups of r^2 channels on one side
    b.current = pos.shown_step >= 0 ? pos.shown_step : pos.extra_taps > 0 || pos.steps_done == 0 ? pos.steps_done : pos.steps_done - 1;
    if (b.current >= engine.step_count()) b.current = -1;
    b.taps_shown = pos.extra_taps > 0 && pos.shown_step < 0 ? pos.extra_taps : engine.taps_per_step();
    Scene& sc = b.out.scene;
    sc.background = b.theme.background;
    sc.width = b.opt.width;
    sc.height = b.opt.height;
    b.out.active_output = engine.out_channel();
    const Tensor4& x = engine.input();
    b.Hi = int64_t(x.shape()[2]);
    b.Wi = int64_t(x.shape()[3]);
    b.Ho = int64_t(b.data.output.shape()[2]);
    b.Wo = int64_t(b.data.output.shape()[3]);
}

/// Caption, code line and the arithmetic's place on top; returns the y under them.
float build_caption(Build& b) {
    Scene& sc = b.out.scene;
    const SceneOptions& opt = b.opt;
    const float margin = b.margin;
    float top = 8;
    sc.texts.push_back({margin, top, 18, b.theme.ink,
                        "Channels: " + layer_caption(b.L, b.engine.geometry()) + ", input " + std::to_string(b.cin) + "x" + std::to_string(b.Hi) +
                            "x" + std::to_string(b.Wi) + " -> output " + std::to_string(b.cout) + "x" + std::to_string(b.Ho) + "x" +
                            std::to_string(b.Wo),
                        false});
    top += 24;
    if (!opt.code_line.empty()) {
        sc.texts.push_back({margin, top, 13, with_alpha(b.theme.ink, 0.75f), opt.code_line, false});
        top += 22;
    }
    b.arithmetic_text = sc.texts.size();
    if (opt.show_arithmetic) {
        sc.texts.push_back({margin, top, 14, b.theme.ink, "", false});
        top += 22;
    }
    return top + 8;
}

/// Space: the strip of magnified taps below, the three stacks above it, from `top`.
void layout_stacks(Build& b, const ChannelsProjection& projection, float top) {
    const SceneOptions& opt = b.opt;
    const float margin = b.margin;
    const float ang = std::clamp(projection.angle_deg, kChannelsMinAngle, kChannelsMaxAngle) * 3.14159265f / 180.0f;
    const float depth = std::clamp(projection.depth, kChannelsMinDepth, kChannelsMaxDepth);
    const float ux = std::cos(ang), uy = -std::sin(ang);
    b.ux = ux;
    b.outline_faded_slices = projection.cull_hidden_cells;
    b.uy = uy;
    b.strip_h = std::clamp(0.26f * opt.height, 90.0f, 190.0f);
    const float gap = 56;
    float band_h = std::max(60.0f, opt.height - top - b.strip_h - b.label_h);
    b.bank_w = std::clamp(0.25f * opt.width, 190.0f, 340.0f);
    // One cell size for the input and the output stacks (a map that doubles looks doubled).
    const StackGeometry unit_in = stack_geometry(b.cin, b.Hi, b.Wi, 1, ux, uy, depth), unit_out = stack_geometry(b.cout, b.Ho, b.Wo, 1, ux, uy, depth);
    const float cell = std::max(0.5f, std::min({(opt.width - 2 * margin - b.bank_w - 2 * gap) / (unit_in.width() + unit_out.width()),
                                                band_h / std::max(unit_in.height(), unit_out.height()), 40.0f}));
    b.in = stack_geometry(b.cin, b.Hi, b.Wi, cell, ux, uy, depth);
    b.outs = stack_geometry(b.cout, b.Ho, b.Wo, cell, ux, uy, depth);
    // The band only as tall as the stacks (or the bank's minimum), the strip right under it.
    band_h = std::min(band_h, std::max({b.in.height(), b.outs.height(), 300.0f}));
    b.band_h = band_h;
    b.band_top = top;
    b.in.place(margin, b.band_top + (band_h - b.in.height()) / 2);
    b.bank_x = margin + b.in.width() + gap;
    b.outs.place(b.bank_x + b.bank_w + gap, b.band_top + (band_h - b.outs.height()) / 2);
    for (int64_t k = 0; k < b.cin; ++k) b.out.input_slabs.push_back(b.in.slab(k));
    for (int64_t k = 0; k < b.cout; ++k) b.out.output_slabs.push_back(b.outs.slab(k));
    b.strip_y = b.band_top + band_h + b.label_h;
    b.strip_x = margin;
}

/// Which slabs the current step reads and writes, and their group colours.
void mark_channels(Build& b) {
    ChannelsScene& out = b.out;
    const int64_t co = out.active_output;
    const int64_t Cgi = std::max<int64_t>(1, b.cin / b.groups), Cgo = std::max<int64_t>(1, b.cout / b.groups);
    for (int64_t k = 0; k < b.cin; ++k) {
        out.input_lit.push_back(channel_reads(b.L, k, co));
        out.input_colors.push_back(group_color(k / Cgi, b.groups));
    }
    for (int64_t k = 0; k < b.cout; ++k) {
        out.output_lit.push_back(k == co);
        out.output_colors.push_back(group_color(k / Cgo, b.groups));
    }
}

/// Heat map `h` of slab k of stack `s`: only its visible cells when the slab in front covers part of it.
void push_slab(Scene& sc, const StackGeometry& s, SceneHeatmap h, bool covered) {
    if (covered) {
        int64_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;
        hidden_by_front(s, r0, r1, c0, c1);
        push_visible_parts(sc, std::move(h), r0, r1, c0, c1);
    } else {
        sc.heatmaps.push_back(std::move(h));
    }
}

/// The input stack: the slabs the filter does not read, faded, back to front; then the
/// ones it reads at full strength, in front of them (groups: its group's slabs).
void build_input_stack(Build& b, bool cull_hidden_cells) {
    ChannelsScene& out = b.out;
    Scene& sc = out.scene;
    const Tensor4& x = b.engine.input();
    box_edges(sc, b.in, b.theme.ink);
    std::vector<int64_t> input_order;
    for (const bool lit : {false, true})
        for (int64_t k = b.cin - 1; k >= 0; --k)
            if (out.input_lit[std::size_t(k)] == lit) input_order.push_back(k);
    for (const int64_t k : input_order) {
        // Slab k - 1 is drawn over slab k unless k is read and k - 1 is not.
        const bool behind = k > 0 && !(out.input_lit[std::size_t(k)] && !out.input_lit[std::size_t(k - 1)]);
        const GridPlacement g = b.in.slab(k);
        SceneHeatmap h = slab_heatmap(b, g, RectRole::InputCell, b.animation.layer_index(), k, b.data.input_lo, b.data.input_hi, kInputPlane);
        const CellStyle style = out.input_lit[std::size_t(k)] ? CellStyle::Value : CellStyle::FadedValue;
        for (int64_t r = 0; r < b.Hi; ++r)
            for (int64_t c = 0; c < b.Wi; ++c) {
                h.values.push_back(float(x(b.engine.batch(), k, r, c)));
                h.styles.push_back(style);
            }
        push_slab(sc, b.in, std::move(h), cull_hidden_cells && behind);
        // Slab k - 1 in front of it (drawn over it): only its visible edges.
        if (behind)
            outline_slab_behind(sc, g, b.in.slab(k - 1), out.input_colors[std::size_t(k)], out.input_lit[std::size_t(k)]);
        else
            outline_slab(sc, g, out.input_colors[std::size_t(k)], out.input_lit[std::size_t(k)]);
    }
}

/// Output slab k: finished channels hold their values, the one being computed (`partial`,
/// known where `landed` or the steps done say) its partial output, the others are empty.
void build_output_slab(Build& b, bool cull_hidden_cells, const Plane& partial, const CountPlane& landed, int64_t k) {
    ChannelsScene& out = b.out;
    Scene& sc = out.scene;
    const FramePosition& pos = b.pos;
    const bool scatter = b.engine.is_scatter();
    const bool channel_steps = b.animation.timeline().granularity == Granularity::Channel;
    const int64_t co = out.active_output;
    const GridPlacement g = b.outs.slab(k);
    SceneHeatmap h = slab_heatmap(b, g, RectRole::OutputCell, b.animation.layer_index() + 1, k, b.data.output_lo, b.data.output_hi, kOutputPlane);
    const bool active = k == co, done = k < co || (channel_steps && k <= pos.channel);
    const bool covered = cull_hidden_cells && k > 0 && !active;  // slab k - 1 is drawn after it (the active one last)
    if (cull_hidden_cells && !active && !done) {
        // On screen a channel not computed yet is its outline: nothing to show inside,
        // and filling 15 empty slabs would cost the rasterizer a stack of pixels.
        if (k > 0) outline_slab_behind(sc, g, b.outs.slab(k - 1), with_alpha(out.output_colors[std::size_t(k)], 0.6f), false);
        else outline_slab(sc, g, with_alpha(out.output_colors[std::size_t(k)], 0.6f), false);
        return;
    }
    for (int64_t r = 0; r < b.Ho; ++r)
        for (int64_t c = 0; c < b.Wo; ++c) {
            const int64_t i = r * b.Wo + c;
            if (active) {
                const bool known = scatter ? landed.data()[i] > 0 : i < pos.steps_done;
                h.values.push_back(float(partial(r, c)));
                h.styles.push_back(known ? CellStyle::Value : CellStyle::Empty);
            } else {
                h.values.push_back(float(b.data.output(0, k, r, c)));
                h.styles.push_back(done ? CellStyle::FadedValue : CellStyle::Empty);
            }
        }
    if (!active) h.empty = Color{b.theme.empty.r + 0.6f * (b.theme.background.r - b.theme.empty.r),
                                 b.theme.empty.g + 0.6f * (b.theme.background.g - b.theme.empty.g),
                                 b.theme.empty.b + 0.6f * (b.theme.background.b - b.theme.empty.b), 1};
    push_slab(sc, b.outs, std::move(h), covered);
    if (k > 0 && !active) outline_slab_behind(sc, g, b.outs.slab(k - 1), out.output_colors[std::size_t(k)], active);
    else outline_slab(sc, g, out.output_colors[std::size_t(k)], active);
}

/// The output stack: the channel being computed drawn last, in front, the others faded behind it.
void build_output_stack(Build& b, bool cull_hidden_cells) {
    const Plane partial = b.engine.partial_output(b.pos.steps_done, b.pos.extra_taps);
    const CountPlane landed = b.engine.is_scatter() ? b.engine.landed_counts(b.pos.steps_done) : CountPlane{};
    const int64_t co = b.out.active_output;
    box_edges(b.out.scene, b.outs, b.theme.ink);
    for (int64_t k = b.cout - 1; k >= 0; --k)
        if (k != co) build_output_slab(b, cull_hidden_cells, partial, landed, k);
    build_output_slab(b, cull_hidden_cells, partial, landed, co);
}

/// A slab's name at its top-right corner, unless a slab drawn in front covers the spot.
void slab_labels(Build& b, const StackGeometry& s, const std::vector<bool>& front) {
    const bool room = std::hypot(s.step_x, s.step_y) >= 18;
    const auto lit = std::count(front.begin(), front.end(), true);  // many lit slabs packed tight: name only the ends
    for (int64_t k = 0; k < s.count; ++k) {
        const bool active = front[std::size_t(k)];
        if (!room && k != 0 && k != s.count - 1 && !(active && lit <= 3)) continue;
        const GridPlacement g = s.slab(k);
        const float lx = g.x + g.cell * float(g.cols) + 3, ly = g.y - (b.uy < 0 ? 2.0f : -2.0f);
        bool covered = false;
        for (int64_t j = 0; j < s.count && !active; ++j)
            if (front[std::size_t(j)] && j != k) covered = covered || s.slab(j).contains(lx, ly + 6);
        if (covered) continue;
        b.out.scene.texts.push_back({lx, ly, 11, active ? b.theme.ink : with_alpha(b.theme.ink, 0.6f), "c" + std::to_string(k), false});
    }
}

/// Labels under the stacks and on the slabs.
void label_stacks(Build& b) {
    Scene& sc = b.out.scene;
    const float labels_y = b.band_top + b.band_h + 6;
    sc.texts.push_back({b.margin, labels_y, 14, b.theme.ink,
                        "input: " + std::to_string(b.cin) + " channel" + (b.cin > 1 ? "s" : "") + " of " + std::to_string(b.Hi) + "x" + std::to_string(b.Wi),
                        false});
    sc.texts.push_back({b.outs.slab(0).x, labels_y, 14, b.theme.ink,
                        "output: " + std::to_string(b.cout) + " channel" + (b.cout > 1 ? "s" : "") + " of " + std::to_string(b.Ho) + "x" + std::to_string(b.Wo),
                        false});
    slab_labels(b, b.in, b.out.input_lit);
    slab_labels(b, b.outs, b.out.output_lit);
}

/// The current step through the whole tensor; its arithmetic in b.arithmetic.
void build_step(Build& b) {
    const Color accent = b.theme.accent;
    b.focus = b.theme.focus;
    b.accent = accent;
    b.line = Color{accent.r * 0.8f, accent.g * 0.8f, accent.b * 0.8f, 0.9f};
    if (b.current < 0) return;
    if (shuffles(b.L)) b.arithmetic = shuffle_step(b);
    else if (!b.engine.is_scatter()) b.arithmetic = gather_step(b);
    else b.arithmetic = scatter_step(b);
}

/// The arithmetic on one line, smaller when long (the transposed case's sentence runs
/// wider than a 1280 px window's canvas): about 0.6 em a character, 9 px at least.
void write_arithmetic(Build& b) {
    Scene& sc = b.out.scene;
    const std::string& arithmetic = b.arithmetic;
    const float room = b.opt.width - 2 * b.margin;
    auto fit = [&](const std::string& t, float size) {
        return std::max(9.0f, std::min(size, room / (0.6f * float(std::max<std::size_t>(1, t.size())))));
    };
    const std::size_t split = arithmetic.find("; ");
    SceneText& t = sc.texts[b.arithmetic_text];
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

/// The page cut to what is drawn on it.
void fit_to_content(Build& b) {
    Scene& sc = b.out.scene;
    float right = std::max({b.outs.slab(0).x + b.outs.width(), b.strip_x, b.bank_x + b.bank_w});
    for (const SceneText& t : sc.texts)
        if (!t.centered) right = std::max(right, t.x + 0.6f * t.size * float(t.text.size()));
    sc.width = std::ceil(right + b.margin);
    sc.height = std::ceil(std::min(b.opt.height, b.strip_y + b.strip_h + 8));
}

}  // namespace

ChannelsScene build_channels_scene(const Animation& animation, const ChannelsData& data, int64_t frame, const SceneOptions& opt,
                                   const ChannelsProjection& projection) {
    const FramePosition pos = animation.timeline().at(frame);
    Build b(animation, data, opt, animation.engine_for(pos.channel));
    start_build(b, pos);
    layout_stacks(b, projection, build_caption(b));
    mark_channels(b);
    build_input_stack(b, projection.cull_hidden_cells);
    build_output_stack(b, projection.cull_hidden_cells);
    label_stacks(b);
    // The bank between them.
    if (shuffles(b.L)) build_shuffle_map(b, b.bank_x, b.band_top, b.bank_w, b.band_h + b.label_h - 6);
    else build_bank(b, b.bank_x, b.band_top, b.bank_w, b.band_h + b.label_h - 6);
    build_step(b);
    if (opt.show_arithmetic) write_arithmetic(b);
    b.out.arithmetic = b.arithmetic;
    if (opt.fit_content) fit_to_content(b);
    return b.out;
}

}  // namespace convscope
