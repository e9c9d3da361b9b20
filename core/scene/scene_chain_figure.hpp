#pragma once
/// \file scene_chain_figure.hpp
/// A two-layer stack as one slide read left to right (the course's seed-combined:
/// nn.Sequential(nn.Conv2d(3, 16, 3, dilation=2, padding=2), nn.ConvTranspose2d(16, 3, 2,
/// stride=2)) on 1x3x64x64): the input magnified round the 5x5 span that one feature
/// cell reads, its 9 taps carrying the first layer's weights, two apart with the holes
/// between them, the span outlined -> that feature cell (one of 16 channels) -> times W
/// (the second layer's learned 2x2) -> the 2x2 output block it alone makes. Under each
/// magnified part its whole map as a locator, a box round the part and a callout up to it.
/// Every number comes from the step engines (the core), none is typed.
#include <string>
#include <vector>

#include "core/scene/scene.hpp"

namespace convscope {

/// The colour of the features (the first layer's output, the second's input) on the
/// chain's slide: neither the input's blue, the weights' orange nor the output's teal.
extern const Color kFeaturePlane;

/// Whether build_chain_figure draws this slide: a figure for export of a two-layer stack
/// (options.stack_first set) whose first layer is a Conv2d and whose second, animated in
/// the scatter view, tiles its output (stride = kernel, no dilation, no padding): each
/// output block then comes from one feature cell alone. Not for a figure to work out
/// (hide output / shape) or the backward pass.
bool draws_chain_figure(const StepEngine& second, const FramePosition& frame, const SceneOptions& options);

/// Whether build_chain_figure draws the up-convolution alone as the right half of that
/// slide (the course's seed-upconv): a figure for export of one ConvTranspose2d k=2 s=2
/// (no padding, dilation or groups) in the scatter view, whose maps are too small to
/// read whole (the caller knows: it would magnify them); not hidden, not backward.
bool draws_stamp_figure(const StepEngine& up, const FramePosition& frame, const SceneOptions& options);

/// Whether build_chain_figure draws a dilated Conv2d alone as the left half of that slide
/// (the course's seed-dilated): a figure for export of one Conv2d with dilation, stride
/// 1, no groups and a span of at most 7 x 7, whose maps are too small to read whole (the
/// caller knows), a frame a cell (not tap by tap); not hidden, not backward.
bool draws_read_figure(const StepEngine& conv, const FramePosition& frame, const SceneOptions& options);

/// The chain's slide, or one of its halves (draws_read_figure, draws_stamp_figure), for
/// the frame's step: of the second layer (the feature cell it stamps), or of the Conv2d
/// alone (the output cell it computes).
Scene build_chain_figure(const StepEngine& second, const FramePosition& frame, const SceneOptions& options);

/// The chain's message in one line, in the figure's direction: "a 5×5 span of the input →
/// 16 features at one cell → one 2×2 output block" (the block is the second layer's
/// kernel, the span the first layer's d·(k−1)+1).
std::string chain_takeaway(const Layer& first, const Layer& second);

/// The dilated Conv2d's message in one line: "Dilation 2: 9 weights see a 5×5 span of
/// the input, not 3×3" (the span is d·(k−1)+1).
std::string read_takeaway(const Layer& conv);

/// The stack's code as one line a student can type: nn.Sequential of each layer with its
/// first three arguments positional ("nn.Conv2d(3, 16, 3, dilation=2, padding=2)").
std::string compact_stack_code(const std::vector<Layer>& layers);

}  // namespace convscope
