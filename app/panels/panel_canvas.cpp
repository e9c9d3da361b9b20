// The canvas: the frame's scene (input, kernel, output, active taps) drawn with ImGui,
// heat maps as one texture each. Wheel zooms about the mouse, a drag pans,
// and while zoomed in the view follows the step. Hovering an output cell draws its
// receptive field on the grid it reads (its box, path counts, gridding holes); a click
// keeps it (and opens the receptive-field column), a second click lets it go.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include <imgui.h>

#include "app/render/draw_scene.hpp"
#include "app/panels/panels.hpp"
#include "core/scene/scene.hpp"
#include "core/anim/stack_edit.hpp"

namespace convscope::gui {

namespace {

/// The cell of grid `g` at scene point (sx, sy), if any.
bool cell_at(const Scene::GridPlacement& g, float sx, float sy, std::int64_t& row, std::int64_t& col) {
    const float fx = (sx - g.x) / g.cell, fy = (sy - g.y) / g.cell;
    if (fx < 0 || fy < 0 || fx >= float(g.cols) || fy >= float(g.rows)) return false;
    row = std::int64_t(fy);
    col = std::int64_t(fx);
    return true;
}

/// The stack map (index into scene.stack_maps) at scene point (sx, sy), other than the
/// animated layer's output; -1 if none.
std::int64_t stack_map_at(const Scene& scene, float sx, float sy, std::int64_t& row, std::int64_t& col) {
    for (std::size_t b = 0; b < scene.stack_maps.size(); ++b) {
        const Scene::GridPlacement& g = scene.stack_maps[b];
        if (g.x == scene.output_grid.x && g.y == scene.output_grid.y) continue;
        if (cell_at(g, sx, sy, row, col)) return std::int64_t(b);
    }
    return -1;
}

/// Put the next tooltip (text `tip`) where it covers none of `grid` (a tooltip at the
/// pointer hid the map's bottom quarter, the cells one hovers next): right of the grid
/// when the canvas has room there, else above it, else below it, else at the pointer.
void place_tooltip_off_grid(const GridPlacement& grid, const CanvasView& view, const ImVec2& origin, const ImVec2& avail,
                            const char* tip) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 text = ImGui::CalcTextSize(tip);
    const float w = text.x + 2 * style.WindowPadding.x, h = text.y + 2 * style.WindowPadding.y, gap = 8;
    const float left = origin.x + view.to_x(grid.x), top = origin.y + view.to_y(grid.y);
    const float right = origin.x + view.to_x(grid.x + grid.cell * float(grid.cols));
    const float bottom = origin.y + view.to_y(grid.y + grid.cell * float(grid.rows));
    const float canvas_right = origin.x + avail.x, canvas_bottom = origin.y + avail.y;
    const float x = std::clamp(left, origin.x, std::max(origin.x, canvas_right - w));
    if (right + gap + w <= canvas_right) ImGui::SetNextWindowPos(ImVec2(right + gap, std::max(origin.y, top)));
    else if (top - gap - h >= origin.y) ImGui::SetNextWindowPos(ImVec2(x, top - gap - h));
    else if (bottom + gap + h <= canvas_bottom) ImGui::SetNextWindowPos(ImVec2(x, bottom + gap));
}

/// What an input-grid cell is: a real cell, a padding cell (and the real cell it copies
/// in reflect / replicate / circular mode), or a zero inserted by the transposed view.
void input_cell_tooltip(const StepEngine& e, std::int64_t in_channel, std::int64_t r, std::int64_t c) {
    const Tensor4& x = e.input();
    if (e.is_scatter()) {
        ImGui::SetTooltip("input (%lld, %lld) = %.6g", (long long)r, (long long)c, x(e.batch(), in_channel, r, c));
        return;
    }
    bool pad_y = false, pad_x = false, ins_y = false, ins_x = false;
    const std::int64_t sy = e.grid_source(0, r, pad_y, ins_y), sx = e.grid_source(1, c, pad_x, ins_x);
    const bool padding = pad_y || pad_x, real = sy >= 0 && sx >= 0;
    if (padding && real)
        ImGui::SetTooltip("padding cell (%lld, %lld) copies input (%lld, %lld) = %.6g (%s padding)", (long long)r, (long long)c,
                          (long long)sy, (long long)sx, x(e.batch(), in_channel, sy, sx), padding_mode_name(e.layer().padding_mode));
    else if (padding)
        ImGui::SetTooltip("padding cell (%lld, %lld) = 0", (long long)r, (long long)c);
    else if (!real)
        ImGui::SetTooltip("a zero inserted between input cells (stride %lld)", (long long)e.layer().stride.h);
    else
        ImGui::SetTooltip("input (%lld, %lld) = %.6g", (long long)sy, (long long)sx, x(e.batch(), in_channel, sy, sx));
}

/// The Quiz's cells_read question about this layer: a click on grid cell (r, c) of the
/// input gives the input cell it shows (padding and inserted zeros are no input cells).
void give_quiz_cell(AppState& state, const StepEngine& e, std::int64_t r, std::int64_t c) {
    if (e.is_scatter()) {
        toggle_quiz_cell(state.quiz, Cell{r, c});
        return;
    }
    bool pad_y = false, pad_x = false, ins_y = false, ins_x = false;
    const std::int64_t sy = e.grid_source(0, r, pad_y, ins_y), sx = e.grid_source(1, c, pad_x, ins_x);
    if (!pad_y && !pad_x && sy >= 0 && sx >= 0) toggle_quiz_cell(state.quiz, Cell{sy, sx});
}

/// Continue the toolbar on this line if an item `width` wide still fits, else on the next.
void next_item(float width) {
    const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
    if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

/// The width of a checkbox labelled `label`.
float checkbox_width(const char* label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
}

/// The canvas as an exercise: the output shown, its cells left empty, or its size left
/// out too (a slide opened from a deck sets it as the slide says).
void hide_menu(AppState& state) {
    int hide = state.canvas_hide.shape ? 2 : state.canvas_hide.output ? 1 : 0;
    const char* labels = "output shown\0output hidden\0output + size hidden\0";
    const float width = ImGui::CalcTextSize("output + size hidden").x + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
    next_item(width);
    ImGui::SetNextItemWidth(width);
    if (ImGui::Combo("##hide", &hide, labels)) {
        state.canvas_hide.output = hide >= 1;
        state.canvas_hide.shape = hide == 2;
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A figure to work out by hand: the class predicts the output's values (or its size too), "
                          "then you show them. Add this view as a slide and the slide hides the same.");
}

/// The controls over the picture (wrapping when the canvas is narrow): the style, whole
/// stack, fit, follow, the field on the grids, the zoom.
void toolbar(AppState& state) {
    CanvasView& view = state.canvas_view;
    // The combo's order is the enum's: values, schematic, perspective.
    constexpr SceneStyle kStyles[] = {SceneStyle::Values, SceneStyle::Schematic, SceneStyle::Perspective};
    int style = 0;
    for (int i = 0; i < 3; ++i)
        if (kStyles[i] == state.session.style) style = i;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::Combo("##style", &style, "values\0schematic\0perspective\0")) state.session.style = kStyles[style];
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("values: every cell in its colour, numbers where they fit; schematic: the slide style, flat planes, "
                          "the taps filled, padding dashed, inserted zeros hatched; perspective: the guide's stacked planes "
                          "seen at three quarters, the footprint joined to the cell it makes");
    if (state.session.layers.size() > 1) {
        next_item(checkbox_width("whole stack"));
        ImGui::Checkbox("whole stack", &state.canvas_whole_stack);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Every map of the stack, the animated layer framed; click a map to animate its layer");
    }
    next_item(ImGui::CalcTextSize("Fit").x + 2 * ImGui::GetStyle().FramePadding.x);
    ImGui::BeginDisabled(!view.zoomed());
    if (ImGui::SmallButton("Fit")) reset_view(view);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Show the whole picture again (wheel zooms about the mouse, drag pans; double-click also fits)");
    next_item(checkbox_width("follow the step"));
    ImGui::Checkbox("follow the step", &view.follow);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("While zoomed in, keep the cells of the current step in view (a drag turns it off)");
    next_item(checkbox_width("field on the grids"));
    ImGui::Checkbox("field on the grids", &state.rf_on_canvas);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Hovering an output cell draws its receptive field on the input: the cells it reads with the number "
                          "of paths from each, gridding holes in red");
    hide_menu(state);
    char zoom[32];
    std::snprintf(zoom, sizeof zoom, "zoom %.0f%%", double(view.zoom * 100));
    next_item(ImGui::CalcTextSize(zoom).x);
    ImGui::TextDisabled("%s", zoom);
}

/// New preset: whole picture; follow the step by default where cells are small.
void reset_for_preset(AppState& state, const Scene& scene) {
    if (state.canvas_view_preset == state.session.preset) return;
    state.canvas_view_preset = state.session.preset;
    reset_view(state.canvas_view);
    state.canvas_view.follow = scene.input_grid.cell < 12;
}

/// What the canvas draws over the scene: an outline around every map of the stack (a
/// map not computed yet is blank, and must still show where it is and how big), and the
/// field of the pointed-at output cell (if any) on the grids its layer reads.
Scene canvas_overlay(AppState& state, const Scene& scene, const std::optional<std::array<std::int64_t, 2>>& field_cell) {
    Scene overlay;
    const Session& s = state.session;
    const Color outline = s.dark ? Color{0.7f, 0.7f, 0.75f, 0.6f} : Color{0.35f, 0.35f, 0.4f, 0.6f};
    for (const Scene::GridPlacement& g : scene.stack_maps)
        overlay.rects.push_back({g.x, g.y, g.cell * float(g.cols), g.cell * float(g.rows), Color{0, 0, 0, 0}, outline, 1, RectRole::Other});
    // The backward view's grids are grad_output and grad_input: the forward field does not apply.
    if (!state.rf_on_canvas || !field_cell || state.animation->backward()) return overlay;
    const std::array<std::int64_t, 2>& cell = *field_cell;
    const RfCache& rf = receptive_field(state.rf_cache, state.generation, "", s, s.layer_index, cell[0], cell[1]);
    if (!rf.result) return overlay;
    const FramePosition pos = state.animation->timeline().at(s.frame);
    const StepEngine& engine = state.animation->engine_for(pos.channel);
    FieldStyle style;
    style.holes = state.rf_show_holes;
    style.zoom = state.canvas_view.zoom;
    if (s.dark) style.dim = Color{0.08f, 0.08f, 0.1f, 0.65f};
    if (!scene.stack_maps.empty()) {
        // The whole stack: the field on the input and on every map up to the animated layer's input.
        for (std::size_t b = 0; b <= std::size_t(s.layer_index) && b < scene.stack_maps.size(); ++b) {
            const Scene::GridPlacement& g = scene.stack_maps[b];
            style.counts = !grid_labelled(scene, g);  // the values already fill the cells
            add_field_overlay(overlay, g, identity_axes(g.rows, g.cols), *rf.result, b, style);
        }
    } else {
        style.counts = !grid_labelled(scene, scene.input_grid);  // the values already fill the cells
        add_field_overlay(overlay, scene.input_grid, grid_axes(engine), *rf.result, std::size_t(s.layer_index), style);
    }
    // Cells of a few pixels (the scene has a magnified inset): the inset shows the field
    // instead of the taps, its path counts and holes readable; in the whole stack on the
    // first map where it fits (the input, unless the field is too large there).
    const std::string title = "receptive field of output (" + std::to_string(cell[0]) + ", " + std::to_string(cell[1]) + ") on ";
    if (!scene.stack_maps.empty()) {
        for (std::size_t b = 0; b <= std::size_t(s.layer_index) && b < scene.stack_maps.size() && b < scene.heatmaps.size(); ++b) {
            const Scene::GridPlacement& map = scene.stack_maps[b];
            if (add_field_inset(overlay, scene, scene.heatmaps[b], map, identity_axes(map.rows, map.cols), *rf.result, b, style,
                                title + (b == 0 ? std::string("the input") : "layer " + std::to_string(b - 1) + "'s output") + ", magnified"))
                break;
        }
    } else if (!scene.heatmaps.empty()) {
        add_field_inset(overlay, scene, scene.heatmaps.front(), scene.input_grid, grid_axes(engine), *rf.result, std::size_t(s.layer_index),
                        style, title + "the input, magnified");
    }
    const Scene::GridPlacement& g = scene.output_grid;
    overlay.rects.push_back({g.x + float(cell[1]) * g.cell, g.y + float(cell[0]) * g.cell, g.cell, g.cell, Color{0, 0, 0, 0},
                             style.box, 2.5f, RectRole::Other});
    return overlay;
}

/// Mouse: wheel zoom about the pointer, drag (any button) pans, a double click resets;
/// while following, the step stays in view.
void zoom_and_pan(CanvasView& view, const Scene& scene, const ImVec2& avail, float header, bool hovered, const ImVec2& mouse) {
    const ImGuiIO& io = ImGui::GetIO();
    if (hovered && io.MouseWheel != 0) zoom_about(view, std::pow(1.25f, io.MouseWheel), mouse.x, mouse.y);
    bool dragging = false;
    for (int button = 0; button < 3; ++button)
        if (ImGui::IsItemActive() && ImGui::IsMouseDragging(button, 4.0f)) dragging = true;
    if (dragging && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
        view.pan_x += io.MouseDelta.x;
        view.pan_y += io.MouseDelta.y;
        view.follow = false;  // the user looks somewhere else: do not pull the view back
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) reset_view(view);
    if (view.follow && view.zoomed()) {
        std::array<float, 4> box{};
        if (step_focus(scene, avail.x / view.zoom, (avail.y - header) / view.zoom, box))
            keep_in_view(view, box[0], box[1] - header / view.zoom, box[2], box[3], avail.x, avail.y - header, 24);
    }
    if (view.zoomed()) clamp_pan(view, scene.width, scene.height, avail.x, avail.y);
    else reset_view(view);
}

/// A click without a drag (not the end of a pan).
bool clicked() {
    return ImGui::IsMouseReleased(ImGuiMouseButton_Left) && ImGui::GetIO().MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f;
}

/// The pointer over an output cell: its receptive field is shown; a click keeps it (or lets it go).
void hover_output_cell(AppState& state, const Scene& scene, const ImVec2& origin, const ImVec2& avail, std::int64_t row,
                       std::int64_t col) {
    state.rf_hover = std::array<std::int64_t, 2>{row, col};
    char tip[160];
    std::snprintf(tip, sizeof tip, "output (%lld, %lld): its receptive field is drawn on the input; click keeps it",
                  (long long)row, (long long)col);
    place_tooltip_off_grid(scene.output_grid, state.canvas_view, origin, avail, tip);
    ImGui::SetTooltip("%s", tip);
    if (clicked()) {
        const std::array<std::int64_t, 2> cell{row, col};
        if (state.rf_selected == cell) {
            state.rf_selected.reset();
        } else {
            state.rf_selected = cell;
            state.show_receptive_field = true;
        }
    }
}

/// Another map of the stack under the pointer: say what it is; a click animates the layer that made it.
void hover_stack_map(AppState& state, const Scene& scene, std::int64_t map, std::int64_t row, std::int64_t col) {
    const std::int64_t layer = std::max<std::int64_t>(0, map - 1);
    const float v = scene.heatmaps.size() > std::size_t(map) ? scene.heatmaps[std::size_t(map)].values[std::size_t(row * scene.stack_maps[std::size_t(map)].cols + col)] : 0.0f;
    ImGui::SetTooltip("%s (%lld, %lld) = %.4g\nclick: animate layer %lld", map == 0 ? "input" : ("layer " + std::to_string(map - 1) + " output").c_str(),
                      (long long)row, (long long)col, double(v), (long long)layer);
    if (clicked() && layer != state.session.layer_index) {
        select_layer(state.session, layer);
        state.rf_selected.reset();
        rebuild(state);
    }
}

/// What the pointer (at picture coordinates sx, sy) is over: the output cell under it
/// (or the one clicked) and its receptive field, another map of the stack, an input cell.
void hover_picture(AppState& state, const Scene& scene, const ImVec2& origin, const ImVec2& avail, bool over_picture, float sx,
                   float sy) {
    std::int64_t row = 0, col = 0;
    if (over_picture && cell_at(scene.output_grid, sx, sy, row, col)) {
        hover_output_cell(state, scene, origin, avail, row, col);
        return;
    }
    state.rf_hover.reset();
    const std::int64_t map = stack_map_at(scene, sx, sy, row, col);
    if (over_picture && map >= 0) {
        hover_stack_map(state, scene, map, row, col);
    } else if (over_picture && scene.stack_maps.empty() && cell_at(scene.input_grid, sx, sy, row, col)) {
        const FramePosition pos = state.animation->timeline().at(state.session.frame);
        input_cell_tooltip(state.animation->engine_for(pos.channel), state.session.in_channel, row, col);
        if (quiz_takes_canvas_clicks(state.quiz) && clicked())
            give_quiz_cell(state, state.animation->engine_for(pos.channel), row, col);
    }
}

/// Draw: the caption stays put, the grids zoom under it.
void draw_picture(AppState& state, const Scene& scene, const ImVec2& origin, const ImVec2& avail, float header,
                  const std::optional<std::array<std::int64_t, 2>>& field_cell, render::HeatmapRenderer* heatmaps) {
    const CanvasView& view = state.canvas_view;
    ImDrawList* list = ImGui::GetWindowDrawList();
    const ImVec2 end(origin.x + avail.x, origin.y + avail.y);
    if (!view.zoomed()) {
        draw_scene(list, scene, origin, heatmaps);
        draw_scene(list, canvas_overlay(state, scene, field_cell), origin, heatmaps);
        return;
    }
    Scene body = scene;
    Scene head;
    head.texts = take_header(body);
    Scene zoomed = transform(body, view);
    // Values in the zoomed cells, unless a field writes its path counts there.
    if (!(state.rf_on_canvas && field_cell)) add_zoomed_values(zoomed, scene, avail.x, avail.y);
    list->PushClipRect(ImVec2(origin.x, origin.y + header), end, true);
    draw_scene(list, zoomed, origin, heatmaps);
    draw_scene(list, transform(canvas_overlay(state, scene, field_cell), view), origin, heatmaps);
    list->PopClipRect();
    draw_scene(list, head, origin, heatmaps);
}

}  // namespace

void draw_canvas_panel(AppState& state, render::HeatmapRenderer* heatmaps) {
    ImGui::Begin("Canvas", nullptr, kTiledPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (!state.animation) {
        ImGui::TextUnformatted("No valid configuration yet.");
        ImGui::End();
        return;
    }
    if (state.channels.enabled) {
        draw_channels_canvas(state, heatmaps);
        ImGui::End();
        return;
    }
    toolbar(state);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail(std::max(1.0f, ImGui::GetContentRegionAvail().x), std::max(1.0f, ImGui::GetContentRegionAvail().y));
    const Scene& scene = current_scene(state, avail.x, avail.y);
    reset_for_preset(state, scene);
    CanvasView& view = state.canvas_view;
    const float header = header_bottom(scene);

    ImGui::InvisibleButton("picture", avail,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight | ImGuiButtonFlags_MouseButtonMiddle);
    const bool hovered = ImGui::IsItemHovered();
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 mouse(io.MousePos.x - origin.x, io.MousePos.y - origin.y);
    zoom_and_pan(view, scene, avail, header, hovered, mouse);
    hover_picture(state, scene, origin, avail, hovered && mouse.y >= header, view.from_x(mouse.x), view.from_y(mouse.y));
    const auto field_cell = state.rf_hover ? state.rf_hover : state.rf_selected;
    draw_picture(state, scene, origin, avail, header, field_cell, heatmaps);
    ImGui::End();
}

}  // namespace convscope::gui
