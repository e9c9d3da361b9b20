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
/// What print(x.shape) shows after layer `i`; "?" for the height and width the canvas
/// leaves to work out (its output and size hidden), from the animated layer on.
std::string shape_text(const AppState& state, const std::vector<std::array<std::int64_t, 4>>& shapes, std::size_t i) {
    const std::array<std::int64_t, 4>& shape = shapes[i];
    if (!state.canvas_hide.shape || std::int64_t(i) < state.drawn.layer_index) return torch_size_text(as_vector(shape));
    return "torch.Size([" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ", ?, ?])";
}

void print_shapes(const AppState& state) {
    const Session& s = state.drawn;
    std::vector<std::array<std::int64_t, 4>> shapes;
    try {
        shapes = stack_output_shapes(s.layers, s.input_shape);
    } catch (const UserError&) {
        return;  // cannot happen for a drawn configuration; nothing wrong is printed
    }
    if (shapes.empty()) return;
    // Where the input comes from: a picture file is loaded by name, a pattern made.
    for (const std::string& line : input_code(s)) ImGui::TextDisabled("%s", line.c_str());
    if (shapes.size() > 1) {
        // for layer in model: x = layer(x); print(x.shape)
        if (ImGui::BeginTable("shapes", 2, ImGuiTableFlags_SizingFixedFit)) {
            for (std::size_t i = 0; i < shapes.size(); ++i) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                const bool animated = std::int64_t(i) == s.layer_index;
                ImGui::Text("%s(%zu) %s", animated ? ">" : " ", i, class_name(s.layers[i].kind));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(shape_text(state, shapes, i).c_str());
            }
            ImGui::EndTable();
        }
    }
    ImGui::Text("print(%s(x).shape)  ->  %s", shapes.size() > 1 ? "model" : "layer", shape_text(state, shapes, shapes.size() - 1).c_str());
}

/// A red underline under the character the code error points at, in the field just
/// drawn (the field is sized to show every line; a line scrolled out of it is not marked).
void mark_error_column(const AppState& state) {
    const auto at = line_and_column(state.code_text, state.code_error_offset);
    std::size_t start = 0;
    for (std::size_t l = 1; l < at[0]; ++l) start = state.code_text.find('\n', start) + 1;
    if (start > state.code_text.size()) return;  // the text changed since: nothing to point at
    const std::string before = state.code_text.substr(start, at[1] - 1);
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 field_min = ImGui::GetItemRectMin(), field_max = ImGui::GetItemRectMax();
    const float x = field_min.x + style.FramePadding.x + ImGui::CalcTextSize(before.c_str()).x;
    const float y = field_min.y + style.FramePadding.y + ImGui::GetTextLineHeight() * float(at[0]) + 1;
    if (y + 2 > field_max.y || x > field_max.x) return;
    const float w = ImGui::CalcTextSize("M").x;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + 2), IM_COL32(230, 50, 50, 255));
}

}  // namespace

void draw_code_panel(AppState& state) {
    ImGui::Begin("PyTorch", nullptr, kTiledPanelFlags);
    // The code on the left, what print() shows for it on the right: both in view at once.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float below = ImGui::GetFrameHeightWithSpacing() +
                        (state.code_error.empty() ? 0.0f : ImGui::GetTextLineHeightWithSpacing() * (state.code_error_offset > 0 ? 4.0f : 2.0f));
    const float height = std::max(ImGui::GetTextLineHeight() * 3, ImGui::GetContentRegionAvail().y - below - style.ItemSpacing.y);
    // The printout keeps its natural width (its longest line), the code takes the rest.
    // (The lines that load a picture file are as wide as its path: at most 60 % of the panel.)
    const float avail = ImGui::GetContentRegionAvail().x;
    float printout = ImGui::CalcTextSize("print(model(x).shape)  ->  torch.Size([1, 512, 1024, 1024])").x;
    for (const std::string& line : input_code(state.drawn)) printout = std::max(printout, ImGui::CalcTextSize(line.c_str()).x);
    printout = std::min(printout, avail * 0.6f);
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
    if (state.code_error_offset > 0) mark_error_column(state);
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
        if (state.code_error_offset > 0) {
            // The line the error is on, and a caret under its column (as Python prints it).
            const auto at = line_and_column(state.code_text, state.code_error_offset);
            std::size_t start = 0;
            for (std::size_t l = 1; l < at[0]; ++l) start = state.code_text.find('\n', start) + 1;
            const std::string line = state.code_text.substr(start, state.code_text.find('\n', start) - start);
            ImGui::PushFont(code_font());
            ImGui::TextUnformatted(line.c_str());
            ImGui::TextUnformatted((std::string(at[1] - 1, ' ') + "^").c_str());
            ImGui::PopFont();
        }
        ImGui::TextWrapped("error: %s", state.code_error.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace convscope::gui
