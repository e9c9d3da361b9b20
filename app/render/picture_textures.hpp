#pragma once
/// \file picture_textures.hpp
/// Colour pictures (the upsampling lab's outputs, error maps, spectra, kernels) as RGBA
/// textures that ImGui draws with ImGui::Image / AddImage: one quad per picture instead
/// of one rectangle per pixel. A texture is uploaded again only when its content's
/// version changes (a new training snapshot), not every frame.
#include <cstdint>
#include <vector>

#include <imgui.h>

#include "app/render/gl.hpp"
#include "core/scene/scene.hpp"

namespace convscope::gui::render {

class PictureTextures {
public:
    /// The texture of `slot` holding `map`'s cell colours (SceneHeatmap::cell_color),
    /// uploaded when `version` differs from the slot's last one.
    /// At most kUploadsPerFrame slots are converted and uploaded in one frame: a new lab
    /// snapshot changes some thirty pictures at once, and converting them all in one frame
    /// made it three times as long as the others. A slot over the budget shows its last
    /// picture (of the same size) for a frame or two more.
    ImTextureID texture(std::size_t slot, const SceneHeatmap& map, std::uint64_t version);
    /// A new frame: the upload budget is full again.
    void begin_frame() { uploads_this_frame_ = 0; }
    static constexpr int kUploadsPerFrame = 8;

private:
    struct Slot {
        GlTexture texture;
        std::uint64_t version = ~std::uint64_t{0};
        std::int64_t rows = 0, cols = 0;
    };
    std::vector<Slot> slots_;
    std::vector<std::uint8_t> rgba_;  ///< reused upload buffer
    int uploads_this_frame_ = 0;
};

}  // namespace convscope::gui::render
