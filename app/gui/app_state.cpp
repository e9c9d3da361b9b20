#include "app/gui/app_state.hpp"

#include <algorithm>
#include <chrono>
#include <new>

#include "core/errors.hpp"
#include "core/pycode.hpp"

namespace convscope::gui {

void load_preset(AppState& state, const std::string& name) {
    Session s = session_from_preset(name);
    s.dark = state.session.dark;  // the theme is the user's, not the preset's
    set_session(state, std::move(s));
}

void set_session(AppState& state, Session session) {
    state.session = std::move(session);
    state.code_text = to_pytorch_code(state.session.layers);
    state.code_error.clear();
    state.animation.reset();
    rebuild(state, true);
}

namespace {

/// Above this many input elements the rebuild (input, engines, the output replay) goes
/// to a worker thread: about a few milliseconds of work on this machine.
constexpr std::int64_t kSyncRebuildElements = std::int64_t{1} << 17;

std::unique_ptr<Animation> build_animation(const Session& s) {
    auto animation = std::make_unique<Animation>(s);
    // Do the expensive part here, not in the first frame that draws it.
    const StepEngine& e = animation->engine();
    (void)e.partial_output(e.step_count());
    return animation;
}

void adopt(AppState& state, std::unique_ptr<Animation> animation) {
    state.animation = std::move(animation);
    ++state.generation;
    state.session.frame = std::clamp<std::int64_t>(state.session.frame, 0, state.animation->frame_count() - 1);
    state.error.clear();
}

}  // namespace

void rebuild(AppState& state, bool wait) {
    Session& s = state.session;
    if (s.layers.empty()) {
        state.error = "the stack has no layers";
        return;
    }
    s.layer_index = std::clamp<std::int64_t>(s.layer_index, 0, std::int64_t(s.layers.size()) - 1);
    const Layer& L = s.layers[std::size_t(s.layer_index)];
    if (L.is_conv()) {
        s.out_channel = std::clamp<std::int64_t>(s.out_channel, 0, L.out_channels - 1);
        s.in_channel = std::clamp<std::int64_t>(s.in_channel, 0, L.in_channels - 1);
    }
    if (state.rebuild_job.valid()) {
        if (!wait) {
            state.rebuild_again = true;  // the running job is stale; go again when it ends
            return;
        }
        state.rebuild_job.wait();  // its result is stale: drop it
        state.rebuild_job = {};
        state.rebuild_again = false;
    }
    const auto& sh = s.input_shape;
    const bool big = !(sh[0] <= 64 && sh[1] <= 4096 && sh[2] <= 65536 && sh[3] <= 65536) ||
                     sh[0] * sh[1] * sh[2] * sh[3] > kSyncRebuildElements;
    if (big && !wait) {
        state.rebuild_job = std::async(std::launch::async, build_animation, s);
        return;
    }
    try {
        adopt(state, build_animation(s));
    } catch (const UserError& e) {
        state.error = e.what();
    } catch (const std::bad_alloc&) {
        state.error = "out of memory: the configuration is too large";
    }
}

void poll_rebuild(AppState& state) {
    if (!state.rebuild_job.valid() || state.rebuild_job.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    try {
        adopt(state, state.rebuild_job.get());
    } catch (const UserError& e) {
        state.error = e.what();
    } catch (const std::bad_alloc&) {
        state.error = "out of memory: the configuration is too large";
    }
    state.rebuild_job = {};
    if (state.rebuild_again) {
        state.rebuild_again = false;
        rebuild(state);
    }
}

bool rebuilding(const AppState& state) { return state.rebuild_job.valid(); }

const Scene& current_scene(AppState& state, float width, float height) {
    SceneCache& c = state.scene_cache;
    const Session& s = state.session;
    if (c.generation != state.generation || c.frame != s.frame || c.in_channel != s.in_channel || c.width != width ||
        c.height != height || c.dark != s.dark || c.style != s.style) {
        SceneOptions opt;
        opt.width = width;
        opt.height = height;
        opt.in_channel = s.in_channel;
        opt.dark = s.dark;
        opt.style = s.style;  // the session's (a preset's) style: the seeds open as slides
        c.scene = state.animation->scene(s.frame, opt);
        c.generation = state.generation;
        c.frame = s.frame;
        c.in_channel = s.in_channel;
        c.width = width;
        c.height = height;
        c.dark = s.dark;
        c.style = s.style;
    }
    return c.scene;
}

namespace {

/// Run a file action and report it in file_message: `done` on success, the reason otherwise.
template <typename Action>
bool file_action(AppState& state, const std::string& done, Action&& action) {
    try {
        action();
        state.file_message = done;
        state.file_message_is_error = false;
        return true;
    } catch (const UserError& e) {
        state.file_message = e.what();
    } catch (const std::bad_alloc&) {
        state.file_message = "out of memory: " + done.substr(done.find(' ') + 1) + " is too large";
    }
    state.file_message_is_error = true;
    return false;
}

}  // namespace

bool open_session_file(AppState& state, const std::string& path) {
    return file_action(state, "opened " + path, [&] {
        set_session(state, load_session(path));
        state.session_path = path;
    });
}

bool save_session_file(AppState& state, const std::string& path) {
    return file_action(state, "saved " + path, [&] {
        save_session(state.session, path);
        state.session_path = path;
    });
}

void advance(AppState& state, double dt) {
    if (!state.playing || !state.animation) return;
    state.frame_clock += dt * state.frames_per_second;
    const std::int64_t last = last_frame(state);
    while (state.frame_clock >= 1.0) {
        state.frame_clock -= 1.0;
        if (state.session.frame < last) {
            ++state.session.frame;
        } else if (state.loop) {
            state.session.frame = 0;
        } else {
            state.playing = false;
            state.frame_clock = 0;
        }
    }
}

std::int64_t last_frame(const AppState& state) {
    return state.animation ? state.animation->frame_count() - 1 : 0;
}

}  // namespace convscope::gui
