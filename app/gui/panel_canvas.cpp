// The canvas: the frame's scene (input, kernel, output, active taps) drawn with ImGui,
// heat maps through the GL colour-map shader. Hovering an output cell shows its
// receptive field; clicking keeps it selected.
#include <imgui.h>

#include "app/gui/panels.hpp"
#include "core/scene.hpp"

namespace convscope::gui {

namespace {

ImU32 to_imgui(const Color& c) {
    return IM_COL32(int(c.r * 255), int(c.g * 255), int(c.b * 255), int(c.a * 255));
}

/// Without a shader (it failed to compile): one rectangle per cell.
void draw_heatmap_rects(ImDrawList* dl, const SceneHeatmap& h, ImVec2 origin) {
    for (std::int64_t r = 0; r < h.rows; ++r)
        for (std::int64_t c = 0; c < h.cols; ++c) {
            const ImVec2 a(origin.x + h.x + h.cell * float(c), origin.y + h.y + h.cell * float(r));
            dl->AddRectFilled(a, ImVec2(a.x + h.cell, a.y + h.cell), to_imgui(h.cell_color(r, c)));
        }
}

/// The output cell under the mouse, if any.
bool hovered_output_cell(const Scene& scene, ImVec2 origin, std::int64_t& row, std::int64_t& col) {
    if (!ImGui::IsWindowHovered()) return false;
    const ImVec2 m = ImGui::GetMousePos();
    const Scene::GridPlacement& g = scene.output_grid;
    const float fx = (m.x - origin.x - g.x) / g.cell, fy = (m.y - origin.y - g.y) / g.cell;
    if (fx < 0 || fy < 0 || fx >= float(g.cols) || fy >= float(g.rows)) return false;
    row = std::int64_t(fy);
    col = std::int64_t(fx);
    return true;
}

}  // namespace

void draw_canvas_panel(AppState& state, render::HeatmapRenderer* heatmaps) {
    ImGui::Begin("Canvas", nullptr, kTiledPanelFlags);
    if (!state.animation) {
        ImGui::TextUnformatted("No valid configuration yet.");
        ImGui::End();
        return;
    }
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const Scene& scene = current_scene(state, avail.x, avail.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (const SceneHeatmap& h : scene.heatmaps) {
        if (heatmaps) heatmaps->draw(dl, h, origin);
        else draw_heatmap_rects(dl, h, origin);
    }
    for (const SceneRect& r : scene.rects) {
        const ImVec2 a(origin.x + r.x, origin.y + r.y), b(a.x + r.w, a.y + r.h);
        if (r.fill.a > 0) dl->AddRectFilled(a, b, to_imgui(r.fill));
        if (r.stroke_width > 0 && r.stroke.a > 0) dl->AddRect(a, b, to_imgui(r.stroke), 0.0f, 0, r.stroke_width);
    }
    for (const SceneLine& l : scene.lines)
        dl->AddLine(ImVec2(origin.x + l.x0, origin.y + l.y0), ImVec2(origin.x + l.x1, origin.y + l.y1), to_imgui(l.color), l.width);
    ImFont* font = ImGui::GetFont();
    for (const SceneText& t : scene.texts) {
        ImVec2 p(origin.x + t.x, origin.y + t.y);
        if (t.centered) {
            const ImVec2 size = font->CalcTextSizeA(t.size, FLT_MAX, 0.0f, t.text.c_str());
            p.x -= size.x / 2;
            p.y -= size.y / 2;
        }
        dl->AddText(font, t.size, p, to_imgui(t.color), t.text.c_str());
    }

    // Receptive field of the output cell under the mouse (or the one clicked).
    std::int64_t row = 0, col = 0;
    const bool over = hovered_output_cell(scene, origin, row, col);
    if (over) {
        state.rf_hover = {row, col};
        ImGui::SetTooltip("output (%lld, %lld): click to keep its receptive field", (long long)row, (long long)col);
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            state.rf_selected = {row, col};
            state.show_receptive_field = true;
        }
    } else {
        state.rf_hover.reset();
    }
    ImGui::Dummy(avail);
    ImGui::End();
}

}  // namespace convscope::gui
