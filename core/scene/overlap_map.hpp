#pragma once
/// \file overlap_map.hpp
/// The transposed-overlap map of a session's layer, as a heat map the receptive-field
/// panel draws: how unevenly a strided ConvTranspose2d's taps land (the checkerboard).
#include <cstdint>

#include "core/anim/session.hpp"
#include "core/scene/scene.hpp"

namespace convscope {

/// Layer `layer_index` of `s` as a transposed convolution: how many kernel taps land on
/// each of its output cells (cover_rows[y] * cover_cols[x], since the taps of the two
/// axes combine independently), as a heat map of `cell`-pixel cells with its range.
/// UserError when the stack up to that layer is refused; the layer must be a
/// ConvTranspose2d (programmer error otherwise).
struct OverlapMap {
    SceneHeatmap map;
    OverlapSummary summary;
};
OverlapMap overlap_map(const Session& s, std::int64_t layer_index, float cell);

}  // namespace convscope
