#pragma once
/// \file scene_channels.hpp
/// The channels view: the whole tensor of one layer at once. The input as a stack of
/// C_in slabs, the weight as a bank of blocks (conv2d: C_out filters of C_in/groups x kH
/// x kW; conv_transpose2d: C_in blocks of C_out/groups x kH x kW, PyTorch's layouts),
/// the output as C_out slabs, in a fixed oblique (cabinet) projection: every slab is a
/// plane facing the viewer and the channel axis recedes along a direction at `angle`
/// degrees, so the slabs stay axis-aligned grids (SVG and PDF stay vector, SVG cells keep
/// their data attributes) while the drawing reads as 3-D.
///
/// At a step, the current filter's taps are lit on every input slab it reads (dilation
/// gaps included), its block in the bank is lit, lines carry each channel's partial sum
/// to the one output cell, and a strip under the stacks magnifies the taps of every
/// channel with its kernel slice: 27 products over 3 channels for the course's seed.
/// Groups colour which slabs each filter reads. PixelShuffle(r) draws its C*r^2 input
/// slabs, its C output slabs of rH x rW and, in the bank's place, the r x r block with the
/// input channel that fills each cell; at a step the value moved is lit on its source
/// slab, in the block and on its destination cell (PixelUnshuffle: the inverse). GL-free: the app and the exporters draw
/// the Scene inside.
#include <cstdint>
#include <string>
#include <vector>

#include "core/scene/scene.hpp"
#include "core/anim/session.hpp"

namespace convscope {

/// The animated layer's whole output (every channel) and the colour ranges, built once
/// per configuration; then one scene per frame.
struct ChannelsData {
    Tensor4 output;
    float input_lo = 0, input_hi = 1, output_lo = 0, output_hi = 1, weight_lo = 0, weight_hi = 1;

    explicit ChannelsData(const Animation& animation);
};

/// The oblique projection: the channel axis drawn at `angle_deg` above the horizontal
/// (negative: below), its spacing multiplied by `depth`.
struct ChannelsProjection {
    float angle_deg = 30;
    float depth = 1;
    /// Leave out the cells a slab drawn in front of them hides (the app: a software
    /// rasterizer pays for every pixel filled, and 16 stacked 64x64 slabs fill each
    /// pixel many times); output channels not computed yet, and the back slices of the
    /// faded filters of the bank, are drawn as outlines.
    /// Exports keep every cell: SVG cells carry their attributes.
    bool cull_hidden_cells = false;
};

/// Limits of the projection the app lets a drag reach.
inline constexpr float kChannelsMinAngle = -75, kChannelsMaxAngle = 75;
inline constexpr float kChannelsMinDepth = 0.2f, kChannelsMaxDepth = 2.5f;

/// A pixel (un)shuffle's step: the one value it moves, from (channel, row, column) of the
/// input to (channel, row, column) of the output; in_channel -1 when no step is shown.
struct ChannelsMove {
    std::int64_t in_channel = -1, in_y = 0, in_x = 0;
    std::int64_t out_channel = -1, out_y = 0, out_x = 0;
};

/// The scene and what it shows, for hit-testing and tests.
struct ChannelsScene {
    Scene scene;
    std::vector<GridPlacement> input_slabs, output_slabs;  ///< one per channel
    std::vector<GridPlacement> filter_blocks;              ///< the front slice of each block of the bank
    std::vector<bool> input_lit;     ///< the slabs the current filter reads
    std::vector<bool> filter_lit;    ///< the blocks whose weights the current step uses
    std::vector<bool> output_lit;    ///< the output slab being computed
    std::vector<Color> input_colors, filter_colors, output_colors;  ///< the group colour of each
    std::int64_t active_output = 0;  ///< the output channel being computed
    std::int64_t lit_taps = 0;       ///< taps lit on the input slabs at this step
    std::string weight_text;         ///< "weight [16, 3, 3, 3]" ("" for layers without weights)
    std::string layout_text;         ///< "= [C_out, C_in/groups, kH, kW]"
    std::string arithmetic;          ///< the step's sum, channel by channel (shuffles: the index rule with the step's numbers)
    ChannelsMove move;               ///< shuffles: the value the step moves
    GridPlacement shuffle_map;       ///< shuffles: the r x r block drawn where a bank would be, one cell per channel
};

/// The colour of group `group` of `groups` (one colour when there is one group).
Color group_color(std::int64_t group, std::int64_t groups);

/// True when output channel `co` reads input channel `ci` (its group; pools: co == ci).
bool channel_reads(const Layer& layer, std::int64_t ci, std::int64_t co);

/// Frame `frame` of `animation` as the channels view.
ChannelsScene build_channels_scene(const Animation& animation, const ChannelsData& data, std::int64_t frame,
                                   const SceneOptions& options, const ChannelsProjection& projection = {});

}  // namespace convscope
