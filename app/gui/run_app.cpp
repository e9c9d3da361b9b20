// The window and the frame loop, after imgui's examples/example_glfw_opengl3/main.cpp:
// set up GLFW + GL 3.3 core + ImGui, loop (poll, advance, panels, render), shut down
// in reverse order.
#include "app/gui/run_app.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app/gui/app_state.hpp"
#include "app/gui/panels.hpp"
#include "core/errors.hpp"

namespace convscope::gui {

namespace {

/// The shipped font: next to the executable's source tree (build time) or installed.
std::string find_font() {
    for (const std::string& p : {std::string(CONVSCOPE_ASSET_DIR) + "/DejaVuSans.ttf",
                                 std::string("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")})
        if (std::filesystem::exists(p)) return p;
    return {};
}

}  // namespace

int run_app(const std::string& preset) {
    AppState state;
    load_preset(state, preset);  // throws UserError for an unknown preset, before any window

    glfwSetErrorCallback([](int code, const char* text) { std::fprintf(stderr, "GLFW error %d: %s\n", code, text); });
    if (!glfwInit()) {
        std::fprintf(stderr, "error: cannot open a window (no display? set DISPLAY, or use a subcommand such as export)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    GLFWwindow* window = glfwCreateWindow(1280, 800, "ConvScope", nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        std::fprintf(stderr, "error: cannot create an OpenGL 3.3 window\n");
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    float scale_x = 1, scale_y = 1;
    glfwGetWindowContentScale(window, &scale_x, &scale_y);
    const float scale = std::max(1.0f, scale_x);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is ours, not a file in the working directory
    const std::string font = find_font();
    if (!font.empty()) io.Fonts->AddFontFromFileTTF(font.c_str(), 16.0f * scale);
    ImGui::StyleColorsDark();
    ImGui::GetStyle().ScaleAllSizes(scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330");

    double last = glfwGetTime();
    while (!glfwWindowShouldClose(window)) {
        glfwPollEvents();
        const double now = glfwGetTime();
        advance(state, now - last);
        last = now;

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        handle_shortcuts(state);
        int w = 0, h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        const float W = float(w), H = float(h), side = 360 * scale;
        ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(side, H * 0.62f), ImGuiCond_FirstUseEver);
        draw_parameters_panel(state);
        ImGui::SetNextWindowPos(ImVec2(0, H * 0.62f), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(side, H * 0.38f), ImGuiCond_FirstUseEver);
        draw_timeline_panel(state);
        ImGui::SetNextWindowPos(ImVec2(side, 0), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(W - side, H * 0.75f), ImGuiCond_FirstUseEver);
        draw_canvas_panel(state);
        ImGui::SetNextWindowPos(ImVec2(side, H * 0.75f), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(W - side, H * 0.25f), ImGuiCond_FirstUseEver);
        draw_code_panel(state);
        ImGui::Render();

        glViewport(0, 0, w, h);
        if (state.session.dark) glClearColor(0.08f, 0.08f, 0.1f, 1.0f);
        else glClearColor(0.94f, 0.94f, 0.95f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
    }

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}

}  // namespace convscope::gui
