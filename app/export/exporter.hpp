#pragma once
/// \file exporter.hpp
/// `convscope export` and the app's Export panel: frames of a session to PNG, SVG, PDF
/// (one frame, or every frame into a folder), GIF or MP4 (the animation, by FFmpeg).
/// Every file is written to a temporary name and renamed when whole.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/anim/session.hpp"
#include "core/scene/scene.hpp"

namespace convscope::exporting {

enum class Format { Png, Gif, Mp4, Svg, Pdf };
const char* format_name(Format f);
/// "png", "gif", "mp4", "svg", "pdf"; UserError otherwise.
Format parse_format(const std::string& name);

/// Most frames one export writes (an animation or a folder of frames).
inline constexpr std::int64_t kMaxFrames = 10000;

struct ExportRequest {
    Format format = Format::Png;
    std::string out;                          ///< file, or folder with all_steps
    std::optional<Granularity> granularity;   ///< empty: the session's (auto if unset)
    std::optional<std::int64_t> first, last; ///< frame range of animations / all_steps (inclusive)
    std::optional<std::int64_t> step;         ///< the one frame of png/svg/pdf (default: Animation::representative_frame)
    bool all_steps = false;
    double fps = 8;
    double scale = 1;
    bool show_code = true;                    ///< the PyTorch line under the caption
    bool show_arithmetic = true;              ///< the step's arithmetic under the caption
    std::optional<SceneStyle> style;          ///< empty: the session's
    /// The layer animated (0-based); empty: the session's layer_index.
    std::optional<std::int64_t> layer;
    bool all_layers = false;                  ///< the whole stack as one pipeline of maps
    bool numbers = false;                     ///< numbers in the cells in the schematic style too
    /// `--view channels`: every input channel, the whole filter bank and every output
    /// channel (build_channels_scene) instead of one channel pair.
    bool channels_view = false;
    /// `--hide output` / `--hide shape` (hide_in_scene): a figure to work out by hand.
    std::vector<std::string> hide;
};

/// `--out`'s extension must be the format's (or none): UserError otherwise, so that no
/// GIF is written to a file called .png.
void check_extension(const std::string& out, Format format, bool folder);

/// Parse "A:B", "A:", ":B" or "A" (0-based, inclusive) into first/last.
void parse_step_range(const std::string& text, ExportRequest& request);

/// Progress shared with a UI thread: frames done of total, and a cancel request.
struct ExportProgress {
    std::atomic<std::int64_t> done{0};
    std::atomic<std::int64_t> total{0};
    std::atomic<bool> cancel{false};
};

struct ExportResult {
    std::string path;          ///< file or folder written
    std::int64_t frames = 0;   ///< frames drawn
    int width = 0, height = 0; ///< pixel size (raster formats) or points (vector)
};

/// The scene options an export uses for a session (also what the app's "same PNG"
/// check compares against).
SceneOptions export_scene_options(const Session& session, const ExportRequest& request);

/// Run the export. UserError for anything refused (before writing when possible);
/// a cancelled export throws UserError("export cancelled") and leaves no file.
ExportResult run_export(const Session& session, const ExportRequest& request, ExportProgress* progress = nullptr);

}  // namespace convscope::exporting
