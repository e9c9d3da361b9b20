#pragma once
/// \file presets.hpp
/// Built-in configurations, listed by `convscope presets` and in the app.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"
#include "core/anim/scene_style.hpp"

namespace convscope {

struct Preset {
    std::string name;
    std::string title;
    std::array<std::int64_t, 4> input_shape{1, 1, 5, 5};  ///< N, C, H, W
    std::vector<Layer> layers;
    /// The style it opens in: the seeds and the guide's figures are slides (schematic);
    /// the receptive-field and artefact presets are about values and counts.
    SceneStyle style = SceneStyle::Values;
};

const std::vector<Preset>& builtin_presets();
/// The preset called `name`, or UserError listing the names.
const Preset& find_preset(const std::string& name);

}  // namespace convscope
