#pragma once
/// \file lab_export.hpp
/// `convscope export --preset lab-upsampling ...`: the upsampling lab trained headless,
/// written as an animation (GIF/MP4, one frame per snapshot) or as the side-by-side
/// after the run (PNG/SVG/PDF), and optionally its learned weights (.npy) with the
/// PyTorch script that rebuilds the models.
#include <cstdint>
#include <memory>
#include <string>

#include "app/export/exporter.hpp"
#include "core/learn/lab.hpp"

namespace convscope::exporting {

/// Most training steps one export runs.
inline constexpr std::int64_t kMaxLabExportSteps = 100000;

struct LabExportRequest {
    LabSettings settings;
    /// Training steps before the still / over the animation (an animation has one frame
    /// per snapshot, the snapshot interval chosen for about 60 frames).
    std::int64_t steps = 200;
    Format format = Format::Png;
    std::string out;
    double fps = 8;
    double scale = 1;
    std::string weights_folder;  ///< also write .npy + lab_models.py there ("" : no)
    /// A lab saved in a session: training continues from its weights (settings above
    /// are then the save's).
    std::shared_ptr<const LabSave> restore;
};

/// Trains and writes (UserError for anything refused, before training when possible).
ExportResult run_lab_export(const LabExportRequest& request);

}  // namespace convscope::exporting
