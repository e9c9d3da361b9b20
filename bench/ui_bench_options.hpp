#pragma once
/// \file ui_bench_options.hpp
/// `convscope bench --ui`: what it plays. The app's own frame loop runs it, driven by a
/// benchmark instead of the clock (app/desktop/ui_bench.hpp); the command line only
/// asks for it (app/cli/bench_command.cpp), so it takes the runner as a function.
#include <functional>
#include <string>
#include <vector>

namespace convscope {

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
    /// Instead: the presenter on the first shipped deck, full screen, every slide in turn
    /// (`frames` / 4 frames each, its answer revealed half-way), one list of frame times.
    bool present = false;
};

/// Opens the window and runs the benchmark; the exit status of the app. Nothing is kept
/// for the next launch.
using UiBenchRunner = std::function<int(const UiBenchOptions&)>;

}  // namespace convscope
