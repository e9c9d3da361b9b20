#pragma once
/// \file worksheet_export.hpp
/// `convscope worksheet`: the exercises of core/lecture/worksheet.hpp as a printable PDF
/// (each exercise its PyTorch line, its figure with the output left empty, and the
/// grid or blanks to fill in; the answer key, figures filled in, at the end) and, if
/// asked, the key as JSON. Both are built before either is written.
#include <cstdint>
#include <string>
#include <vector>

#include "core/lecture/worksheet.hpp"
#include "core/scene/scene.hpp"

namespace convscope::exporting {

/// Exercise `index` (0-based) as a page: with the answer (`key`) or to fill in.
Scene exercise_page(const Exercise& exercise, std::size_t index, bool key);

struct WorksheetRequest {
    std::uint64_t seed = 1;
    std::int64_t count = 6;
    std::vector<QuestionKind> kinds;
    std::vector<LayerKind> ops = kWorksheetOps;  ///< the layers the exercises use
    std::string out;          ///< the PDF
    std::string answers_out;  ///< the key as JSON ("" : none)
};

/// The printed sheet: A4 portrait pages (595 x 842 pt), the sheet's title and a name
/// line on the first, the exercises shrunk to the page's width and stacked as many as fit
/// a page, then the answer key from a new page under its own heading.
std::vector<Scene> worksheet_pages(const std::vector<Exercise>& sheet, std::uint64_t seed);

/// Writes the sheet (and key). Returns the number of pages.
std::int64_t run_worksheet_export(const WorksheetRequest& request);

}  // namespace convscope::exporting
