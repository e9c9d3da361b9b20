// The canvas: the frame's scene (input, kernel, output, active taps) drawn with ImGui,
// heat maps through the GL colour-map shader. Hovering an output cell shows its
// receptive field; clicking keeps it selected.
#include <imgui.h>

#include "app/gui/draw_scene.hpp"
#include "app/gui/panels.hpp"
#include "core/scene.hpp"

namespace convscope::gui {

namespace {

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
    draw_scene(ImGui::GetWindowDrawList(), scene, origin, heatmaps);

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
