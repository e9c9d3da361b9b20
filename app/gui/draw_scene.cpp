#include "app/gui/draw_scene.hpp"

#include <cfloat>

namespace convscope::gui {

namespace {

ImU32 to_imgui(const Color& c) {
    return IM_COL32(int(c.r * 255), int(c.g * 255), int(c.b * 255), int(c.a * 255));
}

}  // namespace

void draw_heatmap(ImDrawList* list, const SceneHeatmap& h, ImVec2 origin, render::HeatmapRenderer* heatmaps) {
    if (heatmaps) {
        heatmaps->draw(list, h, origin);
        return;
    }
    // Without the shader (it failed to build): one rectangle per cell.
    for (std::int64_t r = 0; r < h.rows; ++r)
        for (std::int64_t c = 0; c < h.cols; ++c) {
            const ImVec2 a(origin.x + h.x + h.cell * float(c), origin.y + h.y + h.cell * float(r));
            list->AddRectFilled(a, ImVec2(a.x + h.cell, a.y + h.cell), to_imgui(h.cell_color(r, c)));
        }
}

void draw_scene(ImDrawList* list, const Scene& scene, ImVec2 origin, render::HeatmapRenderer* heatmaps) {
    for (const SceneHeatmap& h : scene.heatmaps) draw_heatmap(list, h, origin, heatmaps);
    for (const SceneRect& r : scene.rects) {
        const ImVec2 a(origin.x + r.x, origin.y + r.y), b(a.x + r.w, a.y + r.h);
        if (r.fill.a > 0) list->AddRectFilled(a, b, to_imgui(r.fill));
        if (r.stroke_width > 0 && r.stroke.a > 0) list->AddRect(a, b, to_imgui(r.stroke), 0.0f, 0, r.stroke_width);
    }
    for (const SceneLine& l : scene.lines)
        list->AddLine(ImVec2(origin.x + l.x0, origin.y + l.y0), ImVec2(origin.x + l.x1, origin.y + l.y1), to_imgui(l.color), l.width);
    ImFont* font = ImGui::GetFont();
    for (const SceneText& t : scene.texts) {
        ImVec2 p(origin.x + t.x, origin.y + t.y);
        if (t.centered) {
            const ImVec2 size = font->CalcTextSizeA(t.size, FLT_MAX, 0.0f, t.text.c_str());
            p.x -= size.x / 2;
            p.y -= size.y / 2;
        }
        list->AddText(font, t.size, p, to_imgui(t.color), t.text.c_str());
    }
}

}  // namespace convscope::gui
