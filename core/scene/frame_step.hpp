#pragma once
/// \file frame_step.hpp
/// Which step a frame draws and how many of its taps: the one reading of a
/// FramePosition that every frame builder (flat, perspective) shares, so that the
/// styles agree on what is being computed. Internal to the scene builders.
#include <cstdint>

#include "core/anim/steps.hpp"
#include "core/anim/timeline.hpp"

namespace convscope {

/// Tap granularity inside a step: one tap is being added (the ones before it are summed).
inline bool adding_tap_by_tap(const FramePosition& f) { return f.extra_taps > 0 && f.shown_step < 0; }

/// The step whose taps are drawn: the frame's shown step, else the one in progress,
/// else the last finished one; -1 when there is none.
inline std::int64_t drawn_step(const StepEngine& e, const FramePosition& f) {
    const std::int64_t k = f.shown_step >= 0 ? f.shown_step : f.extra_taps > 0 || f.steps_done == 0 ? f.steps_done : f.steps_done - 1;
    return k >= 0 && k < e.step_count() ? k : -1;
}

/// Taps of the drawn step shown: at tap granularity those added so far, else all.
inline std::int64_t drawn_taps(const StepEngine& e, const FramePosition& f) {
    return adding_tap_by_tap(f) ? f.extra_taps : e.taps_per_step();
}

}  // namespace convscope
