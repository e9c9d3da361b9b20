#pragma once
/// \file timeline.hpp
/// Frames of an animation over the step engine at a chosen granularity: one frame per
/// kernel tap, per output cell (input cell in the scatter view), per row of cells, or
/// per output channel. `auto` steps one output cell (one input cell in the scatter
/// view) at a time while that stays under about 300 frames, else one row; `tap` only
/// when asked.
#include <cstdint>
#include <string>

namespace convscope {

enum class Granularity { Tap, Cell, Row, Channel };

const char* granularity_name(Granularity g);
/// "tap", "cell", "row" or "channel" ("input-cell" and "output-cell" name the cell
/// step: one input cell stamping its kernel in a transposed layer's scatter view, one
/// output cell otherwise); UserError otherwise.
Granularity parse_granularity(const std::string& name);

/// What frame f shows: the steps finished, and taps of the next step already done.
struct FramePosition {
    std::int64_t channel = 0;      ///< output channel (changes only per-channel)
    std::int64_t steps_done = 0;
    std::int64_t extra_taps = 0;
    /// The step whose taps are drawn; -1: the one in progress, or the last finished.
    /// Row granularity shows the middle cell of the row just finished, so that the
    /// kernel is seen crossing the interior rather than crawling down the right edge
    /// (half of it in the padding).
    std::int64_t shown_step = -1;
    /// The scatter view of a padded transposed layer, after the last stamp: the padding
    /// crops the ring around the output (no step's taps are drawn).
    bool crop = false;
};

struct Timeline {
    std::int64_t steps = 1;          ///< steps of one channel (cells)
    std::int64_t taps_per_step = 1;
    std::int64_t row_length = 1;     ///< steps per row
    std::int64_t channels = 1;       ///< output channels
    std::int64_t channel = 0;        ///< the channel shown at tap/cell/row granularity
    Granularity granularity = Granularity::Row;
    /// One more frame after the steps, where the padding crops the ring (the scatter
    /// view of a transposed layer with padding); not at channel granularity.
    bool crop_act = false;

    std::int64_t frame_count() const;
    FramePosition at(std::int64_t frame) const;
    /// The frame that shows step k (at tap granularity: part-way through its taps; at
    /// row granularity: its row; at channel granularity: the shown channel).
    std::int64_t frame_of_step(std::int64_t k) const;
};

/// One output cell a step (one input cell in the scatter view) while the steps stay
/// under `max_frames`, else one row: a tap per frame only when asked for.
Granularity auto_granularity(std::int64_t steps, std::int64_t taps_per_step, std::int64_t row_length,
                             std::int64_t max_frames = 300);

}  // namespace convscope
