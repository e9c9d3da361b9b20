#pragma once
/// \file app_lab.hpp
/// The app's side of the upsampling lab (core/learn/lab.hpp) and of real pictures: opening a
/// lab preset starts its LabRunner (training on a worker thread), and a picture opened
/// by File > Open picture, drag and drop or `convscope --image` becomes the lab's
/// picture, or the session's input otherwise. No GL, no ImGui: the tests drive these.
#include <string>
#include <vector>

#include "app/logic/app_state.hpp"

namespace convscope::gui {

/// Start the lab of a lab preset with the state's lab settings, paused at step 0 (the
/// class sees the models before they learn; Train starts them). On a refusal the lab
/// stays as it was, `message` says why and the result is false.
bool open_lab(AppState& state, const std::string& preset, std::string& message);
/// Rebuild the lab from lab_settings (reset: every model back to its initial weights,
/// a diverged one too), paused at step 0.
bool reset_lab(AppState& state);

// The lab toolbar's actions (panel_lab.cpp calls these; the tests drive them).
void lab_train(AppState& state);
void lab_pause(AppState& state);
/// One update of every model still training (pauses).
void lab_step(AppState& state);
/// The optimizer and learning rate from the next step (each model's optimizer starts
/// afresh). A learning rate that is not a number, not above 0 or above 10 is refused:
/// false, lab_message says why and the lab keeps its optimizer.
bool set_lab_optimizer(AppState& state, OptimizerSettings::Kind kind, double lr);
/// The learning-rate rule of set_lab_optimizer and `convscope --lr`: "" when `lr` is
/// accepted, else why not.
std::string lab_lr_problem(double lr);
/// The lab's messages not reported yet (a model that diverged, an error that stopped
/// training), each once: the app prints them to stderr as notes.
std::vector<std::string> new_lab_notes(AppState& state);
/// Open the dilation-context view on `path` (empty: the shipped picture) with `kernel`;
/// a refused picture keeps the view as it was (message says why, false).
bool open_context_view(AppState& state, const std::string& path, ContextKernel kernel, std::string& message);
/// Open a picture: the dilation-context view's when it is open, the lab's when a lab is open, else the session's input
/// (use_picture). A refused picture keeps the current one; picture_message says what
/// happened (what was done to the picture, or why it was refused).
bool open_picture(AppState& state, const std::string& path);

}  // namespace convscope::gui
