// Help (? or h, View > Help): where to start, what each view shows, and every shortcut,
// in two tables so the columns line up at any text size.
#include <imgui.h>

#include "app/panels/panels.hpp"

namespace convscope::gui {

namespace {

struct Row {
    const char* name;
    const char* text;
};

constexpr Row kViews[] = {
    {"Parameters", "The preset, the layer stack (click a layer to animate it; add, remove, reorder) and every parameter "
                   "of the animated layer. A value the layer refuses shows in red under its control while the last "
                   "valid picture stays. Ctrl+click a slider to type a value."},
    {"Canvas", "The animated layer: its input (padding and inserted zeros drawn apart), the kernel's taps at this step, "
               "and the output filling in. Hover an output cell to see its receptive field; click to keep it."},
    {"Timeline", "Play, pause, step and scrub the animation; its speed; one frame per tap, cell, row or channel."},
    {"PyTorch", "The stack as PyTorch code (copy it, or edit it and Apply), the shape after each layer and the model's "
                "output shape, as print(x.shape) shows them."},
    {"Receptive field (R)", "Every input cell that reaches the chosen output cell and by how many paths, through the whole "
                            "stack; gridding holes; for a transposed layer, how many taps land on each output cell."},
    {"As a matrix (M)", "The layer as one matrix product y = C x (C^T x for a transposed layer), the current row lit."},
    {"Channels (C)", "The whole tensor: input slabs, the filter bank with its weight shape, output slabs; groups coloured. Drag turns, wheel zooms."},
    {"Deck (File > New deck)", "Build a lecture: show a view, give it a title, notes and maybe a question, Add this view as a slide; "
                               "click a slide to see it again, drag or use the arrows to reorder; Save deck writes the JSON "
                               "that `convscope present` and `export --deck` read."},
    {"Quiz (View > Quiz)", "Self-study: the output's shape or values, a receptive field's size or the cells one output cell "
                           "reads, about the figure or a fresh exercise; Check grades it and shows why on the quiz's figure."},
    {"Export (Ctrl+E)", "PNG, GIF, MP4, SVG or PDF of the picture, the same files as `convscope export` on the command line."},
};

constexpr Row kShortcuts[] = {
    {"Space", "play / pause"},
    {"Left, Right", "one step back / forward"},
    {"Home, End", "first / last frame"},
    {"R", "receptive field view"},
    {"M", "the step as a matrix product"},
    {"C", "channels: every input channel, the filter bank, every output channel"},
    {"? or H", "this help"},
    {"(the keys above)", "wait while the Deck or Quiz panel has the focus, so typing meant for a field opens no view: click the canvas first"},
    {"Ctrl+O", "open a session"},
    {"Ctrl+S", "save the session (Ctrl+Shift+S: save as)"},
    {"Ctrl+E", "export a figure or animation"},
    {"Ctrl+Q", "quit (the session is kept for next time)"},
    {"Ctrl+click", "type a value into a slider"},
    {"F5", "present a deck full screen (View > Present): PageDown/Space next, PageUp back, a number and Enter jumps, B blank, P notes and clock, Escape back here"},
};

void table(const char* id, const char* left, const char* right, const Row* rows, std::size_t count) {
    if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_RowBg))
        return;
    ImGui::TableSetupColumn(left, ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(right, ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < count; ++i) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(rows[i].name);
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", rows[i].text);
    }
    ImGui::EndTable();
}

}  // namespace

void draw_help_window(AppState& state) {
    if (!state.show_help) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 2), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 44, vp->Size.y * 0.85f), ImGuiCond_Appearing);
    if (!ImGui::Begin("Help", &state.show_help, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    if (ImGui::IsWindowFocused() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) state.show_help = false;
    ImGui::TextWrapped("Start with the course's three seeds (Parameters > preset): seed-dilated (a dilated 3x3 "
                       "convolution on 64x64), seed-upconv (a transposed convolution doubling 32x32 to 64x64) and "
                       "seed-combined (the two in a row). The arith-* presets are the figures of Dumoulin & Visin's "
                       "convolution-arithmetic guide.");
    ImGui::Spacing();
    table("views", "View", "What it shows", kViews, std::size(kViews));
    ImGui::Spacing();
    table("shortcuts", "Key", "Does", kShortcuts, std::size(kShortcuts));
    ImGui::Spacing();
    ImGui::TextDisabled("Escape or ? closes this window. View > Text size enlarges everything for a projector.");
    ImGui::End();
}

}  // namespace convscope::gui
