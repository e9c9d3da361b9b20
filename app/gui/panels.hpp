#pragma once
/// \file panels.hpp
/// One function per panel, each in its own file; all take the one AppState.
#include "app/gui/app_state.hpp"

namespace convscope::gui {

void draw_parameters_panel(AppState& state);  ///< panel_parameters.cpp
void draw_timeline_panel(AppState& state);    ///< panel_timeline.cpp
void draw_canvas_panel(AppState& state);      ///< panel_canvas.cpp
void draw_code_panel(AppState& state);        ///< panel_code.cpp
void handle_shortcuts(AppState& state);       ///< panel_timeline.cpp

}  // namespace convscope::gui
