#include "app/render/frame.hpp"

#include <cstdint>

#include <imgui_impl_opengl3.h>

#include "app/render/gl.hpp"

namespace convscope::gui::render {

void draw_frame(int width, int height, const ImVec4& background) {
    glViewport(0, 0, width, height);
    glClearColor(background.x, background.y, background.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void start_frame() { glFlush(); }

bool sample_unfiltered(ImTextureID texture) {
    const auto id = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(texture));
    if (id == 0) return false;
    GLint last = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last);
    glBindTexture(GL_TEXTURE_2D, id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, GLuint(last));
    return true;
}

}  // namespace convscope::gui::render
