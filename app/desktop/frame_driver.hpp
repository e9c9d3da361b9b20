#pragma once
/// \file frame_driver.hpp
/// What the frame loop does to the state each frame besides drawing it: play the
/// animation in real time for a user, or drive a benchmark (bench/ui_bench.hpp).
#include <functional>
#include <memory>

#include "app/logic/app_state.hpp"

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

/// Makes the driver of a run once the state has its first session (it may load
/// another one into it).
using FrameDriverFactory = std::function<std::unique_ptr<FrameDriver>(AppState&)>;

/// Playback for a user: the animation advances with the clock.
std::unique_ptr<FrameDriver> make_playback_driver();

}  // namespace convscope::gui
