// The PyTorch side: the configuration as code (copyable), and code pasted back in.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/gui/panels.hpp"
#include "core/pycode.hpp"
#include "core/shape.hpp"

namespace convscope::gui {

void draw_code_panel(AppState& state) {
    ImGui::Begin("PyTorch", nullptr, kTiledPanelFlags);
    ImGui::InputTextMultiline("##code", &state.code_text, ImVec2(-1, ImGui::GetTextLineHeight() * 6));
    if (ImGui::Button("Apply code")) {
        try {
            Session s = state.session;
            s.layers = parse_pytorch_code(state.code_text);
            s.layer_index = 0;
            s.frame = 0;
            // Keep the input's spatial size; take the channels the first layer expects.
            if (s.layers.front().is_conv()) s.input_shape[1] = s.layers.front().in_channels;
            const std::string text = state.code_text;
            set_session(state, std::move(s));
            state.code_text = text;  // keep what the user typed (comments, spacing)
        } catch (const CodeError& e) {
            state.code_error = e.what();
        }
    }
    ImGui::SameLine();
    if (ImGui::Button("Copy")) ImGui::SetClipboardText(to_pytorch_code(state.session.layers).c_str());
    if (!state.code_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 80, 80, 255));
        ImGui::TextWrapped("error: %s", state.code_error.c_str());
        ImGui::PopStyleColor();
    }
    if (state.animation) {
        const LayerGeometry& g = state.animation->engine().geometry();
        ImGui::Text("print(y.shape)  ->  %s",
                    torch_size_text({g.batch, g.out_channels, g.h().out, g.w().out}).c_str());
    }
    ImGui::End();
}

}  // namespace convscope::gui
