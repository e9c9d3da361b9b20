#include "app/render/blending.hpp"

#include "app/render/gl.hpp"

namespace convscope::gui::render {

namespace {

void blending_off(const ImDrawList*, const ImDrawCmd*) { glDisable(GL_BLEND); }
void blending_on(const ImDrawList*, const ImDrawCmd*) { glEnable(GL_BLEND); }

}  // namespace

void BlendSwitch::opaque() {
    if (opaque_) return;
    list_->AddCallback(blending_off, nullptr);
    opaque_ = true;
}

void BlendSwitch::blended() {
    if (!opaque_) return;
    list_->AddCallback(blending_on, nullptr);
    opaque_ = false;
}

}  // namespace convscope::gui::render
