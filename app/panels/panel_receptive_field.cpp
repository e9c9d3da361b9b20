// Receptive field: for the output cell under the mouse (or clicked) on the canvas, the
// exact path-count map on the input and on every intermediate layer, the theoretical
// size / stride / padding per layer, a chart of its growth through the whole stack,
// gridding holes and transposed-convolution overlaps, and optionally a second preset
// side by side with the same cell.
#include <cfloat>
#include <cmath>
#include <set>
#include <cstdio>

#include <imgui.h>

#include "app/render/draw_scene.hpp"
#include "app/panels/panels.hpp"
#include "core/scene/overlap_map.hpp"
#include "core/base/errors.hpp"
#include "core/anim/presets.hpp"
#include "core/anim/stack_edit.hpp"

namespace convscope::gui {

namespace {

std::string boundary_name(const std::vector<Layer>& layers, std::size_t b) {
    if (b == 0) return "input";
    return "after layer " + std::to_string(b - 1) + " (" + class_name(layers[b - 1].kind) + ")";
}

/// One field: the maps at every boundary up to the layer's input, and the summary.
void draw_field(const RfCache& rf, const Session& session, render::HeatmapRenderer* heatmaps, bool holes, float width) {
    if (!rf.error.empty()) {
        ImGui::TextColored(ImVec4(0.9f, 0.25f, 0.25f, 1), "error: %s", rf.error.c_str());
        return;
    }
    if (!rf.result) return;
    const RfResult& r = *rf.result;
    const std::size_t layers = r.summary.size();
    const RfSummary& s = r.summary.back();
    ImGui::TextWrapped("output (%lld, %lld) of layer %zu sees %gx%g input cells", (long long)rf.row, (long long)rf.col, layers - 1,
                s.rf_size[0], s.rf_size[1]);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("stride %gx%g, padding %gx%g (Araujo et al.); colour = paths from each cell (log scale)",
                       s.effective_stride[0], s.effective_stride[1], s.effective_padding[0], s.effective_padding[1]);
    ImGui::PopStyleColor();
    if (holes) {
        const GriddingHoles g = gridding_holes(r);
        if (g.holes > 0) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.2f, 0.2f, 1));
            ImGui::TextWrapped("gridding: %lld of the %lld cells in its box are never read (red)", (long long)g.holes,
                               (long long)g.box_cells);
            ImGui::PopStyleColor();
        }
    }
    for (std::size_t b = 0; b < layers; ++b) {  // boundary `layers` is the single output cell itself
        const std::int64_t rows = r.paths[0][b].size, cols = r.paths[1][b].size;
        const float cell = std::clamp(std::floor(width / float(cols)), 1.0f, 14.0f);
        ImGui::Text("%s, %lldx%lld", boundary_name(session.layers, b).c_str(), (long long)rows, (long long)cols);
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const SceneHeatmap map = rf_heatmap(r, b, 0, 0, cell, session.dark, holes && b == 0);
        draw_heatmap(ImGui::GetWindowDrawList(), map, origin, heatmaps);
        ImGui::Dummy(ImVec2(cell * float(cols), cell * float(rows)));
        if (ImGui::IsItemHovered()) {
            const ImVec2 m = ImGui::GetMousePos();
            const std::int64_t y = std::int64_t((m.y - origin.y) / cell), x = std::int64_t((m.x - origin.x) / cell);
            const PathCount pc = r.count(y, x, b);
            ImGui::SetTooltip("cell (%lld, %lld): %.15g paths to the output cell", (long long)y, (long long)x, pc.approx);
        }
    }
    // Stretched columns with short headers: the table fits a compared column too.
    if (ImGui::BeginTable("per layer", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("layer", ImGuiTableColumnFlags_None, 1.3f);
        ImGui::TableSetupColumn("field");
        ImGui::TableSetupColumn("stride");
        ImGui::TableSetupColumn("padding");
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < layers; ++i) {
            const RfSummary& L = r.summary[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%zu %s", i, class_name(session.layers[i].kind));
            ImGui::TableNextColumn();
            ImGui::Text("%g x %g", L.rf_size[0], L.rf_size[1]);
            ImGui::TableNextColumn();
            ImGui::Text("%g x %g", L.effective_stride[0], L.effective_stride[1]);
            ImGui::TableNextColumn();
            ImGui::Text("%g x %g", L.effective_padding[0], L.effective_padding[1]);
        }
        ImGui::EndTable();
    }
}

/// How the field grows through the whole stack (rows axis), as a small chart.
void growth_chart(const Session& session) {
    try {
        const auto geo = resolve_stack(session.layers, session.input_shape[2], session.input_shape[3]);
        const auto summary = receptive_field_summary(session.layers, geo);
        std::vector<float> sizes;
        for (const RfSummary& s : summary) sizes.push_back(float(s.rf_size[0]));
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, "field after %zu layer%s: %g", sizes.size(), sizes.size() == 1 ? "" : "s", double(sizes.back()));
        ImGui::PlotHistogram("##growth", sizes.data(), int(sizes.size()), 0, overlay, 0.0f, sizes.back() * 1.1f,
                             ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 4));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Receptive field size (rows) after each layer of the stack");
    } catch (const UserError& e) {
        ImGui::TextColored(ImVec4(0.9f, 0.25f, 0.25f, 1), "error: %s", e.what());
    }
}

/// Transposed layer: how many taps land on each of its output cells (uneven = checkerboard).
void overlap_map(const Session& session, render::HeatmapRenderer* heatmaps, float width) {
    const Layer& L = session.layers[std::size_t(session.layer_index)];
    if (L.kind != LayerKind::ConvTranspose2d) return;
    try {
        const OverlapMap overlap = convscope::overlap_map(session, session.layer_index, 1.0f);
        SceneHeatmap map = overlap.map;  // sized to the panel below
        map.cell = std::clamp(std::floor(width / float(map.cols)), 1.0f, 28.0f);
        const OverlapSummary& o = overlap.summary;
        ImGui::TextWrapped("overlap of layer %lld: %lld to %lld taps per output cell; inside, %lld to %lld: %s",
                           (long long)session.layer_index, (long long)o.min, (long long)o.max, (long long)o.interior_min,
                           (long long)o.interior_max, o.checkerboard() ? "uneven, the checkerboard" : "even, no checkerboard");
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        ImDrawList* list = ImGui::GetWindowDrawList();
        draw_heatmap(list, map, origin, heatmaps);
        if (map.cell >= 18) {  // the counts themselves, in black or white against the cell
            const float size = std::min(16.0f, map.cell * 0.6f);
            for (std::int64_t y = 0; y < map.rows; ++y)
                for (std::int64_t x = 0; x < map.cols; ++x) {
                    const std::string n = std::to_string(std::int64_t(map.values[std::size_t(y * map.cols + x)]));
                    ImFont* font = scene_font(size);
                    const ImVec2 t = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, n.c_str());
                    const Color c = map.cell_color(y, x);
                    const bool light = 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b > 0.45f;
                    list->AddText(font, font->FontSize,
                                  ImVec2(origin.x + (float(x) + 0.5f) * map.cell - t.x / 2, origin.y + (float(y) + 0.5f) * map.cell - t.y / 2),
                                  light ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255), n.c_str());
                }
        }
        ImGui::Dummy(ImVec2(map.cell * float(map.cols), map.cell * float(map.rows)));
        // Legend: one swatch per count that occurs (k3 s2: 1, 2 and 4, never 3).
        ImGui::TextUnformatted("taps per cell:");
        const std::set<std::int64_t> occurring(map.values.begin(), map.values.end());
        for (std::int64_t n : occurring) {
            ImGui::SameLine();
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float h = ImGui::GetTextLineHeight();
            const Color c = viridis(map.t(float(n)));
            list->AddRectFilled(p, ImVec2(p.x + h, p.y + h), IM_COL32(int(c.r * 255), int(c.g * 255), int(c.b * 255), 255));
            ImGui::Dummy(ImVec2(h, h));
            ImGui::SameLine(0, 4);
            ImGui::Text("%lld", (long long)n);
        }
    } catch (const UserError&) {
        // the configuration error is already shown by the parameters panel
    }
}

}  // namespace

const RfCache& receptive_field(RfCache& cache, std::uint64_t generation, const std::string& preset, const Session& session,
                               std::int64_t layer, std::int64_t row, std::int64_t col) {
    if (cache.generation == generation && cache.preset == preset && cache.layer == layer && cache.row == row && cache.col == col)
        return cache;
    cache.generation = generation;
    cache.preset = preset;
    cache.layer = layer;
    cache.row = row;
    cache.col = col;
    cache.result.reset();
    cache.error.clear();
    try {
        cache.result = compute_receptive_field(session_rf_stack(session, layer, row, col));
    } catch (const UserError& e) {
        cache.error = e.what();
    }
    return cache;
}

void draw_receptive_field_panel(AppState& state, render::HeatmapRenderer* heatmaps) {
    if (!state.show_receptive_field) return;
    // Placed on its tile by run_app (layout.cpp): a column beside the canvas, never over it.
    if (!ImGui::Begin("Receptive field", &state.show_receptive_field, kTiledPanelFlags)) {
        ImGui::End();
        return;
    }
    Session& s = state.session;
    ImGui::Checkbox("gridding holes", &state.rf_show_holes);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Cells inside the field's box that no path reaches: stacked equal dilations skip them");
    ImGui::SameLine();
    ImGui::Checkbox("transposed overlap", &state.rf_show_overlap);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("For a transposed layer: how many kernel taps land on each output cell");
    if (ImGui::BeginCombo("side by side", state.rf_compare_preset.empty() ? "(none)" : state.rf_compare_preset.c_str())) {
        if (ImGui::Selectable("(none)", state.rf_compare_preset.empty())) state.rf_compare_preset.clear();
        for (const Preset& p : builtin_presets())
            if (ImGui::Selectable(p.name.c_str(), p.name == state.rf_compare_preset)) state.rf_compare_preset = p.name;
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show a second configuration's field for the same cell (gridding vs hybrid-dilation, ...)");
    growth_chart(s);

    const auto cell = state.rf_hover ? state.rf_hover : state.rf_selected;
    if (!cell) ImGui::TextWrapped("Hover over an output cell on the canvas to see its receptive field; click to keep it.");
    const bool compare = !state.rf_compare_preset.empty();
    const float width = ImGui::GetContentRegionAvail().x / (compare ? 2.0f : 1.0f) - ImGui::GetStyle().ItemSpacing.x;
    // One configuration: the field of the cell (if one is pointed at) and its overlap map.
    auto column = [&](const Session& session, RfCache& cache, std::uint64_t generation, const std::string& key) {
        if (cell)
            draw_field(receptive_field(cache, generation, key, session, session.layer_index, (*cell)[0], (*cell)[1]), session,
                       heatmaps, state.rf_show_holes, width);
        if (state.rf_show_overlap) overlap_map(session, heatmaps, width);
    };
    if (compare) {
        // Two child windows side by side, not a table: a table merges its columns' draw
        // channels, and the heat maps' GL callbacks must stay in order with ImGui's
        // state reset after them (inside a table, llvmpipe crashed on the merged list).
        ImGui::BeginChild("this configuration", ImVec2(width, 0));
        ImGui::TextUnformatted(s.preset.empty() ? "this session" : s.preset.c_str());
        column(s, state.rf_cache, state.generation, "");
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("compared configuration", ImVec2(width, 0));
        ImGui::TextUnformatted(state.rf_compare_preset.c_str());
        try {
            Session other = session_from_preset(state.rf_compare_preset);
            other.layer_index = std::min<std::int64_t>(s.layer_index, std::int64_t(other.layers.size()) - 1);  // the same depth
            column(other, state.rf_compare_cache, 0, state.rf_compare_preset);
        } catch (const UserError& e) {
            ImGui::TextColored(ImVec4(0.9f, 0.25f, 0.25f, 1), "error: %s", e.what());
        }
        ImGui::EndChild();
    } else {
        column(s, state.rf_cache, state.generation, "");
    }
    ImGui::End();
}

}  // namespace convscope::gui
