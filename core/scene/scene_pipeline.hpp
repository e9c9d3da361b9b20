#pragma once
/// \file scene_pipeline.hpp
/// The whole layer stack as one picture: every feature map left to right, one cell size
/// for all (so 64x64 -> 64x64 -> 128x128 shows the up-convolution doubling the map),
/// the animated layer framed, its current step lit on its input and output. Exports
/// (`--all-layers`) and the app draw this same scene.
#include <cstdint>
#include <vector>

#include "core/scene/scene.hpp"
#include "core/anim/session.hpp"

namespace convscope {

/// Every map of the session's stack (stack_activations) with the animation of its
/// animated layer; build once per configuration, then one scene per frame.
struct PipelineData {
    std::vector<Tensor4> maps;  ///< [0] the input, [i + 1] the output of layer i

    explicit PipelineData(const Session& session) : maps(stack_activations(session)) {}
};

/// Frame `frame` of `animation` (which animates `session.layer_index`) drawn inside the
/// whole stack. The Scene's stack_maps hold where each map went ([0] the input, [i + 1]
/// the output of layer i: a click on it selects layer i); input_grid and output_grid
/// are the animated layer's input and output maps.
Scene build_pipeline_scene(const Session& session, const PipelineData& data, const Animation& animation, std::int64_t frame,
                           const SceneOptions& options);

}  // namespace convscope
