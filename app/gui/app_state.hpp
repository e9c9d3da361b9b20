#pragma once
/// \file app_state.hpp
/// Everything the desktop app knows, in one struct passed to every panel (no
/// function-local statics). Only `rebuild` turns parameters into a new step engine.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/steps.hpp"
#include "core/timeline.hpp"

namespace convscope::gui {

struct AppState {
    // What is being shown.
    std::string preset_name;
    std::array<std::int64_t, 4> input_shape{1, 1, 5, 5};
    std::vector<Layer> layers;
    int layer_index = 0;            ///< the layer being animated
    unsigned seed = 1;              ///< random inputs and weights
    std::int64_t in_channel = 0;    ///< input channel drawn
    std::int64_t out_channel = 0;   ///< output channel computed
    TransposedView view = TransposedView::Scatter;

    // Derived by rebuild().
    std::unique_ptr<StepEngine> engine;
    Timeline timeline;
    std::string error;              ///< why the last edit was refused (shown in red)

    // Playback.
    std::int64_t frame = 0;
    bool playing = true;
    bool loop = true;
    float frames_per_second = 12.0f;
    double frame_clock = 0.0;

    // UI.
    bool dark = true;
    bool show_help = false;
    std::string code_text;          ///< the code panel's editable text
    std::string code_error;
};

/// Load a preset into the state (layers, input shape) and rebuild.
void load_preset(AppState& state, const std::string& name);
/// Recompute the engine and timeline from the parameters. On a refused configuration
/// the previous engine stays on screen and `error` says why.
void rebuild(AppState& state);
/// Advance playback by `dt` seconds.
void advance(AppState& state, double dt);

}  // namespace convscope::gui
