#pragma once
/// \file panels.hpp
/// One function per panel, each in its own file; all take the one AppState.
#include <imgui.h>

#include "app/gui/app_state.hpp"
#include "app/gui/render/heatmap_renderer.hpp"

namespace convscope::gui {

/// The four tiled panels: never raised over the floating windows (export, session,
/// help), not collapsible (the layout has no gap to show), and without a background of
/// their own: the frame is cleared to the window colour instead, which saves a
/// full-screen blended pass (a fifth of a frame under a software rasterizer).
inline constexpr ImGuiWindowFlags kTiledPanelFlags =
    ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBackground;

void draw_menu_bar(AppState& state);          ///< panel_menu.cpp (also the global shortcuts)
void draw_parameters_panel(AppState& state);  ///< panel_parameters.cpp
void draw_timeline_panel(AppState& state);    ///< panel_timeline.cpp
/// `heatmaps` is null when the shaders could not be built (cells drawn as rectangles).
void draw_canvas_panel(AppState& state, render::HeatmapRenderer* heatmaps);  ///< panel_canvas.cpp
void draw_receptive_field_panel(AppState& state, render::HeatmapRenderer* heatmaps);  ///< panel_receptive_field.cpp
void draw_code_panel(AppState& state);        ///< panel_code.cpp
void draw_matrix_panel(AppState& state, render::HeatmapRenderer* heatmaps);  ///< panel_matrix.cpp
void draw_session_dialog(AppState& state);    ///< panel_session.cpp
void draw_export_panel(AppState& state);      ///< panel_export.cpp
void handle_shortcuts(AppState& state);       ///< panel_timeline.cpp
void draw_help_window(AppState& state);       ///< panel_help.cpp

}  // namespace convscope::gui
