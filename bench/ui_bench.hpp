#pragma once
/// \file ui_bench.hpp
/// `convscope bench --ui`: the app's own frame loop, driven by a benchmark instead of
/// the clock, with the frame times kept.
#include <string>
#include <vector>

namespace convscope::gui {

struct UiBenchOptions {
    /// For each of these presets in turn (one window), vsync off, the animation advanced
    /// one frame per drawn frame for `frames` frames; frame times (ms) go to
    /// (*frame_times)[i]. "channels:NAME" plays preset NAME in the channels view.
    std::vector<std::string> presets;
    int frames = 300;
    std::vector<std::vector<double>>* frame_times = nullptr;
    /// Instead: a 1x16x256x256 input under a 16-channel conv, its dilation changed every
    /// frame as a slider drag would (one list of frame times).
    bool drag = false;
};

/// Open the window and run the benchmark; the exit status of run_app. Nothing is kept
/// for the next launch.
int run_ui_bench(const UiBenchOptions& options);

}  // namespace convscope::gui
