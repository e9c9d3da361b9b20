// The canvas: the frame's scene (input, kernel, output, active taps) drawn with ImGui,
// heat maps through the GL colour-map shader. Hovering an output cell shows its
// receptive field; clicking keeps it selected.
#include <imgui.h>

#include "app/gui/draw_scene.hpp"
#include "app/gui/panels.hpp"
#include "core/scene.hpp"

namespace convscope::gui {

namespace {

/// The cell of grid `g` under the mouse, if any.
bool hovered_cell(const Scene::GridPlacement& g, ImVec2 origin, std::int64_t& row, std::int64_t& col) {
    if (!ImGui::IsWindowHovered()) return false;
    const ImVec2 m = ImGui::GetMousePos();
    const float fx = (m.x - origin.x - g.x) / g.cell, fy = (m.y - origin.y - g.y) / g.cell;
    if (fx < 0 || fy < 0 || fx >= float(g.cols) || fy >= float(g.rows)) return false;
    row = std::int64_t(fy);
    col = std::int64_t(fx);
    return true;
}

/// What an input-grid cell is: a real cell, a padding cell (and the real cell it copies
/// in reflect / replicate / circular mode), or a zero inserted by the transposed view.
void input_cell_tooltip(const StepEngine& e, std::int64_t in_channel, std::int64_t r, std::int64_t c) {
    const Tensor4& x = e.input();
    if (e.is_scatter()) {
        ImGui::SetTooltip("input (%lld, %lld) = %.6g", (long long)r, (long long)c, x(e.batch(), in_channel, r, c));
        return;
    }
    bool pad_y = false, pad_x = false, ins_y = false, ins_x = false;
    const std::int64_t sy = e.grid_source(0, r, pad_y, ins_y), sx = e.grid_source(1, c, pad_x, ins_x);
    const bool padding = pad_y || pad_x, real = sy >= 0 && sx >= 0;
    if (padding && real)
        ImGui::SetTooltip("padding cell (%lld, %lld) copies input (%lld, %lld) = %.6g (%s padding)", (long long)r, (long long)c,
                          (long long)sy, (long long)sx, x(e.batch(), in_channel, sy, sx), padding_mode_name(e.layer().padding_mode));
    else if (padding)
        ImGui::SetTooltip("padding cell (%lld, %lld) = 0", (long long)r, (long long)c);
    else if (!real)
        ImGui::SetTooltip("a zero inserted between input cells (stride %lld)", (long long)e.layer().stride.h);
    else
        ImGui::SetTooltip("input (%lld, %lld) = %.6g", (long long)sy, (long long)sx, x(e.batch(), in_channel, sy, sx));
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
    const bool over = hovered_cell(scene.output_grid, origin, row, col);
    if (over) {
        state.rf_hover = {row, col};
        ImGui::SetTooltip("output (%lld, %lld): hover shows its receptive field (r), click keeps it", (long long)row, (long long)col);
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            state.rf_selected = {row, col};
            state.show_receptive_field = true;
        }
    } else {
        state.rf_hover.reset();
        if (hovered_cell(scene.input_grid, origin, row, col)) {
            const FramePosition pos = state.animation->timeline().at(state.session.frame);
            input_cell_tooltip(state.animation->engine_for(pos.channel), state.session.in_channel, row, col);
        }
    }
    ImGui::Dummy(avail);
    ImGui::End();
}

}  // namespace convscope::gui
