// The window and the frame loop, after imgui's examples/example_glfw_opengl3/main.cpp:
// set up GLFW + GL 3.3 core + ImGui, loop (poll, advance, panels, render), shut down
// in reverse order.
#include "app/gui/run_app.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app/gui/app_state.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/render/frame.hpp"
#include "app/gui/render/heatmap_renderer.hpp"
#include "core/errors.hpp"
#include "core/session.hpp"

namespace convscope::gui {

namespace {

/// The shipped font (assets/), else Debian's copy of the same font.
std::string find_font() {
    try {
        return asset_path("DejaVuSans.ttf");
    } catch (const UserError&) {
        const std::string debian = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        return std::filesystem::exists(debian) ? debian : std::string();
    }
}

/// Set by SIGTERM/SIGINT: the loop ends as if the window were closed (session kept).
std::atomic<bool> g_stop_requested{false};  // a signal handler can only reach a global

void request_stop(int) { g_stop_requested = true; }

/// The session to open: the file or preset asked for, else the last one, else the seed.
void open_initial_session(AppState& state, const LaunchOptions& options) {
    if (!options.preset.empty()) {
        load_preset(state, options.preset);  // UserError for an unknown preset, before any window
        return;
    }
    load_preset(state, "seed-dilated");
    if (!options.session_path.empty()) {
        open_session_file(state, options.session_path);  // a bad file: the seed, and the reason in red
        return;
    }
    if (std::filesystem::exists(state.autosave_path)) {
        if (open_session_file(state, state.autosave_path)) {
            state.session_path.clear();  // Ctrl+S asks where, rather than writing the autosave
            state.file_message = "reopened where you left off";
        } else {
            state.file_message = "the last session could not be reopened (" + state.file_message + "); started on seed-dilated";
        }
    }
}

}  // namespace

std::string autosave_path() {
    namespace fs = std::filesystem;
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    fs::path dir = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".config";
    return (dir / "convscope" / "last-session.json").string();
}

int run_app(const LaunchOptions& options) {
    AppState state;
    state.autosave_path = autosave_path();
    open_initial_session(state, options);
    std::signal(SIGTERM, request_stop);
    std::signal(SIGINT, request_stop);

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
    const bool bench = !options.bench_presets.empty() || options.bench_drag;
    std::size_t bench_preset = 0;
    if (options.bench_drag) {
        Session big = session_from_preset("seed-dilated");
        big.preset = "drag-256x256x16";
        big.input_shape = {1, 16, 256, 256};
        big.layers[0].in_channels = 16;
        set_session(state, std::move(big));
        if (options.frame_times) options.frame_times->assign(1, {});
    } else if (bench) {
        load_preset(state, options.bench_presets[0]);
        if (options.frame_times) options.frame_times->assign(options.bench_presets.size(), {});
    }
    glfwSwapInterval(bench ? 0 : 1);
    float scale_x = 1, scale_y = 1;
    glfwGetWindowContentScale(window, &scale_x, &scale_y);
    const float scale = std::max(1.0f, scale_x);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is ours, not a file in the working directory
    const std::string font = find_font();
    if (!font.empty()) io.Fonts->AddFontFromFileTTF(font.c_str(), 16.0f * scale);
    bool dark_applied = state.session.dark;
    if (dark_applied) ImGui::StyleColorsDark();
    else ImGui::StyleColorsLight();
    ImGui::GetStyle().ScaleAllSizes(scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330");
    // Heat maps through the colour-map shader; if it cannot be built the app still
    // works, drawing cells as rectangles, and says why.
    std::unique_ptr<render::HeatmapRenderer> heatmaps;
    try {
        heatmaps = std::make_unique<render::HeatmapRenderer>();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "warning: %s; drawing cells without the shader\n", e.what());
    }

    double last = glfwGetTime();
    int benched = 0;
    while (!glfwWindowShouldClose(window) && !state.quit_requested && !g_stop_requested) {
        const double frame_start = glfwGetTime();
        glfwPollEvents();
        if (state.session.dark != dark_applied) {  // theme switched: swap the colours, keep the sizes
            dark_applied = state.session.dark;
            if (dark_applied) ImGui::StyleColorsDark();
            else ImGui::StyleColorsLight();
        }
        const double now = glfwGetTime();
        if (options.bench_drag) {  // the dilation slider dragged back and forth, one step a frame
            Layer& L = state.session.layers[0];
            L.dilation.h = L.dilation.w = 1 + (benched / 4) % 6;
            L.padding.value = L.dilation;
            rebuild(state);
        } else if (bench) {
            state.session.frame = (state.session.frame + 1) % (last_frame(state) + 1);  // a new scene every frame
        } else {
            advance(state, now - last);
        }
        last = now;

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        if (heatmaps) heatmaps->begin_frame();
        poll_rebuild(state);
        handle_shortcuts(state);
        draw_menu_bar(state);
        int w = 0, h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        const float top = ImGui::GetFrameHeight();  // below the menu bar
        const float W = float(w), H = float(h) - top, side = 360 * scale;
        ImGui::SetNextWindowPos(ImVec2(0, top), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(side, H * 0.64f), ImGuiCond_FirstUseEver);
        draw_parameters_panel(state);
        ImGui::SetNextWindowPos(ImVec2(0, top + H * 0.64f), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(side, H * 0.36f), ImGuiCond_FirstUseEver);
        draw_timeline_panel(state);
        ImGui::SetNextWindowPos(ImVec2(side, top), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(W - side, H * 0.75f), ImGuiCond_FirstUseEver);
        draw_canvas_panel(state, heatmaps.get());
        ImGui::SetNextWindowPos(ImVec2(side, top + H * 0.75f), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(W - side, H * 0.25f), ImGuiCond_FirstUseEver);
        draw_code_panel(state);
        draw_session_dialog(state);
        draw_export_panel(state);
        draw_receptive_field_panel(state, heatmaps.get());
        draw_matrix_panel(state, heatmaps.get());
        ImGui::Render();

        render::draw_frame(w, h, ImGui::GetStyle().Colors[ImGuiCol_WindowBg]);  // the tiled panels have no background
        glfwSwapBuffers(window);
        if (bench) {
            render::finish_frame();  // count the GPU's (llvmpipe's) work in the frame, not just the queueing
            if (options.frame_times) (*options.frame_times)[bench_preset].push_back((glfwGetTime() - frame_start) * 1000.0);
            if (++benched >= options.bench_frames) {
                if (options.bench_drag || ++bench_preset == options.bench_presets.size()) break;
                load_preset(state, options.bench_presets[bench_preset]);
                benched = 0;
            }
        }
    }

    state.export_job.reset();  // cancels a running export: no half file
    if (state.rebuild_job.valid()) state.rebuild_job.wait();
    // Keep the session for the next launch (atomic; a failure only costs the reopen).
    if (!bench) try {
        std::filesystem::create_directories(std::filesystem::path(state.autosave_path).parent_path());
        save_session(state.session, state.autosave_path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "warning: could not keep the session for next time: %s\n", e.what());
    }

    heatmaps.reset();  // GL objects go while the context exists
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}

}  // namespace convscope::gui
