#include "app/gui/app_state.hpp"

#include <algorithm>

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
    rebuild(state);
}

void rebuild(AppState& state) {
    Session& s = state.session;
    try {
        s.layer_index = std::clamp<std::int64_t>(s.layer_index, 0, std::int64_t(s.layers.size()) - 1);
        const Layer& L = s.layers[std::size_t(s.layer_index)];
        if (L.is_conv()) {
            s.out_channel = std::clamp<std::int64_t>(s.out_channel, 0, L.out_channels - 1);
            s.in_channel = std::clamp<std::int64_t>(s.in_channel, 0, L.in_channels - 1);
        }
        state.animation = std::make_unique<Animation>(s);
        ++state.generation;
        s.frame = std::clamp<std::int64_t>(s.frame, 0, state.animation->frame_count() - 1);
        state.error.clear();
    } catch (const UserError& e) {
        state.error = e.what();
    }
}

const Scene& current_scene(AppState& state, float width, float height) {
    SceneCache& c = state.scene_cache;
    const Session& s = state.session;
    if (c.generation != state.generation || c.frame != s.frame || c.in_channel != s.in_channel || c.width != width ||
        c.height != height || c.dark != s.dark) {
        SceneOptions opt;
        opt.width = width;
        opt.height = height;
        opt.in_channel = s.in_channel;
        opt.dark = s.dark;
        c.scene = state.animation->scene(s.frame, opt);
        c.generation = state.generation;
        c.frame = s.frame;
        c.in_channel = s.in_channel;
        c.width = width;
        c.height = height;
        c.dark = s.dark;
    }
    return c.scene;
}

bool open_session_file(AppState& state, const std::string& path) {
    try {
        Session s = load_session(path);
        set_session(state, std::move(s));
        state.session_path = path;
        state.file_message = "opened " + path;
        state.file_message_is_error = false;
        return true;
    } catch (const UserError& e) {
        state.file_message = e.what();
        state.file_message_is_error = true;
        return false;
    }
}

bool save_session_file(AppState& state, const std::string& path) {
    try {
        save_session(state.session, path);
        state.session_path = path;
        state.file_message = "saved " + path;
        state.file_message_is_error = false;
        return true;
    } catch (const UserError& e) {
        state.file_message = e.what();
        state.file_message_is_error = true;
        return false;
    }
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
