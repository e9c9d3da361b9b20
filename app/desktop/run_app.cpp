// The frame loop: one loop for the user and the benchmarks alike (what differs is the
// FrameDriver: frame_driver.hpp, bench/ui_bench.cpp); the window, GL and ImGui live in a Window (window.cpp).
#include "app/desktop/run_app.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <imgui.h>

#include "app/logic/app_lab.hpp"
#include "app/logic/app_state.hpp"
#include "app/logic/documents.hpp"
#include "app/logic/layout.hpp"
#include "app/panels/panels.hpp"
#include "app/logic/settings.hpp"
#include "app/render/window.hpp"
#include "core/base/errors.hpp"
#include "core/io/pycode.hpp"
#include "core/anim/session.hpp"

namespace convscope::gui {

namespace {

/// Set by SIGTERM/SIGINT: the loop ends as if the window were closed (session kept).
std::atomic<bool> g_stop_requested{false};  // a signal handler can only reach a global

void request_stop(int) { g_stop_requested = true; }

/// The session to open: the file or preset asked for, else the last one, else the seed.
/// The lab's launch options (--optimizer, --lr) into the lab settings a lab preset
/// opens with; UserError naming the option for a value refused.
void apply_lab_options(AppState& state, const LaunchOptions& options) {
    OptimizerSettings& opt = state.lab_settings.optimizer;
    if (options.optimizer == "sgd") {
        opt.kind = OptimizerSettings::Kind::Sgd;
        opt.momentum = 0.9;
    } else if (options.optimizer == "adam") {
        opt.kind = OptimizerSettings::Kind::Adam;
    } else if (!options.optimizer.empty()) {
        throw UserError("--optimizer '" + options.optimizer.substr(0, 40) + "' must be adam or sgd");
    }
    if (options.lr_given) {
        const std::string problem = lab_lr_problem(options.lr);
        if (!problem.empty()) throw UserError("--lr: " + problem);
        opt.lr = options.lr;
    }
}

void open_initial_session(AppState& state, const LaunchOptions& options) {
    apply_lab_options(state, options);
    if (!options.preset.empty()) {
        load_preset(state, options.preset);  // UserError for an unknown preset, before any window
        return;
    }
    load_preset(state, "seed-dilated");
    if (!options.session_path.empty()) {
        open_session_file(state, options.session_path);  // a bad file: the seed, and the reason in red
        return;
    }
    if (!std::filesystem::exists(state.autosave_path)) {  // a first launch: one line on where to start
        state.file_message = "New here? Start with the course's three seeds: seed-dilated (open now), seed-upconv and "
                             "seed-combined, under Parameters > preset. Press ? for help.";
        return;
    }
    if (open_session_file(state, state.autosave_path)) {
        state.session_path.clear();  // Ctrl+S asks where, rather than writing the autosave
        state.file_message = "reopened where you left off, paused (space plays)";
    } else {
        state.file_message = "the last session could not be reopened (" + state.file_message + "); started on seed-dilated";
    }
}

/// Put the next window on its tile, every frame: a resized window or another content
/// scale re-tiles at once, and a tile cannot be dragged over another.
void place_next(const Rect& tile) {
    ImGui::SetNextWindowPos(ImVec2(tile.x, tile.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(tile.w, tile.h), ImGuiCond_Always);
}

/// Every panel of one frame, each on its tile (layout.cpp); only dialogs float.
void draw_panels(AppState& state, Window& window) {
    if (state.slide_show) {  // the presenter fills the screen; the panels wait behind it
        draw_presenter(state, window.heatmaps(), window.pictures(), window.time());
        if (state.slide_show) {
            const Color c = presenter_clear_color(state);
            window.set_clear_color(true, c.r, c.g, c.b);
        }
        return;
    }
    window.set_clear_color(false);
    poll_rebuild(state);
    poll_file_chooser(state);
    handle_shortcuts(state);
    draw_menu_bar(state);
    LayoutRequest request;
    request.width = ImGui::GetIO().DisplaySize.x;
    request.height = ImGui::GetIO().DisplaySize.y;
    request.top = ImGui::GetFrameHeight();  // below the menu bar
    request.scale = std::max(window.scale(), ImGui::GetFontSize() / 16.0f);  // content scale, or larger text
    request.receptive_field = state.show_receptive_field;
    request.compare = !state.rf_compare_preset.empty();
    request.matrix = state.show_matrix && state.animation;
    // The code panel (panel_code.cpp): the code beside its printout (`x = ...`, a shape per
    // layer of a stack, the final print), then the buttons and an error if any.
    const std::size_t layers = state.session.layers.size();
    // The code as shown (split to the field's width, code_wrap.hpp): all of it is visible.
    const float code_lines = float(std::count(state.code_text.begin(), state.code_text.end(), '\n') + 2);
    const float printout_lines = float(1 + input_code(state.drawn).size() + (layers > 1 ? layers : 0));
    const ImGuiStyle& style = ImGui::GetStyle();
    request.code_height = ImGui::GetFrameHeight() + 2 * style.WindowPadding.y + 2 * style.FramePadding.y +
                          ImGui::GetTextLineHeightWithSpacing() * (std::max(code_lines, printout_lines) +
                                                                   (state.code_error.empty() ? 0.0f : state.code_error_offset > 0 ? 4.0f : 2.0f)) +
                          ImGui::GetFrameHeightWithSpacing();
    request.lab = state.lab != nullptr || state.context_view != nullptr;
    request.deck = state.deck_editor.show;
    request.quiz = state.quiz.show;
    state.layout = tile_window(request);
    place_next(state.layout.parameters);
    draw_parameters_panel(state);
    place_next(state.layout.timeline);
    draw_timeline_panel(state);
    if (request.lab) {
        place_next(state.layout.lab);
        if (state.context_view) draw_dilation_context_panel(state, window.pictures());
        else draw_lab_panel(state, window.pictures());
    } else {
        place_next(state.layout.canvas);
        draw_canvas_panel(state, window.heatmaps());
        place_next(state.layout.code);
        draw_code_panel(state);
    }
    if (request.receptive_field) {
        place_next(state.layout.receptive_field);
        draw_receptive_field_panel(state, window.heatmaps());
    }
    if (request.matrix) {
        place_next(state.layout.matrix);
        draw_matrix_panel(state, window.heatmaps());
    }
    draw_session_dialog(state);
    draw_picture_dialog(state);
    draw_export_panel(state);
    draw_help_window(state);
    if (request.deck) place_next(state.layout.deck);
    draw_deck_panel(state);
    if (request.quiz) place_next(state.layout.quiz);
    draw_quiz_panel(state);
}

/// Stop background work (a running export is cancelled: no half file; an open file
/// chooser is closed).
void finish_jobs(AppState& state) {
    state.export_job.reset();
    state.chooser.reset();
    if (state.rebuild_job.valid()) state.rebuild_job.wait();
}

/// Keep the session for the next launch (atomic; a failure only costs the reopen).
void keep_session(AppState& state) {
    try {
        // The lab too, with its learned weights (session format 2).
        if (state.lab) state.session.lab = std::make_shared<const LabSave>(state.lab->save());
        std::filesystem::create_directories(std::filesystem::path(state.autosave_path).parent_path());
        save_session(drawn_session(state), state.autosave_path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "warning: could not keep the session for next time: %s\n", e.what());
    }
}

/// The window follows the presenter: full screen at a projector's text size while a deck
/// is presented, back to the window and the user's text size when it is left (Escape
/// quits instead when `convscope present` started it). Returns whether it presents.
bool follow_presenter(AppState& state, Window& window, bool presenting, int& app_text_size) {
    if (state.slide_show && state.slide_show->keys().leave) {
        if (state.present_quits) state.quit_requested = true;
        state.slide_show.reset();
    }
    const bool wanted = state.slide_show != nullptr;
    if (wanted && !presenting) {
        app_text_size = state.text_size_percent;
        if (!state.present_quits) window.set_full_screen(state.present_monitor);
    }
    if (!wanted && presenting) {
        window.set_full_screen(-1);
        state.text_size_percent = app_text_size;
    }
    if (wanted) state.text_size_percent = presenter_text_size_percent(window.screen_height(), window.content_scale());
    return wanted;
}

/// The presenter window and what it draws, while a deck is presented.
struct PresenterWindow {
    std::unique_ptr<Window> window;
    std::unique_ptr<PresenterDesk> desk;
    bool declined = false;  ///< not wanted, or closed by the user: not again until the next deck
    double drawn_at = -1;   ///< when its last frame was drawn (the window's clock)
};

/// The presenter window is drawn ten times a second, not every frame: the loop draws the
/// windows one after the other, and at the audience's rate it would take as long again
/// as the audience's own frame. Slides play at 8 frames a second (slide_show.hpp), the
/// clock ticks once a second, and a key shows there within a tenth of a second.
constexpr double kPresenterWindowPeriod = 0.1;

std::string presenter_window_title(const AppState& state) {
    const std::string title = window_title(state);  // "ConvScope: transposed, slide 3 / 13"
    const std::string prefix = "ConvScope: ";
    return "ConvScope presenter: " + (title.rfind(prefix, 0) == 0 ? title.substr(prefix.size()) : title);
}

/// Opens the presenter window when a deck is presented and it is wanted (a second
/// monitor, or --presenter-window); closes it when the deck is left or the user closes it.
void follow_presenter_window(AppState& state, Window& audience, PresenterWindow& presenter, bool benchmark) {
    if (presenter.window && (!state.slide_show || !presenter.window->open())) {
        presenter.declined = state.slide_show != nullptr;  // its close button: the deck goes on without it
        presenter.window.reset();
        presenter.desk.reset();
    }
    if (!state.slide_show) {
        presenter.declined = false;
        return;
    }
    if (presenter.window || presenter.declined || benchmark) return;
    const int monitors = audience.monitor_count();
    presenter.declined = true;  // asked once a deck
    if (!wants_presenter_window(state.presenter_window, monitors)) return;
    presenter.window = Window::open_beside(audience, presenter_window_title(state), presenter_window_monitor(state.present_monitor, monitors));
    if (presenter.window) {
        presenter.desk = std::make_unique<PresenterDesk>();
        presenter.declined = false;
    }
}

/// One frame of the presenter window, after the audience's (its page is the one drawn).
void draw_presenter_window_frame(AppState& state, Window& audience, PresenterWindow& presenter) {
    if (!presenter.window || !state.slide_show) return;
    if (audience.time() - presenter.drawn_at < kPresenterWindowPeriod) return;
    presenter.drawn_at = audience.time();
    presenter.window->set_title(presenter_window_title(state));
    presenter.window->begin_frame(true, 100);
    draw_presenter_window(state, *presenter.desk, presenter.window->heatmaps(), presenter.window->pictures(), audience.time());
    presenter.window->end_frame();
}

}  // namespace

std::string autosave_path() { return (std::filesystem::path(config_folder()) / "last-session.json").string(); }

int run_app(const LaunchOptions& options, const FrameDriverFactory& make_driver) {
    AppState state;
    state.autosave_path = autosave_path();
    if (options.deck) {
        load_preset(state, "seed-dilated");  // behind the presenter; the last session is not touched
        start_presenting(state, *options.deck, options.deck_path, options.first_slide, true);
        state.present_monitor = options.monitor;
        state.presenter_window = options.presenter_window;
    } else {
        open_initial_session(state, options);
    }
    if (!options.image.empty() && !open_picture(state, options.image))
        std::fprintf(stderr, "error: %s\n", state.picture_message.c_str());
    else if (!options.image.empty() && state.picture_message.find(": ") != std::string::npos)
        std::fprintf(stderr, "note: %s\n", state.picture_message.c_str());
    if (options.train) lab_train(state);  // the lab opens paused at step 0 otherwise
    std::signal(SIGTERM, request_stop);
    std::signal(SIGINT, request_stop);
    const std::unique_ptr<FrameDriver> driver = make_driver ? make_driver(state) : make_playback_driver();
    const bool benchmark = driver->benchmark();

    const std::string settings_file = settings_path();
    const Settings settings = benchmark ? Settings{} : load_settings(settings_file);  // benchmarks at 100 %
    state.text_size_percent = settings.text_size_percent;
    // The deck being prepared at the last quit, in its panel (a missing or refused file: the
    // panel says why). Not behind the presenter: `convscope present` shows its own deck.
    if (!benchmark && !options.deck) reopen_kept_deck(state.deck_editor, settings.deck_path);
    state.desktop_chooser = !FileChooser::find_zenity().empty();

    const std::unique_ptr<Window> window =
        Window::open(1280, 800, window_title(state), !benchmark, state.session.dark, state.slide_show ? state.present_monitor : -1);
    if (!window) return 1;
    // Until the user picks a text size, the screen decides: a projector starts at its size.
    if (!benchmark && !settings.text_size_chosen)
        state.text_size_percent = default_text_size_percent(window->screen_height(), window->content_scale());
    const int first_text_size = state.text_size_percent;
    bool presenting = false;  // the window is full screen for a deck
    int app_text_size = state.text_size_percent;  // the app's, while the presenter's is shown
    PresenterWindow presenter;  // declared after the window: closed before it
    while (window->open() && !state.quit_requested && !g_stop_requested) {
        presenting = follow_presenter(state, *window, presenting, app_text_size);
        follow_presenter_window(state, *window, presenter, benchmark);
        const double frame_start = window->time();
        window->set_title(window_title(state));
        window->begin_frame(state.session.dark, state.text_size_percent);
        // Pictures dropped on the window (glfwSetDropCallback): the last one is opened.
        for (const std::string& path : window->take_dropped_paths()) open_picture(state, path);
        driver->before_frame(state, window->time());
        draw_panels(state, *window);
        window->end_frame();
        draw_presenter_window_frame(state, *window, presenter);
        if (!driver->after_frame(state, (window->time() - frame_start) * 1000.0)) break;
    }
    presenter.window.reset();
    finish_jobs(state);
    if (presenting) state.text_size_percent = app_text_size;  // the presenter's size is not the user's choice
    if (!benchmark && !state.present_quits) {
        keep_session(state);
        Settings kept = settings;
        kept.deck_path = deck_to_keep(state.deck_editor);
        if (state.text_size_percent != first_text_size) {  // picked in View > Text size
            kept.text_size_percent = state.text_size_percent;
            kept.text_size_chosen = true;
        }
        if (state.text_size_percent != first_text_size || kept.deck_path != settings.deck_path) try {
            save_settings(kept, settings_file);
        } catch (const UserError& e) {
            std::fprintf(stderr, "warning: could not keep the text size and the deck for next time: %s\n", e.what());
        }
    }
    return 0;
}

}  // namespace convscope::gui
