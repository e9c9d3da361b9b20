#pragma once
/// \file documents.hpp
/// What the app opens and saves: presets, session files and the files chosen in the
/// desktop's file chooser. The one place that knows that a lab, the dilation-context
/// view and a picture are documents too (app_lab.hpp), so that AppState need not.
#include <string>

#include "app/logic/app_state.hpp"

namespace convscope::gui {

/// Open a preset: its session, rebuilt, playing, not yet saved anywhere (Ctrl+S asks
/// where). UserError for an unknown name.
void load_preset(AppState& state, const std::string& name);
/// Open a session file, paused on its saved frame; on failure (unreadable, or a
/// configuration the core refuses) the current session and picture stay and
/// file_message says why.
bool open_session_file(AppState& state, const std::string& path);
/// Save the session (atomically); file_message says what happened.
bool save_session_file(AppState& state, const std::string& path);
/// Open the desktop's file chooser for `purpose` (non-blocking; poll_file_chooser takes
/// the answer). False when there is none (no zenity): use the typed-path dialog.
bool choose_file(AppState& state, AppState::ChooserPurpose purpose);
/// Once the chooser has closed: open or save the session there, or take the path
/// as the export's (with the export format's extension). Call once per frame.
void poll_file_chooser(AppState& state);

}  // namespace convscope::gui
