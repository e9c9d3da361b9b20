#include "app/render/draw_scene.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace convscope::gui {

namespace {

std::vector<std::pair<float, ImFont*>> g_code_fonts;  // (pixels, font); set once when the window opens
std::vector<std::pair<float, ImFont*>> g_scene_fonts;  // (pixels, font) by size; set once when the window opens

ImU32 to_imgui(const Color& c) {
    return IM_COL32(int(c.r * 255), int(c.g * 255), int(c.b * 255), int(c.a * 255));
}

/// Schematic heat maps are a few flat colours: drawn as blocks of equal colour (a large
/// map with no transparent block without blending).
void draw_flat_heatmap(ImDrawList* list, const SceneHeatmap& h, ImVec2 origin, render::BlendSwitch& blend) {
    const float x0 = origin.x + h.x, y0 = origin.y + h.y;
    const std::vector<CellBlock> blocks = equal_colour_blocks(h);
    const bool opaque = std::all_of(blocks.begin(), blocks.end(), [](const CellBlock& b) { return b.color.a >= 1; });
    if (opaque && render::BlendSwitch::large(h.cell * float(h.cols), h.cell * float(h.rows))) blend.opaque();
    for (const CellBlock& b : blocks)
        list->AddRectFilled(ImVec2(x0 + h.cell * float(b.first_col), y0 + h.cell * float(b.first_row)),
                            ImVec2(x0 + h.cell * float(b.end_col), y0 + h.cell * float(b.end_row)), to_imgui(b.color));
    if (h.grid.a <= 0) return;
    blend.blended();
    const ImU32 grid = to_imgui(h.grid);
    const float w = h.cell * float(h.cols), ht = h.cell * float(h.rows);
    for (std::int64_t r = 0; r <= h.rows; ++r) list->AddLine(ImVec2(x0, y0 + h.cell * float(r)), ImVec2(x0 + w, y0 + h.cell * float(r)), grid);
    for (std::int64_t c = 0; c <= h.cols; ++c) list->AddLine(ImVec2(x0 + h.cell * float(c), y0), ImVec2(x0 + h.cell * float(c), y0 + ht), grid);
}

/// A dashed outline as short segments (ImGui has no dash pattern), inset by half the
/// width like AddRect, dashes and gaps `dash` long.
void draw_dashed_rect(ImDrawList* list, ImVec2 a, ImVec2 b, ImU32 colour, float width, float dash) {
    const float i = width / 2;
    const ImVec2 corners[5] = {{a.x + i, a.y + i}, {b.x - i, a.y + i}, {b.x - i, b.y - i}, {a.x + i, b.y - i}, {a.x + i, a.y + i}};
    for (int k = 0; k < 4; ++k) {
        const ImVec2 p = corners[k], q = corners[k + 1];
        const float len = std::fabs(q.x - p.x) + std::fabs(q.y - p.y);
        if (len <= 0) continue;
        const ImVec2 dir((q.x - p.x) / len, (q.y - p.y) / len);
        for (float t = 0; t < len; t += 2 * dash) {
            const float e = std::min(len, t + dash);
            list->AddLine(ImVec2(p.x + dir.x * t, p.y + dir.y * t), ImVec2(p.x + dir.x * e, p.y + dir.y * e), colour, width);
        }
    }
}

/// A dashed open or closed polyline as segments, dashes and gaps `dash` long.
void draw_dashed_polyline(ImDrawList* list, const ImVec2* pts, int count, bool closed, ImU32 colour, float width, float dash) {
    const int edges = closed ? count : count - 1;
    for (int k = 0; k < edges; ++k) {
        const ImVec2 p = pts[k], q = pts[(k + 1) % count];
        const float len = std::hypot(q.x - p.x, q.y - p.y);
        if (len <= 0) continue;
        const ImVec2 dir((q.x - p.x) / len, (q.y - p.y) / len);
        for (float t = 0; t < len; t += 2 * dash) {
            const float e = std::min(len, t + dash);
            list->AddLine(ImVec2(p.x + dir.x * t, p.y + dir.y * t), ImVec2(p.x + dir.x * e, p.y + dir.y * e), colour, width);
        }
    }
}

bool same_color(const Color& a, const Color& b) { return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a; }

/// A plain filled cell (no outline) that continues `prev` along its row: same map,
/// same row, the next column, the same fill, sharing prev's right edge exactly.
bool continues_row(const ScenePolygon& prev, const ScenePolygon& p) {
    auto plain = [](const ScenePolygon& q) {
        return q.indexed && q.closed && q.count == 4 && q.fill.a > 0 && (q.stroke_width <= 0 || q.stroke.a <= 0);
    };
    return plain(prev) && plain(p) && p.layer == prev.layer && p.channel == prev.channel && p.row == prev.row && p.col == prev.col + 1 &&
           same_color(p.fill, prev.fill) && p.points[0] == prev.points[1] && p.points[3] == prev.points[2];
}

/// Polygons in order. Fills go without antialiasing: the perspective planes are
/// thousands of abutting cells, and an antialiased fringe on each would both show
/// seams and cost a software rasterizer a second pass over every edge. A run of plain
/// cells of one colour along a row is one parallelogram (its first cell's left edge,
/// its last cell's right edge): the same pixels, and a plane of 68 x 68 cells is some
/// 70 strips instead of 4624 quads for the rasterizer to set up.
/// A large opaque fill goes without blending.
void draw_polygons(ImDrawList* list, const std::vector<ScenePolygon>& polygons, ImVec2 origin, render::BlendSwitch& blend) {
    const ImDrawListFlags flags = list->Flags;
    for (std::size_t k = 0; k < polygons.size(); ++k) {
        const ScenePolygon& p = polygons[k];
        ImVec2 pts[4];
        for (int i = 0; i < p.count; ++i) pts[i] = ImVec2(origin.x + p.points[std::size_t(i)][0], origin.y + p.points[std::size_t(i)][1]);
        std::size_t last = k;
        while (last + 1 < polygons.size() && continues_row(polygons[last], polygons[last + 1])) ++last;
        if (last > k) {
            const ScenePolygon& end = polygons[last];
            pts[1] = ImVec2(origin.x + end.points[1][0], origin.y + end.points[1][1]);
            pts[2] = ImVec2(origin.x + end.points[2][0], origin.y + end.points[2][1]);
            k = last;  // plain cells: no outline to draw
        }
        if (p.closed && p.fill.a > 0) {
            ImVec2 lo = pts[0], hi = pts[0];
            for (int i = 1; i < p.count; ++i) {
                lo = ImVec2(std::min(lo.x, pts[i].x), std::min(lo.y, pts[i].y));
                hi = ImVec2(std::max(hi.x, pts[i].x), std::max(hi.y, pts[i].y));
            }
            if (p.fill.a >= 1 && render::BlendSwitch::large(hi.x - lo.x, hi.y - lo.y)) blend.opaque();
            else blend.blended();
            list->Flags = flags & ~ImDrawListFlags_AntiAliasedFill;
            list->AddConvexPolyFilled(pts, p.count, to_imgui(p.fill));
            list->Flags = flags;
        }
        if (p.stroke_width <= 0 || p.stroke.a <= 0) continue;
        blend.blended();
        if (p.dash > 0) draw_dashed_polyline(list, pts, p.count, p.closed, to_imgui(p.stroke), p.stroke_width, p.dash);
        else list->AddPolyline(pts, p.count, to_imgui(p.stroke), p.closed ? ImDrawFlags_Closed : ImDrawFlags_None, p.stroke_width);
    }
}

}  // namespace

void set_scene_fonts(std::vector<std::pair<float, ImFont*>> fonts) {
    std::sort(fonts.begin(), fonts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    g_scene_fonts = std::move(fonts);
}

ImFont* scene_font(float pixels) {
    if (g_scene_fonts.empty()) return ImGui::GetFont();
    const auto above = std::lower_bound(g_scene_fonts.begin(), g_scene_fonts.end(), pixels,
                                        [](const auto& f, float px) { return f.first < px; });
    if (above == g_scene_fonts.end()) return g_scene_fonts.back().second;
    if (above == g_scene_fonts.begin()) return above->second;
    const auto below = std::prev(above);
    return pixels - below->first <= above->first - pixels ? below->second : above->second;
}

void set_code_fonts(std::vector<std::pair<float, ImFont*>> fonts) { g_code_fonts = std::move(fonts); }

ImFont* code_font() {
    const float size = ImGui::GetFontSize();
    for (const auto& [pixels, font] : g_code_fonts)
        if (pixels == size) return font;
    return ImGui::GetFont();
}

void draw_heatmap(ImDrawList* list, const SceneHeatmap& h, ImVec2 origin, render::HeatmapRenderer* heatmaps) {
    render::BlendSwitch blend(list);
    draw_heatmap(list, h, origin, heatmaps, blend);
}

void draw_heatmap(ImDrawList* list, const SceneHeatmap& h, ImVec2 origin, render::HeatmapRenderer* heatmaps, render::BlendSwitch& blend) {
    if (h.flat) {
        draw_flat_heatmap(list, h, origin, blend);
        return;
    }
    if (heatmaps) {
        heatmaps->draw(list, h, origin, blend);
        return;
    }
    blend.blended();
    // Without a heat-map renderer (a page's overlay, drawn over its pictures): one rectangle per cell.
    for (std::int64_t r = 0; r < h.rows; ++r)
        for (std::int64_t c = 0; c < h.cols; ++c) {
            const ImVec2 a(origin.x + h.x + h.cell * float(c), origin.y + h.y + h.cell * float(r));
            list->AddRectFilled(a, ImVec2(a.x + h.cell, a.y + h.cell), to_imgui(h.cell_color(r, c)));
        }
}

void draw_scene(ImDrawList* list, const Scene& scene, ImVec2 origin, render::HeatmapRenderer* heatmaps) {
    render::BlendSwitch blend(list);  // blended again before the lines and the text
    for (const SceneHeatmap& h : scene.heatmaps) draw_heatmap(list, h, origin, heatmaps, blend);
    draw_polygons(list, scene.polygons, origin, blend);
    for (const SceneRect& r : scene.rects) {
        const ImVec2 a(origin.x + r.x, origin.y + r.y), b(a.x + r.w, a.y + r.h);
        if (r.fill.a >= 1 && render::BlendSwitch::large(r.w, r.h)) blend.opaque();
        else blend.blended();
        if (r.fill.a > 0) list->AddRectFilled(a, b, to_imgui(r.fill));
        if (r.stroke_width > 0 && r.stroke.a > 0) {
            blend.blended();
            if (r.dash > 0) draw_dashed_rect(list, a, b, to_imgui(r.stroke), r.stroke_width, r.dash);
            else list->AddRect(a, b, to_imgui(r.stroke), 0.0f, 0, r.stroke_width);
        }
    }
    blend.blended();
    for (const SceneLine& l : scene.lines)
        list->AddLine(ImVec2(origin.x + l.x0, origin.y + l.y0), ImVec2(origin.x + l.x1, origin.y + l.y1), to_imgui(l.color), l.width);
    for (const SceneText& t : scene.texts) {
        ImFont* font = scene_font(t.size);
        ImVec2 p(origin.x + t.x, origin.y + t.y);
        if (t.centered) {
            const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, t.text.c_str());
            p.x -= size.x / 2;
            p.y -= size.y / 2;
        }
        list->AddText(font, font->FontSize, p, to_imgui(t.color), t.text.c_str());
    }
}

}  // namespace convscope::gui
