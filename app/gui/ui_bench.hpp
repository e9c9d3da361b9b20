#pragma once
/// \file ui_bench.hpp
/// What the frame loop does to the state each frame besides drawing it: play the
/// animation in real time for a user, or drive one of the `bench --ui` benchmarks.
#include <memory>

#include "app/gui/app_state.hpp"
#include "app/gui/run_app.hpp"

namespace convscope::gui {

class FrameDriver {
public:
    virtual ~FrameDriver() = default;
    /// A benchmark: vsync off, the GPU waited for in every frame, no session kept.
    virtual bool benchmark() const = 0;
    /// Before the panels are drawn; `now` in seconds.
    virtual void before_frame(AppState& state, double now) = 0;
    /// After the frame was presented, with its time; false ends the loop.
    virtual bool after_frame(AppState& state, double frame_ms) = 0;
};

/// Playback for a user: the animation advances with the clock.
std::unique_ptr<FrameDriver> make_playback_driver();
/// The benchmark `options` ask for (bench_presets or bench_drag), its first
/// configuration loaded into `state`; null when they ask for none.
std::unique_ptr<FrameDriver> make_bench_driver(const LaunchOptions& options, AppState& state);

}  // namespace convscope::gui
