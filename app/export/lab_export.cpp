#include "app/export/lab_export.hpp"

#include <cmath>

#include "app/export/figure.hpp"
#include "app/export/video.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/scene/scene_lab.hpp"

namespace convscope::exporting {

ExportResult run_lab_export(const LabExportRequest& req) {
    if (req.steps < 0 || req.steps > kMaxLabExportSteps)
        throw UserError("--train-steps " + std::to_string(req.steps) + " must be between 0 and " +
                        std::to_string(kMaxLabExportSteps));
    if (!(req.fps > 0) || req.fps > 120) throw UserError("--fps " + std::to_string(req.fps) + " must be above 0 and at most 120");
    if (!(req.scale > 0) || req.scale > 16) throw UserError("--scale " + std::to_string(req.scale) + " must be above 0 and at most 16");
    check_extension(req.out, req.format, false);
    check_writable_target(req.out);
    const bool animation = req.format == Format::Gif || req.format == Format::Mp4;
    LabSettings settings = req.settings;
    // About 60 frames over the run (one per snapshot, the first at step 0).
    if (animation) settings.snapshot_every = std::max<std::int64_t>(1, (req.steps + 59) / 60);
    Lab lab(settings);
    if (req.restore) lab.restore(*req.restore);
    const std::int64_t last_step = lab.steps_done() + req.steps;
    LabSceneOptions options;
    ExportResult result;
    result.path = req.out;
    if (animation) {
        LabSnapshot snap = lab.snapshot();
        Scene scene = build_lab_scene(snap, options);
        raster_size(scene, req.scale, req.format == Format::Mp4, result.width, result.height);
        AtomicFile file(req.out);
        {
            VideoEncoder encoder(file.temp_path(), req.format == Format::Gif, result.width, result.height, req.fps);
            std::vector<std::uint8_t> pixels;
            while (true) {
                // Every frame has the first frame's size (the layout does not depend on the step).
                render_bgra(scene, req.scale, result.width, result.height, pixels);
                encoder.add_frame(pixels);
                ++result.frames;
                if (lab.steps_done() >= last_step) break;
                for (std::int64_t k = 0; k < settings.snapshot_every && lab.steps_done() < last_step; ++k) lab.step();
                snap = lab.snapshot();
                scene = build_lab_scene(snap, options);
            }
            encoder.finish();
        }
        file.commit();
    } else {
        lab.snapshot();  // the score chart starts where training starts
        for (std::int64_t k = 0; k < req.steps; ++k) {
            lab.step();
            // Scores over training for the chart: one per snapshot interval.
            if ((k + 1) % settings.snapshot_every == 0 && k + 1 < req.steps) lab.snapshot();
        }
        const Scene scene = build_lab_scene(lab.snapshot(), options);
        std::string bytes;
        switch (req.format) {
            case Format::Png: bytes = render_png(scene, req.scale); break;
            case Format::Svg: bytes = render_svg(scene, req.scale); break;
            case Format::Pdf: bytes = render_pdf(scene, req.scale); break;
            case Format::Gif:
            case Format::Mp4: break;
        }
        if (req.format == Format::Png) raster_size(scene, req.scale, false, result.width, result.height);
        else {
            result.width = int(std::ceil(scene.width * req.scale));
            result.height = int(std::ceil(scene.height * req.scale));
        }
        write_file_atomically(req.out, bytes);
        result.frames = 1;
    }
    if (!req.weights_folder.empty()) export_lab_weights(lab, req.weights_folder);
    return result;
}

}  // namespace convscope::exporting
