#pragma once
/// \file channels_view.hpp
/// The canvas's channels view (View > Channels, key `c`): the animated layer's whole
/// tensor (core/scene/scene_channels.hpp) with its projection, zoom and pan, and the scene of
/// the frame shown, rebuilt only when something it shows changed. Windowless: the tests
/// drive it as panel_channels.cpp does.
#include <cstdint>
#include <optional>

#include "app/logic/canvas_view.hpp"
#include "core/scene/scene_channels.hpp"

namespace convscope::gui {


struct ChannelsViewState {
    bool enabled = false;
    ChannelsProjection projection;  ///< the drag turns it (angle) and stretches it (depth)
    CanvasView view;                ///< wheel zoom about the mouse, right or middle drag pans

    // Built once per configuration, and the last frame's scene.
    std::optional<ChannelsData> data;
    std::uint64_t data_generation = ~std::uint64_t{0};
    std::optional<ChannelsScene> scene;
    std::uint64_t generation = ~std::uint64_t{0};
    std::int64_t frame = -1;
    float width = 0, height = 0, angle = 0, depth = 0;
    bool dark = false;
    SceneStyle style = SceneStyle::Values;
};

/// The projection and the zoom back to where a first look starts.
void reset_channels_view(ChannelsViewState& channels);
/// A left-button drag of (dx, dy) pixels: up and down turn the channel axis, left and
/// right stretch the spacing of the slabs (kept within kChannels* limits).
void orbit_channels(ChannelsProjection& projection, float dx, float dy);

/// What a scene point (sx, sy) lies on, front to back as drawn: an output slab, a block
/// of the bank, an input slab. kind None when nothing.
struct ChannelsHit {
    enum class Kind { None, Input, Filter, Output } kind = Kind::None;
    std::int64_t index = 0;        ///< channel or block
    std::int64_t row = 0, col = 0; ///< cell of the slab or kernel slice
};
ChannelsHit channels_hit(const ChannelsScene& scene, float sx, float sy);

}  // namespace convscope::gui
