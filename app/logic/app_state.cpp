#include "app/logic/app_state.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "core/scene/animation_scene.hpp"
#include "core/io/code_wrap.hpp"
#include "core/base/errors.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/shape.hpp"
#include "core/anim/stack_edit.hpp"
#include "core/lecture/slide_page.hpp"

namespace convscope::gui {

namespace {

/// Above this many input elements the rebuild (input, engines, the output replay) goes
/// to a worker thread: about a few milliseconds of work on this machine.
constexpr std::int64_t kSyncRebuildElements = std::int64_t{1} << 17;

BuiltAnimation build_animation(Session s) {
    auto animation = std::make_unique<Animation>(s);
    // Do the expensive part here, not in the first frame that draws it.
    const StepEngine& e = animation->engine();
    (void)e.partial_output(e.step_count());
    return {std::move(s), std::move(animation)};
}

void adopt(AppState& state, BuiltAnimation built) {
    state.animation = std::move(built.animation);
    state.drawn = std::move(built.session);
    ++state.generation;
    state.session.frame = std::clamp<std::int64_t>(state.session.frame, 0, state.animation->frame_count() - 1);
    state.drawn.frame = state.session.frame;
    state.error.clear();
}

/// Build `s` now; on refusal the reason goes to `message` and nothing is built.
std::optional<BuiltAnimation> try_build(const Session& s, std::string& message) {
    try {
        if (s.layers.empty()) throw UserError("the stack has no layers");
        return build_animation(s);
    } catch (const UserError& e) {
        message = e.what();
    } catch (const std::bad_alloc&) {
        message = "out of memory: the configuration is too large";
    }
    return std::nullopt;
}

/// The selected layer and drawn channels inside the stack.
void clamp_selection(Session& s) {
    s.layer_index = std::clamp<std::int64_t>(s.layer_index, 0, std::int64_t(s.layers.size()) - 1);
    const Layer& L = s.layers[std::size_t(s.layer_index)];
    if (L.is_conv()) {
        s.out_channel = std::clamp<std::int64_t>(s.out_channel, 0, L.out_channels - 1);
        s.in_channel = std::clamp<std::int64_t>(s.in_channel, 0, L.in_channels - 1);
    }
}

}  // namespace


bool set_session(AppState& state, Session session, std::string& message) {
    if (!session.layers.empty()) clamp_selection(session);
    std::optional<BuiltAnimation> built = try_build(session, message);
    if (!built) return false;
    if (state.rebuild_job.valid()) {  // a stale edit of the session being replaced
        state.rebuild_job.wait();
        state.rebuild_job = {};
        state.rebuild_again = false;
    }
    state.session = std::move(session);
    state.code_text = generated_code(state);
    state.code_error.clear();
    state.code_error_offset = 0;
    adopt(state, std::move(*built));
    return true;
}

std::array<std::size_t, 2> line_and_column(const std::string& text, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

namespace {

/// The code panel's error: "line L, column C: reason", and where to mark it.
void set_code_error(AppState& state, const std::string& code, std::size_t offset, const std::string& reason) {
    const auto at = line_and_column(code, offset);
    state.code_error = "line " + std::to_string(at[0]) + ", column " + std::to_string(at[1]) + ": " + reason;
    state.code_error_offset = offset;
}

/// The argument of the first layer the input's shape makes refused (as `convscope shape`
/// locates it); nullopt when every layer resolves (the refusal is elsewhere).
std::optional<CodeError> locate_refusal(const Session& s, const std::vector<LayerSpan>& spans) {
    std::array<std::int64_t, 4> x = s.input_shape;
    for (std::size_t i = 0; i < s.layers.size() && i < spans.size(); ++i) {
        try {
            const LayerGeometry g = resolve_layer(s.layers[i], x[0], x[1], x[2], x[3]);
            x = {x[0], g.out_channels, g.h().out, g.w().out};
        } catch (const UserError& e) {
            return locate_error(spans[i], e);
        }
    }
    return std::nullopt;
}

}  // namespace

bool apply_code(AppState& state, std::string code) {  // a copy: the panel passes state.code_text
    Session s = state.session;
    std::vector<LayerSpan> spans;
    state.code_error_offset = 0;
    try {
        s.layers = parse_pytorch_code(code, &spans);
    } catch (const CodeError& e) {
        set_code_error(state, code, e.column(), e.reason());
        return false;
    }
    if (s.layers != state.session.layers) s.preset = edited_preset_name(s.preset);
    s.layer_index = 0;
    s.frame = 0;
    // Keep the input's spatial size; take the channels the first layer expects.
    sync_input_channels(s);
    std::string message;
    // Every layer must take what reaches it (the animation builds only up to the animated
    // layer, so a refused later layer would otherwise slip in), as `convscope shape` says.
    if (const std::optional<CodeError> located = locate_refusal(s, spans)) {
        set_code_error(state, code, located->column(), located->reason());
        return false;
    }
    if (!set_session(state, std::move(s), message)) {
        state.code_error = message;
        return false;
    }
    state.code_text = std::move(code);  // keep what the user typed (comments, spacing)
    return true;
}

void open_export_dialog(AppState& state) {
    state.show_export = true;
    state.playing = false;
}

std::string generated_code(const AppState& state) {
    // The code of what is drawn: a refused value leaves the last valid configuration on
    // screen (state.drawn), and the code must not show the refused one beside its shapes.
    const std::string code = to_pytorch_code((state.error.empty() ? state.session : state.drawn).layers);
    return state.code_columns > 0 ? wrap_code_arguments(code, state.code_columns) : code;
}

void set_code_columns(AppState& state, std::size_t columns) {
    if (columns == state.code_columns) return;
    const bool edited = state.code_text != generated_code(state);
    state.code_columns = columns;
    if (!edited) state.code_text = generated_code(state);
}

Session drawn_session(const AppState& state) {
    if (state.error.empty() || !state.animation) return state.session;
    Session s = state.drawn;
    s.frame = std::clamp<std::int64_t>(state.session.frame, 0, last_frame(state));
    s.dark = state.session.dark;
    return s;
}

std::string session_name(const AppState& state) {
    if (!state.session_path.empty()) return std::filesystem::path(state.session_path).stem().string();
    if (!state.session.preset.empty()) return state.session.preset;
    return "custom";
}

std::string window_title(const AppState& state) {
    if (state.slide_show) {  // where the lecture is: in the task bar, and readable by a script
        const SlideShow& show = *state.slide_show;
        const std::string deck = show.deck_path().empty() ? "deck" : std::filesystem::path(show.deck_path()).stem().string();
        return "ConvScope: " + deck + ", slide " + show.keys().status() + (show.keys().revealed ? ", answer shown" : "");
    }
    return "ConvScope: " + session_name(state);
}

void rebuild(AppState& state, bool wait) {
    Session& s = state.session;
    if (s.layers.empty()) {
        state.error = "the stack has no layers";
        return;
    }
    clamp_selection(s);
    // Every edit of the panels (stack editor, sliders, input size, patterns) is committed
    // here: one that changes the numbers means the session is no longer its preset, in
    // the title, saved sessions and export names alike (as apply_code does for code).
    if (state.animation && !computes_the_same(s, state.drawn)) s.preset = edited_preset_name(s.preset);
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
    if (std::optional<BuiltAnimation> built = try_build(s, state.error)) adopt(state, std::move(*built));
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

namespace {

/// The cell size a canvas figure's grids are drawn at: laid out on `opt` and shown `shown`
/// times its size.
float drawn_cell(const Animation& animation, std::int64_t frame, const SceneOptions& opt, float shown) {
    return animation_scene(animation, frame, opt).output_grid.cell * shown;
}

/// The layer's figure puts a band of fixed height under its grids (names, key, kernel,
/// about 350 px with the title), so a short canvas (the Deck or Quiz panel open, a small
/// window, a large text size) leaves a 3x3 layer's grids 1 px a cell ("values hidden").
/// Laid out taller and wider by `stretch`, then drawn scaled to the canvas, the grids get
/// the height: this trades text (never under 3/4 of its size at 100 %) for cells that read.
/// The smallest stretch whose cells are drawn 24 px; else the largest, where it makes
/// cells of 12 px or more (the inset's threshold) and a quarter larger; else none.
float canvas_stretch(const Animation& animation, std::int64_t frame, SceneOptions opt, float text_scale) {
    constexpr float kReadableCell = 24, kLeastText = 0.75f;
    // Past 24 rows the band is not what starves the grids (a 32x32 map at twice the
    // height still gets under 12 px a cell): no layouts tried, so dragging a slider on
    // the course's 64x64 layers builds one scene a change, not eight.
    const AxisGeometry& rows = animation.engine().geometry().h();
    if (std::max(rows.in, rows.out) > 24) return 1;
    const float base = drawn_cell(animation, frame, opt, text_scale);
    if (base >= kReadableCell) return 1;
    const float most = text_scale / kLeastText, width = opt.width, height = opt.height;
    float best = 1, best_cell = base;
    for (float stretch = 1.125f; stretch <= most + 1e-3f; stretch += 0.125f) {
        opt.width = width * stretch;
        opt.height = height * stretch;
        const float cell = drawn_cell(animation, frame, opt, text_scale / stretch);
        if (cell > best_cell) best = stretch, best_cell = cell;
        if (cell >= kReadableCell) return stretch;
    }
    return best_cell >= kInsetBelowCell && best_cell >= 1.25f * base ? best : 1;
}

}  // namespace

const Scene& current_scene(AppState& state, float width, float height) {
    SceneCache& c = state.scene_cache;
    const Session& s = state.session;
    // The backward view shows the animated layer alone: the stack's maps are the forward pass.
    const bool stack = state.canvas_whole_stack && s.layers.size() > 1 && !state.animation->backward(), inset = !state.canvas_view.zoomed();  // zoomed in, the view is the magnifier
    if (c.generation == state.generation && c.frame == s.frame && c.in_channel == s.in_channel && c.width == width &&
        c.height == height && c.dark == s.dark && c.style == s.style && c.inset == inset && c.whole_stack == stack &&
        c.text_size_percent == state.text_size_percent && c.hide.output == state.canvas_hide.output &&
        c.hide.shape == state.canvas_hide.shape)
        return c.scene;
    const float text_scale = float(std::max(100, state.text_size_percent)) / 100.0f;
    SceneOptions opt;
    opt.width = width / text_scale;
    opt.height = height / text_scale;
    opt.in_channel = s.in_channel;
    opt.dark = s.dark;
    opt.style = s.style;
    opt.inset = inset;
    const SlideHide& hide = state.canvas_hide;
    opt.hide_output = hide.output || hide.shape;
    opt.hide_shape = hide.shape;
    opt.layer_index = state.animation->layer_index();
    if (stack) {
        if (state.pipeline_generation != state.generation || !state.pipeline) {
            state.pipeline.emplace(s);
            state.pipeline_generation = state.generation;
        }
        c.scene = build_pipeline_scene(s, *state.pipeline, *state.animation, s.frame, opt);
    } else {
        if (c.stretch_generation != state.generation || c.stretch_width != width || c.stretch_height != height ||
            c.stretch_text_size_percent != state.text_size_percent) {
            c.stretch = canvas_stretch(*state.animation, s.frame, opt, text_scale);
            c.stretch_generation = state.generation;
            c.stretch_width = width;
            c.stretch_height = height;
            c.stretch_text_size_percent = state.text_size_percent;
        }
        opt.width *= c.stretch;
        opt.height *= c.stretch;
        c.scene = animation_scene(*state.animation, s.frame, opt);
    }
    // A picture file as the input: the picture itself beside its per-channel maps, and
    // what was done to it (scaled down, converted).
    const Session& drawn = state.error.empty() ? s : state.drawn;
    if (drawn.input == InputPattern::Image && drawn.image) add_input_picture(c.scene, *drawn.image, drawn.image_note, s.dark);
    if (hide.output || hide.shape) {
        // What the scene's own options leave drawn (the pipeline's maps, the inset's values).
        const AxisGeometry& h = state.animation->engine().geometry().h();
        const AxisGeometry& w = state.animation->engine().geometry().w();
        apply_hide(c.scene, hide, state.animation->layer_index() + 1, h.out, w.out);
    }
    const float shown = stack ? text_scale : text_scale / c.stretch;
    if (shown != 1.0f) c.scene = magnified_scene(std::move(c.scene), shown);
    c.text_size_percent = state.text_size_percent;
    c.generation = state.generation;
    c.frame = s.frame;
    c.in_channel = s.in_channel;
    c.width = width;
    c.height = height;
    c.dark = s.dark;
    c.style = s.style;
    c.inset = inset;
    c.whole_stack = stack;
    c.hide = hide;
    return c.scene;
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

std::string with_format_extension(const std::string& path, exporting::Format format) {
    std::filesystem::path p(path);
    if (p.filename().empty()) p /= "convscope";
    p.replace_extension(exporting::format_name(format));
    return p.string();
}

std::string default_export_path(const AppState& state, exporting::Format format) {
    namespace fs = std::filesystem;
    fs::path folder;
    std::error_code error;
    if (!state.session_path.empty()) folder = fs::absolute(state.session_path, error).parent_path();
    if (folder.empty()) {
        const char* home = std::getenv("HOME");
        folder = home && *home ? fs::path(home) : fs::current_path();
    }
    return with_format_extension((folder / session_name(state)).string(), format);
}

const ChannelsScene& current_channels_scene(AppState& state, float width, float height) {
    ChannelsViewState& c = state.channels;
    if (!c.data || c.data_generation != state.generation) {
        c.data.emplace(*state.animation);
        c.data_generation = state.generation;
    }
    const Session& s = state.session;
    if (c.scene && c.generation == state.generation && c.frame == s.frame && c.width == width && c.height == height && c.dark == s.dark &&
        c.style == s.style && c.angle == c.projection.angle_deg && c.depth == c.projection.depth)
        return *c.scene;
    SceneOptions opt;
    opt.width = width;
    opt.height = height;
    opt.dark = s.dark;
    opt.style = s.style;
    ChannelsProjection projection = c.projection;
    projection.cull_hidden_cells = true;  // on screen only what is seen is filled
    c.scene = build_channels_scene(*state.animation, *c.data, s.frame, opt, projection);
    c.generation = state.generation;
    c.frame = s.frame;
    c.width = width;
    c.height = height;
    c.dark = s.dark;
    c.style = s.style;
    c.angle = c.projection.angle_deg;
    c.depth = c.projection.depth;
    return *c.scene;
}

bool select_from_hit(AppState& state, const ChannelsHit& hit) {
    if (!state.animation) return false;
    const Layer& L = state.animation->engine().layer();
    std::int64_t channel = -1;
    if (hit.kind == ChannelsHit::Kind::Output) channel = hit.index;
    if (hit.kind == ChannelsHit::Kind::Filter && L.kind == LayerKind::Conv2d) channel = hit.index;
    if (channel < 0 || channel == state.session.out_channel) return false;
    state.session.out_channel = channel;
    return true;
}

}  // namespace convscope::gui
