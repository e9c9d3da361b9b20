#pragma once
/// \file scene_style.hpp
/// How a frame is painted. `values`: every cell through the viridis colour map, with
/// numbers where they fit. `schematic`: the slide style of Dumoulin & Visin's guide,
/// and sharper: uniform input and output colours, the active taps filled strongly,
/// padding (dashed) and inserted zeros (hatched) told apart from real cells and from
/// each other, lines from the taps to the cell being computed, numbers only if asked.
/// `perspective`: the guide's own view, its planes stacked and seen at three quarters
/// (input below, output above), the footprint's outline joined to the cell it makes.
#include <string>

namespace convscope {

enum class SceneStyle { Values, Schematic, Perspective };

/// "values", "schematic" or "perspective".
const char* scene_style_name(SceneStyle style);
/// The names above; UserError naming `what` otherwise.
SceneStyle parse_scene_style(const std::string& name, const std::string& what = "style");

}  // namespace convscope
