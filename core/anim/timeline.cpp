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
    if (name == "input-cell" || name == "output-cell") return Granularity::Cell;
    throw UserError("granularity '" + name.substr(0, 40) +
                    "' is unknown: expected tap, cell (or input-cell, output-cell), row, channel or auto");
}

namespace {

std::int64_t step_frames(const Timeline& t) {
    switch (t.granularity) {
        case Granularity::Tap: return t.steps * t.taps_per_step;
        case Granularity::Cell: return t.steps;
        case Granularity::Row: return (t.steps + t.row_length - 1) / t.row_length;
        case Granularity::Channel: return t.channels;
    }
    return 1;
}

}  // namespace

std::int64_t Timeline::frame_count() const {
    return step_frames(*this) + (crop_act && granularity != Granularity::Channel ? 1 : 0);
}

std::int64_t Timeline::frame_of_step(std::int64_t k) const {
    k = std::clamp<std::int64_t>(k, 0, std::max<std::int64_t>(0, steps - 1));
    switch (granularity) {
        case Granularity::Tap: return k * taps_per_step + (taps_per_step - 1) / 2;
        case Granularity::Cell: return k;
        case Granularity::Row: return k / row_length;
        case Granularity::Channel: return channel;
    }
    return 0;
}

FramePosition Timeline::at(std::int64_t frame) const {
    frame = std::clamp<std::int64_t>(frame, 0, std::max<std::int64_t>(0, frame_count() - 1));
    FramePosition p;
    p.channel = channel;
    if (frame >= step_frames(*this)) {  // the crop act: every step done, nothing lit
        p.steps_done = steps;
        p.crop = true;
        return p;
    }
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

Granularity auto_granularity(std::int64_t steps, std::int64_t /*taps*/, std::int64_t /*row_length*/, std::int64_t max_frames) {
    // The natural unit is one output cell (the footprint jumps by the stride) or one
    // input cell's stamp: tap by tap, 2x2 -> 5x5 took 36 frames to say what 4 say.
    return steps <= max_frames ? Granularity::Cell : Granularity::Row;
}

}  // namespace convscope
