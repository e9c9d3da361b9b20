#include "app/logic/app_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
    if (state.lab) {
        state.lab->pause();  // the new lab starts paused at step 0
        state.lab->replace(std::move(lab));
    } else {
        state.lab = std::make_unique<LabRunner>(std::move(lab));
    }
    state.lab_reported.clear();
    return true;
}

bool reset_lab(AppState& state) {
    if (!state.lab) return false;
    std::string message;
    if (!open_lab(state, state.lab_settings.preset, message)) {
        state.lab_message = message;
        return false;
    }
    state.lab_message.clear();
    return true;
}

void lab_train(AppState& state) {
    if (state.lab) state.lab->play();
}

void lab_pause(AppState& state) {
    if (state.lab) state.lab->pause();
}

void lab_step(AppState& state) {
    if (state.lab) state.lab->step_once();
}

std::string lab_lr_problem(double lr) {
    if (std::isfinite(lr) && lr > 0 && lr <= 10) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", lr);
    return std::string("learning rate ") + buf + " must be above 0 and at most 10";
}

bool set_lab_optimizer(AppState& state, OptimizerSettings::Kind kind, double lr) {
    const std::string problem = lab_lr_problem(lr);
    if (!problem.empty()) {
        state.lab_message = problem + " (the lab keeps " +
                            std::string(state.lab_settings.optimizer.kind == OptimizerSettings::Kind::Adam ? "Adam" : "SGD") +
                            ")";
        return false;
    }
    OptimizerSettings opt = state.lab_settings.optimizer;
    opt.kind = kind;
    opt.lr = lr;
    // SGD as `convscope export --optimizer sgd` trains it: momentum 0.9.
    opt.momentum = kind == OptimizerSettings::Kind::Sgd ? 0.9 : 0.0;
    state.lab_settings.optimizer = opt;
    if (state.lab) state.lab->set_optimizer(opt);
    state.lab_message.clear();
    return true;
}

std::vector<std::string> new_lab_notes(AppState& state) {
    std::vector<std::string> notes;
    if (!state.lab) return notes;
    std::vector<std::string> now;
    // Hold the snapshot while reading it: a range-for over snapshot()->models keeps only
    // the vector's reference, and the worker may drop the last owner meanwhile (a
    // use-after-free ThreadSanitizer found).
    const std::shared_ptr<const LabSnapshot> snapshot = state.lab->snapshot();
    for (const LabModelSnapshot& m : snapshot->models)
        if (!m.diverged.empty()) now.push_back(m.diverged);
    if (!state.lab->error().empty()) now.push_back(state.lab->error());
    for (const std::string& n : now)
        if (std::find(state.lab_reported.begin(), state.lab_reported.end(), n) == state.lab_reported.end()) {
            state.lab_reported.push_back(n);
            notes.push_back(n);
        }
    return notes;
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
            state.lab->replace(std::move(lab));  // playing on if it was
            state.lab_reported.clear();
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
