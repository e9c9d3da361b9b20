#pragma once
/// \file scene.hpp
/// The picture of one animation frame as plain shapes (cells, outlines, lines, text) in
/// pixel coordinates, built from the step engine and a frame position with no GL. The
/// app draws it with ImGui; exporters draw the same scene to files.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/nn/rf.hpp"
#include "core/anim/scene_style.hpp"
#include "core/anim/steps.hpp"
#include "core/anim/timeline.hpp"

namespace convscope {

struct LayerData;  // core/anim/session.hpp

struct Color {
    float r = 0, g = 0, b = 0, a = 1;
};

/// `a` moved `share_of_b` of the way to `b` (0: a, 1: b), opaque.
Color mix(const Color& a, const Color& b, float share_of_b);

/// What a rectangle stands for, so exporters can label it (SVG classes) and tests count it.
enum class RectRole {
    Other, InputCell, KernelCell, OutputCell, Highlight, Legend,
    Inset,   ///< a cell of the magnified inset (a copy of a grid's cells, larger)
    Window,  ///< the footprint of the kernel on the grid it reads (its taps and the gaps)
    Marker,  ///< padding outlines, inserted-zero hatching, callouts: what a cell is
    CroppedCell,  ///< a transposed layer's output cell that its padding crops (scatter view)
    Connector, ///< a line joining the kernel's footprint to the cell it makes (perspective)
};

/// What a tap of the current step is (SVG data-state, so figures can be checked by
/// script): being added, added already, or in the footprint and not added yet.
enum class TapState : std::uint8_t { None, Current, Summed, Pending };
/// "current", "summed", "pending" ("" for None).
const char* tap_state_name(TapState s);

/// What an output cell is at this frame (SVG data-state): nothing landed yet, some of its
/// contributions landed (a transposed layer's scatter), every contribution landed.
enum class CellState : std::uint8_t { Unset, Empty, Partial, Done };
/// "empty", "partial", "done" ("" for Unset).
const char* cell_state_name(CellState s);

struct SceneRect {
    float x = 0, y = 0, w = 0, h = 0;
    Color fill;
    Color stroke{0, 0, 0, 0};
    float stroke_width = 0;
    RectRole role = RectRole::Other;
    float dash = 0;  ///< outline drawn dashed, dashes and gaps this long; 0: solid
    /// A tap of the step (TapState) and the cell it stands for, in the coordinates of the
    /// map it is on (negative or past the size in the padding, or in the cropped ring);
    /// `indexed` false: the rect is no particular cell.
    TapState state = TapState::None;
    bool indexed = false;
    std::int64_t row = 0, col = 0;
};

/// Where a grid was put, for hit-testing clicks (x, y, cell size, rows, cols).
struct GridPlacement {
    float x = 0, y = 0, cell = 1;
    std::int64_t rows = 0, cols = 0;
    bool contains(float px, float py) const {
        return px >= x && py >= y && px < x + cell * float(cols) && py < y + cell * float(rows);
    }
};

/// How one heat-map cell is drawn.
enum class CellStyle : std::uint8_t {
    Value,       ///< its value through the colour map
    FadedValue,  ///< same, faded toward the background (a padding cell copying a real one)
    Empty,       ///< the neutral colour (not computed yet, no weight)
    Padding,     ///< a zero padding cell (values: the neutral colour; schematic: blank, dashed)
    InsertedZero,///< a zero inserted between input cells (values: neutral; schematic: blank, hatched)
};

/// A grid of values drawn through the colour map: the app uploads it as one RGBA8 texture
/// of cell_color()s, the exporters draw one rectangle per cell. cell_color() is the one
/// definition of the colours both use.
struct SceneHeatmap {
    RectRole role = RectRole::Other;
    float x = 0, y = 0, cell = 1;
    std::int64_t rows = 0, cols = 0;
    std::vector<float> values;      ///< row-major
    std::vector<CellStyle> styles;  ///< row-major
    std::vector<CellState> states;  ///< row-major, or empty: no state (the output's cells carry one)
    float lo = 0, hi = 1;           ///< values mapped to the ends of the colour map
    bool log_scale = false;         ///< t = log(1 + v - lo) / log(1 + hi - lo) (path counts)
    Color empty{0.88f, 0.88f, 0.9f, 1};
    Color background{1, 1, 1, 1};
    Color grid{0, 0, 0, 0};         ///< cell borders; alpha 0 draws none
    float fade = 0.55f;             ///< FadedValue: share of the background mixed in
    /// Schematic style: every Value cell is `flat_fill` whatever its value (the guide's
    /// uniform planes); Padding and InsertedZero cells are the background (their outline
    /// and hatching are separate Marker shapes).
    bool flat = false;
    Color flat_fill{0.16f, 0.56f, 0.85f, 1};
    /// What the cells are, for SVG data attributes: the feature map (0 = the input,
    /// L + 1 = the output of layer L; the kernel of layer L has layer L), its channel,
    /// the filter (kernel cells: the output channel; -1 otherwise), and the index of
    /// cell (0, 0) in that map (negative inside the padding).
    std::int64_t layer = 0, channel = 0, filter = -1, row0 = 0, col0 = 0;
    /// A colour picture (the upsampling lab's RGB outputs): when not empty, cell (r, c)
    /// is colors[r * cols + c] and values, styles and the colour map are not used.
    std::vector<Color> colors;

    /// An empty heat map of `role` covering placement `g` (values and styles unset).
    static SceneHeatmap at(const GridPlacement& g, RectRole role);

    /// Cells [r0, r0 + rows) x [c0, c0 + cols) of this map, drawn at (x, y) with cells of
    /// `cell` px, as an Inset (a magnified region; row0 / col0 follow).
    SceneHeatmap region(std::int64_t r0, std::int64_t c0, std::int64_t rows, std::int64_t cols, float x, float y, float cell) const;

    /// Position of value v on the colour map, in [0, 1]; NaN when v (or the range) is not
    /// a number (cell_color draws it not_a_number_color()).
    float t(float v) const;
    Color cell_color(std::int64_t r, std::int64_t c) const;
};

/// Rows [first_row, end_row) x columns [first_col, end_col) of a heat map, all one colour.
struct CellBlock {
    std::int64_t first_row = 0, end_row = 0, first_col = 0, end_col = 0;
    Color color;
};

/// A heat map as blocks of equal colour, covering each cell exactly once: each row as
/// runs of equal colour, and a run that repeats the one above it (same columns, same
/// colour) grows that block down. A uniform 68x68 input is one block, not 68 strips: a
/// software rasterizer pays per 4x4 pixel block a triangle touches, and a 3 px strip's
/// two triangles touch every block of it, half covered.
std::vector<CellBlock> equal_colour_blocks(const SceneHeatmap& h);

struct SceneText {
    float x = 0, y = 0;
    float size = 12;
    Color color;
    std::string text;
    bool centered = false;  ///< (x, y) is the centre instead of the top-left
};

struct SceneLine {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    Color color;
    float width = 1;
};

/// A convex polygon of up to four corners, or (closed = false) a polyline: the
/// perspective style's parallelogram cells, footprint outlines and the lines joining
/// planes. Drawn in the order given, after the heat maps and before the rectangles.
struct ScenePolygon {
    std::array<std::array<float, 2>, 4> points{};
    int count = 4;        ///< corners used (2: a segment)
    bool closed = true;   ///< false: an open polyline (never filled)
    Color fill{0, 0, 0, 0};
    Color stroke{0, 0, 0, 0};
    float stroke_width = 0;
    float dash = 0;       ///< outline dashed, dashes and gaps this long; 0: solid
    RectRole role = RectRole::Other;
    /// A cell or tap: its map coordinates and map (SVG data-row / data-col / data-layer /
    /// data-channel); `state` is its data-state ("current", "done", ...) or null.
    bool indexed = false;
    std::int64_t row = 0, col = 0, layer = 0, channel = 0;
    const char* state = nullptr;
};

struct Scene {
    float width = 0, height = 0;
    Color background;
    std::vector<SceneHeatmap> heatmaps;  ///< drawn first
    std::vector<ScenePolygon> polygons;  ///< drawn next, in order
    std::vector<SceneRect> rects;
    std::vector<SceneLine> lines;
    std::vector<SceneText> texts;
    using GridPlacement = convscope::GridPlacement;
    GridPlacement input_grid, kernel_grid, output_grid;
    /// The magnified inset (rows 0 when there is none) and the region of the input grid
    /// (gather) or output grid (scatter) it magnifies, in that grid's cells.
    GridPlacement inset_grid;
    std::int64_t inset_row0 = 0, inset_col0 = 0;
    /// Pipeline scenes: every feature map of the stack, [0] the input, [i + 1] the output
    /// of layer i (clicking map i + 1 selects layer i).
    std::vector<GridPlacement> stack_maps;
};

/// Viridis (perceptually uniform, colour-blind safe) at t in [0, 1]; a t that is not a
/// number (NaN, from a value that is not one) is drawn not_a_number_color().
Color viridis(float t);

/// The colour of a value that is not a number (NaN or an infinity), on every colour map
/// and picture: a hot pink that neither viridis nor a photo's greys use, keyed "NaN/inf"
/// where it can appear. Nothing that draws reads such a value as a number.
Color not_a_number_color();

/// A value as text that never reads a non-number as one: "NaN", "inf" or "-inf" for
/// those, else snprintf(format, v).
std::string finite_text(const char* format, double v);

/// Whether cells carry their numbers.
enum class NumberLabels { Auto, Always, Never };  ///< Auto: the values style does, schematic does not

struct SceneOptions {
    float width = 1200, height = 640;  ///< space available; cells shrink to fit
    std::int64_t in_channel = 0;       ///< input channel whose grid and taps are drawn
    bool dark = false;
    /// Shrink width and height to what is drawn (figures for export); the app keeps
    /// the space it was given.
    bool fit_content = false;
    bool show_arithmetic = true;       ///< the step's arithmetic under the caption
    std::string code_line;             ///< a PyTorch line under the caption (empty: none)
    /// Replaces the layer's caption (the backward view says what the steps compute).
    std::string caption;
    SceneStyle style = SceneStyle::Values;
    NumberLabels numbers = NumberLabels::Auto;  ///< drawn where the cells are big enough (>= 20 px)
    /// Magnify the active taps when cells are under kInsetBelowCell pixels.
    bool inset = true;
    /// The colour scale of the output: the range of the finished output channel, so that
    /// a cell keeps its colour from the frame it is computed on to the last. Empty: the
    /// range of what is computed so far (a scene without an animation behind it).
    std::optional<std::array<double, 2>> output_range;
    /// The backward pass: the grid the steps read is grad_output and the one they compute
    /// grad_input, and every label, legend and inset title says so.
    bool backward = false;
    /// The layer index written into SVG data attributes (the animated layer of the stack).
    std::int64_t layer_index = 0;
    /// A figure to work out by hand: the output cells drawn empty (grid only: no values,
    /// no colours of values, no counts, no arithmetic line).
    bool hide_output = false;
    /// Also leave out the output's size: no output grid and no "-> H x W" in the caption.
    bool hide_shape = false;
    /// Leave out the size of the grid the kernel slides over ("padded to 6x6"): with the
    /// kernel drawn beside it, it gives the output's size away (6 - 3 + 1). Set with
    /// hide_shape; a deck's question sets it alone (apply_hide takes out the rest).
    bool hide_grid_size = false;
    /// A slide of a stack's layer: the stack's layers up to it and its input (N, C, H, W).
    /// A stack of two whose second layer stamps (seed-combined) draws its chain beside
    /// the mechanism; empty: the layer alone.
    std::vector<Layer> stack_layers;
    std::array<std::int64_t, 4> stack_input{};
    /// The stack's first layer with its input and weights, as the session computes them:
    /// a slide of a two-layer stack whose second layer stamps (seed-combined) draws the
    /// whole chain from it (core/scene/scene_chain_figure.hpp); null: not drawn.
    std::shared_ptr<const LayerData> stack_first;
    /// The figure adds one tap a frame (tap granularity): its key names the tap states
    /// on every frame, also the ones between two steps, so that the key never reflows.
    bool taps_one_by_one = false;
    /// A single dilated Conv2d may be drawn as the chain slide's left half
    /// (draws_read_figure), a single up-convolution k=2 s=2 as its right half
    /// (draws_stamp_figure); a deck's page turns it off, so that its question (the output
    /// hidden, drawn the usual way) and its answer keep one layout.
    bool chain_halves = true;
};

/// Apply `--hide WHAT` ("output" or "shape"; "shape" implies "output"); UserError otherwise.
void hide_in_scene(SceneOptions& options, const std::string& what);

/// A rightward arrow from (x0, y) to (x1, y), 3 px wide, its head a filled triangle
/// `head_length` long and `2 * head_half_width` wide at its base.
void add_right_arrow(Scene& sc, float x0, float x1, float y, const Color& ink, float head_length, float head_half_width);

/// Cells smaller than this (pixels) get a magnified inset around the active taps.
inline constexpr float kInsetBelowCell = 12;

/// The one-line caption of a layer: "Conv2d k=3 s=1 p=2 d=2, 64x64 -> 64x64"; padding
/// 'same' that splits unevenly says so: "p=same (1 top/left, 2 bottom/right)".
std::string layer_caption(const Layer& layer, const LayerGeometry& geo);
/// The caption without the parameters at PyTorch's defaults (s=1, p=0, d=1), for a
/// slide: "Conv2d k=3 s=1 p=2 d=2, 64x64 -> 64x64" becomes "Conv2d k=3 p=2 d=2, ...".
std::string caption_without_defaults(const std::string& caption);

/// Input (or the grid the kernel slides over), kernel and output of one frame.
Scene build_scene(const StepEngine& engine, const FramePosition& frame, const SceneOptions& options);

/// The up-convolution slide's headline: "each input value x \u00d7 2\u00d72 kernel W
/// \u2192 its own 2\u00d72 output block (stride = kernel: no overlap)"; "no overlap" only
/// where the stride equals the kernel (dilation 1), else it says the blocks overlap and
/// add, or leave gaps.
std::string stamp_headline(const Layer& layer);

/// The magnified inset of build_scene alone, its top-left at (x, y), at most `side` px a
/// side: for pictures whose own grids are too small to show the step (the pipeline). Its
/// inset_grid says where it went, its inset heat map's row0 / col0 the map coordinates of
/// its cell (0, 0) (negative inside the padding). Empty when the frame lights nothing.
Scene build_step_inset(const StepEngine& engine, const FramePosition& frame, const SceneOptions& options, float x, float y, float side);

struct ConvMatrix;

/// The same step as a matrix product: y = C x (conv2d) or y = C^T x (transposed), the
/// vectors being the flattened planes of one channel pair. The current step's row
/// (gather: its output cell) or column (scatter: its input cell) is outlined.
Scene build_matrix_scene(const StepEngine& engine, const FramePosition& frame, const ConvMatrix& matrix,
                         std::int64_t in_channel, const SceneOptions& options);

/// The path-count map of a receptive field at layer boundary `boundary` as a heat map
/// (log scale: counts span orders of magnitude; cells no path reaches are empty).
/// With `holes`, empty cells inside the field's bounding box get `hole_color` instead
/// (the gridding of stacked equal dilations).
SceneHeatmap rf_heatmap(const RfResult& result, std::size_t boundary, float x, float y, float cell, bool dark,
                        bool holes = false);

}  // namespace convscope
