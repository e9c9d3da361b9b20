#pragma once
/// \file gl.hpp
/// OpenGL 3.3 core for the rendering layer, and move-only owners of GL objects. Only
/// files under app/gui/render include this: GL calls live nowhere else.
#ifndef GL_GLEXT_PROTOTYPES  // set for the whole target by CMakeLists.txt
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>

#include <string>
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

struct ShaderDeleter { void operator()(GLuint id) const { glDeleteShader(id); } };
struct ProgramDeleter { void operator()(GLuint id) const { glDeleteProgram(id); } };
struct TextureDeleter { void operator()(GLuint id) const { glDeleteTextures(1, &id); } };
struct VertexArrayDeleter { void operator()(GLuint id) const { glDeleteVertexArrays(1, &id); } };

using GlShader = GlHandle<ShaderDeleter>;
using GlProgram = GlHandle<ProgramDeleter>;
using GlTexture = GlHandle<TextureDeleter>;
using GlVertexArray = GlHandle<VertexArrayDeleter>;

/// Compile and link a vertex + fragment program; throws std::runtime_error with the
/// shader's name and the driver's info log on a compile or link error.
GlProgram build_program(const char* vertex_name, const char* vertex_source, const char* fragment_name,
                        const char* fragment_source);

}  // namespace convscope::gui::render
