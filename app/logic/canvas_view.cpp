#include "app/logic/canvas_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/lecture/slide_page.hpp"

namespace convscope::gui {

void zoom_about(CanvasView& v, float factor, float px, float py) {
    const float zoom = std::clamp(v.zoom * factor, 1.0f, CanvasView::kMaxZoom);
    // The scene point under (px, py) before and after: from_x(px) must not change.
    const float sx = v.from_x(px), sy = v.from_y(py);
    v.zoom = zoom;
    v.pan_x = px - zoom * sx;
    v.pan_y = py - zoom * sy;
    if (!v.zoomed()) v.pan_x = v.pan_y = 0;
}

void reset_view(CanvasView& v) {
    v.zoom = 1;
    v.pan_x = v.pan_y = 0;
}

void clamp_pan(CanvasView& v, float scene_w, float scene_h, float canvas_w, float canvas_h) {
    // The scene's box [pan, pan + zoom * size] keeps overlapping the canvas by half of
    // the smaller of the two: a drag cannot lose the picture.
    auto axis = [](float& pan, float size, float canvas) {
        const float keep = 0.5f * std::min(size, canvas);
        pan = std::clamp(pan, keep - size, canvas - keep);
    };
    axis(v.pan_x, v.zoom * scene_w, canvas_w);
    axis(v.pan_y, v.zoom * scene_h, canvas_h);
}

void keep_in_view(CanvasView& v, float x0, float y0, float x1, float y1, float canvas_w, float canvas_h, float margin) {
    auto axis = [&](float& pan, float a, float b, float canvas) {
        const float lo = pan + v.zoom * a, hi = pan + v.zoom * b;
        const float m = std::min(margin, 0.25f * canvas);
        if (hi - lo > canvas - 2 * m) pan += canvas / 2 - (lo + hi) / 2;  // larger than the view: centre it
        else if (lo < m) pan += m - lo;
        else if (hi > canvas - m) pan -= hi - (canvas - m);
    };
    axis(v.pan_x, x0, x1, canvas_w);
    axis(v.pan_y, y0, y1, canvas_h);
}

bool step_focus(const Scene& scene, float max_w, float max_h, std::array<float, 4>& box) {
    const Scene::GridPlacement grids[3] = {scene.input_grid, scene.kernel_grid, scene.output_grid};
    auto inside = [](const Scene::GridPlacement& g, const SceneRect& r) {
        return r.x >= g.x - 1 && r.y >= g.y - 1 && r.x < g.x + g.cell * float(g.cols) && r.y < g.y + g.cell * float(g.rows);
    };
    std::array<float, 4> all{1e30f, 1e30f, -1e30f, -1e30f};
    std::array<std::array<float, 4>, 3> per_grid;
    std::array<int, 3> count{};
    per_grid.fill(all);
    auto grow = [](std::array<float, 4>& b, const SceneRect& r) {
        b = {std::min(b[0], r.x), std::min(b[1], r.y), std::max(b[2], r.x + r.w), std::max(b[3], r.y + r.h)};
    };
    bool any = false;
    for (const SceneRect& r : scene.rects) {
        if (r.role != RectRole::Highlight) continue;
        any = true;
        grow(all, r);
        for (int i = 0; i < 3; ++i)
            if (i != 1 && inside(grids[i], r)) {  // the kernel is small and always in the frame's middle
                grow(per_grid[std::size_t(i)], r);
                ++count[std::size_t(i)];
            }
    }
    if (!any) return false;
    box = all;
    if (all[2] - all[0] <= max_w && all[3] - all[1] <= max_h) return true;
    const std::size_t most = count[0] >= count[2] ? 0 : 2;
    if (count[most] > 0) box = per_grid[most];
    return true;
}

float header_bottom(const Scene& scene) {
    float top = scene.height;
    for (const Scene::GridPlacement& g : {scene.input_grid, scene.kernel_grid, scene.output_grid})
        if (g.rows > 0) top = std::min(top, g.y);
    for (const SceneHeatmap& h : scene.heatmaps) top = std::min(top, h.y);
    return top;
}

std::vector<SceneText> take_header(Scene& scene) {
    const float bottom = header_bottom(scene);
    std::vector<SceneText> header;
    auto above = [&](const SceneText& t) { return !t.centered && t.y + t.size <= bottom; };
    for (const SceneText& t : scene.texts)
        if (above(t)) header.push_back(t);
    scene.texts.erase(std::remove_if(scene.texts.begin(), scene.texts.end(), above), scene.texts.end());
    return header;
}

Scene transform(const Scene& scene, const CanvasView& v) {
    Scene out = scene;
    const float z = v.zoom;
    for (SceneHeatmap& h : out.heatmaps) {
        h.x = v.to_x(h.x);
        h.y = v.to_y(h.y);
        if (h.grid.a <= 0 && h.cell * z >= 6) h.grid = Color{0.5f, 0.5f, 0.55f, 0.35f};
        h.cell *= z;
    }
    for (SceneRect& r : out.rects) {
        r.x = v.to_x(r.x);
        r.y = v.to_y(r.y);
        r.w *= z;
        r.h *= z;
        // Outlines thicken with the zoom, but less: a tap stays a frame, not a block.
        r.stroke_width *= std::min(3.0f, std::sqrt(z));
    }
    for (SceneLine& l : out.lines) {
        l.x0 = v.to_x(l.x0);
        l.y0 = v.to_y(l.y0);
        l.x1 = v.to_x(l.x1);
        l.y1 = v.to_y(l.y1);
        l.width *= std::min(3.0f, std::sqrt(z));
    }
    for (SceneText& t : out.texts) {
        t.x = v.to_x(t.x);
        t.y = v.to_y(t.y);
        // Text grows with the grids up to 22 px: a zoomed caption of an arrow should not fill the canvas.
        t.size = std::min(t.size * z, std::max(t.size, 22.0f));
    }
    for (Scene::GridPlacement* g : {&out.input_grid, &out.kernel_grid, &out.output_grid}) {
        g->x = v.to_x(g->x);
        g->y = v.to_y(g->y);
        g->cell *= z;
    }
    out.width *= z;
    out.height *= z;
    return out;
}

Scene magnified_scene(Scene scene, float s) {
    scale_scene(scene, s);  // every element, the perspective style's planes too
    return scene;
}

namespace {

std::string value_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 ? "%.0f" : "%.2g", v);
    return buf;
}

/// Black or white, whichever reads better on `fill` (relative luminance, Rec. 709 weights).
Color ink_on(const Color& fill) {
    const float y = 0.2126f * fill.r + 0.7152f * fill.g + 0.0722f * fill.b;
    return y > 0.45f ? Color{0, 0, 0, 1} : Color{1, 1, 1, 1};
}

}  // namespace

bool grid_labelled(const Scene& scene, const Scene::GridPlacement& g) {
    const float x1 = g.x + g.cell * float(g.cols), y1 = g.y + g.cell * float(g.rows);
    return std::any_of(scene.texts.begin(), scene.texts.end(),
                       [&](const SceneText& t) { return t.centered && t.x >= g.x && t.x < x1 && t.y >= g.y && t.y < y1; });
}

void add_zoomed_values(Scene& scene, const Scene& original, float w, float h, float min_cell) {
    for (std::size_t i = 0; i < scene.heatmaps.size() && i < original.heatmaps.size(); ++i) {
        const SceneHeatmap& m = scene.heatmaps[i];
        if (m.flat || m.cell < min_cell || grid_labelled(original, {original.heatmaps[i].x, original.heatmaps[i].y, original.heatmaps[i].cell, original.heatmaps[i].rows, original.heatmaps[i].cols})) continue;  // schematic: no numbers
        // Only the cells on the canvas: a 64x64 map zoomed in shows a few dozen.
        const std::int64_t c0 = std::max<std::int64_t>(0, std::int64_t(std::floor(-m.x / m.cell)));
        const std::int64_t r0 = std::max<std::int64_t>(0, std::int64_t(std::floor(-m.y / m.cell)));
        const std::int64_t c1 = std::min<std::int64_t>(m.cols, std::int64_t(std::ceil((w - m.x) / m.cell)));
        const std::int64_t r1 = std::min<std::int64_t>(m.rows, std::int64_t(std::ceil((h - m.y) / m.cell)));
        // One text size per map, the largest at which its longest number fits its cell
        // (DejaVu Sans: about 0.56 em a character); none under 11 px.
        std::vector<std::pair<std::size_t, std::string>> labels;
        std::size_t longest = 1;
        for (std::int64_t r = r0; r < r1; ++r)
            for (std::int64_t c = c0; c < c1; ++c) {
                const std::size_t k = std::size_t(r * m.cols + c);
                if (m.styles[k] != CellStyle::Value && m.styles[k] != CellStyle::FadedValue) continue;
                labels.emplace_back(k, value_text(m.values[k]));
                longest = std::max(longest, labels.back().second.size());
            }
        const float size = std::min({18.0f, m.cell * 0.4f, 0.9f * m.cell / (0.56f * float(longest))});
        if (size < 11) continue;
        for (const auto& [k, text] : labels) {
            const std::int64_t r = std::int64_t(k) / m.cols, c = std::int64_t(k) % m.cols;
            scene.texts.push_back({m.x + (float(c) + 0.5f) * m.cell, m.y + (float(r) + 0.5f) * m.cell, size,
                                   ink_on(m.cell_color(r, c)), text, true});
        }
    }
}

GridAxes grid_axes(const StepEngine& engine) {
    const LayerGeometry& geo = engine.geometry();
    if (engine.is_scatter()) return identity_axes(geo.h().in, geo.w().in);
    GridAxes axes;
    axes.rows.assign(std::size_t(geo.h().in), -1);
    axes.cols.assign(std::size_t(geo.w().in), -1);
    for (int axis = 0; axis < 2; ++axis) {
        std::vector<std::int64_t>& to = axis == 0 ? axes.rows : axes.cols;
        const std::int64_t n = axis == 0 ? engine.grid_rows() : engine.grid_cols();
        for (std::int64_t g = 0; g < n; ++g) {
            bool padding = false, inserted = false;
            const std::int64_t source = engine.grid_source(axis, g, padding, inserted);
            // A reflect / replicate / circular padding cell copies a real one: the real one is where it sits.
            if (source >= 0 && !padding && !inserted && source < std::int64_t(to.size())) to[std::size_t(source)] = g;
        }
    }
    return axes;
}

GridAxes identity_axes(std::int64_t rows, std::int64_t cols) {
    GridAxes axes;
    for (std::int64_t i = 0; i < rows; ++i) axes.rows.push_back(i);
    for (std::int64_t i = 0; i < cols; ++i) axes.cols.push_back(i);
    return axes;
}

std::int64_t add_field_overlay(Scene& sc, const Scene::GridPlacement& g, const GridAxes& axes, const RfResult& field,
                               std::size_t boundary, const FieldStyle& style) {
    if (boundary >= field.paths[0].size()) return 0;
    const AxisPaths& py = field.paths[0][boundary];
    const AxisPaths& px = field.paths[1][boundary];
    if (py.last < py.first || px.last < px.first || py.size != std::int64_t(axes.rows.size()) ||
        px.size != std::int64_t(axes.cols.size()))
        return 0;  // an empty field, or a grid that is not this boundary's map
    const std::int64_t gy0 = axes.rows[std::size_t(py.first)], gy1 = axes.rows[std::size_t(py.last)];
    const std::int64_t gx0 = axes.cols[std::size_t(px.first)], gx1 = axes.cols[std::size_t(px.last)];
    if (gy0 < 0 || gy1 < 0 || gx0 < 0 || gx1 < 0) return 0;
    const float c = g.cell;
    const float bx0 = g.x + float(gx0) * c, by0 = g.y + float(gy0) * c;
    const float bx1 = g.x + float(gx1 + 1) * c, by1 = g.y + float(gy1 + 1) * c;
    const float X0 = g.x, Y0 = g.y, X1 = g.x + float(g.cols) * c, Y1 = g.y + float(g.rows) * c;
    const Color none{0, 0, 0, 0};
    // Outside the box, dimmed: four bands around it.
    auto band = [&](float x0, float y0, float x1, float y1) {
        if (x1 > x0 && y1 > y0) sc.rects.push_back({x0, y0, x1 - x0, y1 - y0, style.dim, none, 0, RectRole::Other});
    };
    band(X0, Y0, X1, by0);
    band(X0, by1, X1, Y1);
    band(X0, by0, bx0, by1);
    band(bx1, by0, X1, by1);
    // The field is separable: the count at (y, x) is count_y(y) * count_x(x); a hole
    // is a cell of the box on a row or column no path reaches.
    std::int64_t holes = 0;
    const bool labels = style.counts && c * style.zoom >= style.label_cell;
    const float text = std::clamp(c * 0.4f, 11.0f / style.zoom, 16.0f / style.zoom);
    for (std::int64_t y = py.first; y <= py.last; ++y) {
        const PathCount cy = py.at(y);
        for (std::int64_t x = px.first; x <= px.last; ++x) {
            const PathCount cx = px.at(x);
            const float x0 = g.x + float(axes.cols[std::size_t(x)]) * c, y0 = g.y + float(axes.rows[std::size_t(y)]) * c;
            if (cy.approx == 0 || cx.approx == 0) {
                ++holes;
                if (style.holes) sc.rects.push_back({x0, y0, c, c, style.hole, none, 0, RectRole::Other});
                continue;
            }
            if (!labels) continue;
            const double n = cy.approx * cx.approx;
            char buf[32];
            std::snprintf(buf, sizeof buf, n < 1e6 ? "%.0f" : "%.2g", n);
            // White on a dark halo reads on every colour of the map.
            const float cxm = x0 + c / 2, cym = y0 + c / 2, d = 1.0f / style.zoom;
            sc.texts.push_back({cxm + d, cym + d, text, Color{0, 0, 0, 0.9f}, buf, true});
            sc.texts.push_back({cxm, cym, text, Color{1, 1, 1, 1}, buf, true});
        }
    }
    sc.rects.push_back({bx0, by0, bx1 - bx0, by1 - by0, none, style.box, 2.5f, RectRole::Other});
    return holes;
}

bool field_box(const RfResult& field, std::size_t boundary, const GridAxes& axes, std::array<std::int64_t, 4>& box) {
    if (boundary >= field.paths[0].size()) return false;
    const AxisPaths& py = field.paths[0][boundary];
    const AxisPaths& px = field.paths[1][boundary];
    if (py.last < py.first || px.last < px.first || py.size != std::int64_t(axes.rows.size()) || px.size != std::int64_t(axes.cols.size()))
        return false;
    box = {axes.rows[std::size_t(py.first)], axes.cols[std::size_t(px.first)], axes.rows[std::size_t(py.last)], axes.cols[std::size_t(px.last)]};
    return box[0] >= 0 && box[1] >= 0 && box[2] >= 0 && box[3] >= 0;
}

bool add_field_inset(Scene& overlay, const Scene& scene, const SceneHeatmap& source, const Scene::GridPlacement& g,
                     const GridAxes& axes, const RfResult& field, std::size_t boundary, const FieldStyle& style,
                     const std::string& title) {
    const Scene::GridPlacement& old = scene.inset_grid;
    std::array<std::int64_t, 4> box{};
    if (old.rows == 0 || !field_box(field, boundary, axes, box) || source.rows != g.rows || source.cols != g.cols) return false;
    const std::int64_t r0 = std::max<std::int64_t>(0, box[0] - 1), c0 = std::max<std::int64_t>(0, box[1] - 1);
    const std::int64_t r1 = std::min(g.rows - 1, box[2] + 1), c1 = std::min(g.cols - 1, box[3] + 1);
    const std::int64_t rows = r1 - r0 + 1, cols = c1 - c0 + 1;
    // Where the step's inset was, as large as the canvas below and beside it allows.
    const float x = old.x, y = old.y;
    const float room_w = std::max(old.cell * float(old.cols), scene.width - x - 8);
    const float room_h = std::max(old.cell * float(old.rows), scene.height - y - 8);
    const float cell = std::min({28.0f, std::min(320.0f, room_w) / float(cols), std::min(320.0f, room_h) / float(rows)});
    if (cell < 6) return false;
    // The step's inset hidden under a blank square (heat maps are drawn first: a flat
    // one-cell map of the background's colour), its title included.
    const float cover = std::max({old.cell * float(std::max(old.rows, old.cols)), cell * float(std::max(rows, cols))}) + 28;
    SceneHeatmap blank = SceneHeatmap::at(Scene::GridPlacement{x - 4, y - 24, cover, 1, 1}, RectRole::Other);
    blank.flat = true;
    blank.values = {0};
    blank.styles = {CellStyle::Padding};
    blank.background = scene.background;
    blank.grid = Color{0, 0, 0, 0};
    overlay.heatmaps.push_back(std::move(blank));
    // The step inset's title ("magnified: output rows 61 to 63, columns 31 to 34") runs
    // wider than the inset: covered along its whole length too, or the field's title
    // overprints it (DejaVu Sans: about 0.6 em a character).
    float title_w = 0;
    for (const SceneText& t : scene.texts)
        if (t.x == old.x && t.y == old.y - 20) title_w = std::max(title_w, 0.6f * t.size * float(t.text.size()) + 8);
    if (title_w > cover) {
        const float strip = 24;
        SceneHeatmap band = SceneHeatmap::at(Scene::GridPlacement{x - 4, y - 24, strip, 1, std::int64_t(std::ceil(title_w / strip))}, RectRole::Other);
        band.flat = true;
        band.values.assign(std::size_t(band.cols), 0.0f);
        band.styles.assign(std::size_t(band.cols), CellStyle::Padding);
        band.background = scene.background;
        band.grid = Color{0, 0, 0, 0};
        overlay.heatmaps.push_back(std::move(band));
    }
    // The cells around the field, magnified.
    const Scene::GridPlacement inset{x, y, cell, rows, cols};
    SceneHeatmap h = source.region(r0, c0, rows, cols, x, y, cell);
    const Color ink = ink_on(scene.background);
    h.grid = Color{ink.r, ink.g, ink.b, 0.45f};
    overlay.heatmaps.push_back(std::move(h));
    // The field on it: grid cell i of the map is inset cell i - r0 (or - c0).
    GridAxes shifted = axes;
    for (std::int64_t& v : shifted.rows) v = v >= 0 ? v - r0 : -1;
    for (std::int64_t& v : shifted.cols) v = v >= 0 ? v - c0 : -1;
    FieldStyle big = style;
    big.zoom = 1;
    big.counts = true;
    add_field_overlay(overlay, inset, shifted, field, boundary, big);
    overlay.rects.push_back({x - 2, y - 2, float(cols) * cell + 4, float(rows) * cell + 4, Color{0, 0, 0, 0}, ink, 1.5f, RectRole::Marker, 3});
    overlay.texts.push_back({x, y - 20, 14, ink, title, false});
    // The callout: the same region outlined on the grid.
    overlay.rects.push_back({g.x + float(c0) * g.cell - 1, g.y + float(r0) * g.cell - 1, float(cols) * g.cell + 2, float(rows) * g.cell + 2,
                             Color{0, 0, 0, 0}, ink, 1.5f, RectRole::Marker, 3});
    return true;
}

}  // namespace convscope::gui
