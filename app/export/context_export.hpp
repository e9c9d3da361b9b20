#pragma once
/// \file context_export.hpp
/// `convscope export --preset dilation-context [--image PATH] [--kernel K]`: the
/// dilation-context view (core/scene/dilation_context.hpp) as a PNG, SVG or PDF, headless.
#include <string>

#include "app/export/exporter.hpp"
#include "core/scene/dilation_context.hpp"

namespace convscope::exporting {

struct ContextExportRequest {
    std::string image_path;  ///< empty: the shipped picture
    ContextKernel kernel = ContextKernel::Sobel;
    Format format = Format::Png;
    std::string out;
    double scale = 1;
};

/// Writes the view (UserError for a moving format, a bad scale, a refused picture or target).
ExportResult run_context_export(const ContextExportRequest& request);

}  // namespace convscope::exporting
