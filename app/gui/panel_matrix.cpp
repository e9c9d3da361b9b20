// The third view: the step as a matrix product. conv2d is y = C x with the flattened
// planes of one channel pair; conv_transpose2d is y = C^T x. The current step's row
// (an output cell being gathered) or column (an input cell being scattered) is outlined,
// so the same numbers are seen a third way, in sync with the canvas.
#include <imgui.h>

#include "app/gui/draw_scene.hpp"
#include "app/gui/panels.hpp"
#include "core/errors.hpp"

namespace convscope::gui {

namespace {

const MatrixCache& matrix_for(AppState& state, const StepEngine& engine) {
    MatrixCache& c = state.matrix_cache;
    if (c.generation == state.generation && c.in_channel == state.session.in_channel && c.out_channel == engine.out_channel())
        return c;
    c.generation = state.generation;
    c.in_channel = state.session.in_channel;
    c.out_channel = engine.out_channel();
    c.matrix.reset();
    c.error.clear();
    try {
        c.matrix = convolution_matrix(engine, c.in_channel);
    } catch (const UserError& e) {
        c.error = e.what();
    }
    return c;
}

}  // namespace

void draw_matrix_panel(AppState& state, render::HeatmapRenderer* heatmaps) {
    if (!state.show_matrix || !state.animation) return;
    // Placed on its tile by run_app (layout.cpp): a column beside the canvas, never over it.
    if (!ImGui::Begin("As a matrix", &state.show_matrix, kTiledPanelFlags)) {
        ImGui::End();
        return;
    }
    const FramePosition pos = state.animation->timeline().at(state.session.frame);
    const StepEngine& engine = state.animation->engine_for(pos.channel);
    const MatrixCache& m = matrix_for(state, engine);
    if (!m.error.empty()) {
        ImGui::TextWrapped("%s", m.error.c_str());
        ImGui::TextDisabled("The matrix view is for small maps: try arith-no-padding, arith-t-strides or checkerboard-k3s2.");
        ImGui::End();
        return;
    }
    const ImVec2 origin = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
    SceneCache& c = state.matrix_scene_cache;
    if (c.generation != state.generation || c.frame != state.session.frame || c.in_channel != state.session.in_channel ||
        c.width != avail.x || c.height != avail.y || c.dark != state.session.dark) {
        SceneOptions opt;
        opt.width = avail.x;
        opt.height = avail.y;
        opt.dark = state.session.dark;
        c.scene = build_matrix_scene(engine, pos, *m.matrix, state.session.in_channel, opt);
        c.generation = state.generation;
        c.frame = state.session.frame;
        c.in_channel = state.session.in_channel;
        c.width = avail.x;
        c.height = avail.y;
        c.dark = state.session.dark;
    }
    draw_scene(ImGui::GetWindowDrawList(), c.scene, origin, heatmaps);
    ImGui::Dummy(avail);
    ImGui::End();
}

}  // namespace convscope::gui
