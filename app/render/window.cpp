// After imgui's examples/example_glfw_opengl3/main.cpp: GLFW + GL 3.3 core + ImGui set
// up in that order, shut down in the reverse one.
#include "app/render/window.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app/render/draw_scene.hpp"
#include "app/render/frame.hpp"
#include "app/render/heatmap_renderer.hpp"
#include "app/logic/glyph_ranges.hpp"
#include "app/logic/presenter_window.hpp"
#include "app/logic/settings.hpp"
#include "app/render/picture_textures.hpp"
#include "core/base/files.hpp"
#include "core/base/errors.hpp"
#include "core/anim/session.hpp"

namespace convscope::gui {

namespace {

// The presenter window's key filter (app/logic/presenter_window.hpp) names GLFW's keys
// by number, without GLFW.
static_assert(presenter_keys::kSpace == GLFW_KEY_SPACE && presenter_keys::kDigit0 == GLFW_KEY_0 &&
              presenter_keys::kDigit9 == GLFW_KEY_9 && presenter_keys::kB == GLFW_KEY_B && presenter_keys::kP == GLFW_KEY_P &&
              presenter_keys::kR == GLFW_KEY_R && presenter_keys::kEscape == GLFW_KEY_ESCAPE && presenter_keys::kEnter == GLFW_KEY_ENTER &&
              presenter_keys::kRight == GLFW_KEY_RIGHT && presenter_keys::kLeft == GLFW_KEY_LEFT &&
              presenter_keys::kPageUp == GLFW_KEY_PAGE_UP && presenter_keys::kPageDown == GLFW_KEY_PAGE_DOWN &&
              presenter_keys::kHome == GLFW_KEY_HOME && presenter_keys::kEnd == GLFW_KEY_END &&
              presenter_keys::kKeypad0 == GLFW_KEY_KP_0 && presenter_keys::kKeypad9 == GLFW_KEY_KP_9 &&
              presenter_keys::kKeypadEnter == GLFW_KEY_KP_ENTER && presenter_keys::kModShift == GLFW_MOD_SHIFT &&
              presenter_keys::kModControl == GLFW_MOD_CONTROL && presenter_keys::kModAlt == GLFW_MOD_ALT &&
              presenter_keys::kModSuper == GLFW_MOD_SUPER,
              "the presenter window's keys are GLFW's");

/// A shipped font (assets/), else Debian's copy of the same font.
std::string find_font(const std::string& name) {
    try {
        return asset_path(name);
    } catch (const UserError&) {
        const std::string debian = "/usr/share/fonts/truetype/dejavu/" + name;
        return std::filesystem::exists(debian) ? debian : std::string();
    }
}

/// Shift, Ctrl, Alt and Super (GLFW numbers them together).
bool is_modifier(int key) { return key >= GLFW_KEY_LEFT_SHIFT && key <= GLFW_KEY_RIGHT_SUPER; }

void apply_theme(bool dark) {
    if (dark) ImGui::StyleColorsDark();
    else ImGui::StyleColorsLight();
}

}  // namespace

std::unique_ptr<Window> Window::open(int width, int height, const std::string& title, bool vsync, bool dark, int monitor) {
    glfwSetErrorCallback([](int code, const char* text) { std::fprintf(stderr, "GLFW error %d: %s\n", code, text); });
    if (!glfwInit()) {
        std::fprintf(stderr, "error: cannot open a window (no display? set DISPLAY, or use a subcommand such as export)\n");
        return nullptr;
    }
    std::unique_ptr<Window> w(new Window());  // from here the destructor undoes what was done
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    // On a screen larger than the asked size (a projector's 1920x1080), open at 90% of it:
    // at a projector's text size the canvas needs the room. Benchmarks (no vsync) keep
    // the asked size, so their frames are comparable.
    GLFWmonitor* full_screen = nullptr;
    if (monitor >= 0) {  // full screen on that monitor (the presenter), at its own mode
        int count = 0;
        GLFWmonitor** monitors = glfwGetMonitors(&count);
        if (monitor >= count) {
            std::fprintf(stderr, "error: --monitor %d: there %s %d monitor%s (1 to %d)\n", monitor + 1, count == 1 ? "is" : "are", count,
                         count == 1 ? "" : "s", count);
            return nullptr;
        }
        full_screen = monitors[monitor];
        if (const GLFWvidmode* mode = glfwGetVideoMode(full_screen)) {
            w->screen_height_ = mode->height;
            width = mode->width;
            height = mode->height;
        }
    } else if (GLFWmonitor* primary = vsync ? glfwGetPrimaryMonitor() : nullptr) {
        if (const GLFWvidmode* mode = glfwGetVideoMode(primary)) {
            w->screen_height_ = mode->height;
            width = std::max(width, int(0.9 * mode->width));
            height = std::max(height, int(0.9 * mode->height));
        }
    }
    w->window_ = glfwCreateWindow(width, height, title.c_str(), full_screen, nullptr);
    if (!w->window_) {
        std::fprintf(stderr, "error: cannot create an OpenGL 3.3 window\n");
        return nullptr;
    }
    w->title_ = title;
    glfwMakeContextCurrent(w->window_);
    glfwSwapInterval(vsync ? 1 : 0);
    float scale_x = 1, scale_y = 1;
    glfwGetWindowContentScale(w->window_, &scale_x, &scale_y);
    w->scale_ = std::max(1.0f, scale_x);

    IMGUI_CHECKVERSION();
    w->imgui_ = ImGui::CreateContext();
    w->imgui_context_ = true;
    ImGui::GetIO().IniFilename = nullptr;  // layout is ours, not a file in the working directory
    w->load_fonts();
    w->dark_ = dark;
    apply_theme(dark);
    w->base_style_ = std::make_unique<ImGuiStyle>(ImGui::GetStyle());
    ImGui::GetStyle().ScaleAllSizes(w->scale_);
    w->imgui_glfw_ = ImGui_ImplGlfw_InitForOpenGL(w->window_, true);
    w->imgui_gl_ = ImGui_ImplOpenGL3_Init("#version 330");
    w->heatmaps_ = std::make_unique<render::HeatmapRenderer>();  // heat maps as one texture each
    w->pictures_ = std::make_unique<render::PictureTextures>();
    w->install_callbacks();
    return w;
}

std::unique_ptr<Window> Window::open_beside(Window& main, const std::string& title, int monitor) {
    main.make_current();
    // main's font texture exists before this window's backend makes its own copy (both
    // are the shared atlas's; the atlas names the newest), so it can be named again when
    // this window closes.
    ImGui_ImplOpenGL3_NewFrame();
    if (!main.font_texture_unfiltered_) main.font_texture_unfiltered_ = render::sample_unfiltered(ImGui::GetIO().Fonts->TexID);
    int x = 0, y = 0, width = 1280, height = 800;
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    if (monitor >= 0 && monitor < count) {
        glfwGetMonitorWorkarea(monitors[monitor], &x, &y, &width, &height);
    } else if (count > 0) {  // one screen: a window at its right edge, over the audience's
        int wx = 0, wy = 0, ww = 0, wh = 0;
        glfwGetMonitorWorkarea(monitors[0], &wx, &wy, &ww, &wh);
        width = std::max(320, std::min(width, int(0.9 * ww)));
        height = std::max(240, std::min(height, int(0.9 * wh)));
        x = wx + std::max(0, ww - width), y = wy;
    }
    std::unique_ptr<Window> w(new Window());  // from here the destructor undoes what was done
    w->owns_glfw_ = false;
    w->main_ = &main;
    w->window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, main.window_);  // shares main's GL objects
    if (!w->window_) {
        std::fprintf(stderr, "warning: cannot open the presenter window; presenting without it\n");
        return nullptr;
    }
    glfwSetWindowPos(w->window_, x, y);
    if (monitor >= 0) glfwMaximizeWindow(w->window_);
    w->title_ = title;
    glfwMakeContextCurrent(w->window_);
    glfwSwapInterval(0);  // main's swap waits for the display; two waits would halve the frame rate
    float scale_x = 1, scale_y = 1;
    glfwGetWindowContentScale(w->window_, &scale_x, &scale_y);
    w->scale_ = std::max(1.0f, scale_x);
    ImFontAtlas* fonts = ImGui::GetIO().Fonts;  // main's ImGui context is still current
    w->main_font_texture_ = fonts->TexID;
    w->imgui_ = ImGui::CreateContext(fonts);
    w->imgui_context_ = true;
    ImGui::SetCurrentContext(w->imgui_);
    ImGui::GetIO().IniFilename = nullptr;
    w->fonts_ = main.fonts_;
    w->dark_ = true;  // the lecturer's screen in a darkened room
    apply_theme(true);
    w->base_style_ = std::make_unique<ImGuiStyle>(ImGui::GetStyle());
    ImGui::GetStyle().ScaleAllSizes(w->scale_);
    w->imgui_glfw_ = ImGui_ImplGlfw_InitForOpenGL(w->window_, true);
    w->imgui_gl_ = ImGui_ImplOpenGL3_Init("#version 330");
    w->heatmaps_ = std::make_unique<render::HeatmapRenderer>();  // its own textures, as main has
    w->pictures_ = std::make_unique<render::PictureTextures>();
    w->keys_to_ = &main;
    main.keep_focus_ = true;
    // A full-screen window that loses focus iconifies by default: the audience's would
    // vanish from the projector the moment the lecturer clicks the presenter window.
    glfwSetWindowAttrib(main.window_, GLFW_AUTO_ICONIFY, GLFW_FALSE);
    w->install_callbacks();
    main.make_current();
    return w;
}

void Window::make_current() {
    if (glfwGetCurrentContext() != window_) glfwMakeContextCurrent(window_);
    if (ImGui::GetCurrentContext() != imgui_) ImGui::SetCurrentContext(imgui_);
}

void Window::load_fonts() {
    ImGuiIO& io = ImGui::GetIO();
    // One rasterized font per text size offered (crisp at 200 %, unlike a scaled 16 px one),
    // and one per size the canvas writes in. The atlas is sampled without filtering (a
    // bilinear fetch per pixel was a fifth of a frame's work under llvmpipe), so glyphs
    // are rasterized once, on whole pixels, and text is drawn at a size the atlas has.
    const std::string font = find_font("DejaVuSans.ttf"), mono = find_font("DejaVuSansMono.ttf");
    if (!font.empty()) {
        ImFontConfig config;
        config.OversampleH = 1;
        config.OversampleV = 1;
        config.PixelSnapH = true;
        // Beyond Latin-1: the captions' Σ, ←, →, and what a deck's text may use (the atlas
        // is 1024 x 4096 at scale 1 with them, was 1024 x 2048; 2048 x 4096 at scale 2, as before).
        const ImWchar* glyphs = font_glyph_ranges();
        std::vector<std::pair<float, ImFont*>> scene_fonts;
        auto add = [&](float pixels) {
            scene_fonts.emplace_back(std::round(pixels), io.Fonts->AddFontFromFileTTF(font.c_str(), std::round(pixels), &config, glyphs));
            return scene_fonts.back().second;
        };
        std::vector<std::pair<float, ImFont*>> code_fonts;  // code is monospaced: continuation lines line up
        for (const int percent : kTextSizePercents) {
            const float pixels = std::round(16.0f * scale_ * float(percent) / 100.0f);
            fonts_.emplace_back(percent, add(pixels));
            if (!mono.empty()) code_fonts.emplace_back(pixels, io.Fonts->AddFontFromFileTTF(mono.c_str(), pixels, &config, glyphs));
        }
        set_code_fonts(std::move(code_fonts));
        for (const float pixels : {8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 21, 22, 23, 26, 28, 30, 35, 40, 46, 56}) add(pixels * scale_);
        set_scene_fonts(std::move(scene_fonts));
    }
}

void Window::install_callbacks() {
    // Files dropped on the window (ImGui's GLFW backend installs no drop callback).
    glfwSetWindowUserPointer(window_, this);
    glfwSetDropCallback(window_, [](GLFWwindow* window, int count, const char** paths) {
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
        for (int i = 0; i < count && self; ++i) self->dropped_.emplace_back(paths[i]);
    });
    // Keys, buttons and characters: ImGui 1.86's backend callbacks (installed above)
    // would write each into the state ImGui reads once a frame, so a key pressed and
    // released between two frames was never seen. These queue them instead, and
    // begin_frame() passes each frame's share on to those same callbacks.
    // A window beside another (the presenter window) sends the presenter's keys on to it,
    // and only those: Ctrl+Q pressed there must not quit the app behind the deck.
    glfwSetKeyCallback(window_, [](GLFWwindow* window, int key, int scancode, int action, int mods) {
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
        if (self && self->keys_to_ && presenter_window_forwards_key(key, action != GLFW_RELEASE, mods)) self = self->keys_to_;
        if (self && action != GLFW_REPEAT)  // ImGui repeats a held key itself
            self->input_.push({InputKind::Key, key, action == GLFW_PRESS, is_modifier(key), scancode, mods});
    });
    glfwSetCharCallback(window_, [](GLFWwindow* window, unsigned int c) {
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
        if (self && self->keys_to_ && presenter_window_forwards_character(c)) self = self->keys_to_;
        if (self && c <= 0x10FFFF) self->input_.push({InputKind::Character, int(c)});
    });
    // The backend's other callbacks write to the current ImGui context; glfwPollEvents
    // delivers every window's events, so each is handed to its own window's context.
    glfwSetWindowFocusCallback(window_, [](GLFWwindow* window, int focused) {
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
        // Losing focus clears ImGui's keys: with a window beside it, its keys arrive
        // exactly when it has lost focus to that window.
        if (!self || (!focused && self->keep_focus_)) return;
        ImGuiContext* previous = ImGui::GetCurrentContext();
        ImGui::SetCurrentContext(self->imgui_);
        ImGui_ImplGlfw_WindowFocusCallback(window, focused);
        ImGui::SetCurrentContext(previous);
    });
    glfwSetCursorEnterCallback(window_, [](GLFWwindow* window, int entered) {
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
        if (!self) return;
        ImGuiContext* previous = ImGui::GetCurrentContext();
        ImGui::SetCurrentContext(self->imgui_);
        ImGui_ImplGlfw_CursorEnterCallback(window, entered);
        ImGui::SetCurrentContext(previous);
    });
    glfwSetScrollCallback(window_, [](GLFWwindow* window, double dx, double dy) {
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
        if (!self) return;
        ImGuiContext* previous = ImGui::GetCurrentContext();
        ImGui::SetCurrentContext(self->imgui_);
        ImGui_ImplGlfw_ScrollCallback(window, dx, dy);
        ImGui::SetCurrentContext(previous);
    });
    glfwSetMouseButtonCallback(window_, [](GLFWwindow* window, int button, int action, int mods) {
        auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
        if (self) self->input_.push({InputKind::MouseButton, button, action == GLFW_PRESS, false, 0, mods});
    });
}

std::vector<std::string> Window::take_dropped_paths() {
    std::vector<std::string> paths;
    paths.swap(dropped_);
    return paths;
}

Window::~Window() {
    if (window_) glfwMakeContextCurrent(window_);  // its GL objects and its ImGui context, whichever window drew last
    if (imgui_) ImGui::SetCurrentContext(imgui_);
    heatmaps_.reset();  // GL objects go while the context exists
    pictures_.reset();
    if (imgui_gl_) ImGui_ImplOpenGL3_Shutdown();
    if (imgui_glfw_) ImGui_ImplGlfw_Shutdown();
    if (imgui_context_) ImGui::DestroyContext(imgui_);
    if (window_) glfwDestroyWindow(window_);
    if (owns_glfw_) {
        glfwTerminate();
        return;
    }
    if (main_) {  // a window beside main: main draws on, with the font texture it made
        main_->keep_focus_ = false;
        main_->make_current();
        if (imgui_gl_) ImGui::GetIO().Fonts->SetTexID(main_font_texture_);  // this window's backend deleted its own copy and cleared it
    }
}

bool Window::open() const { return !glfwWindowShouldClose(window_); }

double Window::time() const { return glfwGetTime(); }

void Window::begin_frame(bool dark, int text_size_percent) {
    make_current();
    // The loop never waits for events: it polls once a frame, so an event is handled at
    // the next frame, and one held back by the queue at the frame after.
    glfwPollEvents();
    for (const InputEvent& e : input_.take_frame()) {
        switch (e.kind) {
            case InputKind::Key:
                ImGui_ImplGlfw_KeyCallback(window_, e.code, e.scancode, e.down ? GLFW_PRESS : GLFW_RELEASE, e.mods);
                break;
            case InputKind::Character: ImGui_ImplGlfw_CharCallback(window_, unsigned(e.code)); break;
            case InputKind::MouseButton:
                ImGui_ImplGlfw_MouseButtonCallback(window_, e.code, e.down ? GLFW_PRESS : GLFW_RELEASE, e.mods);
                break;
        }
    }
    if (dark != dark_) {  // theme switched: swap the colours, keep the sizes
        dark_ = dark;
        apply_theme(dark);
    }
    if (text_size_percent != text_size_percent_) {  // between frames, as ImGui requires
        for (const auto& [percent, font] : fonts_)
            if (percent == text_size_percent) {
                ImGui::GetIO().FontDefault = font;
                text_size_percent_ = percent;
                // Paddings and spacings grow with the text; colours stay the theme's.
                ImGuiStyle& style = ImGui::GetStyle();
                ImVec4 colors[ImGuiCol_COUNT];
                std::copy(std::begin(style.Colors), std::end(style.Colors), colors);
                style = *base_style_;
                std::copy(std::begin(colors), std::end(colors), style.Colors);
                style.ScaleAllSizes(scale_ * float(percent) / 100.0f);
            }
    }
    ImGui_ImplOpenGL3_NewFrame();  // makes the font atlas's texture the first time
    if (!font_texture_unfiltered_) font_texture_unfiltered_ = render::sample_unfiltered(ImGui::GetIO().Fonts->TexID);
    ImGui_ImplGlfw_NewFrame();
    // The backend reads the buttons' state now (glfwGetMouseButton): the queue's is the
    // one this frame is at (a click's release held back, a second click not yet come).
    ImGuiIO& io = ImGui::GetIO();
    for (int b = 0; b < InputQueue::kButtons; ++b) io.MouseDown[b] = input_.button_down(b);
    ImGui::NewFrame();
    if (heatmaps_) heatmaps_->begin_frame();
    if (pictures_) pictures_->begin_frame();
}

void Window::end_frame() {
    ImGui::Render();
    // Present the previous frame, then draw this one and let the GL start on it. With
    // a software rasterizer (llvmpipe, as under Xvfb) the swap waits until the frame is
    // rasterized: drawing frame N after presenting N-1 lets the raster threads work on N
    // while the CPU builds N+1, where draw-swap-finish made them take turns. A frame
    // reaches the screen one loop later; the loop's period is still the frame time
    // (the benchmarks count the rasterizer's work through the swap's wait).
    if (frame_drawn_) glfwSwapBuffers(window_);
    render::draw_frame(framebuffer_width(), framebuffer_height(),
                       clear_override_ ? ImVec4(clear_[0], clear_[1], clear_[2], 1)
                                       : ImGui::GetStyle().Colors[ImGuiCol_WindowBg]);  // the tiled panels have no background
    render::start_frame();
    frame_drawn_ = true;
}

int Window::framebuffer_width() const {
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    return w;
}

int Window::framebuffer_height() const {
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    return h;
}

int Window::monitor_count() const {
    int count = 0;
    glfwGetMonitors(&count);
    return count;
}

void Window::set_full_screen(int monitor) {
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    if (monitor >= count) monitor = 0;
    const bool leave = monitor < 0;
    if (leave == (glfwGetWindowMonitor(window_) == nullptr)) return;  // already so
    if (leave) {
        glfwSetWindowMonitor(window_, nullptr, windowed_[0], windowed_[1], windowed_[2], windowed_[3], 0);
        return;
    }
    if (count == 0) return;
    glfwGetWindowPos(window_, &windowed_[0], &windowed_[1]);
    glfwGetWindowSize(window_, &windowed_[2], &windowed_[3]);
    const GLFWvidmode* mode = glfwGetVideoMode(monitors[monitor]);
    if (!mode) return;
    screen_height_ = mode->height;
    glfwSetWindowMonitor(window_, monitors[monitor], 0, 0, mode->width, mode->height, mode->refreshRate);
}

void Window::set_title(const std::string& title) {
    if (title == title_) return;
    title_ = title;
    glfwSetWindowTitle(window_, title.c_str());
}

}  // namespace convscope::gui
