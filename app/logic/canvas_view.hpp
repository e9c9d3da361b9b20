#pragma once
/// \file canvas_view.hpp
/// What the canvas adds to a frame's scene, as pure functions of core types (no GL, no
/// ImGui: the tests call them): zoom and pan (wheel zoom about the mouse, drag pan,
/// follow the step), the caption kept in place while the grids zoom, values written
/// into cells that zooming made big enough, and a receptive field drawn onto the grid
/// it lives on (its box, the cells it reads with their path counts, its gridding holes).
#include <array>
#include <cstdint>
#include <vector>

#include "core/nn/rf.hpp"
#include "core/scene/scene.hpp"
#include "core/anim/steps.hpp"

namespace convscope::gui {

/// Scene coordinates to canvas coordinates: canvas = pan + zoom * scene.
struct CanvasView {
    static constexpr float kMaxZoom = 40;
    float zoom = 1;             ///< 1: the scene as built, fitted to the canvas
    float pan_x = 0, pan_y = 0; ///< where the scene's (0, 0) is drawn, relative to the canvas
    bool follow = true;         ///< while zoomed in, keep the current step in view

    bool zoomed() const { return zoom > 1.0001f; }
    float to_x(float x) const { return pan_x + zoom * x; }
    float to_y(float y) const { return pan_y + zoom * y; }
    float from_x(float x) const { return (x - pan_x) / zoom; }
    float from_y(float y) const { return (y - pan_y) / zoom; }
};

/// Multiply the zoom by `factor` (kept in [1, kMaxZoom]) so that the scene point under
/// canvas point (px, py) stays under it.
void zoom_about(CanvasView& view, float factor, float px, float py);
/// Back to the whole scene (zoom 1, no pan).
void reset_view(CanvasView& view);
/// Keep the zoomed scene covering the canvas: no panning the picture out of sight.
void clamp_pan(CanvasView& view, float scene_w, float scene_h, float canvas_w, float canvas_h);
/// Pan as little as possible so the scene box [x0, x1] x [y0, y1] lies inside the canvas
/// with `margin` pixels to spare (centred on it when it is larger than the canvas).
void keep_in_view(CanvasView& view, float x0, float y0, float x1, float y1, float canvas_w, float canvas_h, float margin);

/// The scene box of what the current step lights up (Highlight rectangles); when all of
/// them do not fit in `max_w` x `max_h` scene pixels, those on the grid holding most of
/// them (the taps). Returns false when nothing is lit.
bool step_focus(const Scene& scene, float max_w, float max_h, std::array<float, 4>& box);

/// Texts above every grid: the caption and the arithmetic. Taken out of `scene`; the
/// canvas draws them in place while the rest zooms.
std::vector<SceneText> take_header(Scene& scene);
/// The bottom of the header band (the top of the highest grid).
float header_bottom(const Scene& scene);

/// The scene drawn through `view`: every position and size scaled and moved (text up to
/// 22 px); heat maps
/// grow cell borders once their cells are 6 px.
Scene transform(const Scene& scene, const CanvasView& view);

/// The scene magnified `s` times about its (0, 0): every position, size, line and outline
/// width and font size (View > Text size builds the canvas scene for the canvas / s and
/// draws it this way, so its captions grow with the panels' text and a click still maps
/// to the cell drawn under it).
Scene magnified_scene(Scene scene, float s);

/// Values written into heat-map cells that the zoom made at least `min_cell` px wide,
/// only for cells inside the canvas box [0, w] x [0, h], and only on maps the scene
/// did not label itself nor paints flat (schematic). `scene` is already transformed.
void add_zoomed_values(Scene& scene, const Scene& original, float w, float h, float min_cell = 22);

/// Whether the scene wrote numbers into the cells of grid `g` (centred texts inside it).
bool grid_labelled(const Scene& scene, const Scene::GridPlacement& g);

/// Where each real input row and column sits on a grid: the gather grid is padded (and,
/// for the transposed view, has zeros inserted), the scatter grid is the input itself.
struct GridAxes {
    std::vector<std::int64_t> rows, cols;  ///< grid index of input row / column i
};
GridAxes grid_axes(const StepEngine& engine);
/// A grid that is the map itself (index i is cell i).
GridAxes identity_axes(std::int64_t rows, std::int64_t cols);

struct FieldStyle {
    Color box{0.1f, 0.45f, 0.95f, 1};      ///< the field's bounding box, and the cell it belongs to
    Color hole{0.9f, 0.12f, 0.12f, 0.85f};  ///< a cell inside the box no path reaches (nearly opaque: the pattern must pop)
    Color dim{1, 1, 1, 0.6f};               ///< laid over everything outside the box
    bool holes = true;
    bool counts = true;  ///< write the path counts (off where the cells already carry their values)
    /// Counts are written when a cell is at least this big on screen (`zoom` x its size).
    float label_cell = 18;
    float zoom = 1;
};

/// The receptive field at `boundary` of `field` drawn onto grid `g` (scene coordinates):
/// the rest of the grid dimmed, the box outlined, its holes in red, and on cells big
/// enough the number of paths from each cell to the output cell (the overlap count of
/// a transposed layer). Returns the number of holes drawn.
std::int64_t add_field_overlay(Scene& scene, const Scene::GridPlacement& g, const GridAxes& axes, const RfResult& field,
                               std::size_t boundary, const FieldStyle& style);

/// Where the field at `boundary` lies on a grid (through `axes`): its box in grid cells.
/// False when the field is empty or the grid is not that boundary's map.
bool field_box(const RfResult& field, std::size_t boundary, const GridAxes& axes, std::array<std::int64_t, 4>& box);

/// Cells too small to read a field on (the scene has a magnified inset, scene.inset_grid):
/// the field at `boundary` magnified in the inset's place instead of the step's taps:
/// the cells of `source` (the scene's heat map of the grid the field lies on, placed at
/// `g`) around the field's box, one cell of context, with the box, the path count of
/// every cell read and the holes (add_field_overlay), titled `title`, the region
/// outlined on the grid. Cells up to 28 px, the inset as large as the canvas below it
/// allows. Returns false (nothing drawn) without an inset, or when the field does not
/// fit at 6 px a cell.
bool add_field_inset(Scene& overlay, const Scene& scene, const SceneHeatmap& source, const Scene::GridPlacement& g,
                     const GridAxes& axes, const RfResult& field, std::size_t boundary, const FieldStyle& style,
                     const std::string& title);

}  // namespace convscope::gui
