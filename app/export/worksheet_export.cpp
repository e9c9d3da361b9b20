#include "app/export/worksheet_export.hpp"

#include <algorithm>

#include "app/export/exporter.hpp"
#include "app/export/figure.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/lecture/slide_page.hpp"

namespace convscope::exporting {

using std::int64_t;

namespace {

std::string row_text(const Tensor4& t, std::size_t r) {
    std::string s;
    for (std::size_t c = 0; c < t.shape()[3]; ++c) s += (c ? "  " : "") + std::to_string(int64_t(t(0, 0, r, c)));
    return s;
}

/// The figure of the exercise's layer with its numbers in every cell: the last step
/// (the key) or with the output left empty (the question; output_shape hides its size).
Scene exercise_figure(const Exercise& e, bool key) {
    const StepEngine engine(e.layer, e.input, e.weights, 0, 0, TransposedView::Scatter);
    Timeline timeline;
    timeline.steps = engine.step_count();
    timeline.taps_per_step = engine.taps_per_step();
    timeline.row_length = engine.step_row_length();
    timeline.granularity = Granularity::Cell;
    SceneOptions options;
    options.width = 880;
    options.height = 560;
    options.fit_content = true;
    options.numbers = NumberLabels::Always;
    options.show_arithmetic = false;
    options.inset = false;
    const auto [lo, hi] = std::minmax_element(e.answer.values.begin(), e.answer.values.end());
    if (e.answer.values.size() > 0) options.output_range = std::array<double, 2>{*lo, *hi};
    // The question gives nothing away: no colour bar of the output's values, no arithmetic.
    options.hide_output = !key;
    options.hide_grid_size = !key && e.kind == QuestionKind::OutputShape;
    Scene figure = build_scene(engine, timeline.at(timeline.frame_count() - 1), options);
    if (!key) {
        SlideHide hide;
        hide.output = true;
        hide.shape = e.kind == QuestionKind::OutputShape;
        apply_hide(figure, hide, 1, e.answer.output_shape[2], e.answer.output_shape[3]);
    }
    // The figure is drawn at the last step, whose taps and ringed cell would point at
    // another cell than the one asked about (or give the answer): none is shown; a
    // cells_read exercise rings its cell, and its key lights the cells read.
    hide_step_marks(figure);
    if (e.kind == QuestionKind::CellsRead) mark_cells_read(figure, e.answer.cell, key ? &e.answer.cells : nullptr);
    return figure;
}

}  // namespace

namespace {

constexpr float kA4Width = 595, kA4Height = 842, kPrintMargin = 36;
constexpr float kPrintTitle = 14, kPrintLine = 10.5f;
/// The tallest an exercise's figure is printed: two exercises share a page when their
/// figures are small (a figure is about 480 px tall: its numbers print at 7 pt or more).
constexpr float kFigureMaxPrintHeight = 240;
const Color kPrintInk{0.08f, 0.08f, 0.1f, 1}, kPrintSoft{0.4f, 0.4f, 0.45f, 1};

/// `part` shrunk by `s` and moved to (x, y), drawn into `page` (over what is there).
void place(Scene& page, Scene part, float x, float y, float s) {
    scale_scene(part, s);
    translate_scene(part, x, y);
    for (auto& h : part.heatmaps) page.heatmaps.push_back(std::move(h));
    for (auto& p : part.polygons) page.polygons.push_back(p);
    for (auto& r : part.rects) page.rects.push_back(r);
    for (auto& l : part.lines) page.lines.push_back(l);
    for (auto& t : part.texts) page.texts.push_back(std::move(t));
}

/// The lines to fill in under a question (or the answer's lines in the key).
std::vector<std::string> exercise_answer_lines(const Exercise& e, bool key) {
    const Answer& a = e.answer;
    if (key) return answer_lines(a);
    switch (e.kind) {
        case QuestionKind::OutputShape: return {"[ ____ , ____ , ____ , ____ ]"};
        case QuestionKind::OutputValues:
            return {"Fill in the empty output grid (" + std::to_string(a.output_shape[2]) + " x " + std::to_string(a.output_shape[3]) + ") above."};
        case QuestionKind::RfSize: return {"rows: ______     columns: ______"};
        case QuestionKind::CellsRead: return {"Mark them on the input grid, or list them: ______________________"};
    }
    return {};
}

}  // namespace

Scene exercise_page(const Exercise& e, std::size_t index, bool key) {
    const Answer& a = e.answer;
    const float right = kA4Width - kPrintMargin, room = right - kPrintMargin;
    Scene page;
    page.background = Color{1, 1, 1, 1};
    page.width = kA4Width;
    float y = 0;
    page.texts.push_back({kPrintMargin, y, kPrintTitle, kPrintInk, (key ? "Answer " : "Exercise ") + std::to_string(index + 1)});
    y += kPrintTitle * 1.5f;
    // The PyTorch line whole (students copy it), in a size that fits the page's width.
    const float code_size = std::min(kPrintLine, room / (0.55f * float(std::max<std::size_t>(1, e.code.size()))));
    page.texts.push_back({kPrintMargin, y, code_size, kPrintInk, e.code});
    y += std::max(code_size, 9.0f) * 1.45f;
    const auto& xs = a.input_shape;
    page.texts.push_back({kPrintMargin, y, kPrintLine, kPrintInk,
                          "input " + std::to_string(xs[0]) + "x" + std::to_string(xs[1]) + "x" + std::to_string(xs[2]) + "x" + std::to_string(xs[3]) +
                              (e.weights.has_bias ? ", bias " + std::to_string(int64_t(e.weights.bias(0))) : ", no bias")});
    y += kPrintLine * 1.6f;
    Scene figure = exercise_figure(e, key);
    const float s = std::min({1.0f, room / std::max(1.0f, figure.width), kFigureMaxPrintHeight / std::max(1.0f, figure.height)});
    const float figure_height = figure.height * s, figure_width = figure.width * s;
    place(page, std::move(figure), kPrintMargin, y, s);
    // The input's and the kernel's rows beside a narrow figure (two exercises then share
    // a page), else under it side by side.
    const float line_step = kPrintLine * 1.4f;
    const bool beside = figure_width + 170 <= room;
    const std::size_t in_rows = e.input.shape()[2], w_rows = e.weights.weight.shape()[2];
    const float rows_x = beside ? kPrintMargin + figure_width + 16 : kPrintMargin;
    const float rows_y = beside ? y + 24 : y + figure_height + 8;
    const float w_x = beside ? rows_x : kPrintMargin + room / 2;
    const float w_y = beside ? rows_y + float(in_rows) * line_step + 8 : rows_y;
    for (std::size_t r = 0; r < in_rows; ++r)
        page.texts.push_back({rows_x, rows_y + float(r) * line_step, kPrintLine, kPrintInk, "x[" + std::to_string(r) + "]: " + row_text(e.input, r)});
    for (std::size_t r = 0; r < w_rows; ++r)
        page.texts.push_back({w_x, w_y + float(r) * line_step, kPrintLine, kPrintInk, "w[" + std::to_string(r) + "]: " + row_text(e.weights.weight, r)});
    const float rows_end = std::max(rows_y + float(in_rows) * line_step, w_y + float(w_rows) * line_step) + 6;
    y = beside ? std::max(y + figure_height + 8, rows_end) : rows_end;
    std::vector<std::string> lines{question_prompt(e.kind, a.cell)};
    for (const std::string& line : exercise_answer_lines(e, key)) lines.push_back(line);
    for (const std::string& line : lines) {
        const float size = std::min(kPrintLine, room / (0.55f * float(std::max<std::size_t>(1, line.size()))));
        page.texts.push_back({kPrintMargin, y, size, kPrintInk, line});
        y += kPrintLine * 1.45f;
    }
    page.height = y + 4;
    return page;
}

std::vector<Scene> worksheet_pages(const std::vector<Exercise>& sheet, std::uint64_t seed) {
    const std::string title = "Convolution arithmetic: worksheet, seed " + std::to_string(seed);
    std::vector<Scene> pages;
    float y = 0;
    auto new_page = [&] {
        Scene p;
        p.background = Color{1, 1, 1, 1};
        p.width = kA4Width;
        p.height = kA4Height;
        pages.push_back(std::move(p));
        y = kPrintMargin;
    };
    auto heading = [&](const std::string& big, const std::string& small) {
        new_page();
        pages.back().texts.push_back({kPrintMargin, y, 18, kPrintInk, big});
        y += 18 * 1.6f;
        pages.back().texts.push_back({kPrintMargin, y, 12, kPrintInk, small});
        y += 12 * 2.2f;
    };
    auto stack = [&](const Scene& block) {
        const float bottom = kA4Height - kPrintMargin - 14;  // the footer below
        const bool first_on_page = pages.back().texts.size() <= 2 || y <= kPrintMargin;
        if (!first_on_page && y + block.height > bottom) new_page();
        else if (!first_on_page) {  // a rule between two exercises
            pages.back().lines.push_back({kPrintMargin, y - 9, kA4Width - kPrintMargin, y - 9, Color{0.75f, 0.75f, 0.78f, 1}, 0.6f});
        }
        // Taller than a page (it never is at these sizes): shrunk to fit.
        const float s = std::min(1.0f, (bottom - y) / std::max(1.0f, block.height));
        place(pages.back(), block, (1 - s) * kA4Width / 2, y, s);
        y += block.height * s + 18;
    };
    heading(title, "Name: ______________________________     Date: ____________");
    for (std::size_t i = 0; i < sheet.size(); ++i) stack(exercise_page(sheet[i], i, false));
    const std::size_t questions = pages.size();
    heading("Answer key", title);
    for (std::size_t i = 0; i < sheet.size(); ++i) stack(exercise_page(sheet[i], i, true));
    for (std::size_t k = 0; k < pages.size(); ++k) {
        const bool in_key = k >= questions;
        const std::string foot = title + (in_key ? ", answer key" : "") + " - page " + std::to_string(k + 1) + " of " + std::to_string(pages.size());
        pages[k].texts.push_back({kPrintMargin, kA4Height - kPrintMargin, 8, kPrintSoft, foot});
    }
    return pages;
}

int64_t run_worksheet_export(const WorksheetRequest& req) {
    check_extension(req.out, Format::Pdf, false);
    check_writable_target(req.out);
    if (!req.answers_out.empty()) {
        check_writable_target(req.answers_out);
        if (req.answers_out == req.out) throw UserError("--answers and --out name the same file");
    }
    const std::vector<Exercise> sheet = make_worksheet(req.seed, req.count, req.kinds, req.ops);
    const std::vector<Scene> pages = worksheet_pages(sheet, req.seed);
    const std::string pdf = render_pdf_pages(pages, 1.0);
    const std::string key = req.answers_out.empty() ? std::string() : worksheet_key(sheet).dump(1) + "\n";
    write_file_atomically(req.out, pdf);
    if (!req.answers_out.empty()) write_file_atomically(req.answers_out, key);
    return int64_t(pages.size());
}

}  // namespace convscope::exporting
