#pragma once
/// \file run_app.hpp
/// The desktop app's entry point.
#include <string>
#include <vector>

namespace convscope::gui {

struct LaunchOptions {
    std::string preset;        ///< open this preset (empty: see below)
    std::string session_path;  ///< or this session file
    std::string image;         ///< then this picture as the input (or the lab's picture)
    /// With neither: the session the app was closed on last time, else seed-dilated.

    /// `bench --ui`: for each of these presets in turn (one window), vsync off, the
    /// animation advanced one frame per drawn frame for `bench_frames` frames; frame
    /// times (ms) go to (*frame_times)[i]. Nothing is kept for the next launch.
    std::vector<std::string> bench_presets;
    int bench_frames = 300;
    std::vector<std::vector<double>>* frame_times = nullptr;
    /// `bench --ui --drag`: instead, a 1x16x256x256 input under a 16-channel conv, its
    /// dilation changed every frame as a slider drag would (one list of frame times).
    bool bench_drag = false;
};

/// Open the desktop window and run until it is closed (window, Ctrl+Q, SIGTERM or
/// SIGINT; the session is kept for the next launch in every case). Returns the exit
/// status (1 with an "error:" line when no window can be opened).
int run_app(const LaunchOptions& options);

/// $XDG_CONFIG_HOME/convscope/last-session.json (or ~/.config/...).
std::string autosave_path();

}  // namespace convscope::gui
