#pragma once
/// \file frame.hpp
/// The GL side of one frame of the window, so that the loop in run_app.cpp makes no GL
/// call itself.
#include <imgui.h>

namespace convscope::gui::render {

/// Clear the `width` x `height` framebuffer to `background` and draw ImGui's draw data
/// (including the heat maps its callbacks draw).
void draw_frame(int width, int height, const ImVec4& background);
/// Let the GL start on what was drawn (glFlush), without waiting for it.
void start_frame();
/// Sample `texture` with GL_NEAREST (the font atlas: glyphs drawn at their own size on
/// whole pixels need no filtering). False while the texture does not exist yet.
bool sample_unfiltered(ImTextureID texture);

}  // namespace convscope::gui::render
