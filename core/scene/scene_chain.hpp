#pragma once
/// \file scene_chain.hpp
/// The chain of a two-layer stack as a column beside a slide of its second layer (the
/// course's seed-combined: 3x64x64 -> Conv2d d=2 -> 16x64x64 -> ConvTranspose2d s=2 ->
/// 3x128x128): the three maps top to bottom, one cell size for all, each named with its
/// shape; between them an arrow and the layer; the first layer's footprint (its taps
/// over their span, holes and all) drawn beside its arrow and boxed on the input map
/// where the stamped feature cell reads it. The slide's own locators are the second and
/// third maps: the column places them, the slide draws them.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"
#include "core/nn/shape.hpp"
#include "core/scene/scene.hpp"
#include "core/scene/scene_theme.hpp"

namespace convscope {

/// The colours of the stack's input map and of the dilated layer's read (its taps, the
/// box round the span on the input): neither the slide's blue (features) nor its orange (x*W).
extern const Color kChainInput;
extern const Color kChainSpan;

struct ChainColumn {
    /// The maps: [0] the stack's input, [1] the first layer's output (the second's
    /// input), [2] the second layer's output; their channel counts.
    std::array<GridPlacement, 3> maps;
    std::array<std::int64_t, 3> channels{};
    /// The first layer resolved on the input, and each layer's name on two lines.
    LayerGeometry first;
    std::array<std::array<std::string, 2>, 2> layer_names;
    float arrow_x = 0;               ///< the arrows' x (the maps' common centre)
    float label_x = 0;               ///< where the layers' names start
    float text = 21;                 ///< the type of every word in the column
    float right = 0;                 ///< the column's right edge, its words included
    /// The slide's title: "Conv2d (d=2), then ConvTranspose2d (s=2): 64x64 -> 64x64 -> 128x128".
    std::string caption;
};

/// The column for `layers` (two) on an input of `input` (N, C, H, W), top-left at (x, y),
/// its maps `cell` px a cell; words in `text` px type. The first layer must be one
/// resolve_spatial takes (UserError otherwise).
ChainColumn chain_column(const std::vector<Layer>& layers, const std::array<std::int64_t, 4>& input, float x, float y, float cell,
                         float text);

/// Everything of the column but maps [1] and [2] (the slide draws them): the input map,
/// the arrows, the names and shapes, the first layer's footprint beside its arrow and,
/// on the input map, the box round the cells feature cell `feature` (row, col of map [1])
/// reads.
void add_chain_column(Scene& sc, const ChainColumn& column, const SceneTheme& theme, std::int64_t feature_row, std::int64_t feature_col);

}  // namespace convscope
