#include "app/logic/layout.hpp"

#include <algorithm>
#include <cmath>

namespace convscope::gui {

bool overlaps(const Rect& a, const Rect& b) {
    return !a.empty() && !b.empty() && a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

namespace {

/// A rectangle from its edges (edges are whole pixels, so neighbours share them exactly).
Rect between(float x0, float y0, float x1, float y1) { return {x0, y0, std::max(0.0f, x1 - x0), std::max(0.0f, y1 - y0)}; }

/// The open docked panels, one above the other in `room` (the Deck panel on top,
/// the lower half the Quiz panel's when both are open).
void dock_panels(Layout& L, const LayoutRequest& q, const Rect& room) {
    const float split = q.deck && q.quiz ? std::round(room.y + 0.5f * room.h) : room.bottom();
    if (q.deck) L.deck = between(room.x, room.y, room.right(), split);
    if (q.quiz) L.quiz = between(room.x, q.deck ? split : room.y, room.right(), room.bottom());
}

}  // namespace

Layout tile_window(const LayoutRequest& q) {
    const float W = std::max(0.0f, q.width), top = std::clamp(q.top, 0.0f, q.height), bottom = std::max(top, q.height);
    const float H = bottom - top, s = std::max(0.5f, q.scale);

    // Left column: the controls, 360 px at scale 1, never more than 30% of the window
    // (25% while two receptive fields are compared: their columns need the room).
    const bool comparing = q.receptive_field && q.compare;
    const float x_left = std::round(std::min(comparing ? 300 * s : 360 * s, (comparing ? 0.25f : 0.3f) * W));
    // Right column: the open views. The canvas keeps at least 40% of what is left: the
    // receptive field is drawn on it, the column holds the numbers, charts and the
    // comparison.
    const float R = W - x_left;
    float views = 0;
    if (q.receptive_field) views = comparing ? 0.6f * R : std::max(0.34f * R, std::min(320 * s, 0.5f * R));
    if (q.matrix) views = std::max(views, 0.45f * R);
    // The docked panels: the Deck panel's form and list read at 440 px (its fields, the
    // slides' names and their buttons), the Quiz panel's grids too; the canvas keeps 55 %
    // of what is left.
    const bool docked = q.deck || q.quiz;
    if (docked) views = std::max(views, std::min(440 * s, 0.45f * R));
    const float x_views = std::round(W - std::min(views, 0.6f * R));

    // Middle: the canvas over the code (what its content needs, else a quarter of the
    // height; 150 px at least while that leaves the canvas 60%, 42% at most).
    const float wanted = q.code_height > 0 ? q.code_height : 0.25f * H;
    const float code_h = std::min(std::max(wanted, std::min(150 * s, 0.4f * H)), 0.42f * H);
    const float y_code = std::round(bottom - code_h);
    const float y_timeline = std::round(top + 0.64f * H);

    Layout L;
    L.parameters = between(0, top, x_left, y_timeline);
    L.timeline = between(0, y_timeline, x_left, bottom);
    L.canvas = between(x_left, top, x_views, y_code);
    L.code = between(x_left, y_code, x_views, bottom);
    // The docked panels under the views in the column (all of it when alone there).
    const bool views_open = q.receptive_field || q.matrix;
    const float views_bottom = docked && views_open ? std::round(top + 0.55f * H) : bottom;
    dock_panels(L, q, between(x_views, views_open ? views_bottom : top, W, bottom));
    if (q.receptive_field && q.matrix) {  // both: one above the other in the column
        const float y_split = std::round(top + 0.55f * (views_bottom - top));
        L.receptive_field = between(x_views, top, W, y_split);
        L.matrix = between(x_views, y_split, W, views_bottom);
    } else if (q.receptive_field) {
        L.receptive_field = between(x_views, top, W, views_bottom);
    } else if (q.matrix) {
        L.matrix = between(x_views, top, W, views_bottom);
    }
    if (q.lab) {  // the lab needs the room: it holds the canvas's and the code's place
        L.lab = between(x_left, top, x_views, bottom);
        L.canvas = L.code = Rect{};
    }
    if (q.receptive_field && q.compare) {
        const Rect& f = L.receptive_field;
        L.compare = between(std::round(f.x + f.w / 2), f.y, f.right(), f.bottom());
    }
    return L;
}

}  // namespace convscope::gui
