// The two `bench --ui` benchmarks (each preset played one frame per drawn frame; a
// slider drag on a big convolution), as frame drivers of the app's own loop.
#include "app/desktop/ui_bench.hpp"

#include "app/desktop/frame_driver.hpp"
#include "app/desktop/run_app.hpp"
#include "app/logic/app_lab.hpp"
#include "app/logic/documents.hpp"

#include "core/base/errors.hpp"
#include "core/lecture/deck.hpp"

#include <algorithm>

namespace convscope::gui {

namespace {

/// Each preset in turn, a new scene every frame, `frames` frames each.
/// A bench entry "channels:NAME" plays preset NAME in the channels view;
/// "perspective:NAME" plays it in the perspective style.
constexpr const char* kChannelsPrefix = "channels:";
constexpr const char* kPerspectivePrefix = "perspective:";

void load_bench_preset(AppState& state, const std::string& entry) {
    const bool channels = entry.rfind(kChannelsPrefix, 0) == 0;
    const bool perspective = entry.rfind(kPerspectivePrefix, 0) == 0;
    load_preset(state, channels ? entry.substr(std::string(kChannelsPrefix).size())
                       : perspective ? entry.substr(std::string(kPerspectivePrefix).size())
                                     : entry);
    state.channels.enabled = channels;
    if (perspective) state.session.style = SceneStyle::Perspective;
    // The lab opens paused at step 0; the contract times it with training running.
    lab_train(state);
}

class PresetBench final : public FrameDriver {
public:
    PresetBench(const UiBenchOptions& options, AppState& state) : options_(options) {
        load_bench_preset(state, options.presets[0]);
        if (options.frame_times) options.frame_times->assign(options.presets.size(), {});
    }
    bool benchmark() const override { return true; }
    void before_frame(AppState& state, double) override {
        state.session.frame = (state.session.frame + 1) % (last_frame(state) + 1);
    }
    bool after_frame(AppState& state, double frame_ms) override {
        if (options_.frame_times) (*options_.frame_times)[preset_].push_back(frame_ms);
        if (++frames_ < options_.frames) return true;
        if (++preset_ == options_.presets.size()) return false;
        load_bench_preset(state, options_.presets[preset_]);
        frames_ = 0;
        return true;
    }

private:
    const UiBenchOptions& options_;
    std::size_t preset_ = 0;
    int frames_ = 0;
};

/// A 1x16x256x256 input under a 16-channel conv, its dilation changed every frame as
/// a slider drag would (one list of frame times).
class DragBench final : public FrameDriver {
public:
    DragBench(const UiBenchOptions& options, AppState& state) : options_(options) {
        Session big = session_from_preset("seed-dilated");
        big.preset = "drag-256x256x16";
        big.input_shape = {1, 16, 256, 256};
        big.layers[0].in_channels = 16;
        std::string refused;
        if (!set_session(state, std::move(big), refused)) throw UserError("bench --drag: " + refused);
        if (options.frame_times) options.frame_times->assign(1, {});
    }
    bool benchmark() const override { return true; }
    void before_frame(AppState& state, double) override {  // back and forth, one step every 4 frames
        Layer& L = state.session.layers[0];
        L.dilation.h = L.dilation.w = 1 + (frames_ / 4) % 6;
        L.padding.value = L.dilation;
        rebuild(state);
    }
    bool after_frame(AppState&, double frame_ms) override {
        if (options_.frame_times) (*options_.frame_times)[0].push_back(frame_ms);
        return ++frames_ < options_.frames;
    }

private:
    const UiBenchOptions& options_;
    int frames_ = 0;
};

/// The presenter on the first shipped deck (full screen on the first monitor), each slide
/// played one frame per drawn frame, its answer revealed half-way (one list of times).
class PresentBench final : public FrameDriver {
public:
    PresentBench(const UiBenchOptions& options, AppState& state) : options_(options), per_slide_(std::max(10, options.frames / 4)) {
        const std::vector<std::string> decks = shipped_decks();
        if (decks.empty()) throw UserError("bench --case present: no shipped deck was found (assets/decks)");
        start_presenting(state, load_deck(decks.front()), decks.front(), 0, true);
        state.present_monitor = 0;
        if (options.frame_times) options.frame_times->assign(1, {});
    }
    bool benchmark() const override { return true; }
    void before_frame(AppState& state, double) override {
        if (state.slide_show) state.slide_show->step_frame();
    }
    bool after_frame(AppState& state, double frame_ms) override {
        if (options_.frame_times) (*options_.frame_times)[0].push_back(frame_ms);
        if (!state.slide_show) return false;
        Presenter& keys = state.slide_show->keys();
        if (++frames_ == per_slide_ / 2) keys.press(PresenterKey::Next);  // reveals the answer (or moves on)
        if (frames_ < per_slide_) return true;
        if (keys.slide + 1 >= keys.count()) return false;
        keys.go_to(keys.slide + 1);
        frames_ = 0;
        return true;
    }

private:
    const UiBenchOptions& options_;
    int per_slide_;
    int frames_ = 0;
};

}  // namespace

int run_ui_bench(const UiBenchOptions& options) {
    return run_app(LaunchOptions{}, [&](AppState& state) -> std::unique_ptr<FrameDriver> {
        if (options.drag) return std::make_unique<DragBench>(options, state);
        if (options.present) return std::make_unique<PresentBench>(options, state);
        return std::make_unique<PresetBench>(options, state);
    });
}

}  // namespace convscope::gui
