#include "core/anim/scene_style.hpp"

#include "core/base/errors.hpp"

namespace convscope {

const char* scene_style_name(SceneStyle style) {
    switch (style) {
        case SceneStyle::Values: return "values";
        case SceneStyle::Schematic: return "schematic";
        case SceneStyle::Perspective: return "perspective";
    }
    return "?";
}

SceneStyle parse_scene_style(const std::string& name, const std::string& what) {
    for (SceneStyle s : {SceneStyle::Values, SceneStyle::Schematic, SceneStyle::Perspective})
        if (name == scene_style_name(s)) return s;
    throw UserError(what + " '" + name.substr(0, 40) + "' is unknown: expected schematic, values or perspective");
}

}  // namespace convscope
