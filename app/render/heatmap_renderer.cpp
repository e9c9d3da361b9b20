#include "app/render/heatmap_renderer.hpp"

#include <algorithm>

namespace convscope::gui::render {

namespace {

std::uint8_t to_byte(float v) { return std::uint8_t(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f); }

}  // namespace

void HeatmapRenderer::begin_frame() {
    set_ ^= 1;
    textures_used_[set_] = 0;
}

void HeatmapRenderer::draw(ImDrawList* list, const SceneHeatmap& map, ImVec2 origin, BlendSwitch& blend) {
    if (map.rows <= 0 || map.cols <= 0) return;
    std::vector<GlTexture>& set = textures_[set_];
    if (textures_used_[set_] == set.size()) {
        GLuint id = 0;
        glGenTextures(1, &id);
        set.emplace_back(id);
    }
    const GLuint texture = set[textures_used_[set_]++].get();
    // Each cell in the colour the exporters give it (SceneHeatmap::cell_color).
    rgba_.resize(std::size_t(map.rows * map.cols) * 4);
    std::uint8_t* px = rgba_.data();
    bool opaque = true;
    for (std::int64_t r = 0; r < map.rows; ++r)
        for (std::int64_t c = 0; c < map.cols; ++c, px += 4) {
            const Color colour = map.cell_color(r, c);
            px[0] = to_byte(colour.r), px[1] = to_byte(colour.g), px[2] = to_byte(colour.b), px[3] = to_byte(colour.a);
            opaque = opaque && px[3] == 255;
        }
    GLint last_texture = 0, last_alignment = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &last_alignment);
    glBindTexture(GL_TEXTURE_2D, texture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, GLsizei(map.cols), GLsizei(map.rows), 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
    glBindTexture(GL_TEXTURE_2D, GLuint(last_texture));
    glPixelStorei(GL_UNPACK_ALIGNMENT, last_alignment);

    const float x0 = origin.x + map.x, y0 = origin.y + map.y;
    const float x1 = x0 + map.cell * float(map.cols), y1 = y0 + map.cell * float(map.rows);
    if (opaque && BlendSwitch::large(x1 - x0, y1 - y0)) blend.opaque();
    list->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture)), ImVec2(x0, y0), ImVec2(x1, y1));
    if (map.grid.a > 0) {
        blend.blended();  // cell borders: rows+1 and cols+1 lines
        const ImU32 col = IM_COL32(int(map.grid.r * 255), int(map.grid.g * 255), int(map.grid.b * 255), int(map.grid.a * 255));
        for (std::int64_t i = 0; i <= map.rows; ++i) {
            const float y = y0 + map.cell * float(i);
            list->AddLine(ImVec2(x0, y), ImVec2(x1, y), col);
        }
        for (std::int64_t i = 0; i <= map.cols; ++i) {
            const float x = x0 + map.cell * float(i);
            list->AddLine(ImVec2(x, y0), ImVec2(x, y1), col);
        }
    }
}

}  // namespace convscope::gui::render
