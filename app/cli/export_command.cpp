// convscope export (--preset NAME | SESSION.json) --format F --out PATH [...]: figures
// and animations for teaching, with no display server.
#include <iostream>
#include <memory>
#include <optional>

#include "app/cli/commands.hpp"
#include "app/export/exporter.hpp"
#include "app/export/context_export.hpp"
#include "app/export/deck_export.hpp"
#include "app/export/lab_export.hpp"
#include "core/base/errors.hpp"
#include "core/learn/lab.hpp"

namespace convscope::cli {

namespace {

struct ExportOptions {
    std::string preset, session_path, deck, format, out, granularity = "auto", steps;
    std::string style, view, transposed_view, pass;
    std::int64_t step = -1, layer = -1;
    bool all_steps = false, no_code = false, no_arithmetic = false, all_layers = false, numbers = false;
    double fps = 8, scale = 1;
    // A picture as the input; the upsampling lab's training.
    std::string image, weights, optimizer, model;
    std::string kernel = "sobel";  // dilation-context's kernel  // optimizer/lr unset: the lab's (Adam, 0.01)
    std::int64_t train_steps = 200, lab_size = 128;
    double lr = -1;
    std::vector<std::string> hide;  // --hide output|shape, repeatable or a comma list
};

/// The lab presets train headless and draw the lab (core/learn/lab.hpp, app/export/lab_export.hpp).
int export_lab(const ExportOptions& o, std::shared_ptr<const LabSave> saved = nullptr) {
    exporting::LabExportRequest req;
    if (saved) req.settings = saved->settings;  // a session's lab goes on from its weights
    req.restore = saved;
    if (!saved) {
        req.settings.preset = o.preset;
        req.settings.size = o.lab_size;
        req.settings.custom_code = o.model;
    }
    if (!o.image.empty() || !saved) req.settings.image_path = o.image;
    if (o.optimizer == "sgd") {
        req.settings.optimizer.kind = OptimizerSettings::Kind::Sgd;
        req.settings.optimizer.momentum = 0.9;
    } else if (o.optimizer == "adam") {
        req.settings.optimizer.kind = OptimizerSettings::Kind::Adam;
    } else if (!o.optimizer.empty()) {
        throw UserError("--optimizer '" + o.optimizer + "' must be adam or sgd");
    }
    if (o.lr != -1) {
        if (!(o.lr > 0) || o.lr > 10) throw UserError("--lr " + std::to_string(o.lr) + " must be above 0 and at most 10");
        req.settings.optimizer.lr = o.lr;
    }
    req.steps = o.train_steps;
    req.format = exporting::parse_format(o.format);
    req.out = o.out;
    req.fps = o.fps;
    req.scale = o.scale;
    req.weights_folder = o.weights;
    const exporting::ExportResult r = exporting::run_lab_export(req);
    std::cout << "wrote " << r.path << " (" << r.frames << (r.frames == 1 ? " frame, " : " frames, ") << r.width << "x"
              << r.height << ", " << o.train_steps << " training steps)\n";
    if (!o.weights.empty()) std::cout << "wrote the learned weights (.npy) and lab_models.py into " << o.weights << "\n";
    return 0;
}

/// dilation-context draws one still of the picture under three dilations.
int export_context(const ExportOptions& o) {
    exporting::ContextExportRequest req;
    req.image_path = o.image;
    req.kernel = parse_context_kernel(o.kernel, "--kernel");
    req.format = exporting::parse_format(o.format);
    req.out = o.out;
    req.scale = o.scale;
    const exporting::ExportResult r = exporting::run_context_export(req);
    std::cout << "wrote " << r.path << " (" << r.width << "x" << r.height << ", kernel " << o.kernel << ")\n";
    return 0;
}

/// A lecture deck: one PDF of every slide (and answer), or a folder of per-slide files.
int export_deck(const ExportOptions& o) {
    const Deck deck = load_deck(o.deck);
    exporting::DeckExportRequest req;
    req.format = exporting::parse_format(o.format);
    req.out = o.out;
    req.scale = o.scale;
    req.fps = o.fps;
    const exporting::ExportResult r = exporting::run_deck_export(deck, req);
    if (req.format == exporting::Format::Pdf)
        std::cout << "wrote " << r.path << " (" << r.frames << " pages for " << deck.slides.size() << " slides)\n";
    else
        std::cout << "wrote " << r.path << " (" << r.frames << " slides as " << o.format << ")\n";
    return 0;
}

/// The layer animated: --layer, else a preset's last convolution (seed-combined's
/// up-convolution and its 128x128 output), else (empty) the session's own.
std::optional<std::int64_t> animated_layer(const ExportOptions& o, const Session& session) {
    if (o.layer != -1) {
        if (o.layer < 0) throw UserError("--layer " + std::to_string(o.layer) + " must not be negative");
        return o.layer;
    }
    if (!o.preset.empty())
        for (std::int64_t i = std::int64_t(session.layers.size()) - 1; i >= 0; --i)
            if (session.layers[std::size_t(i)].is_conv()) return i;
    return std::nullopt;
}

/// The request's view, style, format, steps and what the caption and the cells show, in
/// the order the options are checked.
void fill_figure_request(const ExportOptions& o, exporting::ExportRequest& req) {
    req.all_layers = o.all_layers;
    if (!o.view.empty() && o.view != "channels" && o.view != "pair")
        throw UserError("--view '" + o.view.substr(0, 40) + "' is unknown: expected channels (or pair, the default)");
    req.channels_view = o.view == "channels";
    if (!o.style.empty()) req.style = parse_scene_style(o.style, "--style");
    req.format = exporting::parse_format(o.format);
    req.out = o.out;
    if (o.granularity != "auto") req.granularity = parse_granularity(o.granularity);
    if (!o.steps.empty()) exporting::parse_step_range(o.steps, req);
    if (o.step >= 0) req.step = o.step;
    else if (o.step != -1) throw UserError("--step " + std::to_string(o.step) + " must not be negative");
    req.all_steps = o.all_steps;
    req.fps = o.fps;
    req.scale = o.scale;
    req.show_code = !o.no_code;
    req.show_arithmetic = !o.no_arithmetic;
    req.numbers = o.numbers;
    req.hide = o.hide;
    for (const std::string& what : req.hide) {  // refused before anything is drawn
        SceneOptions check;
        hide_in_scene(check, what);
    }
}

/// A figure of a layer (or the stack) of a preset or a session: its session, with the
/// command line's picture, pass, layer and transposed view; then the request.
int export_figure(const ExportOptions& o) {
    Session session = o.preset.empty() ? load_session(o.session_path) : session_from_preset(o.preset);
    if (session.lab) return export_lab(o, session.lab);
    if (!o.image.empty()) {
        const std::string note = use_picture(session, o.image);
        if (!note.empty()) std::cerr << "note: " << note << "\n";
    }
    if (o.pass == "backward") session.pass = Pass::Backward;
    else if (o.pass == "forward") session.pass = Pass::Forward;
    else if (!o.pass.empty())
        throw UserError("--pass '" + o.pass.substr(0, 40) + "' is unknown: expected forward or backward");
    exporting::ExportRequest req;
    req.layer = animated_layer(o, session);
    if (!o.transposed_view.empty()) {
        if (o.transposed_view != "scatter" && o.transposed_view != "convolution")
            throw UserError("--transposed-view '" + o.transposed_view.substr(0, 40) +
                            "' is unknown: expected scatter or convolution");
        session.view = o.transposed_view == "scatter" ? TransposedView::Scatter : TransposedView::AsConvolution;
    }
    fill_figure_request(o, req);
    const exporting::ExportResult r = exporting::run_export(session, req);
    std::cout << "wrote " << r.path << " (" << r.frames << (r.frames == 1 ? " frame, " : " frames, ") << r.width << "x"
              << r.height << ")\n";
    return 0;
}

/// What is exported: a preset, a session or a deck (only one), the format and the file.
void add_source_options(CLI::App* sub, ExportOptions& o) {
    auto* preset = sub->add_option("--preset", o.preset, "a built-in preset (see: convscope presets)");
    auto* session = sub->add_option("SESSION", o.session_path, "a session saved by the app (.json)");
    auto* deck = sub->add_option("--deck", o.deck,
                                 "a lecture deck (.json): --format pdf writes one page per slide and its answer; png, svg, gif or "
                                 "mp4 write OUT/slide_01.png ... into a new folder");
    preset->excludes(session);
    session->excludes(preset);
    deck->excludes(preset);
    deck->excludes(session);
    preset->excludes(deck);
    session->excludes(deck);
    sub->add_option("--format", o.format, "png, gif, mp4, svg or pdf")->required();
    sub->add_option("--out", o.out, "file to write (a folder with --all-steps)")->required();
}

/// Which steps are drawn, how fast and how large.
void add_step_options(CLI::App* sub, ExportOptions& o) {
    sub->add_option("--granularity", o.granularity, "tap, cell (input-cell, output-cell), row, channel or auto (default auto: one cell a step under ~300 frames, else one row)");
    sub->add_option("--steps", o.steps, "range of steps A:B for gif/mp4/--all-steps (0-based, inclusive; default all)");
    auto* step = sub->add_option("--step", o.step, "the one step drawn by png/svg/pdf (default: a representative one, an interior cell part-way through)");
    auto* all = sub->add_flag("--all-steps", o.all_steps, "png/svg/pdf: every step, as OUT/frame_0000.png ...");
    step->excludes(all);
    all->excludes(step);
    sub->add_option("--fps", o.fps, "frames per second of gif/mp4 (default 8)");
    sub->add_option("--scale", o.scale, "pixel scale (1, 2, 4 for print; default 1)");
}

/// What the figure shows: the caption's lines, the layer, the style, the view, the pass,
/// what is left for the students.
void add_figure_options(CLI::App* sub, ExportOptions& o) {
    sub->add_flag("--no-code", o.no_code, "leave out the PyTorch line under the caption");
    sub->add_flag("--no-arithmetic", o.no_arithmetic, "leave out the step's arithmetic under the caption");
    sub->add_option("--layer", o.layer,
                                  "the layer of the stack to animate, 0-based (default: a preset's last convolution, a session's own layer)");
    sub->add_flag("--all-layers", o.all_layers, "the whole stack as one pipeline of maps, the animated layer highlighted");
    sub->add_option("--style", o.style, "schematic (the slide style), values (heat map with numbers) or perspective (the planes stacked at three quarters); default: the preset's or session's");
    sub->add_option("--view", o.view, "channels: every input channel, the whole filter bank and every output channel (default: one channel pair)");
    sub->add_option("--transposed-view", o.transposed_view,
                    "transposed layers: scatter (each input cell stamps the kernel) or convolution (zeros inserted, "
                    "padded, kernel flipped: the guide's figures); default: the preset's or session's");
    sub->add_option("--pass", o.pass,
                    "backward: animate grad_input as the transposed op of grad_output with the same weights (convolutions; default: forward, or the session's)");
    sub->add_option("--hide", o.hide,
                    "output: leave the output cells empty (a figure to work out by hand); shape: also leave out the output size "
                    "(repeat it, or a comma list)")
        ->delimiter(',');
    sub->add_flag("--numbers", o.numbers, "write the values into the cells in the schematic style too (where cells are 20 px or more)");
}

/// A picture as the input; the upsampling lab's training; dilation-context's kernel.
void add_picture_and_lab_options(CLI::App* sub, ExportOptions& o) {
    sub->add_option("--image", o.image, "a picture (PNG, JPEG, BMP, PGM/PPM, GIF) as the input");
    sub->add_option("--train-steps", o.train_steps, "lab presets: training steps (default 200)");
    sub->add_option("--optimizer", o.optimizer, "lab presets: adam, or sgd with momentum 0.9 (default adam)");
    sub->add_option("--lr", o.lr, "lab presets: learning rate (default 0.01)");
    sub->add_option("--lab-size", o.lab_size, "lab presets: the target's longer side in pixels (default 128)");
    sub->add_option("--model", o.model, "lab presets: one more model, typed as PyTorch code");
    sub->add_option("--kernel", o.kernel, "dilation-context: sobel (edges), laplacian or box (blur); default sobel");
    sub->add_option("--weights", o.weights, "lab presets: also write the learned weights (.npy) and lab_models.py into this folder");
}

}  // namespace

Command add_export_command(CLI::App& root) {
    auto o = std::make_shared<ExportOptions>();
    CLI::App* sub = root.add_subcommand("export", "Write PNG / GIF / MP4 / SVG / PDF frames of a preset or session (no display needed)");
    add_source_options(sub, *o);
    add_step_options(sub, *o);
    add_figure_options(sub, *o);
    add_picture_and_lab_options(sub, *o);
    return {sub, [o] {
                if (!o->deck.empty()) return export_deck(*o);
                if (o->preset.empty() == o->session_path.empty())
                    throw UserError("give either --preset NAME, a SESSION.json file or --deck DECK.json to export");
                if (is_lab_preset(o->preset)) return export_lab(*o);
                if (o->preset == kDilationContextPreset) return export_context(*o);
                return export_figure(*o);
            }};
}

}  // namespace convscope::cli
