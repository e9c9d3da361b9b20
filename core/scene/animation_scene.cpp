#include "core/scene/animation_scene.hpp"

namespace convscope {

Scene animation_scene(const Animation& animation, std::int64_t frame, const SceneOptions& options) {
    const FramePosition pos = animation.timeline().at(frame);
    SceneOptions opt = options;
    if (!opt.output_range) opt.output_range = animation.output_range(pos.channel);
    opt.layer_index = animation.layer_index();
    if (animation.backward()) {  // two lines: a canvas is too narrow for the whole sentence in the caption's size
        const std::string& caption = animation.backward_caption();
        const std::size_t colon = caption.rfind(Animation::kTransposeOf);
        opt.caption = caption.substr(0, colon);
        opt.backward = true;
        opt.code_line = caption.substr(colon + 2) + (opt.code_line.empty() ? "" : ": " + opt.code_line);
    }
    return build_scene(animation.engine_for(pos.channel), pos, opt);
}

}  // namespace convscope
