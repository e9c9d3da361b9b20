#pragma once
/// \file steps.hpp
/// The step engine the app animates and the exporter draws: one convolution, for one
/// batch item and one output channel, taken apart into the steps a teacher would show.
///
/// - conv2d (gather): one step per output cell, in row-major order. Each step lists
///   its taps: kernel index, the padded-grid cell read (and the real cell a padding
///   cell copies), the value read, the weight, the product and the running sum.
/// - conv_transpose2d, scatter view: one step per input cell; the cell's values times
///   the kernel are stamped onto the output with stride spacing and dilation, and
///   the engine reports how many taps have landed on each output cell so far.
/// - conv_transpose2d, as-a-convolution view: zeros inserted between input cells
///   (stride - 1 of them), padding d*(k-1) - p on top/left and d*(k-1) - p +
///   output_padding on bottom/right (negative means cropping), the kernel flipped,
///   then a plain stride-1 gather with the same dilation.
///
/// - max_pool2d / avg_pool2d: a gather like conv2d on one channel (output channel c
///   reads input channel c); the taps are the window's members, weight 1 (max, the
///   member picked is marked) or 1/divisor (avg), and the running value is the running
///   maximum or the running mean sum(values so far)/divisor.
///
/// - upsample, pixel (un)shuffle, activations: a gather too, one step per output cell.
///   Nearest upsampling reads its one source, bilinear its four with their fractional
///   weights; a shuffle moves one cell between channels and space; an activation maps
///   the cell under it (the tap's product is f(x)).
///
/// Steps are computed on demand from the input and weights, so a 64x64 map with 16
/// channels never materialises millions of tap records.
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "core/nn/conv.hpp"

namespace convscope {

using Plane = xt::xtensor<double, 2>;
using CountPlane = xt::xtensor<std::int64_t, 2>;

enum class TransposedView { Scatter, AsConvolution };

/// One multiply of a gather step (conv2d, or the transposed op as a convolution).
struct GatherTap {
    std::int64_t in_channel = 0;   ///< absolute input channel
    std::int64_t ky = 0, kx = 0;   ///< kernel index (as stored in the weight, unflipped)
    std::int64_t grid_y = 0, grid_x = 0;  ///< cell read in the grid the kernel slides over
                                          ///< (padded input; for the transposed view the
                                          ///< zero-inserted, padded input)
    std::int64_t src_y = -1, src_x = -1;  ///< real input cell the value comes from, -1: a zero
    bool in_padding = false;       ///< the grid cell is a padding cell (maybe copying src)
    bool inserted_zero = false;    ///< transposed view: a zero inserted between input cells
    double value = 0, weight = 0, product = 0;
    double running_sum = 0;        ///< sum of products up to and including this tap (max pool:
                                   ///< the maximum so far, 0 before the first real cell)
    bool picked = false;           ///< max pool: the member whose value is the output
};

struct GatherStep {
    std::int64_t out_y = 0, out_x = 0;
    std::vector<GatherTap> taps;
    double bias = 0;
    double result = 0;  ///< bias + sum of products: the output cell's value
};

/// One kernel tap stamped by a scatter step.
struct ScatterTap {
    std::int64_t in_channel = 0;
    std::int64_t ky = 0, kx = 0;
    std::int64_t out_y = 0, out_x = 0;  ///< where it lands (uncropped coordinates)
    bool inside = true;                 ///< false: cropped away by padding
    double value = 0, weight = 0, product = 0;
};

struct ScatterStep {
    std::int64_t in_y = 0, in_x = 0;
    std::vector<ScatterTap> taps;
};

class StepEngine {
public:
    /// Validates everything (throws UserError); `batch` and `out_channel` select the plane.
    StepEngine(Layer layer, Tensor4 input, ConvWeights weights, std::int64_t batch = 0,
               std::int64_t out_channel = 0, TransposedView view = TransposedView::Scatter);

    const Layer& layer() const { return layer_; }
    const LayerGeometry& geometry() const { return geo_; }
    const Tensor4& input() const { return input_; }
    const ConvWeights& weights() const { return weights_; }
    /// The kernel cell (ky, kx) as drawn for input channel `ci` and the shown output
    /// channel: the weight (0 across groups), or for a pool 1 (max) or 1/(kH*kW) (avg,
    /// the interior divisor; border windows' taps carry their own). Bilinear
    /// upsampling: the fractional weights of step `step` when it is given (>= 0).
    double kernel_weight(std::int64_t ci, std::int64_t ky, std::int64_t kx, std::int64_t step = -1) const;
    /// The input channel to draw for step `k`: the requested one for convolutions;
    /// the channel the step reads for the layers that read one channel (pools,
    /// upsampling, activations, shuffles).
    std::int64_t shown_input_channel(std::int64_t requested, std::int64_t k) const;
    std::int64_t batch() const { return batch_; }
    std::int64_t out_channel() const { return out_channel_; }
    TransposedView view() const { return view_; }
    /// True when steps are scatter steps (transposed op in the scatter view).
    bool is_scatter() const;

    /// Number of steps: output cells (gather) or input cells (scatter).
    std::int64_t step_count() const;
    /// Cells along one row of steps (W_out for gather, W_in for scatter).
    std::int64_t step_row_length() const;
    /// Taps in one step (C_in/groups * kH * kW).
    std::int64_t taps_per_step() const;

    /// The step a single still shows: an output cell in the interior whose footprint
    /// lies wholly inside the unpadded input (gather), or an input cell whose stamp lands
    /// wholly inside the output (scatter), where one exists; among those the one in the
    /// middle of the computation (never the last step when another fits).
    std::int64_t representative_step() const;

    GatherStep gather_step(std::int64_t k) const;
    ScatterStep scatter_step(std::int64_t k) const;

    /// Output plane after the first `steps_done` steps (and, within the next step,
    /// `extra_taps` taps). Gather: finished cells hold their value, others 0; scatter:
    /// the bias plus every landed product. After all steps it equals the direct result.
    /// Amortised O(cells) per call when called with growing `steps_done` (playback).
    Plane partial_output(std::int64_t steps_done, std::int64_t extra_taps = 0) const;
    /// Scatter view: how many taps have landed on each output cell after `steps_done`
    /// steps (after all steps: the overlap map, whose unevenness is the checkerboard).
    CountPlane landed_counts(std::int64_t steps_done) const;

    /// The grid the gather slides over, as (rows, cols): padded input for conv2d, the
    /// zero-inserted padded input for the transposed op in the as-convolution view.
    std::int64_t grid_rows() const;
    std::int64_t grid_cols() const;
    /// Padding before the real (or zero-inserted) data in that grid, per axis; negative
    /// in the transposed view when padding > d*(k-1) crops instead.
    std::int64_t grid_pad_top() const;
    std::int64_t grid_pad_left() const;

    /// Resolve one axis of the gather grid: real input index read at grid position
    /// `pos`, or -1 for a zero; sets `padding` / `inserted` flags.
    std::int64_t grid_source(int axis, std::int64_t pos, bool& padding, bool& inserted) const;

private:
    /// The layer's taps scatter (conv_transpose2d): its gather view is the
    /// zero-inserted grid with the flipped kernel.
    bool scatters() const;
    /// The layer is a max or avg pool (no weights; one channel per step).
    bool pools() const;
    GatherStep pool_step(std::int64_t k) const;
    /// Upsample, pixel (un)shuffle and activations.
    GatherStep cellwise_step(std::int64_t k) const;
    /// Gather views: every cell's result, summed in exactly gather_step's order (so
    /// bit-identical to it) but without building tap records; computed once.
    const Plane& gather_results() const;

    Layer layer_;
    Tensor4 input_;
    ConvWeights weights_;
    LayerGeometry geo_;
    std::int64_t batch_ = 0;
    std::int64_t out_channel_ = 0;
    TransposedView view_ = TransposedView::Scatter;

    // Caches behind partial_output(): playing an animation asks for step after step,
    // and replaying every step from the start each frame is quadratic. They make a
    // StepEngine unsafe to share between threads (each thread builds its own).
    mutable Plane gather_results_;
    mutable bool has_gather_results_ = false;
    mutable Plane scatter_plane_;          ///< bias + products of the first scatter_steps_ steps
    mutable std::int64_t scatter_steps_ = -1;  ///< -1: not started
};

}  // namespace convscope
