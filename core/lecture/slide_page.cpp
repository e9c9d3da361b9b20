#include "core/lecture/slide_page.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/lecture/figure_words.hpp"

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
    bool overlaps(float x, float y, float w, float h) const { return x1 >= x0 && x < x1 && y < y1 && x + w > x0 && y + h > y0; }
};

/// The smallest box holding every box (an empty box, x1 < x0, for none).
Box hull(const std::vector<Box>& boxes) {
    Box h{1, 1, 0, 0};
    for (const Box& b : boxes)
        h = h.x1 < h.x0 ? b : Box{std::min(h.x0, b.x0), std::min(h.y0, b.y0), std::max(h.x1, b.x1), std::max(h.y1, b.y1)};
    return h;
}

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
    // The output's extent: its grid, and around it the cropped ring of the uncropped
    // output (scatter with padding: 7 - 2 = 5 is the answer) and every mark on it. (A
    // magnified copy is a box of its own: between it and its locator lies the input.)
    std::vector<Box> grid_and_ring;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.layer == output_map && h.role == RectRole::OutputCell) grid_and_ring.push_back({h.x, h.y, h.x + h.cell * float(h.cols), h.y + h.cell * float(h.rows)});
    for (const SceneRect& r : sc.rects)
        if (r.role == RectRole::CroppedCell) grid_and_ring.push_back({r.x, r.y, r.x + r.w, r.y + r.h});
    for (const ScenePolygon& p : sc.polygons)
        if (p.role == RectRole::CroppedCell)
            for (int i = 0; i < p.count; ++i)
                grid_and_ring.push_back({p.points[std::size_t(i)][0], p.points[std::size_t(i)][1], p.points[std::size_t(i)][0], p.points[std::size_t(i)][1]});
    const Box extent = hull(grid_and_ring);
    // A magnified output's title sits just above it ("magnified: output rows 29 to 32").
    std::vector<Box> insets;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.layer == output_map && h.role == RectRole::Inset) insets.push_back({h.x - 4, h.y - 24, h.x + h.cell * float(h.cols) + 4, h.y + h.cell * float(h.rows) + 4});
    auto near_output = [&](float x, float y) {
        constexpr float kSlack = 3;  // a callout starts 1-2 px outside the cells it frames
        return (Box{extent.x0 - kSlack, extent.y0 - kSlack, extent.x1 + kSlack, extent.y1 + kSlack}.contains(x, y)) ||
               inside(x, y) || std::any_of(insets.begin(), insets.end(), [&](const Box& b) { return b.contains(x, y); });
    };
    sc.heatmaps.erase(std::remove_if(sc.heatmaps.begin(), sc.heatmaps.end(),
                                     [&](const SceneHeatmap& h) {
                                         return h.layer == output_map && (h.role == RectRole::OutputCell || h.role == RectRole::Inset);
                                     }),
                      sc.heatmaps.end());
    sc.rects.erase(std::remove_if(sc.rects.begin(), sc.rects.end(),
                                  [&](const SceneRect& r) {
                                      return r.role == RectRole::CroppedCell || extent.overlaps(r.x, r.y, r.w, r.h) ||
                                             std::any_of(boxes.begin(), boxes.end(), [&](const Box& b) { return b.overlaps(r.x, r.y, r.w, r.h); });
                                  }),
                   sc.rects.end());
    sc.polygons.erase(std::remove_if(sc.polygons.begin(), sc.polygons.end(),
                                     [&](const ScenePolygon& p) {
                                         if (p.role == RectRole::CroppedCell) return true;
                                         for (int i = 0; i < p.count; ++i)
                                             if (extent.contains(p.points[std::size_t(i)][0], p.points[std::size_t(i)][1]) ||
                                                 inside(p.points[std::size_t(i)][0], p.points[std::size_t(i)][1]))
                                                 return true;
                                         return false;
                                     }),
                      sc.polygons.end());
    const std::string size = std::to_string(out_h) + "x" + std::to_string(out_w);
    sc.texts.erase(std::remove_if(sc.texts.begin(), sc.texts.end(),
                                  [&](const SceneText& t) { return gives_size(t.text, size) || near_output(t.x, t.y); }),
                   sc.texts.end());
    // The hatching of the ring, the stamps' lines, and the callout joining a magnified
    // output to its locator: any line that touches the output's extent.
    sc.lines.erase(std::remove_if(sc.lines.begin(), sc.lines.end(),
                                  [&](const SceneLine& l) { return near_output(l.x1, l.y1) || near_output(l.x0, l.y0); }),
                   sc.lines.end());
}

void hide_landed_counts(Scene& sc) {
    const GridPlacement& g = sc.output_grid;
    auto is_count = [](const std::string& s) {
        if (s.size() >= 2 && s[0] == 'x') return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
        const std::size_t slash = s.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == s.size()) return false;
        return std::all_of(s.begin(), s.end(), [](char c) { return c == '/' || (c >= '0' && c <= '9'); });
    };
    sc.texts.erase(std::remove_if(sc.texts.begin(), sc.texts.end(),
                                  [&](const SceneText& t) { return t.centered && g.contains(t.x, t.y) && is_count(t.text); }),
                   sc.texts.end());
}

namespace {

/// The page's figure `body` (already placed) under the page's own texts `own`: its heat
/// maps, planes, rects, lines and texts first, then `own` on top, and its grids' places.
void put_under_texts(Scene& page, Scene&& body, const std::vector<SceneText>& own) {
    page.heatmaps = std::move(body.heatmaps);
    page.polygons = std::move(body.polygons);  // the perspective style's planes
    page.rects = std::move(body.rects);
    page.lines = std::move(body.lines);
    page.texts = std::move(body.texts);
    page.texts.insert(page.texts.end(), own.begin(), own.end());
    page.input_grid = body.input_grid;
    page.kernel_grid = body.kernel_grid;
    page.output_grid = body.output_grid;
    page.inset_grid = body.inset_grid;
    page.stack_maps = body.stack_maps;
}

}  // namespace

namespace {

/// DejaVu Sans averages about 0.55 em a character (capitals and digits a little more):
/// a generous width for a line of `size` px, to keep it on the screen.
float estimated_width(const std::string& text, float size) { return 0.55f * size * float(text.size()); }

/// The largest size up to `wanted` at which the longest of `lines` fits `room` px, but
/// not under `floor`.
float fitting_size(const std::vector<std::string>& lines, float wanted, float room, float floor) {
    float size = wanted;
    for (const std::string& line : lines)
        if (!line.empty()) size = std::min(size, room / (0.55f * float(line.size())));
    return std::max(size, floor);
}

}  // namespace

namespace {

/// Where a screen page puts its figure: the room's corner and size, the scale at which
/// the figure (the larger of the slide's two) fills it, and how its words grow.
struct FigureRoom {
    float x = 0, y = 0, w = 0, h = 0;
    float fill_scale = 1;
    WordGrowth growth;
};

/// `figure` scaled into `room` with its words grown (figure_words), laid out with the
/// slide's other figure so that both pages agree, at the slide's placement `keep`.
/// The figure shrinks until it fits with its grown words.
Scene fitted_figure(const Scene& figure, const Scene* other_figure, const FigureRoom& room, float width, float height, FigurePlacement* keep) {
    const WordGrowth& growth = room.growth;
    const Scene* with = other_figure;  // the presenter passes it as a skeleton already
    // Scaled, its origin at the room's corner (a frame's own size does not move it: the
    // placement below does, the same for every frame).
    auto place = [&](Scene& f, float s) {
        scale_scene(f, s);
        translate_scene(f, room.x, room.y);
    };
    // `f` placed at scale s, its words grown with `beside`'s laid in.
    auto placed = [&](const Scene& f, const Scene* beside, float s) {
        Scene body = f, laid_in = beside ? *beside : Scene{};
        place(body, s);
        place(laid_in, s);
        grow_figure_words(body, growth, beside ? &laid_in : nullptr);
        return body;
    };
    auto union_of = [](const std::array<float, 4>& a, const std::array<float, 4>& b) {
        return std::array<float, 4>{std::min(a[0], b[0]), std::min(a[1], b[1]), std::max(a[2], b[2]), std::max(a[3], b[3])};
    };
    // The extent of both: the grids' width (a long caption moves left instead), the words'
    // height; tried on their skeletons, made only when a layout is tried (not for a frame
    // that keeps the slide's placement).
    std::optional<Scene> mine, other;
    auto extent = [&](float s, bool text_width) {
        if (!mine) {
            mine = figure_skeleton(figure);
            if (with) other = figure_skeleton(*with);
        }
        std::array<float, 4> e = figure_extent(placed(*mine, other ? &*other : nullptr, s), text_width);
        if (other) e = union_of(e, figure_extent(placed(*other, &*mine, s), text_width));
        return e;
    };
    // The slide's placement: its scale, and the shift that puts everything its frames
    // have drawn so far (`seen`) at the top of the room and its grids across its middle.
    // A frame that reaches past `seen` widens it (the figure moves once, not back and
    // forth as the animation loops); one that cannot fit at this scale shrinks it.
    const bool had = keep && keep->scale > 0 && keep->width == width && keep->height == height;
    float s = had ? keep->scale : room.fill_scale;
    Scene body = placed(figure, with, s);
    std::array<float, 4> seen = had ? union_of(keep->seen, figure_extent(body, false)) : extent(s, false);
    const bool fits = seen[2] - seen[0] <= room.w * 1.001f && seen[3] - seen[1] <= room.h * 1.001f;
    if (!had || !fits) {
        if (had) s = std::min(room.fill_scale, s);
        seen = extent(s, false);
        for (int tries = 0; tries < 12; ++tries) {
            const float over = std::max((seen[2] - seen[0]) / room.w, (seen[3] - seen[1]) / room.h);
            if (over <= 1.001f) break;
            s /= over * 1.001f;
            seen = extent(s, false);
        }
        body = placed(figure, with, s);
        if (had) seen = union_of(seen, figure_extent(body, false));
    }
    float dx = std::round(room.x + (room.w - (seen[2] - seen[0])) / 2 - seen[0]);
    if (had && fits) {
        dx = keep->dx;  // the grids stay where they were across
    } else {
        // Across: the grids centred, unless a word would leave the room.
        const std::array<float, 4> words = extent(s, true);
        if (words[2] - words[0] <= room.w) dx = std::round(std::clamp(dx, room.x - words[0], room.x + room.w - words[2]));
    }
    const float dy = std::round(room.y - seen[1]);
    translate_scene(body, dx, dy);
    if (keep) *keep = FigurePlacement{s, dx, dy, width, height, seen};
    for (SceneText& t : body.texts) keep_words_in(t, growth.left, growth.right);
    return body;
}

}  // namespace

namespace {

/// The most lines a page's words take when wrapped into a column beside its figure.
constexpr std::size_t kMostWrappedLines = 6;

/// `lines` broken at spaces into lines at most `width` px wide at `size` (a word wider
/// than that keeps a line of its own), never after a comma.
std::vector<std::string> wrapped_lines(const std::vector<std::string>& lines, float size, float width) {
    std::vector<std::string> out;
    for (const std::string& line : lines) {
        std::string current;
        std::size_t at = 0;
        while (at <= line.size()) {
            std::size_t end = line.find(' ', at);
            if (end == std::string::npos) end = line.size();
            const std::string word = line.substr(at, end - at);
            at = end + 1;
            const std::string longer = current.empty() ? word : current + " " + word;
            // Never after a comma: "(11, 13)" and "[1, 16, 64, 64]" stay whole.
            if (!current.empty() && current.back() != ',' && estimated_width(longer, size) > width) {
                out.push_back(current);
                current = word;
            } else {
                current = longer;
            }
        }
        out.push_back(current);
    }
    return out;
}

}  // namespace

ScreenPage compose_screen_page(const Scene& figure, const PageText& text, float width, float height, float max_text_growth,
                               const PageRoom& also, FigurePlacement* keep) {
    const float margin = std::round(height / 36), floor = std::ceil(height * kScreenMinTextFraction);
    // The layout is computed for both pages of the slide (this one and `also`): the same
    // line size, the same box for the lines, the same box for the figure.
    std::vector<std::string> all_lines = text.lines;
    all_lines.insert(all_lines.end(), also.lines.begin(), also.lines.end());
    const std::size_t line_count = std::max(text.lines.size(), also.lines.size());
    const float figure_w = std::max(figure.width, also.figure_width), figure_h = std::max(figure.height, also.figure_height);
    // 56 px title and 40 px lines on 1080 rows (the slide's hierarchy: title, question, figure).
    const float title_size = text.title.empty() ? 0 : fitting_size({text.title}, std::round(height / 19.3f), width - 2 * margin, floor);
    const float line_size = fitting_size(all_lines, std::round(height / 27), width - 2 * margin, floor);
    ScreenPage out;
    Scene& page = out.scene;
    page.background = figure.background;
    page.width = width, page.height = height;
    const bool dark = figure.background.r + figure.background.g + figure.background.b < 1.5f;
    const Color ink = dark ? Color{0.92f, 0.92f, 0.94f, 1} : Color{0.08f, 0.08f, 0.1f, 1};
    const Color soft = dark ? Color{0.65f, 0.65f, 0.7f, 1} : Color{0.4f, 0.4f, 0.45f, 1};
    std::vector<SceneText> own;
    float top = margin;
    if (!text.title.empty()) {
        own.push_back({margin, top, title_size, ink, text.title});
        top += title_size * 1.5f;
    }
    float bottom = height - margin;
    if (!text.footer.empty()) {
        bottom -= floor * 1.4f;
        own.push_back({margin, bottom, floor, soft, text.footer});
    }
    // The lines under the figure, or in a column at its right when the figure is narrower
    // than the room (a square grid on a 16:9 screen): whichever leaves the figure larger.
    float lines_h = line_size * 1.45f * float(line_count);
    float lines_w = 0;
    for (const std::string& line : all_lines) lines_w = std::max(lines_w, estimated_width(line, line_size));
    auto fit = [&](float w, float h) {
        return std::min(std::max(1.0f, w) / std::max(1.0f, figure_w), std::max(1.0f, h) / std::max(1.0f, figure_h));
    };
    const float full_w = width - 2 * margin;
    const float below_h = bottom - top - lines_h - (line_count == 0 ? 0 : margin / 2);
    bool beside = line_count > 0 && lines_w <= 0.45f * width && fit(full_w - lines_w - margin, bottom - top) > fit(full_w, below_h);
    std::vector<std::string> lines = text.lines;  // as drawn
    if (!beside && line_count > 0) {
        // A long question under a tall figure (a cells_read question with its answer's
        // lines) leaves the figure a strip: its lines wrapped into a column beside it, if
        // that makes the figure a tenth larger or more. Both pages wrap alike.
        const float column = std::round(0.4f * width);
        const std::vector<std::string> mine = wrapped_lines(text.lines, line_size, column), theirs = wrapped_lines(also.lines, line_size, column);
        const std::size_t count = std::max(mine.size(), theirs.size());
        float widest = 0;
        for (const auto* page_lines : {&mine, &theirs})
            for (const std::string& line : *page_lines) widest = std::max(widest, estimated_width(line, line_size));
        const float wrapped_h = line_size * 1.45f * float(count);
        // (A few lines: a long answer, 49 cells read, stays a block under the figure.)
        if (count <= kMostWrappedLines && wrapped_h <= bottom - top && fit(full_w - widest - margin, bottom - top) > 1.1f * fit(full_w, below_h)) {
            beside = true;
            lines = mine;
            lines_w = widest;
            lines_h = wrapped_h;
        }
    }
    const float room_w = beside ? full_w - lines_w - margin : full_w, room_h = std::max(1.0f, beside ? bottom - top : below_h);
    const float lines_x = beside ? width - margin - lines_w : margin;
    // The box of the lines starts at the same place on both pages: the question's line
    // first, the answer's lines under it.
    const float lines_y = beside ? top + (room_h - lines_h) / 2 : bottom - lines_h;
    for (std::size_t i = 0; i < lines.size(); ++i)
        own.push_back({lines_x, lines_y + line_size * 1.45f * float(i), line_size, ink, lines[i]});
    // The figure: as large as the room between the title and the lines allows, for the
    // larger of the two figures, laid out for both (fitted_figure). A question that hides the output's size keeps the answer's room for it (the
    // uncropped output's rows above the key) as plain empty space: no outline, no number
    // and no mark lies there (apply_hide). Laying the question out on its input rows
    // instead would move the key and the kernel on the reveal, and would put them where
    // the answer then draws the output, so nothing on the question page may stand there.
    // A figure that stays put matters more in a lecture than the gap's height, which
    // gives the size only to a student who counts it in cells.
    const float s0 = fit(room_w, room_h);
    out.room = {margin, top, room_w, room_h};
    out.figure = {std::round(margin + (room_w - figure_w * s0) / 2), std::round(top + (room_h - figure_h * s0) / 2), figure_w * s0, figure_h * s0};
    // Its words grow to the back row's size and take the room they need (figure_words).
    const FigureRoom room{margin, top, room_w, room_h, s0, WordGrowth{floor, max_text_growth, margin, margin + room_w}};
    Scene body = fitted_figure(figure, also.figure, room, width, height, keep);
    // The figure first (heat maps under the page's texts), the page's texts on top.
    put_under_texts(page, std::move(body), own);
    out.min_text = height;
    for (const SceneText& t : page.texts) out.min_text = std::min(out.min_text, t.size);
    return out;
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
