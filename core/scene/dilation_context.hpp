#pragma once
/// \file dilation_context.hpp
/// Preset `dilation-context` (issue 12): one 3x3 kernel that means something on pictures
/// (Sobel edges, a Laplacian, a box blur) applied to a real picture with dilation 1, 2
/// and 4 (padding = dilation, so every map keeps the picture's size), the three feature
/// maps side by side. The weights stay nine while the receptive field grows from 3x3 to
/// 5x5 to 9x9 (2d + 1 per side): "dilation captures a larger context", seen.
///
/// The picture is taken in grey (luma, picture_to_tensor's BT.601) so that one
/// nn.Conv2d(1, 1, 3, dilation=d, padding=d, bias=False) per dilation is the whole model.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/conv.hpp"
#include "core/base/picture.hpp"
#include "core/scene/scene.hpp"

namespace convscope {

enum class ContextKernel { Sobel, Laplacian, Box };
/// "sobel", "laplacian", "box" (the spellings --kernel takes).
const char* context_kernel_name(ContextKernel kernel);
/// UserError naming `what`, the value and the three names for anything else.
ContextKernel parse_context_kernel(const std::string& name, const std::string& what);
/// The 3x3 weights: Sobel x [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]] / 8 (vertical edges),
/// Laplacian [[0, 1, 0], [1, -4, 1], [0, 1, 0]], box blur all 1/9.
Tensor4 context_kernel_weight(ContextKernel kernel);
/// What the kernel does, for captions ("Sobel x / 8: vertical edges").
const char* context_kernel_title(ContextKernel kernel);

inline constexpr std::array<std::int64_t, 3> kContextDilations = {1, 2, 4};
/// The picture's longer side in the view (larger pictures are scaled down, with a note).
inline constexpr std::int64_t kContextPictureSide = 160;

/// nn.Conv2d(1, 1, 3, dilation=d, padding=d, bias=False).
Layer context_layer(std::int64_t dilation);
/// The PyTorch line of one map: "nn.Conv2d(1, 1, 3, dilation=2, padding=2, bias=False)".
std::string context_code(std::int64_t dilation);

struct DilationContext {
    ContextKernel kernel = ContextKernel::Sobel;
    Tensor4 picture;  ///< 1 x C x H x W, the picture as shown (colour when it has colour)
    Tensor4 grey;     ///< 1 x 1 x H x W, what the convolutions read
    ConvWeights weights;
    std::vector<Tensor4> maps;  ///< one per kContextDilations, each 1 x 1 x H x W
    std::string note;           ///< what was done to the picture ("" if nothing)
};

/// Scales the picture to fit kContextPictureSide, takes its grey and convolves it.
DilationContext compute_dilation_context(const Picture& picture, ContextKernel kernel);
/// The same on `path` (empty: the shipped assets/landscape.png); UserError naming a
/// refused file.
DilationContext compute_dilation_context(const std::string& path, ContextKernel kernel);

struct ContextSceneOptions {
    bool dark = false;
    float cell = 2.0f;  ///< screen pixels per picture pixel (whole: 1.5 doubled every other column)
};

/// The picture with the three receptive fields drawn as nested boxes at its centre (the
/// taps of each as dots), then the three maps side by side on one shared colour scale,
/// each with its receptive field box at the same place, its size and its PyTorch line;
/// the kernel's nine weights with their numbers.
Scene build_dilation_context_scene(const DilationContext& context, const ContextSceneOptions& options);

/// The receptive field boxes of a built scene are its Window rects, in dilation order:
/// the picture's three, then one per map (for tests and the app's hit tests).
inline constexpr std::size_t kContextBoxes = 2 * kContextDilations.size();

}  // namespace convscope

namespace convscope {
/// The preset's name (its canvas animates the dilation-2 layer; the view is this one).
inline constexpr const char* kDilationContextPreset = "dilation-context";
}  // namespace convscope
