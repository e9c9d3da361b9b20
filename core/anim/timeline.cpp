#include "core/anim/timeline.hpp"

#include <algorithm>

#include "core/base/errors.hpp"

namespace convscope {

const char* granularity_name(Granularity g) {
    switch (g) {
        case Granularity::Tap: return "tap";
        case Granularity::Cell: return "cell";
        case Granularity::Row: return "row";
        case Granularity::Channel: return "channel";
    }
    return "?";
}

Granularity parse_granularity(const std::string& name) {
    for (Granularity g : {Granularity::Tap, Granularity::Cell, Granularity::Row, Granularity::Channel})
        if (name == granularity_name(g)) return g;
    throw UserError("granularity '" + name.substr(0, 40) + "' is unknown: expected tap, cell, row, channel or auto");
}

std::int64_t Timeline::frame_count() const {
    switch (granularity) {
        case Granularity::Tap: return steps * taps_per_step;
        case Granularity::Cell: return steps;
        case Granularity::Row: return (steps + row_length - 1) / row_length;
        case Granularity::Channel: return channels;
    }
    return 1;
}

FramePosition Timeline::at(std::int64_t frame) const {
    frame = std::clamp<std::int64_t>(frame, 0, std::max<std::int64_t>(0, frame_count() - 1));
    FramePosition p;
    p.channel = channel;
    switch (granularity) {
        case Granularity::Tap:
            p.steps_done = frame / taps_per_step;
            p.extra_taps = frame % taps_per_step + 1;
            if (p.extra_taps == taps_per_step) {
                ++p.steps_done;
                p.extra_taps = 0;
            }
            break;
        case Granularity::Cell: p.steps_done = frame + 1; break;
        case Granularity::Row:
            p.steps_done = std::min(steps, (frame + 1) * row_length);
            p.shown_step = std::min(steps - 1, frame * row_length + row_length / 2);
            break;
        case Granularity::Channel:
            // Every cell of the channel is done: show the one in the middle of the map.
            p.channel = frame;
            p.steps_done = steps;
            p.shown_step = std::min(steps - 1, (steps / row_length / 2) * row_length + row_length / 2);
            break;
    }
    return p;
}

Granularity auto_granularity(std::int64_t steps, std::int64_t taps, std::int64_t /*row_length*/, std::int64_t max_frames) {
    if (steps * taps <= max_frames) return Granularity::Tap;
    if (steps <= max_frames) return Granularity::Cell;
    return Granularity::Row;
}

}  // namespace convscope
