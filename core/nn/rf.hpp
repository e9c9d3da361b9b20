#pragma once
/// \file rf.hpp
/// Receptive fields through a stack of conv2d / conv_transpose2d / max_pool2d /
/// avg_pool2d layers: exact path-count maps, the theoretical per-layer summary of
/// Araujo et al. (Distill 2019), and the diagnostics a teacher points at (gridding
/// holes, transposed-convolution overlaps, cells no window reads).
///
/// Single channel, all-ones weights, zero padding. Every layer acts on rows and
/// columns independently, so the number of paths from input cell (r, c) to the output
/// cell is row_paths[r] * col_paths[c]: two 1-D backward passes, over only the cells
/// that can reach the output cell, instead of a dense 2-D pass per layer.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"
#include "core/nn/shape.hpp"

namespace convscope {

/// Limits on what a stack may ask for (refused with UserError beyond).
inline constexpr std::size_t kMaxRfLayers = 128;
inline constexpr std::int64_t kMaxRfSide = std::int64_t{1} << 16;       ///< any layer's side
inline constexpr std::int64_t kMaxRfInputCells = std::int64_t{1} << 24;  ///< H*W of the map

/// A path count: exact while it fits in 127 bits, and always as a double.
struct PathCount {
    __int128 exact = 0;
    double approx = 0;
    bool overflow = false;  ///< `exact` is no longer exact
};

/// Path counts along one axis at one layer boundary; cells outside [first, last] are 0.
struct AxisPaths {
    std::int64_t size = 0;
    std::int64_t first = 0, last = -1;  ///< support (empty when last < first)
    std::vector<PathCount> counts;      ///< counts[i - first] for i in [first, last]
    PathCount at(std::int64_t i) const {
        return i < first || i > last ? PathCount{} : counts[std::size_t(i - first)];
    }
};

/// Araujo et al.'s numbers for one layer's output, per axis, in input pixels.
struct RfSummary {
    std::array<std::int64_t, 2> output_size{};
    std::array<double, 2> rf_size{};            ///< extent (largest over cells after a transposed layer)
    std::array<double, 2> effective_stride{};   ///< input pixels between neighbouring cells
    std::array<double, 2> effective_padding{};  ///< how far cell 0's field starts before pixel 0
};

struct RfStack {
    std::array<std::int64_t, 2> input_size{1, 1};
    std::vector<Layer> layers;
    std::array<std::int64_t, 2> output_cell{0, 0};
};

/// Everything the engine derives from a stack.
struct RfResult {
    std::vector<LayerGeometry> geometry;                ///< per layer
    std::vector<RfSummary> summary;                     ///< per layer
    /// paths[axis][b]: path counts to the output cell at layer boundary b (0 = input,
    /// layers.size() = the last output, where it is the single output cell).
    std::array<std::vector<AxisPaths>, 2> paths;

    /// The count at input cell (r, c) (boundary 0), or at boundary b.
    PathCount count(std::int64_t r, std::int64_t c, std::size_t boundary = 0) const;
    /// True when every count of boundary `b` fits in a signed 64-bit integer.
    bool fits_int64(std::size_t boundary = 0) const;
    /// The whole map at boundary `b`, row-major: exact (requires fits_int64), or as
    /// doubles. An outer product over the support only; the rest stays zero.
    std::vector<std::int64_t> exact_map(std::size_t boundary = 0) const;
    std::vector<double> approx_map(std::size_t boundary = 0) const;
};

/// Validate the stack (sizes, limits, the output cell) and compute everything.
/// Errors name the layer: "layer 3 (conv2d): ...".
RfResult compute_receptive_field(const RfStack& stack);

/// Only the per-layer geometry and theoretical summary (no path counts).
std::vector<RfSummary> receptive_field_summary(const std::vector<Layer>& layers,
                                               const std::vector<LayerGeometry>& geometry);

/// Resolve every layer's geometry in turn; throws UserError naming the layer where the
/// stack breaks or shrinks to nothing.
std::vector<LayerGeometry> resolve_stack(const std::vector<Layer>& layers, std::int64_t h, std::int64_t w);

/// Per axis, for one layer: conv/pool: how many windows read each input cell (0 = a
/// dead cell the stride skips); transposed: how many kernel taps land on each output
/// cell (its unevenness is the checkerboard of Odena et al. 2016).
std::array<std::vector<std::int64_t>, 2> coverage_counts(const Layer& layer, const LayerGeometry& geometry);

/// The overlap of a transposed layer summarised: taps per output cell over the whole
/// output, and away from the borders (where fewer input cells reach). Uneven in the
/// interior is the checkerboard; k=4, s=2 is even inside and only thinner at the edges.
struct OverlapSummary {
    std::int64_t min = 0, max = 0;                    ///< over every output cell
    std::int64_t interior_min = 0, interior_max = 0;  ///< over cells every input row/column can reach
    bool checkerboard() const { return interior_min != interior_max; }
};
OverlapSummary overlap_summary(const Layer& layer, const LayerGeometry& geometry);

/// Cells inside the bounding box of the receptive field that no path reaches (the
/// gridding of stacked equal dilations), at boundary 0.
struct GriddingHoles {
    std::int64_t box_top = 0, box_left = 0, box_bottom = -1, box_right = -1;
    std::int64_t holes = 0;
    std::int64_t box_cells = 0;
    double fraction() const { return box_cells ? double(holes) / double(box_cells) : 0.0; }
};
GriddingHoles gridding_holes(const RfResult& result);

}  // namespace convscope
