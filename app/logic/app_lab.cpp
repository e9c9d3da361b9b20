#include "app/logic/app_lab.hpp"

#include "core/base/errors.hpp"

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

bool open_context_view(AppState& state, const std::string& path, ContextKernel kernel, std::string& message) {
    try {
        DilationContext context = compute_dilation_context(path, kernel);  // reads and checks the picture first
        if (!state.context_view) state.context_view = std::make_unique<AppState::ContextView>();
        AppState::ContextView& v = *state.context_view;
        v.kernel = kernel;
        v.image_path = path;
        v.context = std::move(context);
        v.stale = true;
    } catch (const UserError& e) {
        message = e.what();
        return false;
    }
    return true;
}

bool open_picture(AppState& state, const std::string& path) {
    std::string note;
    try {
        if (state.context_view) {
            std::string message;
            if (!open_context_view(state, path, state.context_view->kernel, message)) throw UserError(message);
            note = state.context_view->context.note;
        } else if (state.lab) {
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
