// The menu bar: File (open, save, export, quit), View (theme, help), and the global
// shortcuts Ctrl+O, Ctrl+S, Ctrl+E, Ctrl+Q.
#include <imgui.h>

#include "app/gui/panels.hpp"

namespace convscope::gui {

namespace {

void open_dialog(AppState& state) {
    state.show_session_dialog = true;
    if (state.dialog_path.empty()) state.dialog_path = state.session_path.empty() ? "session.json" : state.session_path;
}

void save(AppState& state) {
    if (state.session_path.empty()) open_dialog(state);
    else save_session_file(state, state.session_path);
}

}  // namespace

void draw_menu_bar(AppState& state) {
    const ImGuiIO& io = ImGui::GetIO();
    // ImGui 1.86 names only a few letter keys; its GLFW backend indexes the key state by
    // GLFW key code, which for letters is the upper-case ASCII code.
    auto pressed = [](char key) { return ImGui::IsKeyPressed(int(key)); };
    if (io.KeyCtrl && !io.WantTextInput) {
        if (pressed('O')) open_dialog(state);
        if (pressed('S')) save(state);
        if (pressed('E')) state.show_export = true;
        if (pressed('Q')) state.quit_requested = true;
    }
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open or save session...", "Ctrl+O")) open_dialog(state);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("A session is the whole configuration (layers, input, view, step) as JSON; "
                              "`convscope export SESSION.json` draws it from a script");
        if (ImGui::MenuItem("Save session", "Ctrl+S")) save(state);
        if (ImGui::MenuItem("Open picture...") && !choose_file(state, AppState::ChooserPurpose::OpenPicture))
            state.show_picture_dialog = true;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("A photo as the input (or the upsampling lab's picture); you can also drop one on the window");
        if (ImGui::MenuItem("Export figure or animation...", "Ctrl+E")) state.show_export = true;
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) state.quit_requested = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        ImGui::MenuItem("Dark theme", nullptr, &state.session.dark);
        ImGui::MenuItem("Receptive field", "R", &state.show_receptive_field);
        ImGui::MenuItem("As a matrix (y = C x)", "M", &state.show_matrix);
        ImGui::MenuItem("Keyboard shortcuts", "?", &state.show_help);
        ImGui::EndMenu();
    }
    if (!state.picture_message.empty() && state.picture_message_is_error && !state.lab) {
        ImGui::Separator();
        ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", state.picture_message.c_str());
    }
    if (!state.file_message.empty()) {
        ImGui::Separator();
        if (state.file_message_is_error) ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", state.file_message.c_str());
        else ImGui::TextDisabled("%s", state.file_message.c_str());
    }
    ImGui::EndMainMenuBar();
}

}  // namespace convscope::gui
