#include "app/export/context_export.hpp"

#include <cmath>

#include "app/export/figure.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"

namespace convscope::exporting {

ExportResult run_context_export(const ContextExportRequest& req) {
    if (req.format == Format::Gif || req.format == Format::Mp4)
        throw UserError(std::string("--format ") + format_name(req.format) + " is not available for " +
                        kDilationContextPreset + ": it is a still (png, svg or pdf)");
    if (!(req.scale > 0) || req.scale > 16) throw UserError("--scale " + std::to_string(req.scale) + " must be above 0 and at most 16");
    check_extension(req.out, req.format, false);
    check_writable_target(req.out);
    const Scene scene = build_dilation_context_scene(compute_dilation_context(req.image_path, req.kernel), ContextSceneOptions{});
    ExportResult result;
    result.path = req.out;
    result.frames = 1;
    std::string bytes;
    if (req.format == Format::Png) {
        bytes = render_png(scene, req.scale);
        raster_size(scene, req.scale, false, result.width, result.height);
    } else {
        bytes = req.format == Format::Svg ? render_svg(scene, req.scale) : render_pdf(scene, req.scale);
        result.width = int(std::ceil(scene.width * req.scale));
        result.height = int(std::ceil(scene.height * req.scale));
    }
    write_file_atomically(req.out, bytes);
    return result;
}

}  // namespace convscope::exporting
