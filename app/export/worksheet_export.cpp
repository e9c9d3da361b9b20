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

Scene exercise_page(const Exercise& e, std::size_t index, bool key) {
    const Answer& a = e.answer;
    PageText text;
    text.title = (key ? "Answer " : "Exercise ") + std::to_string(index + 1);
    // The PyTorch line under the title, in the body's size, so a long call fits the page.
    text.lines.push_back(e.code);
    const auto& xs = a.input_shape;
    text.lines.push_back("input " + std::to_string(xs[0]) + "x" + std::to_string(xs[1]) + "x" + std::to_string(xs[2]) + "x" +
                         std::to_string(xs[3]) + (e.weights.has_bias ? ", bias " + std::to_string(int64_t(e.weights.bias(0))) : ", no bias"));
    for (std::size_t r = 0; r < e.input.shape()[2]; ++r) text.lines.push_back("x[" + std::to_string(r) + "]: " + row_text(e.input, r));
    for (std::size_t r = 0; r < e.weights.weight.shape()[2]; ++r)
        text.lines.push_back("w[" + std::to_string(r) + "]: " + row_text(e.weights.weight, r));
    text.lines.push_back(question_prompt(e.kind, a.cell));
    if (key) {
        for (const std::string& line : answer_lines(a)) text.lines.push_back(line);
    } else {
        switch (e.kind) {
            case QuestionKind::OutputShape: text.lines.push_back("[ ____ , ____ , ____ , ____ ]"); break;
            case QuestionKind::OutputValues:
                text.lines.push_back("Fill in the empty output grid (" + std::to_string(a.output_shape[2]) + " x " +
                                     std::to_string(a.output_shape[3]) + ") above.");
                break;
            case QuestionKind::RfSize: text.lines.push_back("rows: ______     columns: ______"); break;
            case QuestionKind::CellsRead: text.lines.push_back("Mark them on the input grid, or list them: ______________________"); break;
        }
    }
    text.footer = key ? "answer key" : "worksheet";
    return compose_page(exercise_figure(e, key), text);
}

int64_t run_worksheet_export(const WorksheetRequest& req) {
    check_extension(req.out, Format::Pdf, false);
    check_writable_target(req.out);
    if (!req.answers_out.empty()) {
        check_writable_target(req.answers_out);
        if (req.answers_out == req.out) throw UserError("--answers and --out name the same file");
    }
    const std::vector<Exercise> sheet = make_worksheet(req.seed, req.count, req.kinds);
    std::vector<Scene> pages;
    for (std::size_t i = 0; i < sheet.size(); ++i) pages.push_back(exercise_page(sheet[i], i, false));
    for (std::size_t i = 0; i < sheet.size(); ++i) pages.push_back(exercise_page(sheet[i], i, true));
    const std::string pdf = render_pdf_pages(pages, 1.0);
    const std::string key = req.answers_out.empty() ? std::string() : worksheet_key(sheet).dump(1) + "\n";
    write_file_atomically(req.out, pdf);
    if (!req.answers_out.empty()) write_file_atomically(req.answers_out, key);
    return int64_t(pages.size());
}

}  // namespace convscope::exporting
