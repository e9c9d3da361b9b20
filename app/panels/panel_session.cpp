// The session dialog: a path, Open and Save. Sessions are the JSON documents the
// command line's `export` reads; saving is atomic (temporary file + rename).
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/panels/panels.hpp"

namespace convscope::gui {

void draw_session_dialog(AppState& state) {
    if (!state.show_session_dialog) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 3), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 32, 0), ImGuiCond_Appearing);
    if (!ImGui::Begin("Session file", &state.show_session_dialog, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::InputText("path", &state.dialog_path);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("A .json file; relative paths are from the folder ConvScope was started in");
    if (ImGui::Button("Open")) {
        if (open_session_file(state, state.dialog_path)) state.show_session_dialog = false;
    }
    ImGui::SameLine();
    if (ImGui::Button("Save")) {
        if (save_session_file(state, state.dialog_path)) state.show_session_dialog = false;
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) state.show_session_dialog = false;
    if (state.file_message_is_error) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(230, 60, 60, 255));
        ImGui::TextWrapped("error: %s", state.file_message.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace convscope::gui
