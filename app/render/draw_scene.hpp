#pragma once
/// \file draw_scene.hpp
/// A GL-free Scene drawn into an ImGui draw list: heat maps as textures (or as
/// rectangles without a heat-map renderer), then polygons, rectangles, lines and text.
#include <utility>
#include <vector>

#include <imgui.h>

#include "app/render/blending.hpp"
#include "app/render/heatmap_renderer.hpp"
#include "core/scene/scene.hpp"

namespace convscope::gui {

/// The fonts scene text is drawn with, one per pixel size (window.cpp registers them).
/// The font atlas is sampled without filtering (cheap for a software rasterizer), so
/// text is drawn at a size the atlas holds, never scaled: the nearest one.
void set_scene_fonts(std::vector<std::pair<float, ImFont*>> fonts);  // (pixel size, font)
/// The registered font nearest in size to `pixels` (ImGui's current font if none).
ImFont* scene_font(float pixels);

/// The monospaced fonts code is written in, one per text size (window.cpp registers them).
void set_code_fonts(std::vector<std::pair<float, ImFont*>> fonts);  // (pixel size, font)
/// The code font of the current text size (ImGui's current font if there is none).
ImFont* code_font();

void draw_heatmap(ImDrawList* list, const SceneHeatmap& map, ImVec2 origin, render::HeatmapRenderer* heatmaps);
/// The same; its large opaque fills go through `blend` without blending.
void draw_heatmap(ImDrawList* list, const SceneHeatmap& map, ImVec2 origin, render::HeatmapRenderer* heatmaps, render::BlendSwitch& blend);
void draw_scene(ImDrawList* list, const Scene& scene, ImVec2 origin, render::HeatmapRenderer* heatmaps);

}  // namespace convscope::gui
