#pragma once
/// \file app_lab.hpp
/// The app's side of the upsampling lab (core/learn/lab.hpp) and of real pictures: opening a
/// lab preset starts its LabRunner (training on a worker thread), and a picture opened
/// by File > Open picture, drag and drop or `convscope --image` becomes the lab's
/// picture, or the session's input otherwise. No GL, no ImGui: the tests drive these.
#include <string>

#include "app/logic/app_state.hpp"

namespace convscope::gui {

/// Start the lab of a lab preset with the state's lab settings (playing). On a refusal
/// the lab stays as it was, `message` says why and the result is false.
bool open_lab(AppState& state, const std::string& preset, std::string& message);
/// Rebuild the lab from lab_settings (reset: every model back to its initial weights).
bool reset_lab(AppState& state);
/// Open the dilation-context view on `path` (empty: the shipped picture) with `kernel`;
/// a refused picture keeps the view as it was (message says why, false).
bool open_context_view(AppState& state, const std::string& path, ContextKernel kernel, std::string& message);
/// Open a picture: the dilation-context view's when it is open, the lab's when a lab is open, else the session's input
/// (use_picture). A refused picture keeps the current one; picture_message says what
/// happened (what was done to the picture, or why it was refused).
bool open_picture(AppState& state, const std::string& path);

}  // namespace convscope::gui
