#pragma once
/// \file window.hpp
/// The desktop window, its OpenGL 3.3 context and the ImGui context, as one object:
/// built in order by the constructor and torn down in reverse by the destructor (the
/// heat maps' GL textures first, while the context still exists), so no return
/// path of the frame loop can leak or misorder them.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/logic/input_queue.hpp"

struct GLFWwindow;
struct ImFont;
struct ImGuiContext;
struct ImGuiStyle;

namespace convscope::gui {

namespace render { class HeatmapRenderer; class PictureTextures; }

class Window {
public:
    /// Opens a `width` x `height` window titled `title`; vsync off for benchmarks. With
    /// `monitor` (0-based in GLFW's list) it opens full screen there, at its size.
    /// Returns null after printing one "error:" line when there is no display, no
    /// OpenGL 3.3, or no such monitor ("--monitor 3: there are 2 monitors (1 to 2)").
    static std::unique_ptr<Window> open(int width, int height, const std::string& title, bool vsync, bool dark, int monitor = -1);
    /// A second window beside `main` (the presenter window): its GL context shares
    /// `main`'s textures and buffers, its ImGui context `main`'s fonts; its keys and
    /// characters go to `main`'s input queue, so a key works from either window, and its
    /// mouse to its own ImGui. On `monitor` (0-based) it fills that monitor's work area;
    /// with -1 it is a window over `main`'s screen. Never vsynced (`main`'s swap paces
    /// the loop). Must be destroyed before `main`; null (with a warning) if it cannot open.
    static std::unique_ptr<Window> open_beside(Window& main, const std::string& title, int monitor);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    /// False once the user closed the window (its close button or the window manager).
    bool open() const;
    /// Seconds since the window opened.
    double time() const;
    /// Poll events (keys, buttons and characters go to ImGui through the input queue, a
    /// frame's share at a time: input_queue.hpp), apply the theme and the text size (percent of the normal size) if
    /// they changed, start an ImGui frame.
    void begin_frame(bool dark, int text_size_percent);
    /// Present the frame drawn by the previous call, then render ImGui's draw data over
    /// the cleared framebuffer and start the GL on it (see window.cpp for why).
    void end_frame();
    /// The framebuffer's size in pixels.
    int framebuffer_width() const;
    int framebuffer_height() const;
    /// The display's content scale (HiDPI), at least 1, times the text size: how much
    /// larger than at 96 dpi and 100 % everything is drawn.
    float scale() const { return scale_ * float(text_size_percent_) / 100.0f; }
    /// The pixel rows of the screen the window opened on (0 unknown, and for benchmarks),
    /// and its content scale (at least 1): what the first text size is chosen from.
    int screen_height() const { return screen_height_; }
    float content_scale() const { return scale_; }
    /// The heat maps' textures (one set per window: its GL context's).
    render::HeatmapRenderer* heatmaps() { return heatmaps_.get(); }
    /// Textures of colour pictures (the upsampling lab).
    render::PictureTextures& pictures() { return *pictures_; }
    /// The files dropped on the window since the last call (glfwSetDropCallback).
    std::vector<std::string> take_dropped_paths();
    /// Clear the frame to (r, g, b) instead of the theme's window colour (the presenter's
    /// page colour), until called with `on` false.
    void set_clear_color(bool on, float r = 0, float g = 0, float b = 0) {
        clear_override_ = on;
        clear_[0] = r, clear_[1] = g, clear_[2] = b;
    }
    /// The monitors connected.
    int monitor_count() const;
    /// Full screen on `monitor` (0-based; the first when there is no such one), or back
    /// to the window it was (-1).
    void set_full_screen(int monitor);
    /// Set the title bar's text (only when it changed).
    void set_title(const std::string& title);

private:
    /// One rasterized font per text size offered and per size the canvas writes in.
    void load_fonts();
    /// Dropped files, and keys, buttons and characters into the input queue.
    void install_callbacks();
    /// This window's GL and ImGui contexts made current (a no-op with one window).
    void make_current();
    Window() = default;
    GLFWwindow* window_ = nullptr;
    ImGuiContext* imgui_ = nullptr;
    bool owns_glfw_ = true;             ///< the first window initialised GLFW and terminates it
    Window* keys_to_ = nullptr;         ///< a window beside another sends it its keys
    Window* main_ = nullptr;            ///< the window this one was opened beside
    void* main_font_texture_ = nullptr; ///< the shared font atlas's texture before this window made its own
    bool keep_focus_ = false;           ///< a window beside it sends keys: losing focus clears no key
    bool imgui_context_ = false, imgui_glfw_ = false, imgui_gl_ = false;
    bool dark_ = false;
    bool frame_drawn_ = false;
    bool font_texture_unfiltered_ = false;  ///< the atlas is sampled GL_NEAREST (see open())  ///< a frame waits in the back buffer for the next swap
    float scale_ = 1.0f;
    int screen_height_ = 0;
    int windowed_[4] = {0, 0, 1280, 800};
    bool clear_override_ = false;
    float clear_[3] = {0, 0, 0};  ///< x, y, width, height before going full screen
    int text_size_percent_ = 100;
    std::vector<std::pair<int, ImFont*>> fonts_;         ///< the font at each text size offered
    std::unique_ptr<ImGuiStyle> base_style_;              ///< sizes at 100 %, before any scaling
    std::string title_;
    std::unique_ptr<render::HeatmapRenderer> heatmaps_;
    std::unique_ptr<render::PictureTextures> pictures_;
    std::vector<std::string> dropped_;
    InputQueue input_;  ///< keys, buttons and characters not yet handed to ImGui
};

}  // namespace convscope::gui
