#pragma once
/// \file app_state.hpp
/// Everything the desktop app knows, in one struct passed to every panel (no
/// function-local statics). The Session is the document (what is shown, saved and
/// exported); only `rebuild` turns it into a new Animation.
#include <array>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "app/export/exporter.hpp"
#include "app/logic/export_job.hpp"
#include "app/logic/canvas_view.hpp"
#include "app/logic/channels_view.hpp"
#include "app/logic/deck_editor.hpp"
#include "app/logic/quiz.hpp"
#include "app/logic/file_chooser.hpp"
#include "app/logic/layout.hpp"
#include "app/logic/presenter_window.hpp"
#include "app/logic/slide_show.hpp"
#include "core/scene/dilation_context.hpp"
#include "core/learn/lab.hpp"
#include "core/anim/matrix.hpp"
#include "core/scene/scene_pipeline.hpp"
#include "core/anim/session.hpp"

namespace convscope::gui {

/// The last frame's scene, rebuilt only when something it shows changed (a scene of a
/// 64x64 map replays thousands of steps).
struct SceneCache {
    std::uint64_t generation = ~std::uint64_t{0};
    std::int64_t frame = -1, in_channel = -1;
    float width = 0, height = 0;
    bool dark = false;
    SceneStyle style = SceneStyle::Values;
    bool inset = true, whole_stack = false;  ///< the canvas: magnifier inset, pipeline scene
    int text_size_percent = 100;
    SlideHide hide;
    Scene scene;
    /// How much taller and wider than the canvas (in the text size's units) the figure is
    /// laid out before it is drawn scaled to the canvas (current_scene); chosen once per
    /// configuration and canvas size, so the figure does not change size while it plays.
    float stretch = 1;
    std::uint64_t stretch_generation = ~std::uint64_t{0};
    float stretch_width = 0, stretch_height = 0;
    int stretch_text_size_percent = 0;
};

/// A receptive field computed for one (configuration, cell), kept while neither changes.
struct RfCache {
    std::uint64_t generation = ~std::uint64_t{0};
    std::string preset;  ///< "" for the session itself, else the compared preset
    std::int64_t layer = -1, row = -1, col = -1;
    std::optional<RfResult> result;
    std::string error;
};

/// The matrix view's matrix for one (configuration, channel pair).
struct MatrixCache {
    std::uint64_t generation = ~std::uint64_t{0};
    std::int64_t in_channel = -1, out_channel = -1;
    std::optional<ConvMatrix> matrix;
    std::string error;
};

/// An animation and the session it was built from.
struct BuiltAnimation {
    Session session;
    std::unique_ptr<Animation> animation;
};

struct AppState {
    Session session;                     ///< the document; session.frame is the frame shown
    std::unique_ptr<Animation> animation;  ///< derived by rebuild(); null only before the first valid one
    /// The configuration `animation` was built from: the last valid one. Shapes and
    /// captions describe it, not `session`, which may hold a refused edit.
    Session drawn;
    std::string error;                   ///< why the last edit was refused (shown in red)
    std::string error_control;           ///< the control last edited: the error shows under it
    std::uint64_t generation = 0;        ///< bumped by every successful rebuild
    /// A big configuration is rebuilt on a worker thread while the last picture stays
    /// live (a slider drag on 256x256x16 must not stutter); the newest edit wins.
    std::future<BuiltAnimation> rebuild_job;
    bool rebuild_again = false;          ///< edited while the job ran: rebuild once more
    SceneCache scene_cache;

    // Playback.
    bool playing = true;
    bool loop = true;
    float frames_per_second = 12.0f;
    double frame_clock = 0.0;

    // Receptive field (panel_receptive_field.cpp; the canvas sets the cells).
    std::optional<std::array<std::int64_t, 2>> rf_hover;     ///< output cell under the mouse
    std::optional<std::array<std::int64_t, 2>> rf_selected;  ///< output cell clicked
    bool show_receptive_field = false;
    bool rf_show_holes = true;       ///< gridding holes in red
    bool rf_show_overlap = true;     ///< transposed layers: taps landing per output cell
    std::string rf_compare_preset;   ///< a second configuration side by side ("" = none)
    RfCache rf_cache, rf_compare_cache;

    // The canvas's zoom and pan (panel_canvas.cpp), reset when another preset opens.
    CanvasView canvas_view;
    std::string canvas_view_preset;
    bool rf_on_canvas = true;        ///< the hovered / clicked cell's field drawn on the canvas's grids
    bool canvas_whole_stack = true;  ///< a stack of several layers shows every map (build_pipeline_scene)
    /// The canvas as an exercise (toolbar "output" menu, or a slide opened from a deck):
    /// the animated layer's output drawn empty, and with `shape` its size left out too.
    SlideHide canvas_hide;
    std::optional<PipelineData> pipeline;  ///< the maps of the stack, for the generation below
    std::uint64_t pipeline_generation = ~std::uint64_t{0};
    /// Where the panels are this frame (run_app.cpp tiles the window with layout.cpp).
    Layout layout;
    /// The canvas's channels view: the animated layer's whole tensor (View > Channels, `c`).
    ChannelsViewState channels;

    // The same step as a matrix product (panel_matrix.cpp).
    bool show_matrix = false;
    MatrixCache matrix_cache;
    SceneCache matrix_scene_cache;

    // Files (panel_session.cpp).
    std::string session_path;            ///< where the session is saved (empty: not yet)
    std::string autosave_path;           ///< where the app keeps the session between runs
    bool show_session_dialog = false;
    std::string dialog_path;             ///< the dialog's path field
    std::string file_message;            ///< result of the last open/save
    bool file_message_is_error = false;
    /// The desktop's file chooser while it is open (zenity; see file_chooser.hpp), and
    /// what its answer is for.
    enum class ChooserPurpose { OpenSession, SaveSession, ExportPath, OpenPicture };
    ChooserSlot<ChooserPurpose> chooser;
    bool desktop_chooser = false;        ///< zenity was found at startup

    // Export (panel_export.cpp).
    bool show_export = false;  ///< open it with open_export_dialog
    exporting::ExportRequest export_request;
    int export_first = 0, export_last = -1;  ///< frame range; -1: to the end
    std::unique_ptr<ExportJob> export_job;
    std::string export_message;
    bool export_message_is_error = false;

    // The upsampling lab (app_lab.cpp, panel_lab.cpp): open while a lab preset is.
    std::unique_ptr<LabRunner> lab;
    LabSettings lab_settings;
    std::string lab_message;             ///< why the last lab change was refused
    std::string lab_code_text;           ///< the lab panel's custom-model field
    std::vector<std::string> lab_reported;  ///< lab messages already printed as notes (new_lab_notes)
    bool lab_log_steps = false;          ///< the lab charts' step axis on a log scale
    Scene lab_scene;                     ///< the lab's scene of the snapshot below
    Scene lab_overlay;                   ///< lab_scene without its heat maps (drawn as textures)
    std::shared_ptr<const LabSnapshot> lab_scene_source;
    bool lab_scene_dark = false;
    bool lab_scene_log_steps = false;    ///< lab_log_steps when lab_scene was built
    double lab_scene_time = -1;          ///< when lab_scene was built (ImGui time)
    std::uint64_t lab_scene_version = 0;  ///< bumped with every new lab_scene (textures re-upload)
    // The dilation-context view (app_lab.cpp, panel_context.cpp): open while its preset
    // is; it takes the lab's tile. Its scene changes only with the kernel or the picture.
    struct ContextView {
        ContextKernel kernel = ContextKernel::Sobel;
        std::string image_path;  ///< empty: the shipped picture
        DilationContext context;
        Scene scene, overlay;    ///< overlay: the scene without its heat maps (textures)
        bool dark = false;
        bool stale = true;       ///< the scene must be rebuilt (kernel, picture or theme changed)
    };
    std::unique_ptr<ContextView> context_view;
    // Pictures (File > Open picture, drag and drop, --image).
    std::string picture_message;
    bool picture_message_is_error = false;
    bool show_picture_dialog = false;    ///< the typed-path dialog (no desktop chooser)
    std::string picture_dialog_path;
    // The deck being built (File > New deck, Open deck; deck_editor.hpp, panel_deck.cpp).
    DeckEditor deck_editor;
    // Self-study questions on the figure or on a fresh exercise (quiz.hpp, panel_quiz.cpp).
    QuizState quiz;
    // UI.
    bool show_help = false;
    /// A panel one types into (Deck, Quiz) had the keyboard's focus last frame: the
    /// one-key shortcuts (R, M, C, H, Space, arrows) wait, so text typed after a field lost
    /// its focus does not open and close views (handle_shortcuts).
    bool typing_panel_focused = false;
    bool quit_requested = false;
    int text_size_percent = 100;         ///< View > Text size (projectors); kept in the settings
    std::string code_text;               ///< the code panel's editable text
    std::size_t code_columns = 0;        ///< the code field's width in characters (0: not drawn yet, no wrapping)
    std::string code_error;              ///< why the code panel's code was refused (shown under it)
    /// Where in code_text the refusal points: a 1-based character offset (0: nowhere), as
    /// the command line's "column N" (the panel marks it and says line and column).
    std::size_t code_error_offset = 0;
    // The presenter (panel_present.cpp): while a deck is presented it fills the screen.
    std::unique_ptr<SlideShow> slide_show;
    bool present_quits = false;        ///< started by `convscope present`: leaving it quits
    int present_monitor = 0;           ///< the monitor it is shown on (0-based)
    bool presenter_view = false;       ///< P: the notes, the next slide and the clock in a corner
    double present_started = -1;       ///< when the deck was opened or the clock reset (the window's seconds)
    /// The presenter window (panel_presenter_window.cpp): on a second monitor, or forced.
    PresenterWindowMode presenter_window = PresenterWindowMode::Auto;
    std::string present_message;       ///< why View > Present could not open a deck
    std::string present_deck_path;     ///< the deck View > Present (F5) shows ("" : the first shipped one)
};

/// Present `deck` from slide `first` (0-based) full screen; `quits`: leaving the
/// presenter quits the app (`convscope present`).
void start_presenting(AppState& state, Deck deck, const std::string& path, std::size_t first, bool quits);
/// View > Present: the deck file at `path`; a deck refused leaves the app as it was and
/// says why in present_message.
bool present_deck_file(AppState& state, const std::string& path);
/// The shipped decks (assets/decks/*.json), sorted by name; empty when none is found.
std::vector<std::string> shipped_decks();

/// Replace the session and rebuild it now (in this thread). A configuration the core
/// refuses is not taken: the session and picture stay, `message` says why, and the
/// result is false.
bool set_session(AppState& state, Session session, std::string& message);
/// The code panel's Apply: the stack becomes the layers of `code` (an nn.Sequential or
/// one layer), on the input's size with the channels the first layer expects; from
/// then on the session's name says it is no longer the preset. Code that does not
/// parse, or a stack the core refuses, changes nothing and sets code_error.
bool apply_code(AppState& state, std::string code);
/// Line and column (1-based) of 1-based character `offset` of `text`.
std::array<std::size_t, 2> line_and_column(const std::string& text, std::size_t offset);
/// The stack as course-style code split to the code field's width (code_columns), as
/// black splits a call too long for its line: what the code panel shows.
/// Open the Export dialog. Playback pauses: a still is the frame on screen, and the frame
/// the dialog announces must be the one written.
void open_export_dialog(AppState& state);
std::string generated_code(const AppState& state);
/// The code field is `columns` characters wide: the generated code is split anew for
/// it, unless the user has edited it (then their text stays as typed).
void set_code_columns(AppState& state, std::size_t columns);
/// The configuration on screen: the session, or the last valid one while an edit is
/// refused (with the session's frame and theme). What is exported and kept for the
/// next launch, so neither holds a configuration that cannot be drawn.
Session drawn_session(const AppState& state);
/// The name the session goes by: its file's name once saved or opened, else the
/// preset's ("seed-dilated-edited" once edited in the panels or the code), else "custom".
std::string session_name(const AppState& state);
/// "ConvScope: <session>"; while a deck is presented "ConvScope: <deck>, slide 3 / 13"
/// (and ", answer shown" once the slide's answer is revealed).
std::string window_title(const AppState& state);
/// Recompute the animation from the session: where every edit of the panels is
/// committed. An edit that changes the numbers (computes_the_same) renames the session
/// "<preset>-edited", as apply_code does. On a refused configuration the previous
/// animation stays on screen and `error` says why. Big configurations are computed on
/// a worker thread unless `wait` (poll_rebuild() takes the result).
void rebuild(AppState& state, bool wait = false);
/// Take a finished background rebuild, if any (call once per frame).
void poll_rebuild(AppState& state);
/// True while a background rebuild runs.
bool rebuilding(const AppState& state);
/// The channels scene of the frame shown (channels_view.hpp). Needs an animation.
const ChannelsScene& current_channels_scene(AppState& state, float width, float height);
/// A click on an output slab or a filter block: compute that output channel (conv2d
/// filter f is output channel f; for a transposed layer's block, the output channel
/// stays). Returns true when the session changed (the caller rebuilds).
bool select_from_hit(AppState& state, const ChannelsHit& hit);

/// The canvas's scene of the frame shown: the animated layer (input, kernel, output) or,
/// for a stack with canvas_whole_stack, every map (build_pipeline_scene), in the session's
/// style, without the inset while zoomed; from the cache when nothing changed. Needs an animation.
/// With View > Text size s above 100 %, built for a canvas of (width, height) / s and
/// scaled by s (magnified_scene): its texts grow with the panels', its size is still the canvas's.
const Scene& current_scene(AppState& state, float width, float height);
/// Advance playback by `dt` seconds.
void advance(AppState& state, double dt);
/// The last frame index of the current animation (0 when there is none).
std::int64_t last_frame(const AppState& state);

/// Where File > Export proposes to write: the session file's folder (else the home
/// folder), the session's name, the format's extension.
std::string default_export_path(const AppState& state, exporting::Format format);
/// `path` with its extension replaced by `format`'s.
std::string with_format_extension(const std::string& path, exporting::Format format);

}  // namespace convscope::gui
