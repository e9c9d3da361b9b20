#pragma once
/// \file scene_perspective.hpp
/// The perspective style: the stacked planes of Dumoulin & Visin's convolution-arithmetic
/// guide, drawn as vectors. The input plane lies below, the output plane above, both
/// seen at three quarters (a parallelogram per cell); the kernel's footprint is shaded
/// and outlined on the plane it reads and its outline is joined by its four corner
/// lines to the cell it makes. Unlike the guide's GIFs the figure says what it shows:
/// a caption with the layer and its sizes, each plane's size, zero padding (dashed),
/// inserted zeros (hatched) and the ring a transposed layer's padding crops (grey,
/// dotted) drawn apart, and a key.
#include "core/scene/scene.hpp"

namespace convscope {

/// The picture of one frame in the perspective style (build_scene sends that style here).
Scene build_perspective_scene(const StepEngine& engine, const FramePosition& frame, const SceneOptions& options);

/// The perspective figure's one-line caption: "Conv2d k=3 d=2: 7x7 -> 3x3",
/// "ConvTranspose2d k=3 s=2 p=1: 3x3 -> 5x5" (stride, padding, dilation and output
/// padding only where they are not the default).
std::string perspective_caption(const Layer& layer, const LayerGeometry& geo);

/// What the grid a transposed layer's convolution view slides over is, in words that
/// are only ever true: stride s inserts s-1 zeros between cells (none at s=1 or on a
/// one-cell axis), and the grid is padded by d*(k-1)-p before and that plus
/// output_padding after (none at 0; a negative amount crops instead). "zeros inserted,
/// padded: 7x7", "zeros inserted: 3x3", "padded to 4x4", "cropped to 5x5"; empty
/// when the grid is the input itself. `with_size` false leaves the size out ("zeros
/// inserted, padded", "padded"): a question that hides the output's size.
std::string as_convolution_grid_label(const LayerGeometry& geo, bool with_size = true);

}  // namespace convscope
