#pragma once
/// \file blending.hpp
/// Large opaque fills drawn without blending. ImGui's backend blends every triangle;
/// under a software rasterizer (llvmpipe) a blended pixel reads the framebuffer back,
/// and a triangle covering a whole 64x64 tile cannot replace what the tile held before
/// (the clear, the planes behind it). The same fills without blending give the same
/// pixels (their alpha is 1) and let llvmpipe drop the work they cover.
#include <imgui.h>

namespace convscope::gui::render {

/// Switches a draw list between opaque and blended drawing with callbacks in the list
/// (each switch starts a new draw command, so only large fills switch). Starts blended
/// and leaves the list blended when destroyed.
class BlendSwitch {
public:
    explicit BlendSwitch(ImDrawList* list) : list_(list) {}
    ~BlendSwitch() { blended(); }
    BlendSwitch(const BlendSwitch&) = delete;
    BlendSwitch& operator=(const BlendSwitch&) = delete;

    /// What follows is drawn without blending (every pixel of it has alpha 1).
    void opaque();
    /// What follows is blended again (ImGui's usual state).
    void blended();
    /// Whether a fill `width` x `height` pixels is worth a switch: large enough to cover
    /// a whole rasterizer tile wherever it lies.
    static bool large(float width, float height) { return width >= kLarge && height >= kLarge; }

private:
    static constexpr float kLarge = 128.0f;
    ImDrawList* list_;
    bool opaque_ = false;
};

}  // namespace convscope::gui::render
