// The canvas: the frame's scene (input, kernel, output, active taps) drawn with ImGui.
#include <imgui.h>

#include "app/gui/panels.hpp"
#include "core/scene.hpp"

namespace convscope::gui {

namespace {

ImU32 to_imgui(const Color& c) {
    return IM_COL32(int(c.r * 255), int(c.g * 255), int(c.b * 255), int(c.a * 255));
}

}  // namespace

void draw_canvas_panel(AppState& state) {
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
    ImGui::Dummy(avail);
    ImGui::End();
}

}  // namespace convscope::gui
