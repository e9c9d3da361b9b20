// The dilation-context view's panel: the kernel (edges or blur) and the picture, then
// the view's scene (core/scene/dilation_context.cpp): the picture with the three receptive
// fields, the three feature maps at dilation 1, 2 and 4, the kernel's nine weights.
// The scene is rebuilt only when the kernel, the picture or the theme changes.
#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "app/logic/app_lab.hpp"
#include "app/panels/panels.hpp"

namespace convscope::gui {

void draw_dilation_context_panel(AppState& state, render::PictureTextures& pictures) {
    ImGui::Begin("Dilation context", nullptr, kTiledPanelFlags);
    if (!state.context_view) {
        ImGui::End();
        return;
    }
    AppState::ContextView& v = *state.context_view;
    int kernel = int(v.kernel);
    ImGui::SetNextItemWidth(260);
    if (ImGui::Combo("kernel", &kernel, "Sobel x (edges)\0Laplacian (edges)\0Box (blur)\0")) {
        std::string message;
        if (!open_context_view(state, v.image_path, ContextKernel(kernel), message)) state.picture_message = message;
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The same nine weights at dilation 1, 2 and 4: the features grow in scale, the weights do not");
    ImGui::SameLine();
    if (ImGui::Button("Open picture...") && !choose_file(state, AppState::ChooserPurpose::OpenPicture))
        state.show_picture_dialog = true;
    if (!state.picture_message.empty()) {
        if (state.picture_message_is_error)
            ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", state.picture_message.c_str());
        else
            ImGui::TextDisabled("%s", state.picture_message.c_str());
    }
    ImGui::Separator();
    if (v.stale || v.dark != state.session.dark) {
        ContextSceneOptions options;
        options.dark = state.session.dark;
        // Four columns (the picture and three maps) as large as the panel allows.
        const float width = float(v.context.grey.shape()[3]);
        // Whole screen pixels per picture pixel (a fractional scale doubles every few columns).
        options.cell = std::floor(std::clamp((ImGui::GetContentRegionAvail().x - 32 - 3 * 18) / (4 * width), 1.0f, 2.5f));
        v.scene = build_dilation_context_scene(v.context, options);
        v.overlay = v.scene;
        v.overlay.heatmaps.clear();
        v.dark = state.session.dark;
        v.stale = false;
        ++state.lab_scene_version;  // the texture slots are shared with the lab's scene
    }
    ImGui::BeginChild("context scene", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    draw_picture_scene(v.scene, v.overlay, state.lab_scene_version, pictures);
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace convscope::gui
