#include "core/lecture/slide_page.hpp"

#include <algorithm>
#include <cmath>

namespace convscope {

using std::int64_t;

void translate_scene(Scene& sc, float dx, float dy) {
    for (SceneHeatmap& h : sc.heatmaps) h.x += dx, h.y += dy;
    for (SceneRect& r : sc.rects) r.x += dx, r.y += dy;
    for (SceneLine& l : sc.lines) l.x0 += dx, l.x1 += dx, l.y0 += dy, l.y1 += dy;
    for (SceneText& t : sc.texts) t.x += dx, t.y += dy;
    for (ScenePolygon& p : sc.polygons)
        for (int i = 0; i < p.count; ++i) p.points[std::size_t(i)][0] += dx, p.points[std::size_t(i)][1] += dy;
    for (GridPlacement* g : {&sc.input_grid, &sc.kernel_grid, &sc.output_grid, &sc.inset_grid}) g->x += dx, g->y += dy;
    for (GridPlacement& g : sc.stack_maps) g.x += dx, g.y += dy;
}

namespace {

struct Box {
    float x0, y0, x1, y1;
    bool contains(float x, float y) const { return x >= x0 && y >= y0 && x <= x1 && y <= y1; }
    bool overlaps(float x, float y, float w, float h) const { return x < x1 && y < y1 && x + w > x0 && y + h > y0; }
};

bool gives_size(const std::string& text, const std::string& size) {
    return text.find(size) != std::string::npos || text.find("H_out") != std::string::npos ||
           text.find("W_out") != std::string::npos || text.find("torch.Size") != std::string::npos;
}

}  // namespace

void apply_hide(Scene& sc, const SlideHide& hide, int64_t output_map, int64_t out_h, int64_t out_w) {
    if (!hide.output && !hide.shape) return;
    std::vector<Box> boxes;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.layer == output_map && (h.role == RectRole::OutputCell || h.role == RectRole::Inset) && h.colors.empty())
            boxes.push_back({h.x, h.y, h.x + h.cell * float(h.cols), h.y + h.cell * float(h.rows)});
    auto inside = [&](float x, float y) {
        return std::any_of(boxes.begin(), boxes.end(), [&](const Box& b) { return b.contains(x, y); });
    };
    // Numbers on the cells (and any label placed on the map) go with the values.
    sc.texts.erase(std::remove_if(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return inside(t.x, t.y); }), sc.texts.end());
    if (!hide.shape) {
        for (SceneHeatmap& h : sc.heatmaps)
            if (h.layer == output_map && (h.role == RectRole::OutputCell || h.role == RectRole::Inset) && h.colors.empty())
                std::fill(h.styles.begin(), h.styles.end(), CellStyle::Empty);
        // The highlighted output cell stays (it says which cell is being computed), filled
        // with nothing: only outlines over the map.
        for (SceneRect& r : sc.rects)
            if (std::any_of(boxes.begin(), boxes.end(), [&](const Box& b) { return b.overlaps(r.x, r.y, r.w, r.h); }))
                r.fill.a = 0;
        return;
    }
    sc.heatmaps.erase(std::remove_if(sc.heatmaps.begin(), sc.heatmaps.end(),
                                     [&](const SceneHeatmap& h) {
                                         return h.layer == output_map && (h.role == RectRole::OutputCell || h.role == RectRole::Inset);
                                     }),
                      sc.heatmaps.end());
    sc.rects.erase(std::remove_if(sc.rects.begin(), sc.rects.end(),
                                  [&](const SceneRect& r) {
                                      return std::any_of(boxes.begin(), boxes.end(), [&](const Box& b) { return b.overlaps(r.x, r.y, r.w, r.h); });
                                  }),
                   sc.rects.end());
    const std::string size = std::to_string(out_h) + "x" + std::to_string(out_w);
    sc.texts.erase(std::remove_if(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return gives_size(t.text, size); }),
                   sc.texts.end());
    sc.lines.erase(std::remove_if(sc.lines.begin(), sc.lines.end(), [&](const SceneLine& l) { return inside(l.x1, l.y1) || inside(l.x0, l.y0); }),
                   sc.lines.end());
}

Scene compose_page(const Scene& figure, const PageText& text) {
    constexpr float kMargin = 36, kTitleSize = 28, kLineSize = 18, kFooterSize = 11;
    Scene page;
    page.background = figure.background;
    const bool dark = figure.background.r + figure.background.g + figure.background.b < 1.5f;
    const Color ink = dark ? Color{0.92f, 0.92f, 0.94f, 1} : Color{0.08f, 0.08f, 0.1f, 1};
    const Color soft = dark ? Color{0.65f, 0.65f, 0.7f, 1} : Color{0.4f, 0.4f, 0.45f, 1};
    float y = kMargin;
    if (!text.title.empty()) {
        page.texts.push_back({kMargin, y, kTitleSize, ink, text.title});
        y += kTitleSize * 1.6f;
    }
    Scene body = figure;
    translate_scene(body, kMargin, y);
    y += figure.height + 12;
    // DejaVu Sans averages about 0.55 em a character: the page is as wide as its title too.
    float width = std::max({960.0f, figure.width + 2 * kMargin, 2 * kMargin + 0.6f * kTitleSize * float(text.title.size())});
    for (const std::string& line : text.lines) {
        page.texts.push_back({kMargin, y, kLineSize, ink, line});
        // DejaVu Sans averages about 0.55 em a character: widen the page for a long line.
        width = std::max(width, 2 * kMargin + 0.6f * kLineSize * float(line.size()));
        y += kLineSize * 1.45f;
    }
    y += 8;
    if (!text.footer.empty()) {
        y = std::max(y, 540.0f - kMargin);
        page.texts.push_back({kMargin, y, kFooterSize, soft, text.footer});
        y += kFooterSize * 1.6f;
    }
    page.width = width;
    page.height = std::max(540.0f, y + kMargin / 2);
    // The figure first (heat maps under the page's texts), the page's texts on top.
    page.heatmaps = std::move(body.heatmaps);
    page.polygons = std::move(body.polygons);  // the perspective style's planes
    page.rects = std::move(body.rects);
    page.lines = std::move(body.lines);
    auto texts = std::move(page.texts);
    page.texts = std::move(body.texts);
    page.texts.insert(page.texts.end(), texts.begin(), texts.end());
    page.input_grid = body.input_grid;
    page.kernel_grid = body.kernel_grid;
    page.output_grid = body.output_grid;
    page.inset_grid = body.inset_grid;
    page.stack_maps = body.stack_maps;
    return page;
}

void scale_scene(Scene& sc, float s) {
    sc.width *= s, sc.height *= s;
    for (SceneHeatmap& h : sc.heatmaps) h.x *= s, h.y *= s, h.cell *= s;
    for (SceneRect& r : sc.rects) r.x *= s, r.y *= s, r.w *= s, r.h *= s, r.stroke_width *= s, r.dash *= s;
    for (SceneLine& l : sc.lines) l.x0 *= s, l.x1 *= s, l.y0 *= s, l.y1 *= s, l.width *= s;
    for (SceneText& t : sc.texts) t.x *= s, t.y *= s, t.size *= s;
    for (ScenePolygon& p : sc.polygons) {
        for (int i = 0; i < p.count; ++i) p.points[std::size_t(i)][0] *= s, p.points[std::size_t(i)][1] *= s;
        p.stroke_width *= s, p.dash *= s;
    }
    for (GridPlacement* g : {&sc.input_grid, &sc.kernel_grid, &sc.output_grid, &sc.inset_grid}) g->x *= s, g->y *= s, g->cell *= s;
    for (GridPlacement& g : sc.stack_maps) g.x *= s, g.y *= s, g.cell *= s;
}

namespace {

/// A shape that marks the step being computed: one of its taps, its footprint, the
/// line joining it to its cell, or the magnified inset around it.
bool marks_step(RectRole role, TapState state) {
    return state != TapState::None || role == RectRole::Highlight || role == RectRole::Window || role == RectRole::Connector ||
           role == RectRole::Inset;
}

}  // namespace

void hide_step_marks(Scene& sc) {
    sc.rects.erase(std::remove_if(sc.rects.begin(), sc.rects.end(), [](const SceneRect& r) { return marks_step(r.role, r.state); }),
                   sc.rects.end());
    sc.polygons.erase(std::remove_if(sc.polygons.begin(), sc.polygons.end(),
                                     [](const ScenePolygon& p) { return marks_step(p.role, p.state ? TapState::Current : TapState::None); }),
                      sc.polygons.end());
    // The inset and everything drawn over it (its numbers, its frame, its title).
    std::vector<std::array<float, 4>> insets;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.role == RectRole::Inset) insets.push_back({h.x, h.y, h.x + h.cell * float(h.cols), h.y + h.cell * float(h.rows)});
    sc.heatmaps.erase(std::remove_if(sc.heatmaps.begin(), sc.heatmaps.end(), [](const SceneHeatmap& h) { return h.role == RectRole::Inset; }),
                      sc.heatmaps.end());
    auto in_inset = [&](float x, float y) {
        return std::any_of(insets.begin(), insets.end(), [&](const auto& b) { return x >= b[0] - 4 && y >= b[1] - 24 && x <= b[2] + 4 && y <= b[3] + 4; });
    };
    sc.texts.erase(std::remove_if(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return in_inset(t.x, t.y); }), sc.texts.end());
    sc.rects.erase(std::remove_if(sc.rects.begin(), sc.rects.end(), [&](const SceneRect& r) { return in_inset(r.x, r.y); }), sc.rects.end());
    // The lines from the footprint to the cell it makes span the gap between the grids;
    // every other line (the hatching of inserted zeros and cropped cells) lies in a cell.
    const float widest_cell = std::max({14.0f, sc.input_grid.cell, sc.output_grid.cell, sc.kernel_grid.cell});
    sc.lines.erase(std::remove_if(sc.lines.begin(), sc.lines.end(), [&](const SceneLine& l) { return std::abs(l.x1 - l.x0) > 1.5f * widest_cell; }),
                   sc.lines.end());
    sc.inset_grid.rows = 0;
}

void mark_cells_read(Scene& sc, std::array<int64_t, 2> cell, const std::vector<std::array<int64_t, 2>>* cells_read) {
    const Color ring{0.93f, 0.33f, 0.1f, 1};  // the app's "current" orange: what the question points at
    const GridPlacement& out = sc.output_grid;
    if (out.rows > 0 && cell[0] >= 0 && cell[1] >= 0 && cell[0] < out.rows && cell[1] < out.cols)
        sc.rects.push_back({out.x + float(cell[1]) * out.cell, out.y + float(cell[0]) * out.cell, out.cell, out.cell, Color{0, 0, 0, 0}, ring,
                            std::max(2.0f, out.cell / 8), RectRole::Highlight});
    if (!cells_read) return;
    const SceneHeatmap* input = nullptr;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.role == RectRole::InputCell && !input) input = &h;
    if (!input) return;
    for (const auto& [r, c] : *cells_read) {
        const int64_t row = r - input->row0, col = c - input->col0;
        if (row < 0 || col < 0 || row >= input->rows || col >= input->cols) continue;
        sc.rects.push_back({input->x + float(col) * input->cell, input->y + float(row) * input->cell, input->cell, input->cell,
                            Color{ring.r, ring.g, ring.b, 0.45f}, ring, std::max(2.0f, input->cell / 10), RectRole::Highlight});
    }
}

}  // namespace convscope
