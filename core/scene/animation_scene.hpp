#pragma once
/// \file animation_scene.hpp
/// The picture of one frame of an Animation: the bridge from the document (core/anim)
/// to what every painter draws (the app's ImGui canvas, cairo, SVG). It lives here, not
/// in the Animation, so that the document does not depend on its picture.
#include <cstdint>

#include "core/anim/session.hpp"
#include "core/scene/scene.hpp"

namespace convscope {

/// The picture of frame `frame` (clamped to the timeline), its output coloured on the
/// finished channel's range (unless the options give one).
Scene animation_scene(const Animation& animation, std::int64_t frame, const SceneOptions& options);

}  // namespace convscope
