#include "app/render/gl.hpp"

#include <stdexcept>
#include <vector>

namespace convscope::gui::render {

namespace {

GlShader compile(GLenum type, const char* name, const char* source) {
    GlShader shader(glCreateShader(type));
    glShaderSource(shader.get(), 1, &source, nullptr);
    glCompileShader(shader.get());
    GLint ok = 0;
    glGetShaderiv(shader.get(), GL_COMPILE_STATUS, &ok);
    if (!ok) {
        GLint length = 0;
        glGetShaderiv(shader.get(), GL_INFO_LOG_LENGTH, &length);
        std::vector<char> log(std::size_t(std::max(length, 1)));
        glGetShaderInfoLog(shader.get(), GLsizei(log.size()), nullptr, log.data());
        throw std::runtime_error(std::string("shader ") + name + " does not compile: " + log.data());
    }
    return shader;
}

}  // namespace

GlProgram build_program(const char* vertex_name, const char* vertex_source, const char* fragment_name,
                        const char* fragment_source) {
    const GlShader vs = compile(GL_VERTEX_SHADER, vertex_name, vertex_source);
    const GlShader fs = compile(GL_FRAGMENT_SHADER, fragment_name, fragment_source);
    GlProgram program(glCreateProgram());
    glAttachShader(program.get(), vs.get());
    glAttachShader(program.get(), fs.get());
    glLinkProgram(program.get());
    GLint ok = 0;
    glGetProgramiv(program.get(), GL_LINK_STATUS, &ok);
    if (!ok) {
        GLint length = 0;
        glGetProgramiv(program.get(), GL_INFO_LOG_LENGTH, &length);
        std::vector<char> log(std::size_t(std::max(length, 1)));
        glGetProgramInfoLog(program.get(), GLsizei(log.size()), nullptr, log.data());
        throw std::runtime_error(std::string("shaders ") + vertex_name + " + " + fragment_name + " do not link: " + log.data());
    }
    return program;
}

}  // namespace convscope::gui::render
