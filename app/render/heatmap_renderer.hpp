#pragma once
/// \file heatmap_renderer.hpp
/// Draws a SceneHeatmap as one textured quad inside ImGui's draw list (AddImage), so a
/// 512x512 grid costs one quad instead of 262144 rectangles. The cells' colours are
/// the exporters' (SceneHeatmap::cell_color), worked out on the CPU into an RGBA8
/// texture: under a software rasterizer a float texture read through a float colour
/// map cost every pixel of a large map two slow texture fetches, where an RGBA8 texel
/// is the fast path.
#include <cstdint>
#include <vector>

#include <imgui.h>

#include "app/render/blending.hpp"
#include "app/render/gl.hpp"
#include "core/scene/scene.hpp"

namespace convscope::gui::render {

class HeatmapRenderer {
public:
    /// A new frame: its heat maps go to the other set of textures (call once per frame,
    /// before the panels).
    void begin_frame();
    /// Queue `map` at `origin` (screen coordinates of the scene's (0, 0)) into `list`,
    /// followed by its grid lines. A large map with no transparent cell is drawn through
    /// `blend` without blending (the grid lines with it).
    void draw(ImDrawList* list, const SceneHeatmap& map, ImVec2 origin, BlendSwitch& blend);

private:
    /// Two sets of textures, one per frame in turn: the rasterizer may still be reading
    /// the previous frame's while this one's are written (writing those would make the
    /// CPU wait for it).
    std::vector<GlTexture> textures_[2];
    std::size_t textures_used_[2] = {0, 0};
    int set_ = 0;
    std::vector<std::uint8_t> rgba_;  ///< reused upload buffer
};

}  // namespace convscope::gui::render
