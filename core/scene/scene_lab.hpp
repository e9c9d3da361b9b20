#pragma once
/// \file scene_lab.hpp
/// The upsampling lab as one picture (for export and slides): the input and the target,
/// then per model its output at full size, its error map, its output's spectrum, its
/// learned kernel (channel pair 0, 0 of its first layer) and, for a strided transposed
/// convolution, the s^2 phase sub-kernels that make the checkerboard; under them the
/// loss curves of all models (log scale) and their checkerboard scores over training.
#include <string>

#include "core/learn/lab.hpp"
#include "core/scene/scene.hpp"

namespace convscope {

struct LabSceneOptions {
    bool dark = false;
    /// Pixels of one picture pixel on screen (the target is drawn picture_cell * W wide).
    /// Whole numbers only: at 1.5 a period-2 checkerboard is drawn as one pixel in three,
    /// a pattern the output does not have (build_lab_scene rounds down, to at least 1).
    float picture_cell = 2.0f;
    bool spectra = true;  ///< the spectrum row
    /// The layout that fits five models in a 1280x800 window: the input, the target and
    /// the charts in one row, the error map and the spectrum side by side at half size.
    bool compact = false;
    bool log_steps = false;  ///< the charts' step axis as log10(1 + step) (the early drop spread out)
    /// The projector's layout (a deck's lab slide): the input, the target and every model's
    /// output in one row of large pictures, each model's numbers on lines of their own under
    /// it, its error map under those, and the two charts across the bottom at full width.
    /// Larger text; no spectrum, overlap or kernel rows (the app's lab has them).
    bool slide = false;
};

/// The colour of model m in the charts and headers (a qualitative palette, Okabe-Ito).
Color lab_model_color(std::size_t m);

/// A picture as a heat map of colours (RGB planes, or one grey plane) at (x, y).
SceneHeatmap picture_heatmap(const Tensor4& picture, float x, float y, float cell);
/// One plane through the colour map, lo..hi, at (x, y).
SceneHeatmap plane_heatmap(const xt::xtensor<double, 2>& plane, float x, float y, float cell, float lo, float hi);

/// The whole lab at one snapshot. Texts name every panel; heat maps have role Other,
/// pictures carry `colors`.
Scene build_lab_scene(const LabSnapshot& snapshot, const LabSceneOptions& options);

/// The definition of the checkerboard score, for tooltips and captions.
const char* checkerboard_score_definition();

}  // namespace convscope
