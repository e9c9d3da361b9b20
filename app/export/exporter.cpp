#include "app/export/exporter.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "app/export/figure.hpp"
#include "app/export/video.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/io/pycode.hpp"
#include "core/scene/scene_channels.hpp"
#include "core/scene/scene_pipeline.hpp"

namespace convscope::exporting {

namespace fs = std::filesystem;
using std::int64_t;

const char* format_name(Format f) {
    switch (f) {
        case Format::Png: return "png";
        case Format::Gif: return "gif";
        case Format::Mp4: return "mp4";
        case Format::Svg: return "svg";
        case Format::Pdf: return "pdf";
    }
    return "?";
}

Format parse_format(const std::string& name) {
    for (Format f : {Format::Png, Format::Gif, Format::Mp4, Format::Svg, Format::Pdf})
        if (name == format_name(f)) return f;
    throw UserError("format '" + name.substr(0, 40) + "' is unknown: expected png, gif, mp4, svg or pdf");
}

void parse_step_range(const std::string& text, ExportRequest& r) {
    auto number = [&](const std::string& s) -> int64_t {
        if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos)
            throw UserError("--steps '" + text.substr(0, 40) + "' must be A:B with whole numbers (0-based, inclusive; A: or :B leave a side open)");
        return std::stoll(s);
    };
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
        r.first = r.last = number(text);
        return;
    }
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    if (!a.empty()) r.first = number(a);
    if (!b.empty()) r.last = number(b);
    if (r.first && r.last && *r.first > *r.last)
        throw UserError("--steps " + text + " runs backwards: the first step must not be after the last");
}

void check_extension(const std::string& out, Format format, bool folder) {
    if (folder) return;  // --all-steps: a folder of frame_NNNN.<format>
    std::string ext = fs::path(out).extension().string();
    if (ext.empty()) return;
    ext = ext.substr(1);
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext == format_name(format)) return;
    static const char* const known[] = {"png", "gif", "mp4", "svg", "pdf", "jpg", "jpeg", "webp", "webm", "mov", "avi", "mkv", "bmp", "tif", "tiff", "eps", "ps"};
    for (const char* k : known)
        if (ext == k)
            throw UserError("--out '" + out + "' has the extension ." + ext + " but --format is " + format_name(format) +
                            ": name the file ." + format_name(format) + " (or choose --format " + ext + " if ConvScope writes it)");
}

SceneOptions export_scene_options(const Session& session, const ExportRequest& request) {
    SceneOptions opt;
    opt.width = 1200;
    opt.height = 900;
    opt.fit_content = true;
    opt.in_channel = session.in_channel;
    opt.dark = session.dark;
    opt.show_arithmetic = request.show_arithmetic;
    opt.style = request.style ? *request.style : session.style;
    if (request.numbers) opt.numbers = NumberLabels::Always;
    for (const std::string& what : request.hide) hide_in_scene(opt, what);
    if (request.show_code && !session.layers.empty()) {
        const std::size_t i = std::size_t(std::clamp<int64_t>(session.layer_index, 0, int64_t(session.layers.size()) - 1));
        opt.code_line = to_pytorch_code({session.layers[i]});
    }
    if (session.layers.size() > 1) {  // a slide of a stack's layer may draw the chain up to it
        const std::size_t i = std::size_t(std::clamp<int64_t>(session.layer_index, 0, int64_t(session.layers.size()) - 1));
        opt.stack_layers.assign(session.layers.begin(), session.layers.begin() + std::ptrdiff_t(i) + 1);
        opt.stack_input = session.input_shape;
        if (i == 1) opt.stack_first = std::make_shared<const LayerData>(stack_layer_data(session, 0));
    }
    return opt;
}

namespace {

std::string frame_name(int64_t index, Format f) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "frame_%04lld.%s", static_cast<long long>(index), format_name(f));
    return buf;
}

std::string render_still(const Scene& scene, Format f, double scale) {
    switch (f) {
        case Format::Png: return render_png(scene, scale);
        case Format::Svg: return render_svg(scene, scale);
        case Format::Pdf: return render_pdf(scene, scale);
        case Format::Gif:
        case Format::Mp4: break;
    }
    throw UserError("internal: not a still format");
}

void tick(ExportProgress* progress) {
    if (!progress) return;
    ++progress->done;
    if (progress->cancel) throw UserError("export cancelled");
}

/// The request's own rules, before anything is computed: UserError on a break.
void check_request(const Session& session_in, const ExportRequest& req, bool animation_format) {
    if (!(req.fps > 0) || req.fps > 120) throw UserError("--fps " + std::to_string(req.fps) + " must be above 0 and at most 120");
    if (!(req.scale > 0) || req.scale > 16) throw UserError("--scale " + std::to_string(req.scale) + " must be above 0 and at most 16");
    if (animation_format && (req.step || req.all_steps))
        throw UserError(std::string("--step and --all-steps are for png, svg and pdf; ") + format_name(req.format) +
                        " is the animation of --steps");
    if (req.step && req.all_steps) throw UserError("--step and --all-steps cannot be used together");
    if (req.channels_view && req.all_layers)
        throw UserError("--view channels draws one layer's whole tensor; --all-layers draws the stack: choose one");

    if (session_in.pass == Pass::Backward && (req.channels_view || req.all_layers))
        throw UserError(std::string("--pass backward draws one layer's input gradient; ") +
                        (req.all_layers ? "--all-layers" : "--view channels") + " draws the forward pass: choose one");
    check_extension(req.out, req.format, req.all_steps);
}

/// The session as the request changes it (--granularity, --layer).
Session requested_session(const Session& session_in, const ExportRequest& req) {
    Session session = session_in;
    if (req.granularity) session.granularity = req.granularity;
    if (req.layer) {
        const int64_t n = int64_t(session.layers.size());
        if (*req.layer < 0 || *req.layer >= n)
            throw UserError("--layer " + std::to_string(*req.layer) + " is outside the stack's " + std::to_string(n) + " layer" +
                            (n == 1 ? "" : "s") + " (0.." + std::to_string(n - 1) + ")");
        session.layer_index = *req.layer;
    }
    return session;
}

/// The whole nn.Sequential on one line.
std::string one_line_code(const Session& session, const ExportRequest& req) {
    std::string code = req.show_code ? to_pytorch_code(session.layers) : std::string(), line;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (code[i] == '\n') {
            while (i + 1 < code.size() && code[i + 1] == ' ') ++i;
            if (!line.empty() && line.back() != '(') line += ' ';
            continue;
        }
        line += code[i];
    }
    return line;
}

/// The view exported (one layer, the stack, or the channels), frame by frame.
class ExportScenes {
public:
    ExportScenes(const Session& session, const Animation& animation, const ExportRequest& req)
        : session_(session), animation_(animation), options_(export_scene_options(session, req)) {
        if (req.all_layers) {
            pipeline_.emplace(session);
            options_.code_line = one_line_code(session, req);
        }
        if (req.channels_view) {
            channels_.emplace(animation);
            options_.width = 1600;  // three stacks and a bank side by side: room for 4 px cells on the seed
            options_.height = 1000;
        }
    }
    Scene at(int64_t f) const {
        if (channels_) return build_channels_scene(animation_, *channels_, f, options_).scene;
        return pipeline_ ? build_pipeline_scene(session_, *pipeline_, animation_, f, options_) : animation_scene(animation_, f, options_);
    }

private:
    const Session& session_;
    const Animation& animation_;
    SceneOptions options_;
    std::optional<PipelineData> pipeline_;
    std::optional<ChannelsData> channels_;
};

/// The frames to draw, first..last: --step, --steps for animations and --all-steps, else
/// a representative step.
void frame_range(const ExportRequest& req, const Animation& animation, bool animation_format, int64_t& first, int64_t& last) {
    const int64_t count = animation.frame_count();
    first = 0;
    last = count - 1;
    if (req.step) {
        if (*req.step < 0 || *req.step >= count)
            throw UserError("--step " + std::to_string(*req.step) + " is outside the animation's " + std::to_string(count) +
                            " steps (0.." + std::to_string(count - 1) + ") at " +
                            granularity_name(animation.timeline().granularity) + " granularity");
        first = last = *req.step;
    } else if (animation_format || req.all_steps) {
        if (req.first) first = *req.first;
        if (req.last) last = *req.last;
        if (first < 0 || last >= count || first > last)
            throw UserError("--steps " + std::to_string(first) + ":" + std::to_string(last) + " is outside the animation's " +
                            std::to_string(count) + " steps (0.." + std::to_string(count - 1) + ") at " +
                            granularity_name(animation.timeline().granularity) + " granularity");
    } else {
        // A still: a representative step (an interior cell, part-way through), not the last.
        first = last = animation.representative_frame();
    }
    const int64_t frames = last - first + 1;
    if (frames > kMaxFrames)
        throw UserError(std::to_string(frames) + " frames is above the limit of " + std::to_string(kMaxFrames) +
                        ": choose a coarser --granularity or a shorter --steps range");
}

/// Every frame of a GIF or MP4 encoded at one size into req.out.
void write_animation(const ExportScenes& scenes, const ExportRequest& req, int64_t first, int64_t last, const ExportResult& result,
                     ExportProgress* progress) {
    check_writable_target(req.out);
    AtomicFile file(req.out);
    {
        VideoEncoder encoder(file.temp_path(), req.format == Format::Gif, result.width, result.height, req.fps);
        std::vector<std::uint8_t> pixels;
        for (int64_t f = first; f <= last; ++f) {
            const Scene scene = scenes.at(f);
            render_bgra(scene, req.scale, result.width, result.height, pixels);
            encoder.add_frame(pixels);
            tick(progress);
        }
        encoder.finish();
    }
    file.commit();
}

/// --all-steps: one still per frame into the folder req.out (`probe`: frame `first`, drawn).
void write_all_steps(const ExportScenes& scenes, const ExportRequest& req, int64_t first, int64_t last, const Scene& probe,
                     ExportProgress* progress) {
    std::error_code ec;
    if (fs::exists(req.out, ec) && !fs::is_directory(req.out, ec))
        throw UserError("--all-steps writes one file per step into a folder, but '" + req.out + "' is a file");
    const fs::path parent = fs::path(req.out).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw UserError("cannot create '" + req.out + "': the folder '" + parent.string() + "' does not exist");
    fs::create_directory(req.out, ec);
    if (ec) throw UserError("cannot create the folder '" + req.out + "': " + ec.message());
    for (int64_t f = first; f <= last; ++f) {
        const Scene scene = f == first ? probe : scenes.at(f);
        write_file_atomically((fs::path(req.out) / frame_name(f, req.format)).string(), render_still(scene, req.format, req.scale));
        tick(progress);
    }
}

}  // namespace

ExportResult run_export(const Session& session_in, const ExportRequest& req, ExportProgress* progress) {
    const bool animation_format = req.format == Format::Gif || req.format == Format::Mp4;
    check_request(session_in, req, animation_format);
    const Session session = requested_session(session_in, req);
    const Animation animation(session);
    const ExportScenes scenes(session, animation, req);
    int64_t first = 0, last = 0;
    frame_range(req, animation, animation_format, first, last);
    const int64_t frames = last - first + 1;
    if (progress) {
        progress->total = frames;
        progress->done = 0;
    }

    ExportResult result;
    result.frames = frames;
    Scene probe = scenes.at(first);
    if (animation_format) {
        // Every frame is encoded at one size: the largest any frame needs (the magnified
        // inset near a border has fewer rows than in the interior), so none is cut.
        for (int64_t f = first + 1; f <= last; ++f) {
            const Scene s = scenes.at(f);
            probe.width = std::max(probe.width, s.width);
            probe.height = std::max(probe.height, s.height);
        }
    }
    if (req.format == Format::Svg || req.format == Format::Pdf) {
        result.width = int(std::ceil(probe.width * req.scale));
        result.height = int(std::ceil(probe.height * req.scale));
    } else {
        raster_size(probe, req.scale, animation_format && req.format == Format::Mp4, result.width, result.height);
    }
    result.path = req.out;
    if (animation_format) {
        write_animation(scenes, req, first, last, result, progress);
    } else if (req.all_steps) {
        write_all_steps(scenes, req, first, last, probe, progress);
    } else {
        check_writable_target(req.out);
        const std::string bytes = render_still(probe, req.format, req.scale);
        tick(progress);
        write_file_atomically(req.out, bytes);
    }
    return result;
}

}  // namespace convscope::exporting
