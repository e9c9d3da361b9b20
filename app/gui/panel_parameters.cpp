// Parameters: preset, which layer, every geometric parameter as a slider.
#include <imgui.h>

#include "app/gui/panels.hpp"
#include "core/presets.hpp"
#include "core/pycode.hpp"

namespace convscope::gui {

namespace {

/// A slider over one int64 (ImGui works in int). Returns true when it changed.
bool slider(const char* label, std::int64_t& value, int lo, int hi, const char* tooltip) {
    int v = int(value);
    const bool changed = ImGui::SliderInt(label, &v, lo, hi);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tooltip);
    if (changed) value = v;
    return changed;
}

bool pair_slider(const char* label, Pair& p, int lo, int hi, const char* tooltip) {
    ImGui::PushID(label);
    bool changed = slider(label, p.h, lo, hi, tooltip);
    if (changed) p.w = p.h;  // square by default; typed pairs come from the code panel
    ImGui::PopID();
    return changed;
}

}  // namespace

void draw_parameters_panel(AppState& state) {
    ImGui::Begin("Parameters");
    if (ImGui::BeginCombo("preset", state.preset_name.c_str())) {
        for (const Preset& p : builtin_presets()) {
            if (ImGui::Selectable(p.name.c_str(), p.name == state.preset_name)) load_preset(state, p.name);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", p.title.c_str());
        }
        ImGui::EndCombo();
    }
    bool changed = false;
    if (state.layers.size() > 1) {
        int idx = state.layer_index;
        if (ImGui::SliderInt("layer", &idx, 0, int(state.layers.size()) - 1)) {
            state.layer_index = idx;
            changed = true;
        }
    }
    ImGui::Separator();
    Layer& L = state.layers[std::size_t(state.layer_index)];
    auto& s = state.input_shape;
    if (state.layer_index == 0) {
        changed |= slider("input H", s[2], 1, 128, "Height of the input feature map");
        changed |= slider("input W", s[3], 1, 128, "Width of the input feature map");
    }
    const bool transposed = L.kind == LayerKind::ConvTranspose2d;
    changed |= pair_slider("kernel", L.kernel, 1, 7, "Kernel size k: how many taps per axis");
    changed |= pair_slider("stride", L.stride, 1, 4, transposed ? "Stride s: input cells land s output cells apart (upsampling)"
                                                               : "Stride s: the window moves s input cells per output cell");
    if (L.padding.kind == PaddingKind::Explicit)
        changed |= pair_slider("padding", L.padding.value, 0, 6, transposed ? "Padding p crops p cells from each border of the output"
                                                                           : "Padding p adds p cells around the input");
    changed |= pair_slider("dilation", L.dilation, 1, 6, "Dilation d spreads the taps d cells apart: the kernel spans d*(k-1)+1 cells");
    if (transposed) changed |= pair_slider("output_padding", L.output_padding, 0, 3, "Extra rows/columns added at the bottom/right of the output");
    if (!transposed) {
        int mode = int(L.padding_mode);
        const char* modes[] = {"zeros", "reflect", "replicate", "circular"};
        if (ImGui::Combo("padding_mode", &mode, modes, 4)) {
            L.padding_mode = PaddingMode(mode);
            changed = true;
        }
    } else {
        int view = int(state.view);
        const char* views[] = {"scatter (stamp the kernel)", "as a convolution (zeros inserted)"};
        if (ImGui::Combo("view", &view, views, 2)) {
            state.view = TransposedView(view);
            changed = true;
        }
    }
    changed |= slider("output channel", state.out_channel, 0, int(L.out_channels) - 1, "Which output channel is computed");
    changed |= slider("input channel", state.in_channel, 0, int(L.in_channels) - 1, "Which input channel is drawn");
    int seed = int(state.seed);
    if (ImGui::InputInt("seed", &seed)) {
        state.seed = unsigned(seed);
        changed = true;
    }
    if (changed) {
        rebuild(state);
        state.code_text = to_pytorch_code(state.layers);
    }
    if (!state.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 80, 80, 255));
        ImGui::TextWrapped("error: %s", state.error.c_str());
        ImGui::PopStyleColor();
    }
    if (state.engine) {
        ImGui::Separator();
        ImGui::TextUnformatted(state.engine->geometry().h().formula.c_str());
        ImGui::TextUnformatted(state.engine->geometry().w().formula.c_str());
    }
    ImGui::End();
}

}  // namespace convscope::gui
