#pragma once
/// \file picture_textures.hpp
/// Colour pictures (the upsampling lab's outputs, error maps, spectra, kernels) as RGBA
/// textures that ImGui draws with ImGui::Image / AddImage: one quad per picture instead
/// of one rectangle per pixel. A texture is uploaded again only when its content's
/// version changes (a new training snapshot), not every frame.
#include <cstdint>
#include <vector>

#include <imgui.h>

#include "app/gui/render/gl.hpp"
#include "core/scene.hpp"

namespace convscope::gui::render {

class PictureTextures {
public:
    /// The texture of `slot` holding `map`'s cell colours (SceneHeatmap::cell_color),
    /// uploaded when `version` differs from the slot's last one.
    ImTextureID texture(std::size_t slot, const SceneHeatmap& map, std::uint64_t version);

private:
    struct Slot {
        GlTexture texture;
        std::uint64_t version = ~std::uint64_t{0};
        std::int64_t rows = 0, cols = 0;
    };
    std::vector<Slot> slots_;
    std::vector<std::uint8_t> rgba_;  ///< reused upload buffer
};

}  // namespace convscope::gui::render
