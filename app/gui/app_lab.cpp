#include "app/gui/app_lab.hpp"

#include "core/errors.hpp"

namespace convscope::gui {

bool open_lab(AppState& state, const std::string& preset, std::string& message) {
    LabSettings settings = state.lab_settings;
    settings.preset = preset;
    std::unique_ptr<Lab> lab;
    try {
        lab = std::make_unique<Lab>(settings);
    } catch (const UserError& e) {
        message = e.what();
        return false;
    }
    state.lab_settings = settings;
    if (state.lab) state.lab->replace(std::move(lab));
    else state.lab = std::make_unique<LabRunner>(std::move(lab));
    state.lab->play();
    return true;
}

bool reset_lab(AppState& state) {
    if (!state.lab) return false;
    const bool was_playing = state.lab->playing();
    std::string message;
    if (!open_lab(state, state.lab_settings.preset, message)) {
        state.lab_message = message;
        return false;
    }
    if (!was_playing) state.lab->pause();
    state.lab_message.clear();
    return true;
}

bool open_picture(AppState& state, const std::string& path) {
    std::string note;
    try {
        if (state.lab) {
            LabSettings settings = state.lab_settings;
            settings.image_path = path;
            auto lab = std::make_unique<Lab>(settings);  // reads and checks the picture first
            note = lab->snapshot().picture_note;
            state.lab_settings = settings;
            state.lab->replace(std::move(lab));
            state.lab->play();
        } else {
            Session s = state.session;
            note = use_picture(s, path);
            std::string message;
            if (!set_session(state, std::move(s), message)) throw UserError(message);
        }
    } catch (const UserError& e) {
        state.picture_message = std::string(e.what()) + " (the current picture stays)";
        state.picture_message_is_error = true;
        return false;
    }
    state.picture_message = "opened " + path + (note.empty() ? "" : ": " + note);
    state.picture_message_is_error = false;
    return true;
}

}  // namespace convscope::gui
