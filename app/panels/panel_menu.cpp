// The menu bar: File (open, save, save as, export, quit), View (theme, text size, views,
// help), and the global shortcuts Ctrl+O, Ctrl+S, Ctrl+Shift+S, Ctrl+E, Ctrl+Q. Files
// are chosen in the desktop's chooser where there is one, else in the typed-path dialog.
#include <imgui.h>

#include <string>

#include <filesystem>

#include "app/panels/panels.hpp"
#include "app/logic/deck_actions.hpp"
#include "app/logic/settings.hpp"

namespace convscope::gui {

namespace {

void typed_path_dialog(AppState& state) {
    state.show_session_dialog = true;
    if (state.dialog_path.empty()) state.dialog_path = state.session_path.empty() ? "session.json" : state.session_path;
}

void open_file(AppState& state) {
    if (!choose_file(state, AppState::ChooserPurpose::OpenSession)) typed_path_dialog(state);
}

void save_as(AppState& state) {
    if (!choose_file(state, AppState::ChooserPurpose::SaveSession)) typed_path_dialog(state);
}

void save(AppState& state) {
    if (state.session_path.empty()) save_as(state);
    else save_session_file(state, state.session_path);
}

/// The deck being built (deck_editor.hpp): File > New deck, Open deck..., Add this view
/// as a slide, Save deck, Save deck as...; each opens the Deck panel.
void deck_menu_items(AppState& state) {
    DeckEditor& editor = state.deck_editor;
    if (ImGui::MenuItem("New deck")) new_deck(editor);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("A lecture deck: slides of the app's views, for `convscope present` and `export --deck`");
    if (ImGui::MenuItem("Open deck...")) {
        editor.show = true;
        if (!state.desktop_chooser || !choose_deck_file(editor, false))
            editor.message = "type the deck's path in the Deck panel's file field and press Open...";
    }
    if (ImGui::MenuItem("Add this view as a slide")) add_view_as_slide(state);
    if (ImGui::MenuItem("Save deck", nullptr, false, !editor.deck.slides.empty())) {
        editor.show = true;
        if (!editor.path.empty()) save_deck(editor, editor.path);
        else if (!state.desktop_chooser || !choose_deck_file(editor, true)) save_deck(editor, editor.path_field);
    }
    if (ImGui::MenuItem("Save deck as...", nullptr, false, !editor.deck.slides.empty())) {
        editor.show = true;
        if (!state.desktop_chooser || !choose_deck_file(editor, true)) save_deck(editor, editor.path_field);
    }
}

/// View > Present (F5): the deck open, else the first shipped one.
void present_current_deck(AppState& state) {
    // The deck being built, once saved, is the one to present.
    std::string path = state.deck_editor.path.empty() ? state.present_deck_path : state.deck_editor.path;
    if (path.empty()) {
        const std::vector<std::string> decks = shipped_decks();
        if (decks.empty()) {
            state.present_message = "no deck is open and no shipped deck was found";
            return;
        }
        path = decks.front();
    }
    if (present_deck_file(state, path)) state.present_deck_path = path;
}

void draw_present_menu_items(AppState& state) {
    const std::string& open = state.deck_editor.path.empty() ? state.present_deck_path : state.deck_editor.path;
    const std::string current = open.empty() ? std::string("a shipped deck") : std::filesystem::path(open).filename().string();
    if (ImGui::MenuItem(("Present " + current).c_str(), "F5")) present_current_deck(state);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Full screen: PageDown/Right/Space next (a question's answer first), PageUp/Left back, "
                          "a number and Enter jumps, B blanks, P the presenter's corner, Escape returns here. With a second "
                          "monitor, the presenter window (notes, next slide, clock) opens on it");
    if (ImGui::BeginMenu("Present shipped deck")) {
        const std::vector<std::string> decks = shipped_decks();
        if (decks.empty()) ImGui::TextDisabled("no shipped deck was found");
        for (const std::string& path : decks)
            if (ImGui::MenuItem(std::filesystem::path(path).filename().string().c_str()) && present_deck_file(state, path))
                state.present_deck_path = path;
        ImGui::EndMenu();
    }
}

}  // namespace

void draw_menu_bar(AppState& state) {
    const ImGuiIO& io = ImGui::GetIO();
    // ImGui 1.86 names only a few letter keys; its GLFW backend indexes the key state by
    // GLFW key code, which for letters is the upper-case ASCII code.
    auto pressed = [](char key) { return ImGui::IsKeyPressed(int(key)); };
    if (io.KeyCtrl && !io.WantTextInput) {
        if (pressed('O')) open_file(state);
        if (pressed('S')) {
            if (io.KeyShift) save_as(state);
            else save(state);
        }
        if (pressed('E')) open_export_dialog(state);
        if (pressed('Q')) state.quit_requested = true;
    }
    // F5 presents (GLFW_KEY_F5 = 294: the backend's key index for it).
    constexpr int kKeyF5 = 294;
    if (!io.WantTextInput && ImGui::IsKeyPressed(kKeyF5)) present_current_deck(state);
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open session...", "Ctrl+O")) open_file(state);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("A session is the whole configuration (layers, input, view, step) as JSON; "
                              "`convscope export SESSION.json` draws it from a script");
        if (ImGui::MenuItem("Save session", "Ctrl+S")) save(state);
        if (ImGui::MenuItem("Save session as...", "Ctrl+Shift+S")) save_as(state);
        if (ImGui::MenuItem("Type a session path...")) typed_path_dialog(state);
        if (ImGui::MenuItem("Open picture...") && !choose_file(state, AppState::ChooserPurpose::OpenPicture))
            state.show_picture_dialog = true;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("A photo as the input (or the upsampling lab's picture); you can also drop one on the window");
        if (ImGui::MenuItem("Export figure or animation...", "Ctrl+E")) open_export_dialog(state);
        ImGui::Separator();
        deck_menu_items(state);
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) state.quit_requested = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        ImGui::MenuItem("Dark theme", nullptr, &state.session.dark);
        if (ImGui::BeginMenu("Text size")) {
            for (const int percent : kTextSizePercents) {
                const std::string label = std::to_string(percent) + " %";
                if (ImGui::MenuItem(label.c_str(), nullptr, state.text_size_percent == percent)) state.text_size_percent = percent;
            }
            ImGui::TextDisabled("for a projector; kept for next time");
            ImGui::EndMenu();
        }
        ImGui::MenuItem("Receptive field", "R", &state.show_receptive_field);
        ImGui::MenuItem("As a matrix (y = C x)", "M", &state.show_matrix);
        ImGui::MenuItem("Channels (the whole tensor)", "C", &state.channels.enabled);
        ImGui::MenuItem("Deck (the slides being built)", nullptr, &state.deck_editor.show);
        ImGui::MenuItem("Quiz (questions to answer)", nullptr, &state.quiz.show);
        ImGui::MenuItem("Help: views and shortcuts", "?", &state.show_help);
        ImGui::Separator();
        draw_present_menu_items(state);
        ImGui::EndMenu();
    }
    if (!state.present_message.empty()) {
        ImGui::Separator();
        ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", state.present_message.c_str());
    }
    if (!state.picture_message.empty() && state.picture_message_is_error && !state.lab) {
        ImGui::Separator();
        ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", state.picture_message.c_str());
    }
    if (state.chooser) {
        ImGui::Separator();
        ImGui::TextDisabled("choosing a file in the desktop's file chooser...");
    } else if (!state.file_message.empty()) {
        ImGui::Separator();
        if (state.file_message_is_error) ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", state.file_message.c_str());
        else ImGui::TextDisabled("%s", state.file_message.c_str());
    }
    ImGui::EndMainMenuBar();
}

}  // namespace convscope::gui
