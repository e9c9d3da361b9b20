// The Deck panel: the deck being built from the app's views (File > New deck, Open
// deck...), on its tile in the right column. Its slides in order (click: open the slide's view; drag, or the arrows, to
// reorder; x deletes), the selected slide's title, notes, question and hidden parts,
// the "add this view as a slide" form, and Save / Save as. A deck that fails to open or
// save leaves the deck being edited as it was; the reason shows in red here.
#include <algorithm>
#include <filesystem>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/logic/deck_actions.hpp"
#include "app/panels/panels.hpp"
#include "core/lecture/questions.hpp"

namespace convscope::gui {

namespace {

/// Room right of a field for the longest label ("deck title"), at any text size.
float label_room() { return ImGui::CalcTextSize("deck title").x + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::GetStyle().WindowPadding.x; }

const char* const kQuestionChoices[] = {"no question", "output shape (N, C, H, W)", "output values (by hand)",
                                        "receptive field size (rows x cols)", "cells read by one output cell"};

void file_buttons(AppState& state, DeckEditor& editor) {
    ImGui::SetNextItemWidth(-label_room());
    ImGui::InputTextWithHint("deck title", "e.g. Dilated convolution, week 3", &editor.deck.title);
    if (ImGui::IsItemDeactivatedAfterEdit()) editor.unsaved = true;
    ImGui::SetNextItemWidth(-label_room());
    ImGui::InputTextWithHint("file", "/path/to/deck.json", &editor.path_field);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Open... and Save as... use this path when there is no desktop file chooser");
    const bool chooser = state.desktop_chooser;
    if (ImGui::Button("Save")) save_deck(editor, editor.path.empty() ? editor.path_field : editor.path);
    ImGui::SameLine();
    if (ImGui::Button("Save as...")) {
        if (!chooser || !choose_deck_file(editor, true)) save_deck(editor, editor.path_field);
    }
    ImGui::SameLine();
    if (ImGui::Button("Open...")) {
        if (!chooser || !choose_deck_file(editor, false)) open_deck(editor, editor.path_field);
    }
    ImGui::SameLine();
    if (ImGui::Button("New")) new_deck(editor);
    ImGui::TextDisabled("%s%s", editor.path.empty() ? "not saved yet" : editor.path.c_str(), editor.unsaved ? "  (unsaved changes)" : "");
    if (!editor.message.empty()) {
        ImGui::PushTextWrapPos(0);
        if (editor.message_is_error) ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", editor.message.c_str());
        else ImGui::TextDisabled("%s", editor.message.c_str());
        ImGui::PopTextWrapPos();
    }
}

/// What a slide shows, in a few words: "seed-dilated, receptive-field, steps 0:12".
std::string slide_summary(const SlideDraft& s) {
    std::string what = !s.preset.empty() ? s.preset : !s.session_file.empty() ? std::filesystem::path(s.session_file).filename().string()
                                                                               : std::string("its own session");
    what += std::string(", ") + slide_view_name(s.view);
    if (s.first_step || s.last_step)
        what += ", steps " + (s.first_step ? std::to_string(*s.first_step) : "") + ":" + (s.last_step ? std::to_string(*s.last_step) : "");
    if (!s.image.empty()) what += ", picture " + std::filesystem::path(s.image).filename().string();
    return what;
}

/// The next checkbox beside the last item where it fits (not at a projector's text size).
void beside_if_fits(const char* next_label) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float next = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(next_label).x;
    if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + next <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine();
}

/// Whether question choice `choice` (the list's index) asks for the output's shape.
bool asks_shape(int choice) {
    const std::optional<Question> q = question_choice(choice);
    return q && q->kind == QuestionKind::OutputShape;
}

void hide_checkboxes(bool& output, bool& shape) {
    // Hiding the shape hides the output: unticking the output shows both again.
    if (ImGui::Checkbox("hide the output", &output) && !output) shape = false;
    beside_if_fits("hide its shape too");
    ImGui::Checkbox("hide its shape too", &shape);
    if (shape) output = true;
}

void add_form(AppState& state, DeckEditor& editor) {
    if (!ImGui::CollapsingHeader("A new slide of the view on screen", ImGuiTreeNodeFlags_DefaultOpen)) return;
    ImGui::PushID("new");
    const ViewCapture view = capture_view(state);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("captures: %s", slide_summary(capture_slide(view)).c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetNextItemWidth(-label_room());
    ImGui::InputTextWithHint("title", "the slide's title", &editor.new_title);
    ImGui::InputTextMultiline("notes", &editor.new_notes, ImVec2(-label_room(), ImGui::GetTextLineHeight() * 3));
    ImGui::SetNextItemWidth(-label_room());
    if (ImGui::Combo("question", &editor.new_question, kQuestionChoices, int(std::size(kQuestionChoices))) && asks_shape(editor.new_question))
        state.canvas_hide.output = state.canvas_hide.shape = true;  // its page hides the size: the canvas shows it so
    // The canvas's own hide (its "output shown" list): ticked here, the canvas shows it.
    hide_checkboxes(state.canvas_hide.output, state.canvas_hide.shape);
    if (ImGui::Button("Add this view as a slide")) add_view_as_slide(state);
    ImGui::PopID();
}

/// One row of the list: the title (click opens it; drag onto another row moves it) and
/// the up, down and delete buttons. Returns false when the list changed under it.
bool slide_row(AppState& state, DeckEditor& editor, std::size_t i) {
    const std::size_t n = editor.deck.slides.size();
    const SlideDraft& s = editor.deck.slides[i];
    ImGui::PushID(int(i));
    const float buttons = ImGui::GetFrameHeight() * 3 + ImGui::GetStyle().ItemSpacing.x * 3;
    const std::string label = std::to_string(i + 1) + ". " + (s.title.empty() ? "(untitled)" : s.title) + (s.question ? "  (question)" : "");
    bool changed = false;
    if (ImGui::Selectable(label.c_str(), editor.selected == i, 0, ImVec2(ImGui::GetContentRegionAvail().x - buttons, 0)))
        open_slide_in_app(state, i);
    if (ImGui::IsItemHovered() && !ImGui::IsMouseDragging(0)) ImGui::SetTooltip("%s", slide_summary(s).c_str());
    if (ImGui::BeginDragDropSource()) {
        ImGui::SetDragDropPayload("convscope-slide", &i, sizeof i);
        ImGui::Text("move %s", label.c_str());
        ImGui::EndDragDropSource();
    }
    if (ImGui::BeginDragDropTarget()) {
        if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload("convscope-slide")) {
            move_selected(editor, *static_cast<const std::size_t*>(p->Data), i);
            changed = true;
        }
        ImGui::EndDragDropTarget();
    }
    ImGui::SameLine();
    if (ImGui::ArrowButton("up", ImGuiDir_Up) && !changed && i > 0) {
        move_selected(editor, i, i - 1);
        changed = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("move up");
    ImGui::SameLine();
    if (ImGui::ArrowButton("down", ImGuiDir_Down) && !changed && i + 1 < n) {
        move_selected(editor, i, i + 1);
        changed = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("move down");
    ImGui::SameLine();
    if (ImGui::Button("x", ImVec2(ImGui::GetFrameHeight(), 0)) && !changed) {
        delete_at(editor, i);
        changed = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("delete this slide");
    ImGui::PopID();
    return !changed;
}

/// The selected slide's steps (end them at the step on screen) and the output cell its
/// rf_size or cells_read question asks about.
void steps_and_cell(AppState& state, DeckEditor& editor, std::size_t index) {
    const SlideDraft& s = editor.deck.slides[index];
    if (s.view != SlideView::Lab && s.view != SlideView::DilationContext && s.view != SlideView::ReceptiveField) {
        // Steps count from 0 in a deck; the timeline says "frame 2 of 4" for step 1.
        const std::string label = "End its steps at the frame on screen (steps 0:" + std::to_string(state.session.frame) + ")";
        if (ImGui::Button(label.c_str())) end_steps_at(editor, index, state.session.frame);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("The slide plays steps 0 to the step the canvas shows now (step there with the timeline or the arrow keys); "
                              "its still is that step");
    }
    if (s.question && (s.question->kind == QuestionKind::CellsRead || s.question->kind == QuestionKind::RfSize)) {
        int cell[2] = {-1, -1};
        if (s.question->cell) cell[0] = int((*s.question->cell)[0]), cell[1] = int((*s.question->cell)[1]);
        ImGui::SetNextItemWidth(-label_room());
        if (ImGui::InputInt2("cell (row, col)", cell, ImGuiInputTextFlags_EnterReturnsTrue))
            set_question_cell(editor, index,
                              cell[0] < 0 && cell[1] < 0 ? std::nullopt
                                                         : std::optional<std::array<std::int64_t, 2>>({std::int64_t(cell[0]), std::int64_t(cell[1])}));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("The output cell the question asks about (-1, -1: the middle of the output); Enter applies it");
    }
}

void selected_slide(AppState& state, DeckEditor& editor) {
    if (!editor.selected || *editor.selected >= editor.deck.slides.size()) return;
    SlideDraft& s = editor.deck.slides[*editor.selected];
    ImGui::Separator();
    ImGui::Text("Slide %zu", *editor.selected + 1);
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("(%s)", slide_summary(s).c_str());
    ImGui::PopTextWrapPos();
    bool edited = false;
    ImGui::PushID("selected");
    ImGui::SetNextItemWidth(-label_room());
    edited |= ImGui::InputText("title", &s.title);
    edited |= ImGui::InputTextMultiline("notes", &s.notes, ImVec2(-label_room(), ImGui::GetTextLineHeight() * 4));
    int choice = question_choice_of(s.question);
    ImGui::SetNextItemWidth(-label_room());
    if (ImGui::Combo("question", &choice, kQuestionChoices, int(std::size(kQuestionChoices)))) {
        s.question = question_choice(choice);
        if (asks_shape(choice)) s.hide.output = s.hide.shape = true;  // its page hides the size
        state.canvas_hide = s.hide;
        edited = true;
    }
    bool output = s.hide.output, shape = s.hide.shape;
    hide_checkboxes(output, shape);
    if (output != s.hide.output || shape != s.hide.shape) {
        s.hide.output = output;
        s.hide.shape = shape;
        state.canvas_hide = s.hide;  // the selected slide is the one on the canvas: it shows the change
        edited = true;
    }
    steps_and_cell(state, editor, *editor.selected);
    ImGui::PopID();
    if (edited) editor.unsaved = true;
}

}  // namespace

void draw_deck_panel(AppState& state) {
    DeckEditor& editor = state.deck_editor;
    poll_deck_chooser(editor);
    if (!editor.show) return;
    // Docked on its tile (the right column, layout.cpp), like the other panels: it never
    // covers the canvas; its close button closes it and the canvas takes the room back.
    if (!ImGui::Begin("Deck", &editor.show, kTiledPanelFlags)) {
        ImGui::End();
        return;
    }
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) state.typing_panel_focused = true;  // shortcuts wait
    file_buttons(state, editor);
    ImGui::Separator();
    add_form(state, editor);
    ImGui::Separator();
    ImGui::Text("Slides (%zu)", editor.deck.slides.size());
    if (editor.deck.slides.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("none yet: show a view, then \"Add this view as a slide\"");
        ImGui::PopTextWrapPos();
    }
    for (std::size_t i = 0; i < editor.deck.slides.size(); ++i)
        if (!slide_row(state, editor, i)) break;
    selected_slide(state, editor);
    ImGui::End();
}

}  // namespace convscope::gui
