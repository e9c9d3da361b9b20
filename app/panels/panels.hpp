#pragma once
/// \file panels.hpp
/// One function per panel, each in its own file; all take the one AppState.
#include <imgui.h>

#include "app/logic/app_state.hpp"
#include "app/logic/documents.hpp"
#include "app/render/heatmap_renderer.hpp"
#include "app/render/picture_textures.hpp"

namespace convscope::gui {

/// The four tiled panels: never raised over the floating windows (export, session,
/// help), not collapsible (the layout has no gap to show), and without a background of
/// their own: the frame is cleared to the window colour instead, which saves a
/// full-screen blended pass (a fifth of a frame under a software rasterizer).
/// They are placed every frame (layout.cpp), so they are not moved or resized by hand.
inline constexpr ImGuiWindowFlags kTiledPanelFlags = ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoCollapse |
                                                     ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
                                                     ImGuiWindowFlags_NoResize;

/// A window over the whole display, without padding, border or background, that a
/// full-screen page (the presenter, the presenter window) draws into by its draw list;
/// end it with end_full_screen_page().
inline void begin_full_screen_page(const char* name) {
    ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize, ImGuiCond_Always);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
}
inline void end_full_screen_page() {
    ImGui::End();
    ImGui::PopStyleVar(2);
}

void draw_menu_bar(AppState& state);          ///< panel_menu.cpp (also the global shortcuts)
void draw_parameters_panel(AppState& state);  ///< panel_parameters.cpp
void draw_timeline_panel(AppState& state);    ///< panel_timeline.cpp
/// `heatmaps` is null where no heat-map drawer exists (cells drawn as rectangles).
void draw_canvas_panel(AppState& state, render::HeatmapRenderer* heatmaps);  ///< panel_canvas.cpp
/// The canvas's channels view (panel_channels.cpp), drawn inside the canvas panel.
void draw_channels_canvas(AppState& state, render::HeatmapRenderer* heatmaps);
void draw_receptive_field_panel(AppState& state, render::HeatmapRenderer* heatmaps);  ///< panel_receptive_field.cpp
/// The field of (row, col) at the output of `layer` of `session`, kept in `cache` while
/// neither changes (the canvas and the receptive-field panel share it).
const RfCache& receptive_field(RfCache& cache, std::uint64_t generation, const std::string& preset, const Session& session,
                               std::int64_t layer, std::int64_t row, std::int64_t col);
void draw_code_panel(AppState& state);        ///< panel_code.cpp
void draw_matrix_panel(AppState& state, render::HeatmapRenderer* heatmaps);  ///< panel_matrix.cpp
void draw_session_dialog(AppState& state);    ///< panel_session.cpp
void draw_export_panel(AppState& state);      ///< panel_export.cpp
/// The upsampling lab: controls, every model's output, error, spectrum and kernels, the
/// loss and checkerboard charts. `pictures` uploads the pictures as textures.
void draw_lab_panel(AppState& state, render::PictureTextures& pictures);  ///< panel_lab.cpp
/// The dilation-context view: the kernel's choice, the picture, the three maps.
void draw_dilation_context_panel(AppState& state, render::PictureTextures& pictures);  ///< panel_context.cpp
/// A scene of pictures in the current window: its heat maps as textures (uploaded when
/// `version` changes), then `overlay` (the same scene without heat maps) over them, then
/// room for the whole scene. Returns the scene's top-left on screen.
ImVec2 draw_picture_scene(const Scene& scene, const Scene& overlay, std::uint64_t version, render::PictureTextures& pictures);
/// File > Open picture without a desktop chooser: a path to type.
void draw_picture_dialog(AppState& state);    ///< panel_lab.cpp
void handle_shortcuts(AppState& state);       ///< panel_timeline.cpp
/// The deck being presented, full screen, and the presenter's keys (panel_present.cpp).
/// `now`: the window's clock in seconds (both windows' clocks count from the same start).
void draw_presenter(AppState& state, render::HeatmapRenderer* heatmaps, render::PictureTextures& pictures, double now);
/// A slide's page at `origin`: its heat maps through `heatmaps`, or (a page with
/// pictures) as textures in `pictures` from `first_slot` on, uploaded when `version` changes.
void draw_slide_page(ImDrawList* list, const Scene& page, ImVec2 origin, std::uint64_t version, render::HeatmapRenderer* heatmaps,
                     render::PictureTextures& pictures, std::size_t first_slot = 0);
/// The presenter window (panel_presenter_window.cpp): this slide small, the next page,
/// the notes in large type, "3 / 13", the wall clock and the time since the start (its
/// Reset button), and "audience screen blanked" while B blanks the projector.
void draw_presenter_window(AppState& state, PresenterDesk& desk, render::HeatmapRenderer* heatmaps, render::PictureTextures& pictures,
                           double now);
/// What the screen is cleared to under the presenter: the page's background, black while blank.
Color presenter_clear_color(AppState& state);
void draw_help_window(AppState& state);       ///< panel_help.cpp
void draw_deck_panel(AppState& state);        ///< panel_deck.cpp (the deck being built)
void draw_quiz_panel(AppState& state);        ///< panel_quiz.cpp (self-study questions)

}  // namespace convscope::gui
