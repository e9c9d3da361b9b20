// Timeline: play, pause, step, scrub, speed, loop, granularity; keyboard shortcuts
// (listed in the help window, panel_help.cpp).
#include <algorithm>
#include <climits>

#include <imgui.h>

#include "app/panels/panels.hpp"

namespace convscope::gui {

void handle_shortcuts(AppState& state) {
    // Not while a field takes the text, nor while a panel one types into has the focus
    // (last frame's: the panels are drawn after this); a click on the canvas gives it back.
    const bool typing_panel = state.typing_panel_focused;
    state.typing_panel_focused = false;
    if (ImGui::GetIO().WantTextInput || typing_panel) return;
    const std::int64_t last = last_frame(state);
    // ImGui 1.86: named keys go through the backend's key map.
    auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
    if (pressed(ImGuiKey_Space)) state.playing = !state.playing;
    if (pressed(ImGuiKey_RightArrow)) { state.playing = false; state.session.frame = std::min(last, state.session.frame + 1); }
    if (pressed(ImGuiKey_LeftArrow)) { state.playing = false; state.session.frame = std::max<std::int64_t>(0, state.session.frame - 1); }
    if (pressed(ImGuiKey_Home)) state.session.frame = 0;
    if (pressed(ImGuiKey_End)) state.session.frame = last;
    for (ImWchar c : ImGui::GetIO().InputQueueCharacters)
        if (c == '?' || c == 'h') state.show_help = !state.show_help;
        else if (c == 'r') state.show_receptive_field = !state.show_receptive_field;
        else if (c == 'm') state.show_matrix = !state.show_matrix;
        else if (c == 'c') state.channels.enabled = !state.channels.enabled;
}

void draw_timeline_panel(AppState& state) {
    ImGui::Begin("Timeline", nullptr, kTiledPanelFlags);
    // The labels whole at any text size ("granularity" was clipped at 150 %).
    ImGui::PushItemWidth(-(ImGui::CalcTextSize("granularity").x + ImGui::GetStyle().ItemInnerSpacing.x + 2));
    if (state.lab || state.context_view) {  // no animation of a layer to play: the lab trains on its own clock
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", state.lab ? "The lab trains on its own clock (Train/Pause above its charts)." : "A still figure: nothing to play.");
        ImGui::PopStyleColor();
        ImGui::PopItemWidth();
        ImGui::End();
        return;
    }
    const std::int64_t last = last_frame(state);
    if (ImGui::Button(state.playing ? "Pause" : "Play")) state.playing = !state.playing;
    ImGui::SameLine();
    if (ImGui::Button("<")) state.session.frame = std::max<std::int64_t>(0, state.session.frame - 1);
    ImGui::SameLine();
    if (ImGui::Button(">")) state.session.frame = std::min(last, state.session.frame + 1);
    ImGui::SameLine();
    ImGui::Checkbox("loop", &state.loop);
    // Counted from 1 like the "frame N of M" line below. ImGui sliders are int: a (huge)
    // tap-by-tap animation beyond 2^31 frames scrubs its start.
    const int count_int = int(std::min<std::int64_t>(last + 1, INT_MAX));
    int frame = int(std::min<std::int64_t>(state.session.frame + 1, count_int));
    if (ImGui::SliderInt("frame", &frame, 1, count_int)) state.session.frame = frame - 1;
    ImGui::SliderFloat("frames/s", &state.frames_per_second, 1.0f, 60.0f, "%.0f");
    // 0 = auto, then Granularity's values shifted by one.
    int g = state.session.granularity ? int(*state.session.granularity) + 1 : 0;
    // The cell step is one input cell stamping its kernel in a transposed layer's scatter view.
    const bool scatter = state.animation && state.animation->engine().is_scatter();
    const char* names[] = {"auto", "per tap", scatter ? "per input cell" : "per output cell", "per row", "per channel"};
    if (ImGui::Combo("granularity", &g, names, 5)) {
        state.session.granularity = g == 0 ? std::nullopt : std::optional<Granularity>(Granularity(g - 1));
        state.session.frame = 0;
        rebuild(state);
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("One frame per kernel tap, per output cell (input cell stamping its kernel when scattering), per row "
                          "of cells, or per output channel; auto steps one cell at a time under about 300 frames, else one row");
    if (state.animation)
        ImGui::TextDisabled("now: %s", granularity_name(state.animation->timeline().granularity));
    ImGui::Text("frame %lld of %lld", static_cast<long long>(state.session.frame + 1), static_cast<long long>(last + 1));
    ImGui::TextDisabled("space play/pause, arrows step, Home/End jump, ? help");
    ImGui::PopItemWidth();
    ImGui::End();
}

}  // namespace convscope::gui
