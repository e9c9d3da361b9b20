// The course's three seed figures as slides: what each one shows, checked on the scene
// a default export draws (the mechanism of the up-convolution, the chain of the
// combined stack, the dilated kernel as it acts on the input).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "app/export/deck_export.hpp"
#include "app/export/exporter.hpp"
#include "core/anim/session.hpp"
#include "core/base/files.hpp"
#include "core/lecture/deck.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/scene/scene_chain_figure.hpp"
#include "core/scene/scene_theme.hpp"
#include "core/scene/text_metrics.hpp"

using namespace convscope;
using namespace convscope::exporting;

namespace {

/// The preset as `convscope export --preset` animates it: a stack on its last layer.
Session seed_session(const std::string& preset) {
    Session s = session_from_preset(preset);
    s.layer_index = std::int64_t(s.layers.size()) - 1;
    return s;
}

/// The scene a default single-frame export of `preset` draws.
Scene seed_slide(const std::string& preset) {
    const Session s = seed_session(preset);
    const Animation a(s);
    return animation_scene(a, a.representative_frame(), export_scene_options(s, ExportRequest{}));
}

bool seed_slide_has_text(const Scene& sc, const std::string& part) {
    for (const SceneText& t : sc.texts)
        if (t.text.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("the up-convolution's headline says 'no overlap' only where the stride equals the kernel", "[figures][seed][scene]") {
    Layer L = session_from_preset("seed-upconv").layers[0];  // k2 s2
    CHECK(stamp_headline(L).find("its own 2\u00d72 output block (stride = kernel: no overlap)") != std::string::npos);
    L.stride = {1, 1};
    CHECK(stamp_headline(L).find("no overlap") == std::string::npos);
    CHECK(stamp_headline(L).find("blocks overlap and add") != std::string::npos);
    L.kernel = {3, 3};
    L.stride = {2, 2};  // 3 > 2: the course's k=3 s=2 up-convolution overlaps
    CHECK(stamp_headline(L).find("blocks overlap and add") != std::string::npos);
    L.stride = {3, 3};
    L.dilation = {2, 2};  // span 5 > 3
    CHECK(stamp_headline(L).find("no overlap") == std::string::npos);
    L.kernel = {2, 2};
    L.dilation = {1, 1};
    CHECK(stamp_headline(L).find("gaps between blocks") != std::string::npos);
}

namespace {

/// The text centred on rectangle r (a cell of the combined slide); empty when none.
std::string text_on_rect(const Scene& sc, const SceneRect& r) {
    for (const SceneText& t : sc.texts)
        if (t.centered && std::abs(t.x - (r.x + r.w / 2)) < 0.5f && std::abs(t.y - (r.y + r.h / 2)) < 0.5f) return t.text;
    return {};
}

std::vector<SceneRect> rects_of(const Scene& sc, RectRole role) {
    std::vector<SceneRect> out;
    for (const SceneRect& r : sc.rects)
        if (r.role == role) out.push_back(r);
    return out;
}

/// The number after `prefix` in the first text that starts with it (-1: none).
std::int64_t number_after(const Scene& sc, const std::string& prefix) {
    for (const SceneText& t : sc.texts)
        if (t.text.rfind(prefix, 0) == 0) return std::stoll(t.text.substr(prefix.size()));
    return -1;
}

/// The combined slide and what it says it shows: the feature cell (row, col) and its
/// channel ("feature cell" over "[32, 32]" over "ch 0 of 16").
struct CombinedSlide {
    Session session = seed_session("seed-combined");
    Scene sc = seed_slide("seed-combined");
    std::int64_t fr = number_after(sc, "["), fc = -1, ch = -1;
    CombinedSlide() {
        CHECK(seed_slide_has_text(sc, "feature cell"));
        for (const SceneText& t : sc.texts) {
            if (t.text.rfind("[", 0) == 0) fc = std::stoll(t.text.substr(t.text.find(", ") + 2));
            if (t.text.rfind("ch ", 0) == 0 && t.text.size() > 6 && t.text.substr(t.text.size() - 6) == " of 16") ch = std::stoll(t.text.substr(3));
        }
    }
};

/// The box a text covers, as DejaVu Sans sets it (its advances, measured).
struct TextBox {
    float x0, y0, x1, y1;
};
TextBox text_box(const SceneText& t) {
    const float w = t.size * dejavu_advance_em(t.text);
    return t.centered ? TextBox{t.x - w / 2, t.y - t.size / 2, t.x + w / 2, t.y + t.size / 2} : TextBox{t.x, t.y, t.x + w, t.y + t.size};
}

/// A slide's words: none under 28 px (what a 1080p slide's back row reads), none past
/// the figure's right or bottom edge, no two on each other.
void check_slide_text(const Scene& sc) {
    for (const SceneText& t : sc.texts) {
        INFO("'" << t.text << "' at " << t.size << " px, figure " << sc.width << "x" << sc.height);
        CHECK(t.size >= 28);
        CHECK(text_box(t).x1 <= sc.width + 0.5f);
        CHECK(text_box(t).y1 <= sc.height + 0.5f);
    }
    for (std::size_t i = 0; i < sc.texts.size(); ++i)
        for (std::size_t j = i + 1; j < sc.texts.size(); ++j) {
            const TextBox a = text_box(sc.texts[i]), b = text_box(sc.texts[j]);
            INFO("'" << sc.texts[i].text << "' and '" << sc.texts[j].text << "'");
            CHECK_FALSE((a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1));
        }
}

}  // namespace

TEST_CASE("the combined slide's 9 taps are the first layer's, two apart over the outlined 5x5 span, unnumbered", "[figures][seed][scene][chain]") {
    const CombinedSlide c;
    REQUIRE(c.fr >= 0);
    REQUIRE(c.fc >= 0);
    REQUIRE(c.ch >= 0);
    const LayerData first = stack_layer_data(c.session, 0);
    const std::vector<SceneRect> taps = rects_of(c.sc, RectRole::Highlight);
    REQUIRE(taps.size() == 9);
    float x0 = 1e9f, y0 = 1e9f;
    for (const SceneRect& t : taps) {
        x0 = std::min(x0, t.x);
        y0 = std::min(y0, t.y);
    }
    const float cell = taps.front().w;
    CHECK(cell >= 28);
    for (const SceneRect& t : taps) {
        // Two cells apart (dilation 2): rows and columns 0, 2, 4 of the span.
        const float ky = (t.y - y0) / (2 * cell), kx = (t.x - x0) / (2 * cell);
        REQUIRE(ky == std::round(ky));
        REQUIRE(kx == std::round(kx));
        const double w = first.weights.weight(std::size_t(c.ch), 0, std::size_t(ky), std::size_t(kx));
        INFO("tap (" << ky << ", " << kx << ")");
        // The chain writes no numbers (the dilated slide writes these weights in its taps).
        CHECK(w != 0);
        CHECK(text_on_rect(c.sc, t).empty());
    }
    // The outline is the 5x5 span, round the taps: the same span the block depends on.
    int outlines = 0;
    for (const SceneRect& r : rects_of(c.sc, RectRole::Marker))
        if (std::abs(r.w - (5 * cell + 4)) < 0.5f && std::abs(r.h - (5 * cell + 4)) < 0.5f) {
            CHECK(std::abs(r.x - (x0 - 2)) < 0.5f);
            CHECK(std::abs(r.y - (y0 - 2)) < 0.5f);
            ++outlines;
        }
    CHECK(outlines == 1);
    // The holes between the taps are drawn and carry no weight.
    for (const SceneRect& r : rects_of(c.sc, RectRole::Inset))
        if (std::abs(r.x - (x0 + cell)) < 0.5f && std::abs(r.y - y0) < 0.5f) CHECK(text_on_rect(c.sc, r).empty());
    // On the input locator the box is round input rows / cols fr-2 .. fr+2 (padding 2), where the feature cell reads.
    const GridPlacement& in = c.sc.input_grid;
    REQUIRE(in.rows == 64);
    const float cx = in.x + (float(c.fc) - 2 + 2.5f) * in.cell, cy = in.y + (float(c.fr) - 2 + 2.5f) * in.cell;
    int boxes = 0;
    for (const SceneRect& r : rects_of(c.sc, RectRole::Marker))
        boxes += std::abs(r.x + r.w / 2 - cx) < 0.5f && std::abs(r.y + r.h / 2 - cy) < 0.5f;
    CHECK(boxes == 1);
}

TEST_CASE("the combined slide's feature cell is the first layer's output cell the block comes from, and W and the block sit where it stamps, unnumbered",
          "[figures][seed][scene][chain]") {
    const CombinedSlide c;
    REQUIRE(c.ch >= 0);
    const std::vector<Tensor4> maps = stack_activations(c.session);
    const double x = maps[1](0, std::size_t(c.ch), std::size_t(c.fr), std::size_t(c.fc));
    // The feature value, as the conv computes it and as the first layer's step sums it.
    const std::vector<SceneRect> feature = rects_of(c.sc, RectRole::InputCell);
    REQUIRE(feature.size() == 1);
    CHECK(text_on_rect(c.sc, feature.front()).empty());  // no numbers on the chain
    const LayerData first = stack_layer_data(c.session, 0);
    const StepEngine e(first.layer, first.input, first.weights, 0, c.ch);
    CHECK(std::fabs(e.gather_step(c.fr * 64 + c.fc).result - x) < 1e-12);
    CHECK(x != 0);
    // W and the block where the cell stamps (2r, 2c), without numbers: the chain says how
    // the parts connect (blind readers multiplied x by W and found the block "wrong", the
    // other 15 channels and the bias unseen); the up-convolution's own slide has them.
    CHECK(c.sc.inset_row0 == 2 * c.fr);
    CHECK(c.sc.inset_col0 == 2 * c.fc);
    const std::vector<SceneRect> block = rects_of(c.sc, RectRole::OutputCell), w = rects_of(c.sc, RectRole::KernelCell);
    REQUIRE(block.size() == 4);
    REQUIRE(w.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        const std::size_t ky = i / 2, kx = i % 2;
        const SceneRect& wr = w[i];
        const SceneRect& br = block[i];
        CHECK(std::abs(wr.x - (c.sc.kernel_grid.x + float(kx) * wr.w)) < 0.5f);
        CHECK(std::abs(br.x - (c.sc.inset_grid.x + float(kx) * br.w)) < 0.5f);
        CHECK(std::abs(br.y - (c.sc.inset_grid.y + float(ky) * br.h)) < 0.5f);
        CHECK(text_on_rect(c.sc, wr).empty());
        CHECK(text_on_rect(c.sc, br).empty());
    }
    // The sums the arrows stand for: 3 input channels into the feature, all 16 features into the block.
    CHECK(seed_slide_has_text(c.sc, "\u03a3 over 3 ch"));
    CHECK(seed_slide_has_text(c.sc, "+ 15 more ch"));  // the up-convolution's slide's words
    CHECK(seed_slide_has_text(c.sc, "16 ch \u00d7 2\u00d72"));
}

TEST_CASE("the combined slide says the chain in its title, one colour a meaning, slide-shaped, no word under 1/40 of its height", "[figures][seed][scene][chain]") {
    const Scene sc = seed_slide("seed-combined");
    CHECK(seed_slide_has_text(sc, "A 5\u00d75 span of the input \u2192 16 features at one cell \u2192 one 2\u00d72 output block"));
    CHECK(seed_slide_has_text(sc, "nn.Sequential(nn.Conv2d(3, 16, 3, dilation=2, padding=2), nn.ConvTranspose2d(16, 3, 2, stride=2))"));
    for (const char* shape : {"input 3\u00d764\u00d764", "features 16\u00d764\u00d764", "output 3\u00d7128\u00d7128"}) {
        INFO(shape);
        CHECK(seed_slide_has_text(sc, shape));
    }
    CHECK(seed_slide_has_text(sc, "Conv2d"));
    CHECK(seed_slide_has_text(sc, "k=3 d=2"));
    CHECK(seed_slide_has_text(sc, "ConvTranspose2d"));
    CHECK(seed_slide_has_text(sc, "k=2 s=2"));
    // A slide's shape: no wider than 2:1, so a 16:9 slide does not shrink its type.
    CHECK(sc.width <= 2 * sc.height);
    CHECK(sc.width >= 1.5f * sc.height);
    // The output's whole map is drawn twice the input's: the upsampling seen.
    CHECK(sc.output_grid.cell * float(sc.output_grid.cols) == 2 * sc.input_grid.cell * float(sc.input_grid.cols));
    // The thick box is the receptive field alone, keyed; a thin one with its callout lines
    // says where a part sits in its map, the weights are named where they are drawn, and
    // the key says no more than that (two entries).
    bool thick_key = false;
    for (const SceneRect& r : rects_of(sc, RectRole::Legend)) thick_key |= r.fill.a == 0 && r.stroke_width >= 4;
    CHECK(thick_key);
    CHECK(rects_of(sc, RectRole::Legend).size() == 2);
    CHECK(seed_slide_has_text(sc, "its 9 taps, 2 apart"));
    CHECK(seed_slide_has_text(sc, "W, learned"));
    int thick_boxes = 0;
    for (const SceneRect& r : rects_of(sc, RectRole::Marker)) thick_boxes += r.stroke_width >= 4;
    CHECK(thick_boxes == 1);
    // Features have their own colour.
    const SceneTheme theme = SceneTheme::make(false);
    auto same = [](const Color& a, const Color& b) { return a.r == b.r && a.g == b.g && a.b == b.b; };
    for (const Color& other : {theme.input_plane, theme.output_plane, theme.accent, theme.focus}) CHECK_FALSE(same(kFeaturePlane, other));
    const std::vector<SceneRect> feature = rects_of(sc, RectRole::InputCell);
    REQUIRE(feature.size() == 1);
    CHECK(same(feature.front().fill, kFeaturePlane));
    // The cells dilation skips inside the span, as the dilated slide shades and keys them:
    // 5x5 - 9 taps = 16.
    const Color skipped = mix(theme.input_plane, theme.background, 0.85f);
    int skipped_cells = 0;
    for (const SceneRect& r : rects_of(sc, RectRole::Inset)) skipped_cells += same(r.fill, skipped);
    CHECK(skipped_cells == 16);
    bool skipped_key = false;
    for (const SceneRect& r : rects_of(sc, RectRole::Legend)) skipped_key |= same(r.fill, skipped);
    CHECK(skipped_key);
    CHECK(seed_slide_has_text(sc, "skipped by dilation"));
    // No text, number or word, under 1/40 of the figure's height (and none under 28 px,
    // what a 1080p slide's back row reads), none past its right edge, no two on each other.
    for (const SceneText& t : sc.texts) {
        INFO("'" << t.text << "' at " << t.size << " px, figure " << sc.width << "x" << sc.height);
        CHECK(t.size >= sc.height / 40 - 0.01f);
    }
    check_slide_text(sc);
}

TEST_CASE("the dilated slide is the chain's left half: 9 taps carry the kernel two apart over the 5x5 span, and the output cell the layer's output",
          "[figures][seed][scene][chain]") {
    const Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    const Scene sc = seed_slide("seed-dilated");
    const FramePosition pos = a.timeline().at(a.representative_frame());
    const GatherStep step = a.engine_for(pos.channel).gather_step(pos.shown_step >= 0 ? pos.shown_step : pos.steps_done - 1);
    const LayerData data = stack_layer_data(s, 0);
    // The taps, in input coordinates (SVG: class "tap", summed), each writing its weight with two decimals.
    const std::vector<SceneRect> taps = rects_of(sc, RectRole::Highlight);
    REQUIRE(taps.size() == 9);
    for (const SceneRect& t : taps) {
        REQUIRE(t.indexed);
        CHECK(t.state == TapState::Summed);
        const std::int64_t dy = t.row - (step.out_y - 2), dx = t.col - (step.out_x - 2);  // padding 2: the span starts 2 up and left
        REQUIRE(dy % 2 == 0);
        REQUIRE(dx % 2 == 0);
        const double w = data.weights.weight(0, 0, std::size_t(dy / 2), std::size_t(dx / 2));
        INFO("tap (" << dy / 2 << ", " << dx / 2 << ")");
        CHECK(text_on_rect(sc, t) == stamp_number(w, t.w, 30));
        CHECK(text_on_rect(sc, t).find('.') == text_on_rect(sc, t).size() - 3);
    }
    // The 16 cells between them are skipped by dilation: shaded, keyed, no number.
    const SceneTheme theme = SceneTheme::make(false);
    auto same = [](const Color& x, const Color& y) { return x.r == y.r && x.g == y.g && x.b == y.b; };
    const Color skipped = mix(theme.input_plane, theme.background, 0.85f);
    int skipped_cells = 0;
    for (const SceneRect& r : rects_of(sc, RectRole::Inset))
        if (same(r.fill, skipped)) {
            ++skipped_cells;
            CHECK(text_on_rect(sc, r).empty());
        }
    CHECK(skipped_cells == 16);
    CHECK(seed_slide_has_text(sc, "skipped by dilation"));
    // The one thick box is the span, keyed as the output cell's receptive field.
    int thick_boxes = 0;
    for (const SceneRect& r : rects_of(sc, RectRole::Marker)) thick_boxes += r.stroke_width >= 4;
    CHECK(thick_boxes == 1);
    CHECK(seed_slide_has_text(sc, "the 5\u00d75 span: the output"));
    CHECK(seed_slide_has_text(sc, "cell's receptive field"));
    // The output cell: the layer's output there (Σ over 3 channels + bias), in the features' purple, 16 channels behind.
    const std::vector<SceneRect> cell = rects_of(sc, RectRole::OutputCell);
    REQUIRE(cell.size() == 1);
    CHECK(same(cell.front().fill, kFeaturePlane));
    const std::vector<Tensor4> maps = stack_activations(s);
    const double out = maps[1](0, 0, std::size_t(step.out_y), std::size_t(step.out_x));
    CHECK(std::fabs(step.result - out) < 1e-12);
    CHECK(text_on_rect(sc, cell.front()) == stamp_number(out, cell.front().w, 34));
    CHECK(seed_slide_has_text(sc, "output cell"));
    CHECK(seed_slide_has_text(sc, "[" + std::to_string(step.out_y) + ", " + std::to_string(step.out_x) + "]"));
    CHECK(seed_slide_has_text(sc, "ch 0 of 16"));
    CHECK(seed_slide_has_text(sc, "\u03a3 over 3 ch"));
    CHECK(seed_slide_has_text(sc, "k=3 d=2"));
    // Its message and its code; the whole maps as locators, the same size (padding 2 keeps 64x64).
    CHECK(seed_slide_has_text(sc, "Dilation 2: 9 weights see a 5\u00d75 span of the input, not 3\u00d73"));
    CHECK(seed_slide_has_text(sc, "nn.Conv2d(3, 16, 3, dilation=2, padding=2)  # 3\u00d764\u00d764 \u2192 16\u00d764\u00d764"));
    CHECK(sc.input_grid.rows == 64);
    CHECK(sc.output_grid.rows == 64);
    CHECK(sc.output_grid.cell == sc.input_grid.cell);
    // Slide-shaped; no text under 28 px, past the edges or on another.
    CHECK(sc.width <= 2 * sc.height);
    CHECK(sc.width >= 1.5f * sc.height);
    check_slide_text(sc);
}

TEST_CASE("a chain slide's whole maps say which output cells are done so far, and are drawn whole", "[figures][seed][scene][chain]") {
    const std::string preset = GENERATE("seed-dilated", "seed-upconv", "seed-combined");
    INFO(preset);
    const Session s = seed_session(preset);
    const Animation a(s);
    const FramePosition pos = a.timeline().at(a.representative_frame());
    const std::int64_t shown = pos.shown_step >= 0 ? pos.shown_step : pos.steps_done - 1;
    const std::int64_t steps_done = std::max(pos.steps_done, shown + 1);  // the drawn step's result is shown
    const Scene sc = seed_slide(preset);
    const SceneHeatmap* output = nullptr;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.role == RectRole::OutputCell) output = &h;
    REQUIRE(output != nullptr);
    const std::int64_t block = preset == "seed-dilated" ? 1 : 2;  // a cell of the Conv2d, a 2x2 block of the up-convolution
    const std::int64_t steps_per_row = output->cols / block;
    std::int64_t done = 0;
    for (std::int64_t r = 0; r < output->rows; ++r)
        for (std::int64_t c = 0; c < output->cols; ++c) {
            const bool is_done = (r / block) * steps_per_row + c / block < steps_done;
            const std::size_t i = std::size_t(r * output->cols + c);
            CHECK(output->states[i] == (is_done ? CellState::Done : CellState::Empty));
            CHECK(output->styles[i] == CellStyle::Value);  // the locator is drawn whole
            done += is_done;
        }
    CHECK(done > 0);
    CHECK(done < output->rows * output->cols);  // part-way: the representative step is not the last
    // The last frame: every cell done.
    const Scene last = animation_scene(a, a.frame_count() - 1, export_scene_options(s, ExportRequest{}));
    for (const SceneHeatmap& h : last.heatmaps)
        if (h.role == RectRole::OutputCell) CHECK(std::count(h.states.begin(), h.states.end(), CellState::Done) == h.rows * h.cols);
}

TEST_CASE("the up-convolution's slide shows one input cell times the learned W and the 2x2 output block it alone makes", "[figures][seed][scene]") {
    const Session s = seed_session("seed-upconv");
    const Scene sc = seed_slide("seed-upconv");
    CHECK(seed_slide_has_text(sc, "Each input cell \u00d7 a learned 2\u00d72 W \u2192 its own 2\u00d72 output block"));
    CHECK(seed_slide_has_text(sc, "nn.ConvTranspose2d(16, 3, 2, stride=2)  # 16\u00d732\u00d732 \u2192 3\u00d764\u00d764"));
    CHECK(seed_slide_has_text(sc, "W, learned"));
    CHECK(seed_slide_has_text(sc, "+ 15 more ch"));
    // The cell: its place and channel as named, its value the input's there.
    std::int64_t r = number_after(sc, "["), c = -1, ch = -1;
    CHECK(seed_slide_has_text(sc, "input cell"));
    for (const SceneText& t : sc.texts) {
        if (t.text.rfind("[", 0) == 0) c = std::stoll(t.text.substr(t.text.find(", ") + 2));
        if (t.text.rfind("ch ", 0) == 0 && t.text.size() > 6 && t.text.substr(t.text.size() - 6) == " of 16") ch = std::stoll(t.text.substr(3));
    }
    REQUIRE(r >= 0);
    REQUIRE(c >= 0);
    REQUIRE(ch >= 0);
    const std::vector<SceneRect> cell = rects_of(sc, RectRole::InputCell);
    REQUIRE(cell.size() == 1);
    const LayerData up = stack_layer_data(s, 0);
    const double x = up.input(0, std::size_t(ch), std::size_t(r), std::size_t(c));
    CHECK(x != 0);
    CHECK(text_on_rect(sc, cell.front()) == stamp_number(x, cell.front().w, 34));
    // W from that channel to output channel 0; the block the stack's output at (2r, 2c).
    const std::vector<Tensor4> maps = stack_activations(s);
    const std::vector<SceneRect> block = rects_of(sc, RectRole::OutputCell), w = rects_of(sc, RectRole::KernelCell);
    REQUIRE(block.size() == 4);
    REQUIRE(w.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        const std::size_t ky = i / 2, kx = i % 2;
        CHECK(text_on_rect(sc, w[i]) == stamp_number(up.weights.weight(std::size_t(ch), 0, ky, kx), w[i].w, 30));
        CHECK(text_on_rect(sc, block[i]) == stamp_number(maps[1](0, 0, std::size_t(2 * r) + ky, std::size_t(2 * c) + kx), block[i].w, 30));
    }
    // The output's whole map twice the input's: the upsampling seen.
    CHECK(sc.output_grid.cell * float(sc.output_grid.cols) == 2 * sc.input_grid.cell * float(sc.input_grid.cols));
    for (const SceneText& t : sc.texts) CHECK(t.size >= 28);
}

TEST_CASE("the up-convolution's sum line stays put while the stamps move, at the output's edge too", "[figures][seed][scene]") {
    // The transposed deck's slide of the course's up-convolution, frame by frame: an edge
    // cell's patch has fewer rows than an interior one's.
    const Deck deck = load_deck(asset_path("decks/transposed.json"));
    const auto slide = std::find_if(deck.slides.begin(), deck.slides.end(), [](const Slide& x) { return x.preset == "seed-upconv"; });
    REQUIRE(slide != deck.slides.end());
    auto sum_line_y = [&](std::int64_t frame) {
        const Scene sc = slide_frame_figure(*slide, frame);
        const auto t = std::find_if(sc.texts.begin(), sc.texts.end(), [](const SceneText& x) { return x.text.rfind("output = ", 0) == 0; });
        REQUIRE(t != sc.texts.end());
        return t->y;
    };
    const float interior = sum_line_y(40);
    const std::int64_t frame = GENERATE(0, 1, 2, 3, 31, 32);
    CHECK(sum_line_y(frame) == interior);
}

TEST_CASE("the dilated seed slide's key names the same kinds of cell on every frame, the zero padding too", "[figures][seed][scene]") {
    // Its magnifier reaches the padding only at the map's edge; the key named only what it
    // showed, so "zero padding" came and went and the figure moved under it.
    const Deck deck = load_deck(asset_path("decks/dilated.json"));
    const Slide& slide = deck.slides.at(1);  // the course's layer, after its shape question
    REQUIRE(slide.preset == "seed-dilated");
    REQUIRE_FALSE(slide.question);
    auto key_has_padding = [&](std::int64_t frame) {
        const Scene sc = slide_frame_figure(slide, frame);
        return std::any_of(sc.texts.begin(), sc.texts.end(), [](const SceneText& t) { return t.text == "zero padding"; });
    };
    const std::int64_t frame = GENERATE(0, 1, 5, 20, 40, 63);
    CHECK(key_has_padding(frame));
}

TEST_CASE("a scatter's key names its partial cells on every frame where some frame has them, the first and the last too",
          "[figures][scene][scatter]") {
    // The backward slide: grad_input = ConvTranspose2d(k=3, s=2, p=1) of grad_output; its
    // stamps overlap, so cells are partial between their first and last tap. The entry came
    // with the first overlap and went with the last, and the key re-wrapped each time.
    const Deck deck = load_deck(asset_path("decks/transposed.json"));
    const auto slide = std::find_if(deck.slides.begin(), deck.slides.end(), [](const Slide& x) { return x.session.pass == Pass::Backward; });
    REQUIRE(slide != deck.slides.end());
    const std::int64_t frames = Animation(slide->session).frame_count();
    auto key_names_partial = [&](std::int64_t frame) {
        const Scene sc = slide_frame_figure(*slide, frame);
        return std::any_of(sc.texts.begin(), sc.texts.end(), [](const SceneText& t) { return t.text.find(" partial (taps landed/all)") != std::string::npos; });
    };
    CHECK(key_names_partial(0));
    CHECK(key_names_partial(frames / 2));
    CHECK(key_names_partial(frames - 1));
    // k = s = 2 never overlaps: no cell is ever partial, and the key does not say so.
    Session no_overlap = session_from_preset("seed-upconv");
    const Animation a(no_overlap);
    const Scene sc = animation_scene(a, a.frame_count() / 2, export_scene_options(no_overlap, ExportRequest{}));
    CHECK_FALSE(std::any_of(sc.texts.begin(), sc.texts.end(), [](const SceneText& t) { return t.text.find(" partial (taps landed/all)") != std::string::npos; }));
}
