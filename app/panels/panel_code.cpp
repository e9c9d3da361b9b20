// The PyTorch side: the configuration as code (copyable), code pasted back in, and
// what the course's notebook prints for it: the shape after each layer, then the
// model's output shape.
#include <algorithm>
#include <cstring>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/render/draw_scene.hpp"
#include "app/panels/panels.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/shape.hpp"
#include "core/anim/stack_edit.hpp"

namespace convscope::gui {

namespace {

std::vector<std::int64_t> as_vector(const std::array<std::int64_t, 4>& a) { return {a.begin(), a.end()}; }

/// The shapes of the configuration on the canvas (the last valid one), as print() shows them.
void print_shapes(const AppState& state) {
    const Session& s = state.drawn;
    std::vector<std::array<std::int64_t, 4>> shapes;
    try {
        shapes = stack_output_shapes(s.layers, s.input_shape);
    } catch (const UserError&) {
        return;  // cannot happen for a drawn configuration; nothing wrong is printed
    }
    if (shapes.empty()) return;
    const auto& in = s.input_shape;
    ImGui::TextDisabled("x = torch.randn(%lld, %lld, %lld, %lld)", (long long)in[0], (long long)in[1], (long long)in[2],
                        (long long)in[3]);
    if (shapes.size() > 1) {
        // for layer in model: x = layer(x); print(x.shape)
        if (ImGui::BeginTable("shapes", 2, ImGuiTableFlags_SizingFixedFit)) {
            for (std::size_t i = 0; i < shapes.size(); ++i) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                const bool animated = std::int64_t(i) == s.layer_index;
                ImGui::Text("%s(%zu) %s", animated ? ">" : " ", i, class_name(s.layers[i].kind));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(torch_size_text(as_vector(shapes[i])).c_str());
            }
            ImGui::EndTable();
        }
    }
    ImGui::Text("print(%s(x).shape)  ->  %s", shapes.size() > 1 ? "model" : "layer", torch_size_text(as_vector(shapes.back())).c_str());
}

}  // namespace

void draw_code_panel(AppState& state) {
    ImGui::Begin("PyTorch", nullptr, kTiledPanelFlags);
    // The code on the left, what print() shows for it on the right: both in view at once.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float below = ImGui::GetFrameHeightWithSpacing() + (state.code_error.empty() ? 0.0f : ImGui::GetTextLineHeightWithSpacing() * 2);
    const float height = std::max(ImGui::GetTextLineHeight() * 3, ImGui::GetContentRegionAvail().y - below - style.ItemSpacing.y);
    // The printout keeps its natural width (its longest line), the code takes the rest.
    const float printout = ImGui::CalcTextSize("print(model(x).shape)  ->  torch.Size([1, 512, 1024, 1024])").x;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float code_width = std::max(avail * 0.4f, avail - printout - style.ItemSpacing.x);
    // The field does not wrap (ImGui 1.86): the generated code, while not edited, is
    // split as black would to lines as narrow as the field, so no argument is cut off.
    const float text_width = code_width - 2 * style.FramePadding.x - style.ScrollbarSize;
    // Code is monospaced (continuation lines line up under the bracket): columns = width / advance.
    ImGui::PushFont(code_font());
    const std::size_t columns = std::size_t(std::max(20.0f, text_width / ImGui::CalcTextSize("M").x));
    // (Whether the panel has focus does not matter: text the user edited is never re-split,
    // and at launch the last panel created, this one, has the focus.)
    set_code_columns(state, columns);
    ImGui::InputTextMultiline("##code", &state.code_text, ImVec2(code_width, height));
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::BeginGroup();
    if (state.animation) print_shapes(state);
    ImGui::EndGroup();
    if (ImGui::Button("Apply code")) apply_code(state, state.code_text);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Replace the stack with this code (one layer or an nn.Sequential); code that is refused changes nothing");
    ImGui::SameLine();
    if (ImGui::Button("Copy")) ImGui::SetClipboardText(to_pytorch_code(state.session.layers).c_str());
    if (!state.code_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(230, 50, 50, 255));
        ImGui::TextWrapped("error: %s", state.code_error.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace convscope::gui
