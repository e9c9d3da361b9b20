#pragma once
/// \file heatmap_renderer.hpp
/// Draws a SceneHeatmap as one textured quad (a float texture of colour-map positions
/// and styles through the colour-map shader of shaders/heatmap.frag), inside ImGui's draw list
/// via a draw callback, so a 512x512 grid costs one quad instead of 262144 rectangles.
#include <deque>
#include <vector>

#include <imgui.h>

#include "app/render/gl.hpp"
#include "core/scene/scene.hpp"

namespace convscope::gui::render {

class HeatmapRenderer {
public:
    /// Compiles the shaders (needs the GL context); throws std::runtime_error with the
    /// info log if they do not compile.
    HeatmapRenderer();

    /// Forget the previous frame's draws (call once per frame, before the panels).
    void begin_frame();
    /// Queue `map` at `origin` (screen coordinates of the scene's (0, 0)) into `list`,
    /// followed by its grid lines.
    void draw(ImDrawList* list, const SceneHeatmap& map, ImVec2 origin);

private:
    struct Request {
        const HeatmapRenderer* self = nullptr;
        GLuint texture = 0;
        float rect[4] = {};
        float fade = 0;
        float empty[4] = {}, background[4] = {};
    };
    static void render_callback(const ImDrawList* list, const ImDrawCmd* cmd);
    void render(const Request& r, const ImDrawCmd* cmd) const;

    GlProgram program_;
    GlVertexArray vertex_array_;
    GlTexture colormap_;  ///< 256 x 1 RGB: viridis(i / 255)
    GLint u_rect_ = -1, u_display_ = -1, u_cells_ = -1, u_empty_ = -1,
          u_background_ = -1, u_fade_ = -1, u_colormap_ = -1;
    std::vector<GlTexture> textures_;  ///< one per heat map drawn this frame, reused
    std::size_t textures_used_ = 0;
    std::deque<Request> requests_;     ///< stable addresses: ImGui keeps pointers to them
    std::vector<float> upload_;
};

}  // namespace convscope::gui::render
