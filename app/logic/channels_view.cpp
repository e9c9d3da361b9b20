// The channels view's state and scene cache (see channels_view.hpp).
#include "app/logic/channels_view.hpp"

#include <algorithm>

namespace convscope::gui {

void reset_channels_view(ChannelsViewState& channels) {
    channels.projection = ChannelsProjection{};
    reset_view(channels.view);
}

void orbit_channels(ChannelsProjection& p, float dx, float dy) {
    // 0.4 degree a pixel: a drag across a slab turns it by about a right angle's worth.
    p.angle_deg = std::clamp(p.angle_deg - 0.4f * dy, kChannelsMinAngle, kChannelsMaxAngle);
    p.depth = std::clamp(p.depth * (1.0f + 0.004f * dx), kChannelsMinDepth, kChannelsMaxDepth);
}

namespace {

bool hit_grid(const GridPlacement& g, float sx, float sy, ChannelsHit& hit) {
    if (!g.contains(sx, sy)) return false;
    hit.row = std::int64_t((sy - g.y) / g.cell);
    hit.col = std::int64_t((sx - g.x) / g.cell);
    return true;
}

}  // namespace

ChannelsHit channels_hit(const ChannelsScene& cs, float sx, float sy) {
    ChannelsHit hit;
    // The output slab being computed is in front of the other outputs; slab 0 is the front of each stack.
    const std::int64_t active = cs.active_output;
    if (active >= 0 && std::size_t(active) < cs.output_slabs.size() && hit_grid(cs.output_slabs[std::size_t(active)], sx, sy, hit)) {
        hit.kind = ChannelsHit::Kind::Output;
        hit.index = active;
        return hit;
    }
    for (std::size_t k = 0; k < cs.output_slabs.size(); ++k)
        if (hit_grid(cs.output_slabs[k], sx, sy, hit)) {
            hit.kind = ChannelsHit::Kind::Output;
            hit.index = std::int64_t(k);
            return hit;
        }
    for (std::size_t k = 0; k < cs.filter_blocks.size(); ++k)
        if (hit_grid(cs.filter_blocks[k], sx, sy, hit)) {
            hit.kind = ChannelsHit::Kind::Filter;
            hit.index = std::int64_t(k);
            return hit;
        }
    for (std::size_t k = 0; k < cs.input_slabs.size(); ++k)
        if (hit_grid(cs.input_slabs[k], sx, sy, hit)) {
            hit.kind = ChannelsHit::Kind::Input;
            hit.index = std::int64_t(k);
            return hit;
        }
    return hit;
}

}  // namespace convscope::gui
