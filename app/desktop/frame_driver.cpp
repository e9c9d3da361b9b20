#include "app/desktop/frame_driver.hpp"

namespace convscope::gui {

namespace {

class PlaybackDriver final : public FrameDriver {
public:
    bool benchmark() const override { return false; }
    void before_frame(AppState& state, double now) override {
        if (last_ >= 0) {
            if (state.slide_show) state.slide_show->advance(now - last_);
            else advance(state, now - last_);
        }
        last_ = now;
    }
    bool after_frame(AppState&, double) override { return true; }

private:
    double last_ = -1;  ///< the previous frame's time (none yet)
};

}  // namespace

std::unique_ptr<FrameDriver> make_playback_driver() { return std::make_unique<PlaybackDriver>(); }

}  // namespace convscope::gui
