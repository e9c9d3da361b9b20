#pragma once
/// \file gl.hpp
/// OpenGL 3.3 core for the rendering layer, and move-only owners of GL objects. Only
/// files under app/gui/render include this: GL calls live nowhere else.
#ifndef GL_GLEXT_PROTOTYPES  // set for the whole target by CMakeLists.txt
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>

#include <utility>

namespace convscope::gui::render {

/// Owns one GL object name and deletes it with `Deleter`; move-only.
template <typename Deleter>
class GlHandle {
public:
    GlHandle() = default;
    explicit GlHandle(GLuint id) : id_(id) {}
    ~GlHandle() { reset(); }
    GlHandle(GlHandle&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
    GlHandle& operator=(GlHandle&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, 0);
        }
        return *this;
    }
    GlHandle(const GlHandle&) = delete;
    GlHandle& operator=(const GlHandle&) = delete;

    GLuint get() const { return id_; }
    explicit operator bool() const { return id_ != 0; }
    void reset() {
        if (id_) Deleter{}(id_);
        id_ = 0;
    }

private:
    GLuint id_ = 0;
};

struct TextureDeleter { void operator()(GLuint id) const { glDeleteTextures(1, &id); } };

using GlTexture = GlHandle<TextureDeleter>;

}  // namespace convscope::gui::render
