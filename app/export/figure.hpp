#pragma once
/// \file figure.hpp
/// A frame's Scene drawn to files: PNG and PDF by cairo, SVG written directly (so that
/// text stays <text> and each cell is one <rect> with a class), raw BGRA pixels for the
/// video encoder. No display, no GL.
#include <cstdint>
#include <string>
#include <vector>

#include "core/scene/scene.hpp"

namespace convscope::exporting {

/// Largest raster accepted: 2^25 pixels (128 MiB of BGRA) and 16384 pixels a side.
inline constexpr std::int64_t kMaxPixels = std::int64_t{1} << 25;
inline constexpr std::int64_t kMaxSide = 16384;

/// Pixel size of the scene at `scale`, refused (UserError) above the limits.
/// `even` rounds both up to even numbers (H.264 needs them).
void raster_size(const Scene& scene, double scale, bool even, int& width, int& height);

/// PNG bytes (deterministic: the same scene gives the same bytes).
std::string render_png(const Scene& scene, double scale);
/// PDF bytes (vector; text is text).
std::string render_pdf(const Scene& scene, double scale);
/// One PDF of several pages, each the size of its scene (a lecture deck).
std::string render_pdf_pages(const std::vector<Scene>& pages, double scale);
/// SVG text (vector; deterministic). Cells are <rect class="cell input|kernel|output">.
std::string render_svg(const Scene& scene, double scale);
/// Premultiplied BGRA pixels, `width * 4` bytes a row, of the size raster_size gives.
void render_bgra(const Scene& scene, double scale, int width, int height, std::vector<std::uint8_t>& pixels);

}  // namespace convscope::exporting
