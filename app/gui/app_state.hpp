#pragma once
/// \file app_state.hpp
/// Everything the desktop app knows, in one struct passed to every panel (no
/// function-local statics). The Session is the document (what is shown, saved and
/// exported); only `rebuild` turns it into a new Animation.
#include <cstdint>
#include <memory>
#include <string>

#include "core/session.hpp"

namespace convscope::gui {

/// The last frame's scene, rebuilt only when something it shows changed (a scene of a
/// 64x64 map replays thousands of steps).
struct SceneCache {
    std::uint64_t generation = ~std::uint64_t{0};
    std::int64_t frame = -1, in_channel = -1;
    float width = 0, height = 0;
    bool dark = false;
    Scene scene;
};

struct AppState {
    Session session;                     ///< the document; session.frame is the frame shown
    std::unique_ptr<Animation> animation;  ///< derived by rebuild(); null only before the first valid one
    std::string error;                   ///< why the last edit was refused (shown in red)
    std::uint64_t generation = 0;        ///< bumped by every successful rebuild
    SceneCache scene_cache;

    // Playback.
    bool playing = true;
    bool loop = true;
    float frames_per_second = 12.0f;
    double frame_clock = 0.0;

    // Files.
    std::string session_path;            ///< where the session is saved (empty: not yet)
    std::string file_message;            ///< result of the last save/load, shown in the File menu
    bool file_message_is_error = false;

    // UI.
    bool show_help = false;
    std::string code_text;               ///< the code panel's editable text
    std::string code_error;
};

/// Open a preset: its session, rebuilt.
void load_preset(AppState& state, const std::string& name);
/// Replace the session (from a file, or the code panel) and rebuild.
void set_session(AppState& state, Session session);
/// Recompute the animation from the session. On a refused configuration the previous
/// animation stays on screen and `error` says why.
void rebuild(AppState& state);
/// The scene of the frame shown, from the cache when nothing changed. Needs an animation.
const Scene& current_scene(AppState& state, float width, float height);
/// Advance playback by `dt` seconds.
void advance(AppState& state, double dt);
/// The last frame index of the current animation (0 when there is none).
std::int64_t last_frame(const AppState& state);

}  // namespace convscope::gui
