// The course's three seed figures as slides: what each one shows, checked on the scene
// a default export draws (the mechanism of the up-convolution, the chain of the
// combined stack, the dilated kernel as it acts on the input).
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <string>

#include "app/export/exporter.hpp"
#include "core/anim/session.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/scene/scene_chain.hpp"
#include "core/scene/scene_theme.hpp"

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

/// The text written centred in cell (r, c) of a grid drawn at g whose cell (0, 0) is
/// (r0, c0) of its map; empty when there is none.
std::string text_in_cell(const Scene& sc, const GridPlacement& g, std::int64_t r0, std::int64_t c0, std::int64_t r, std::int64_t c) {
    const float x = g.x + (float(c - c0) + 0.5f) * g.cell, y = g.y + (float(r - r0) + 0.5f) * g.cell;
    for (const SceneText& t : sc.texts)
        if (t.centered && std::abs(t.x - x) < 0.5f && std::abs(t.y - y) < 0.5f) return t.text;
    return {};
}

bool seed_slide_has_text(const Scene& sc, const std::string& part) {
    for (const SceneText& t : sc.texts)
        if (t.text.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("the up-convolution's slide shows one input cell times W landing as the 2x2 block it stamps", "[figures][seed][scene]") {
    const std::string preset = GENERATE("seed-upconv", "seed-combined");
    INFO(preset);
    const Session s = seed_session(preset);
    const Animation a(s);
    const Scene sc = seed_slide(preset);
    const FramePosition pos = a.timeline().at(a.representative_frame());
    const StepEngine& e = a.engine_for(pos.channel);
    REQUIRE(e.is_scatter());
    const ScatterStep step = e.scatter_step(pos.shown_step >= 0 ? pos.shown_step : pos.steps_done);
    // The channel drawn is named above W in words ("in ch c \u2192 out ch 0"); its input value is not 0.
    std::int64_t ci = -1;
    for (const SceneText& t : sc.texts)
        if (t.text.rfind("in ch ", 0) == 0 && t.text.find(" \u2192 out ch " + std::to_string(pos.channel)) != std::string::npos)
            ci = std::stoll(t.text.substr(6));
    REQUIRE(ci >= 0);
    CHECK(seed_slide_has_text(sc, "W, learned"));
    // The orange numbers are that channel's share; the output sums the 16 channels' and the bias.
    CHECK(seed_slide_has_text(sc, "= x \u00d7 W (in ch " + std::to_string(ci) + "'s share)"));
    int products = 0;
    for (const ScatterTap& t : step.taps) {
        if (t.in_channel != ci) continue;
        CHECK(t.value != 0);
        // The product written where the tap lands, in the main view (the output patch) ...
        const std::string shown = text_in_cell(sc, sc.inset_grid, sc.inset_row0, sc.inset_col0, t.out_y, t.out_x);
        REQUIRE_FALSE(shown.empty());
        const double product = std::stod(shown);
        CHECK(std::fabs(product - t.value * t.weight) <= 0.01 + 0.005 * (std::fabs(t.value) + std::fabs(t.weight)));
        // ... and the weight written in W: the shown product is that of the shown factors.
        const std::string w = text_in_cell(sc, sc.kernel_grid, 0, 0, t.ky, t.kx);
        REQUIRE_FALSE(w.empty());
        std::string x;
        for (const SceneText& text : sc.texts)
            if (text.centered && !text.text.empty() && (std::isdigit(static_cast<unsigned char>(text.text.back())) != 0) &&
                !sc.inset_grid.contains(text.x, text.y) && !sc.kernel_grid.contains(text.x, text.y))
                x = text.text;  // the stamping cell's value, in the input patch
        REQUIRE_FALSE(x.empty());
        INFO(x << " x " << w << " -> " << shown);
        CHECK(std::fabs(std::stod(x) * std::stod(w) - product) <= 0.005 + 1e-9);
        ++products;
    }
    CHECK(products == 4);
    CHECK(seed_slide_has_text(sc, "output = \u03a3 over 16 in ch of x \u00d7 W + bias"));
    if (preset == "seed-upconv") {
        CHECK(seed_slide_has_text(sc, "each input value x \u00d7 2\u00d72 kernel W \u2192 its own 2\u00d72 output block (stride = kernel: no overlap)"));
    } else {
        // The chain's slide: its message, and the whole stack's code in one line.
        CHECK(seed_slide_has_text(sc, "each 2\u00d72 output block \u2190 1 feature cell \u2190 a 5\u00d75 span of the input"));
        CHECK(seed_slide_has_text(sc, "nn.Sequential(nn.Conv2d(3, 16, 3, dilation=2, padding=2), nn.ConvTranspose2d(16, 3, 2, stride=2))"));
    }
    // One meaning a colour: the output's teal is named as the output.
    CHECK(seed_slide_has_text(sc, "output, stamped before"));
    CHECK_FALSE(seed_slide_has_text(sc, "W["));
    CHECK(seed_slide_has_text(sc, preset == "seed-upconv" ? "32x32 -> 64x64" : "64x64 -> 128x128"));
}

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

TEST_CASE("the combined slide shows the chain: the dilated layer's wide read, then the up-convolution's stamp", "[figures][seed][scene]") {
    const Scene sc = seed_slide("seed-combined");
    // Every map of the chain with its shape, each layer with what makes it what it is.
    for (const char* shape : {"3x64x64", "16x64x64", "3x128x128"}) {
        INFO(shape);
        CHECK(seed_slide_has_text(sc, shape));
    }
    CHECK(seed_slide_has_text(sc, "Conv2d k=3 d=2"));
    CHECK(seed_slide_has_text(sc, "reads a 5x5 span"));
    CHECK(seed_slide_has_text(sc, "ConvTranspose2d"));
    CHECK(seed_slide_has_text(sc, "64x64 -> 64x64 -> 128x128"));
    // The dilated footprint beside its arrow: 5x5 cells, 9 of them taps (two apart).
    const SceneTheme theme = SceneTheme::make(false);
    int taps = 0, holes = 0;
    for (const SceneRect& r : sc.rects) {
        if (r.role != RectRole::Other || r.w != 8 || r.h != 8) continue;
        taps += r.fill.r == kChainSpan.r && r.fill.g == kChainSpan.g;
        holes += r.fill.r == kChainInput.r && r.fill.g == kChainInput.g;
    }
    CHECK(taps == 9);
    CHECK(holes == 16);
    // One meaning a colour: the stack's input and the dilated read are neither the
    // features' blue nor x*W's orange.
    for (const Color& c : {kChainSpan, kChainInput}) {
        CHECK_FALSE((c.r == theme.input_plane.r && c.g == theme.input_plane.g && c.b == theme.input_plane.b));
        CHECK_FALSE((c.r == theme.accent.r && c.g == theme.accent.g && c.b == theme.accent.b));
    }
    // The up-convolution is the layer magnified: its input and output are the chain's
    // second and third maps, the output twice the input's size.
    CHECK(sc.output_grid.rows == 128);
    CHECK(sc.input_grid.rows == 64);
    CHECK(sc.output_grid.cell == sc.input_grid.cell);
    // No word under 1/25 of the figure's height, none past its right edge.
    for (const SceneText& t : sc.texts) {
        INFO("'" << t.text << "' at " << t.size << " px, figure " << sc.width << "x" << sc.height);
        if (!t.centered) CHECK(t.size >= sc.height / 25 - 0.01f);
        CHECK(t.x + 0.6f * t.size * float(t.text.size()) <= sc.width + 0.5f);
    }
}

TEST_CASE("the dilated slide writes the kernel's weights in the magnified taps, two cells apart with holes between", "[figures][seed][scene]") {
    const Session s = session_from_preset("seed-dilated");
    const Animation a(s);
    const Scene sc = seed_slide("seed-dilated");
    const FramePosition pos = a.timeline().at(a.representative_frame());
    const GatherStep step = a.engine_for(pos.channel).gather_step(pos.shown_step >= 0 ? pos.shown_step : pos.steps_done - 1);
    REQUIRE(sc.inset_grid.rows == 7);  // the 5x5 footprint and a cell round it
    CHECK(sc.inset_grid.cell >= 56);   // room for "-0.64" in 18 px type
    int written = 0;
    for (const GatherTap& t : step.taps) {
        if (t.in_channel != 0) continue;
        // The weight in the main view's tap is the one in the kernel, tap for tap.
        const std::string in_view = text_in_cell(sc, sc.inset_grid, sc.inset_row0, sc.inset_col0, t.grid_y, t.grid_x);
        const std::string in_kernel = text_in_cell(sc, sc.kernel_grid, 0, 0, t.ky, t.kx);
        INFO("tap (" << t.ky << ", " << t.kx << ")");
        CHECK_FALSE(in_view.empty());
        CHECK(in_view == in_kernel);
        CHECK(std::fabs(std::stod(in_view) - t.weight) <= 0.05 * std::fabs(t.weight) + 0.005);
        // The cell between two taps (dilation 2) is a hole: nothing written.
        if (t.kx > 0) CHECK(text_in_cell(sc, sc.inset_grid, sc.inset_row0, sc.inset_col0, t.grid_y, t.grid_x - 1).empty());
        ++written;
    }
    CHECK(written == 9);
    CHECK(seed_slide_has_text(sc, "spread to 5x5"));
    CHECK(seed_slide_has_text(sc, "skipped by dilation"));
}
