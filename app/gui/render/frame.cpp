#include "app/gui/render/frame.hpp"

#include <imgui_impl_opengl3.h>

#include "app/gui/render/gl.hpp"

namespace convscope::gui::render {

void draw_frame(int width, int height, const ImVec4& background) {
    glViewport(0, 0, width, height);
    glClearColor(background.x, background.y, background.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void start_frame() { glFlush(); }

}  // namespace convscope::gui::render
