// The channels view's state and scene cache (see channels_view.hpp).
#include "app/gui/channels_view.hpp"

#include <algorithm>

#include "app/gui/app_state.hpp"

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

const ChannelsScene& current_channels_scene(AppState& state, float width, float height) {
    ChannelsViewState& c = state.channels;
    if (!c.data || c.data_generation != state.generation) {
        c.data.emplace(*state.animation);
        c.data_generation = state.generation;
    }
    const Session& s = state.session;
    if (c.scene && c.generation == state.generation && c.frame == s.frame && c.width == width && c.height == height && c.dark == s.dark &&
        c.style == s.style && c.angle == c.projection.angle_deg && c.depth == c.projection.depth)
        return *c.scene;
    SceneOptions opt;
    opt.width = width;
    opt.height = height;
    opt.dark = s.dark;
    opt.style = s.style;
    ChannelsProjection projection = c.projection;
    projection.cull_hidden_cells = true;  // on screen only what is seen is filled
    c.scene = build_channels_scene(*state.animation, *c.data, s.frame, opt, projection);
    c.generation = state.generation;
    c.frame = s.frame;
    c.width = width;
    c.height = height;
    c.dark = s.dark;
    c.style = s.style;
    c.angle = c.projection.angle_deg;
    c.depth = c.projection.depth;
    return *c.scene;
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

bool select_from_hit(AppState& state, const ChannelsHit& hit) {
    if (!state.animation) return false;
    const Layer& L = state.animation->engine().layer();
    std::int64_t channel = -1;
    if (hit.kind == ChannelsHit::Kind::Output) channel = hit.index;
    if (hit.kind == ChannelsHit::Kind::Filter && L.kind == LayerKind::Conv2d) channel = hit.index;
    if (channel < 0 || channel == state.session.out_channel) return false;
    state.session.out_channel = channel;
    return true;
}

}  // namespace convscope::gui
