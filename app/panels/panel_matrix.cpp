// The third view: the step as a matrix product. conv2d is y = C x with the flattened
// planes of one channel pair; conv_transpose2d is y = C^T x. The current step's row
// (an output cell being gathered) or column (an input cell being scattered) is outlined,
// so the same numbers are seen a third way, in sync with the canvas.
#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "app/render/draw_scene.hpp"
#include "app/panels/panels.hpp"
#include "core/base/errors.hpp"

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
    // Readable before it fits: cells of at least 10 px (scaled with the text), the scene
    // as large as that needs and scrolled inside the column when the column is smaller.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float min_cell = 10 * ImGui::GetFontSize() / 16, scrollbar = ImGui::GetStyle().ScrollbarSize;
    const float need_w = 2 * 16 + 3 * 28 + float(m.matrix->cols + 2) * min_cell;
    const float need_h = 64 + 30 + float(std::max(m.matrix->rows, m.matrix->cols)) * min_cell;
    float width = std::floor(std::max(avail.x - (need_h > avail.y ? scrollbar : 0), need_w));
    const float height = std::floor(std::max(avail.y - (need_w > avail.x ? scrollbar : 0), need_h));
    const float base_width = width;  // the cache key: the scene may widen for its text
    SceneCache& c = state.matrix_scene_cache;
    if (c.generation != state.generation || c.frame != state.session.frame || c.in_channel != state.session.in_channel ||
        c.width != base_width || c.height != height || c.dark != state.session.dark) {
        SceneOptions opt;
        opt.width = width;
        opt.height = height;
        opt.dark = state.session.dark;
        c.scene = build_matrix_scene(engine, pos, *m.matrix, state.session.in_channel, opt);
        // Wide enough for its title and subtitle too (about 0.6 em a character): scroll, do not cut.
        float text_right = 0;
        for (const SceneText& t : c.scene.texts)
            if (!t.centered) text_right = std::max(text_right, t.x + 0.6f * t.size * float(t.text.size()) + 16);
        if (text_right > width) {
            width = std::ceil(text_right);
            opt.width = width;
            c.scene = build_matrix_scene(engine, pos, *m.matrix, state.session.in_channel, opt);
        }
        c.generation = state.generation;
        c.frame = state.session.frame;
        c.in_channel = state.session.in_channel;
        c.width = base_width;
        c.height = height;
        c.dark = state.session.dark;
    }
    ImGui::BeginChild("matrix picture", avail, false, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoBackground);
    draw_scene(ImGui::GetWindowDrawList(), c.scene, ImGui::GetCursorScreenPos(), heatmaps);
    ImGui::Dummy(ImVec2(c.scene.width, height));
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace convscope::gui
