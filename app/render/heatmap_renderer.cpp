#include "app/render/heatmap_renderer.hpp"

#include "shaders_embedded.hpp"  // generated from shaders/*.glsl by CMake

namespace convscope::gui::render {

HeatmapRenderer::HeatmapRenderer()
    : program_(build_program("heatmap.vert", shaders::kHeatmapVert, "heatmap.frag", shaders::kHeatmapFrag)) {
    GLuint vao = 0;
    glGenVertexArrays(1, &vao);
    vertex_array_ = GlVertexArray(vao);
    const GLuint p = program_.get();
    u_rect_ = glGetUniformLocation(p, "u_rect");
    u_display_ = glGetUniformLocation(p, "u_display");
    u_cells_ = glGetUniformLocation(p, "u_cells");
    u_empty_ = glGetUniformLocation(p, "u_empty");
    u_background_ = glGetUniformLocation(p, "u_background");
    u_fade_ = glGetUniformLocation(p, "u_fade");
    u_colormap_ = glGetUniformLocation(p, "u_colormap");

    // The colour map as a texture, from the same function the exporters use.
    std::vector<float> lut(256 * 3);
    for (int i = 0; i < 256; ++i) {
        const Color c = viridis(float(i) / 255.0f);
        lut[std::size_t(3 * i)] = c.r;
        lut[std::size_t(3 * i + 1)] = c.g;
        lut[std::size_t(3 * i + 2)] = c.b;
    }
    GLuint tex = 0;
    glGenTextures(1, &tex);
    colormap_ = GlTexture(tex);
    GLint last_texture = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
    glBindTexture(GL_TEXTURE_2D, tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB32F, 256, 1, 0, GL_RGB, GL_FLOAT, lut.data());
    glBindTexture(GL_TEXTURE_2D, GLuint(last_texture));
}

void HeatmapRenderer::begin_frame() {
    requests_.clear();
    textures_used_ = 0;
}

void HeatmapRenderer::draw(ImDrawList* list, const SceneHeatmap& map, ImVec2 origin) {
    if (map.rows <= 0 || map.cols <= 0) return;
    if (textures_used_ == textures_.size()) {
        GLuint id = 0;
        glGenTextures(1, &id);
        textures_.emplace_back(id);
    }
    const GLuint texture = textures_[textures_used_++].get();
    upload_.resize(std::size_t(map.rows * map.cols) * 2);
    for (std::size_t i = 0; i < map.values.size(); ++i) {
        upload_[2 * i] = map.t(map.values[i]);
        upload_[2 * i + 1] = float(static_cast<int>(map.styles[i]));
    }
    GLint last_texture = 0, last_alignment = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
    glGetIntegerv(GL_UNPACK_ALIGNMENT, &last_alignment);
    glBindTexture(GL_TEXTURE_2D, texture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RG32F, GLsizei(map.cols), GLsizei(map.rows), 0, GL_RG, GL_FLOAT, upload_.data());
    glBindTexture(GL_TEXTURE_2D, GLuint(last_texture));
    glPixelStorei(GL_UNPACK_ALIGNMENT, last_alignment);

    Request r;
    r.self = this;
    r.texture = texture;
    const float x0 = origin.x + map.x, y0 = origin.y + map.y;
    const float x1 = x0 + map.cell * float(map.cols), y1 = y0 + map.cell * float(map.rows);
    r.rect[0] = x0;
    r.rect[1] = y0;
    r.rect[2] = x1;
    r.rect[3] = y1;
    r.fade = map.fade;
    const Color e = map.empty, b = map.background;
    const float empty[4] = {e.r, e.g, e.b, e.a}, background[4] = {b.r, b.g, b.b, b.a};
    std::copy(empty, empty + 4, r.empty);
    std::copy(background, background + 4, r.background);
    requests_.push_back(r);
    list->AddCallback(&HeatmapRenderer::render_callback, &requests_.back());
    list->AddCallback(ImDrawCallback_ResetRenderState, nullptr);

    if (map.grid.a > 0) {  // cell borders: rows+1 and cols+1 lines
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

void HeatmapRenderer::render_callback(const ImDrawList*, const ImDrawCmd* cmd) {
    const auto* r = static_cast<const Request*>(cmd->UserCallbackData);
    r->self->render(*r, cmd);
}

void HeatmapRenderer::render(const Request& r, const ImDrawCmd* cmd) const {
    const ImDrawData* dd = ImGui::GetDrawData();
    const ImVec2 pos = dd->DisplayPos, size = dd->DisplaySize, scale = dd->FramebufferScale;
    // The backend sets the scissor per draw command, not for callbacks: clip like it would.
    const float fb_height = size.y * scale.y;
    const ImVec4 clip = cmd->ClipRect;
    glEnable(GL_SCISSOR_TEST);
    glScissor(GLint((clip.x - pos.x) * scale.x), GLint(fb_height - (clip.w - pos.y) * scale.y),
              GLsizei((clip.z - clip.x) * scale.x), GLsizei((clip.w - clip.y) * scale.y));
    glUseProgram(program_.get());
    glUniform4f(u_rect_, r.rect[0], r.rect[1], r.rect[2], r.rect[3]);
    glUniform4f(u_display_, pos.x, pos.y, size.x, size.y);
    glUniform1i(u_cells_, 0);
    glUniform4fv(u_empty_, 1, r.empty);
    glUniform4fv(u_background_, 1, r.background);
    glUniform1f(u_fade_, r.fade);
    glUniform1i(u_colormap_, 1);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, colormap_.get());
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r.texture);
    glBindVertexArray(vertex_array_.get());
    glDisable(GL_BLEND);  // opaque cells: no read-modify-write per pixel
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

}  // namespace convscope::gui::render
