#pragma once
/// \file scene_channels_build.hpp
/// Internal to the channels view (scene_channels*.cpp): the state its builders share and
/// the drawing helpers they have in common (scene_channels_parts.cpp).
/// scene_channels_page.cpp lays out the page and the stacks, scene_channels_bank.cpp the
/// filter bank (or a shuffle's map), scene_channels_step.cpp a convolution's, pool's or
/// transposed convolution's step, scene_channels_shuffle.cpp a pixel (un)shuffle's step;
/// scene_channels.cpp keeps the data built once per configuration.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/scene/scene_channels.hpp"
#include "core/scene/scene_theme.hpp"

namespace convscope::channels_view {

inline const Color kInputPlane{0.20f, 0.55f, 0.85f, 1};
inline const Color kOutputPlane{0.15f, 0.62f, 0.56f, 1};
inline const Color kKernelPlane{0.93f, 0.60f, 0.18f, 1};

/// Most blocks and slices of a bank drawn (the rest are counted in a note): a 512-filter
/// layer would be 512 unreadable specks.
inline constexpr std::int64_t kMaxBlocksDrawn = 64;
/// Most channels the magnified strip shows one by one.
inline constexpr std::int64_t kMaxStripChannels = 6;
/// Largest shuffle factor whose r x r block is drawn cell by cell (r^2 labelled cells).
inline constexpr std::int64_t kMaxShuffleMapSide = 8;

inline Color with_alpha(Color c, float a) {
    c.a = a;
    return c;
}

/// "(r, c)".
std::string at(std::int64_t r, std::int64_t c);

/// Where one stack's slabs go: slab k's top-left corner is base + k * step.
struct StackGeometry {
    std::int64_t count = 1, rows = 1, cols = 1;
    float cell = 1, step_x = 0, step_y = 0, base_x = 0, base_y = 0;

    float width() const;
    float height() const;
    /// Put the stack's bounding box at (x, y).
    void place(float x, float y);
    GridPlacement slab(std::int64_t k) const { return {base_x + float(k) * step_x, base_y + float(k) * step_y, cell, rows, cols}; }
};

StackGeometry stack_geometry(std::int64_t count, std::int64_t rows, std::int64_t cols, float cell, float ux, float uy, float depth);

/// Everything the builder passes between its parts.
struct Build {
    Build(const Animation& a, const ChannelsData& d, const SceneOptions& o, const StepEngine& e)
        : animation(a), data(d), opt(o), engine(e), L(e.layer()), theme(SceneTheme::make(o.dark)) {}
    const Animation& animation;
    const ChannelsData& data;
    const SceneOptions& opt;
    const StepEngine& engine;
    const Layer& L;
    SceneTheme theme;
    bool schematic = false;
    FramePosition pos;
    std::int64_t current = -1;    ///< the step whose taps are lit; -1: none
    std::int64_t taps_shown = 0;  ///< taps of that step done
    std::int64_t cin = 1, cout = 1, groups = 1;
    float ux = 1, uy = 0;    ///< the channel axis's direction on the page
    bool outline_faded_slices = false;  ///< on screen: faded filters' back slices as outlines
    ChannelsScene out;
    /// The active filter pulled out of the bank (under its grid): where each input
    /// channel's line enters its slice (by input channel; x < 0: not pulled out), and
    /// where the line to the output leaves: the slice's right side, then along under the
    /// grid to the bank's right edge, so no line crosses another filter.
    std::vector<std::pair<float, float>> pulled_entry;
    float exit_x = 0, exit_y = 0, bus_x = 0;
    bool pulled = false;

    // The page's layout: caption on top, the three stacks in a band, labels, the
    // magnified strip of the step's taps at the bottom.
    float margin = 16;
    std::size_t arithmetic_text = 0;  ///< index in scene.texts of the arithmetic line
    std::int64_t Hi = 0, Wi = 0, Ho = 0, Wo = 0;
    StackGeometry in, outs;
    float band_top = 0, band_h = 0, label_h = 38, bank_x = 0, bank_w = 0;
    float strip_y = 0, strip_h = 0, strip_x = 0;
    Color focus, accent, line;        ///< the step's output cell, its taps, its lines
    std::string arithmetic;           ///< the step's sum (or index rule) in words
};

/// A line from (x0, y0) on input channel `ci` into the weights of the step: the pulled-out
/// filter's slice for `ci` when there is one, else straight to (x1, y1).
void line_into_filter(Build& b, float x0, float y0, std::int64_t ci, float x1, float y1, const Color& color, float width);
/// The line from the pulled-out filter to (x1, y1) on the output (nothing without one).
void line_out_of_filter(Build& b, float x1, float y1, const Color& color, float width);
/// A slab (one channel of a feature map) as a heat map.
SceneHeatmap slab_heatmap(const Build& b, const GridPlacement& g, RectRole role, std::int64_t layer, std::int64_t channel, float lo, float hi,
                          const Color& plane);
/// The outline of a slab in its group's colour.
void outline_slab(Scene& sc, const GridPlacement& g, const Color& color, bool lit);
/// The outline of a slab behind `front` (the slab drawn over it): only the parts of its
/// edges that `front` does not cover.
void outline_slab_behind(Scene& sc, const GridPlacement& g, const GridPlacement& front, const Color& color, bool lit);
/// The edges of the box joining a stack's front and back slabs (a stack reads as a solid).
void box_edges(Scene& sc, const StackGeometry& s, const Color& ink);
/// Slab heat map `h`, of which cells [r0, r1) x [c0, c1) are hidden by a slab in front,
/// as at most four heat maps of the visible cells.
void push_visible_parts(Scene& sc, SceneHeatmap h, std::int64_t r0, std::int64_t r1, std::int64_t c0, std::int64_t c1);
/// The cells of slab k of stack `s` hidden by slab k - 1 drawn over it.
void hidden_by_front(const StackGeometry& s, std::int64_t& r0, std::int64_t& r1, std::int64_t& c0, std::int64_t& c1);
/// Lights one cell of a slab: schematic fills it, values outlines it.
void light(Build& b, const GridPlacement& g, std::int64_t r, std::int64_t c, const Color& color, bool reads_zero = false);
/// The centre of cell (r, c) of a slab.
std::pair<float, float> centre(const GridPlacement& g, float r, float c);
/// A line of the strip's text in ink.
void strip_text(Build& b, float x, float y, const std::string& text, float size = 13);
/// The kernel slice of weights w[.., .., :, :] joining input channel `ci` and output
/// channel `co`, as a heat map at `g`, every cell drawn in `style`.
SceneHeatmap kernel_slice_heatmap(const Build& b, const GridPlacement& g, RectRole role, std::int64_t ci, std::int64_t co, CellStyle style);

/// True for PixelShuffle and PixelUnshuffle.
bool shuffles(const Layer& L);

/// The filter bank between the stacks, in the box (x0, y0, w, h).
void build_bank(Build& b, float x0, float y0, float w, float h);
/// In the bank's place for a pixel (un)shuffle: the index rule and the r x r block.
void build_shuffle_map(Build& b, float x0, float y0, float w, float h);
/// A pixel (un)shuffle's step drawn; returns its caption (the index rule with numbers).
std::string shuffle_step(Build& b);
/// A convolution's or pool's step (gather): taps lit, lines, the strip; its arithmetic.
std::string gather_step(Build& b);
/// A transposed convolution's step (scatter): stamps lit, lines, the strip; its arithmetic.
std::string scatter_step(Build& b);

}  // namespace convscope::channels_view
