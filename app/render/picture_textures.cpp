#include "app/render/picture_textures.hpp"

#include <algorithm>

namespace convscope::gui::render {

ImTextureID PictureTextures::texture(std::size_t slot, const SceneHeatmap& map, std::uint64_t version) {
    if (slot >= slots_.size()) slots_.resize(slot + 1);
    Slot& s = slots_[slot];
    if (!s.texture) {
        GLuint id = 0;
        glGenTextures(1, &id);
        s.texture = GlTexture(id);
        glBindTexture(GL_TEXTURE_2D, id);
        // Pixels stay pixels when magnified: the checkerboard must not be smoothed away.
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
    const bool same_size = s.rows == map.rows && s.cols == map.cols;
    const bool over_budget = uploads_this_frame_ >= kUploadsPerFrame && same_size && s.version != ~std::uint64_t{0};
    if ((s.version != version || !same_size) && !over_budget) {
        ++uploads_this_frame_;
        rgba_.resize(std::size_t(map.rows * map.cols * 4));
        auto byte = [](float v) { return std::uint8_t(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f); };
        for (std::int64_t r = 0; r < map.rows; ++r)
            for (std::int64_t c = 0; c < map.cols; ++c) {
                const Color col = map.cell_color(r, c);
                std::uint8_t* p = &rgba_[std::size_t((r * map.cols + c) * 4)];
                p[0] = byte(col.r);
                p[1] = byte(col.g);
                p[2] = byte(col.b);
                p[3] = byte(col.a);
            }
        glBindTexture(GL_TEXTURE_2D, s.texture.get());
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, GLsizei(map.cols), GLsizei(map.rows), 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     rgba_.data());
        s.version = version;
        s.rows = map.rows;
        s.cols = map.cols;
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(s.texture.get()));
}

}  // namespace convscope::gui::render
