#pragma once
/// \file draw_scene.hpp
/// A GL-free Scene drawn into an ImGui draw list: heat maps through the shader (or as
/// rectangles when it could not be built), then rectangles, lines and text.
#include <imgui.h>

#include "app/gui/render/heatmap_renderer.hpp"
#include "core/scene.hpp"

namespace convscope::gui {

void draw_heatmap(ImDrawList* list, const SceneHeatmap& map, ImVec2 origin, render::HeatmapRenderer* heatmaps);
void draw_scene(ImDrawList* list, const Scene& scene, ImVec2 origin, render::HeatmapRenderer* heatmaps);

}  // namespace convscope::gui
