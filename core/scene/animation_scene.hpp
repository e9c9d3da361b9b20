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

/// A picture file as the input (InputPattern::Image): the picture in its true colours,
/// small, beside the maps (right of the output grid where the scene has room), titled,
/// and `note` (what was done to it: scaled down, converted) under it, wrapped to the
/// room; with no room beside the maps the note goes on the scene's last line alone.
void add_input_picture(Scene& scene, const Picture& picture, const std::string& note, bool dark);

}  // namespace convscope
