#pragma once
/// \file layout.hpp
/// The window is tiled, never stacked: ImGui 1.86 has no docking, so every frame the
/// panels are put where this pure function says (no GL, no ImGui: the tests call it).
/// Parameters and timeline share the left column; the canvas and the PyTorch code the
/// middle; the receptive-field, comparison and matrix views, the deck editor and the
/// quiz, when open, take a column on the right and the canvas shrinks. Nothing floats over the canvas.

namespace convscope::gui {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    float right() const { return x + w; }
    float bottom() const { return y + h; }
    float area() const { return w * h; }
    bool empty() const { return w <= 0 || h <= 0; }
    bool contains(float px, float py) const { return px >= x && py >= y && px < right() && py < bottom(); }
};

/// Whether two rectangles share any area (touching edges do not count).
bool overlaps(const Rect& a, const Rect& b);

struct LayoutRequest {
    float width = 1280, height = 800;  ///< the window, in ImGui units
    float top = 0;                     ///< the menu bar's height: the tiles start under it
    float scale = 1;                   ///< content scale (HiDPI) and text size: minimum widths grow with it
    bool receptive_field = false;      ///< the receptive-field view is open
    bool compare = false;              ///< ... with a second configuration side by side
    bool matrix = false;               ///< the matrix view is open
    /// What the code panel's content needs (0: a quarter of the height); it gets that
    /// between 150 px (scaled) and 42% of the height, the canvas the rest.
    float code_height = 0;
    bool lab = false;                  ///< the upsampling lab is open: it takes the canvas's and the code's place
    bool deck = false;                 ///< the Deck panel (the deck editor) is open
    bool quiz = false;                 ///< the Quiz panel is open
};

struct Layout {
    Rect parameters, timeline, canvas, code;
    Rect receptive_field;  ///< empty when closed; with compare, it holds both columns
    Rect compare;          ///< the compared configuration's column, inside receptive_field (else empty)
    Rect matrix;           ///< empty when closed
    Rect lab;              ///< the upsampling lab (canvas and code then empty); empty when closed
    /// The docked panels (Deck, Quiz): the right column's lower part, one above the other
    /// (all of the column when no view is open); each empty when closed.
    Rect deck, quiz;
};

/// The tiles for a window: they do not overlap, and together they cover the window under
/// the menu bar exactly. Doubling width, height, top and scale doubles every rectangle
/// (HiDPI keeps the same picture).
Layout tile_window(const LayoutRequest& request);

}  // namespace convscope::gui
