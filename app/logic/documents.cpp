#include "app/logic/documents.hpp"

#include <filesystem>
#include <memory>

#include "app/logic/app_lab.hpp"
#include "core/base/errors.hpp"
#include "core/learn/lab.hpp"
#include "core/scene/dilation_context.hpp"

namespace convscope::gui {

void load_preset(AppState& state, const std::string& name) {
    Session s = session_from_preset(name);
    s.dark = state.session.dark;  // the theme is the user's, not the preset's
    std::string message;
    if (!set_session(state, std::move(s), message)) throw UserError("preset '" + name + "': " + message);
    state.session_path.clear();
    state.playing = true;
    // A lab preset trains its models (app_lab.cpp); any other closes the lab.
    if (is_lab_preset(name)) {
        if (!open_lab(state, name, message)) throw UserError("preset '" + name + "': " + message);
        state.playing = false;  // the canvas is hidden behind the lab: only the lab moves
    } else {
        state.lab.reset();
    }
    // dilation-context shows its view (app_lab.cpp) in the lab's place.
    if (name == kDilationContextPreset) {
        if (!open_context_view(state, "", ContextKernel::Sobel, message)) throw UserError("preset '" + name + "': " + message);
        state.playing = false;
    } else {
        state.context_view.reset();
    }
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
        Session s = load_session(path);
        // A saved lab is rebuilt and its learned weights restored before anything changes.
        std::unique_ptr<Lab> lab;
        if (s.lab) {
            lab = std::make_unique<Lab>(s.lab->settings);
            lab->restore(*s.lab);
        }
        std::string message;
        if (!set_session(state, std::move(s), message)) throw UserError(path + ": " + message);
        state.session_path = path;
        if (lab) {
            state.lab_settings = lab->settings();
            if (state.lab) state.lab->replace(std::move(lab));
            else state.lab = std::make_unique<LabRunner>(std::move(lab));
            state.lab->pause();
        } else {
            state.lab.reset();
        }
        // Reopened to be looked at where it was left: paused on its saved frame.
        state.playing = false;
        state.frame_clock = 0;
    });
}

bool save_session_file(AppState& state, const std::string& path) {
    return file_action(state, "saved " + path, [&] {
        if (state.lab) state.session.lab = std::make_shared<const LabSave>(state.lab->save());
        else state.session.lab.reset();
        save_session(state.session, path);
        state.session_path = path;
    });
}

bool choose_file(AppState& state, AppState::ChooserPurpose purpose) {
    if (state.chooser.running()) return true;  // one at a time: it is already open
    ChooserRequest request;
    switch (purpose) {
    case AppState::ChooserPurpose::OpenSession:
        request.title = "Open a ConvScope session";
        request.initial_path = state.session_path;
        break;
    case AppState::ChooserPurpose::SaveSession:
        request.title = "Save the session";
        request.save = true;
        request.initial_path = state.session_path.empty()
                                   ? std::filesystem::path(default_export_path(state, exporting::Format::Png)).replace_extension("json").string()
                                   : state.session_path;
        break;
    case AppState::ChooserPurpose::OpenPicture:
        request.title = "Open a picture";
        request.initial_path = state.lab_settings.image_path.empty() ? state.session.image_path : state.lab_settings.image_path;
        break;
    case AppState::ChooserPurpose::ExportPath: {
        const exporting::Format f = state.export_request.format;
        request.title = std::string("Export as ") + exporting::format_name(f);
        request.save = true;
        request.initial_path = state.export_request.out.empty() ? default_export_path(state, f) : state.export_request.out;
        request.filter_name = exporting::format_name(f);
        request.filter_pattern = std::string("*.") + exporting::format_name(f);
        break;
    }
    }
    if (purpose == AppState::ChooserPurpose::OpenPicture) {
        request.filter_name = "Pictures (png jpg bmp pgm ppm gif)";
        request.filter_pattern = "*.png *.jpg *.jpeg *.bmp *.pgm *.ppm *.gif";
    } else if (purpose != AppState::ChooserPurpose::ExportPath) {
        request.filter_name = "Sessions (*.json)";
        request.filter_pattern = "*.json";
    }
    return state.chooser.start(request, purpose);
}

void poll_file_chooser(AppState& state) {
    const std::optional<std::string> path = state.chooser.take();
    if (!path || path->empty()) return;  // still open, or cancelled
    switch (state.chooser.purpose()) {
    case AppState::ChooserPurpose::OpenSession:
        open_session_file(state, *path);
        break;
    case AppState::ChooserPurpose::SaveSession:
        save_session_file(state, std::filesystem::path(*path).has_extension() ? *path : *path + ".json");
        break;
    case AppState::ChooserPurpose::OpenPicture:
        open_picture(state, *path);
        break;
    case AppState::ChooserPurpose::ExportPath:
        state.export_request.out = state.export_request.all_steps ? *path : with_format_extension(*path, state.export_request.format);
        break;
    }
}

}  // namespace convscope::gui
