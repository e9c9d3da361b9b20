// The canvas in the channels view: the animated layer's whole tensor (input slabs,
// filter bank, output slabs) in an oblique projection. A left drag turns the channel
// axis and stretches the slabs' spacing, the wheel zooms about the mouse (the
// magnifier), a right or middle drag pans, a double-click or Reset goes back; hovering
// a cell says what it is, clicking an output slab or a filter computes that channel.
#include <cmath>

#include <imgui.h>

#include "app/render/draw_scene.hpp"
#include "app/panels/panels.hpp"
#include "core/base/errors.hpp"

namespace convscope::gui {

namespace {

void channels_toolbar(AppState& state) {
    ChannelsViewState& c = state.channels;
    if (ImGui::SmallButton("One channel pair")) c.enabled = false;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the view of one input and one output channel (key c)");
    ImGui::SameLine();
    int style = state.session.style == SceneStyle::Schematic ? 1 : 0;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    if (ImGui::Combo("##channels_style", &style, "values\0schematic\0")) state.session.style = style ? SceneStyle::Schematic : SceneStyle::Values;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::SliderFloat("angle", &c.projection.angle_deg, kChannelsMinAngle, kChannelsMaxAngle, "%.0f deg");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The direction the channel axis recedes in (or drag the picture up and down)");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    ImGui::SliderFloat("spacing", &c.projection.depth, kChannelsMinDepth, kChannelsMaxDepth, "%.2f");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("How far apart the slabs are (or drag the picture left and right)");
    ImGui::SameLine();
    if (ImGui::SmallButton("Reset")) reset_channels_view(c);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Angle, spacing and zoom back to the start (double-click also resets)");
    ImGui::SameLine();
    ImGui::TextDisabled("zoom %.0f%%", double(c.view.zoom * 100));
}

void hit_tooltip(const AppState& state, const ChannelsHit& hit) {
    const StepEngine& e = state.animation->engine();
    const Layer& L = e.layer();
    const ChannelsData& data = *state.channels.data;
    const long long r = hit.row, c = hit.col, k = hit.index;
    switch (hit.kind) {
        case ChannelsHit::Kind::Input:
            ImGui::SetTooltip("input channel %lld, (%lld, %lld) = %.4g", k, r, c, e.input()(e.batch(), hit.index, hit.row, hit.col));
            break;
        case ChannelsHit::Kind::Output:
            ImGui::SetTooltip("output channel %lld, (%lld, %lld) = %.4g\nclick: compute this channel", k, r, c,
                              data.output(0, hit.index, hit.row, hit.col));
            break;
        case ChannelsHit::Kind::Filter:
            if (L.kind == LayerKind::Conv2d)
                ImGui::SetTooltip("filter %lld = weight[%lld, :, :, :]: makes output channel %lld from the %lld input channel(s) of its group\n"
                                  "click: compute this channel",
                                  k, k, k, (long long)(L.in_channels / L.groups));
            else
                ImGui::SetTooltip("block %lld = weight[%lld, :, :, :]: input channel %lld stamps through one slice per output channel of its group",
                                  k, k, k);
            break;
        case ChannelsHit::Kind::None: break;
    }
}

}  // namespace

void draw_channels_canvas(AppState& state, render::HeatmapRenderer* heatmaps) {
    channels_toolbar(state);
    ChannelsViewState& c = state.channels;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail(std::max(1.0f, ImGui::GetContentRegionAvail().x), std::max(1.0f, ImGui::GetContentRegionAvail().y));
    const ChannelsScene* built = nullptr;
    try {
        built = &current_channels_scene(state, avail.x, avail.y);
    } catch (const UserError& e) {
        // A layer the view does not draw: back to the channel pair, saying why.
        c.enabled = false;
        state.error = e.what();
        return;
    }
    const ChannelsScene& cs = *built;
    CanvasView& view = c.view;

    ImGui::InvisibleButton("channels", avail, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight | ImGuiButtonFlags_MouseButtonMiddle);
    const bool hovered = ImGui::IsItemHovered();
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 mouse(io.MousePos.x - origin.x, io.MousePos.y - origin.y);
    if (hovered && io.MouseWheel != 0) zoom_about(view, std::pow(1.25f, io.MouseWheel), mouse.x, mouse.y);
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) orbit_channels(c.projection, io.MouseDelta.x, io.MouseDelta.y);
    if (ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Right, 4.0f) || ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 4.0f))) {
        view.pan_x += io.MouseDelta.x;
        view.pan_y += io.MouseDelta.y;
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) reset_channels_view(c);
    if (view.zoomed()) clamp_pan(view, cs.scene.width, cs.scene.height, avail.x, avail.y);
    else reset_view(view);

    const ChannelsHit hit = hovered ? channels_hit(cs, view.from_x(mouse.x), view.from_y(mouse.y)) : ChannelsHit{};
    if (hit.kind != ChannelsHit::Kind::None) {
        hit_tooltip(state, hit);
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f &&
            select_from_hit(state, hit))
            rebuild(state);
    }

    ImDrawList* list = ImGui::GetWindowDrawList();
    if (!view.zoomed()) {
        draw_scene(list, cs.scene, origin, heatmaps);
        return;
    }
    // Zoomed: the caption stays put, the tensor zooms under it.
    Scene body = cs.scene;
    Scene head;
    head.texts = take_header(body);
    const float header = header_bottom(cs.scene);
    list->PushClipRect(ImVec2(origin.x, origin.y + header), ImVec2(origin.x + avail.x, origin.y + avail.y), true);
    draw_scene(list, transform(body, view), origin, heatmaps);
    list->PopClipRect();
    draw_scene(list, head, origin, heatmaps);
}

}  // namespace convscope::gui
