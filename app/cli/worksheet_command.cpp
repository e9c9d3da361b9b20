// convscope worksheet --seed S --count N --out sheet.pdf [--answers key.json] [--kinds ...] [--ops ...]:
// printable exercises with their answer key, headless.
#include <iostream>
#include <memory>

#include "app/cli/commands.hpp"
#include "app/export/worksheet_export.hpp"
#include "core/base/errors.hpp"

namespace convscope::cli {

namespace {

struct WorksheetOptions {
    std::uint64_t seed = 1;
    std::int64_t count = 6;
    std::string out, answers, kinds = "output_shape,output_values,rf_size,cells_read", ops = "conv2d,conv_transpose2d";
};

}  // namespace

Command add_worksheet_command(CLI::App& root) {
    auto o = std::make_shared<WorksheetOptions>();
    CLI::App* sub = root.add_subcommand("worksheet", "Printable exercises (PDF) with an answer key, drawn from a seed (no display needed)");
    sub->add_option("--seed", o->seed, "the exercises follow from it: the same seed gives the same sheet (default 1)");
    sub->add_option("--count", o->count, "how many exercises (1..200, default 6)");
    sub->add_option("--out", o->out, "the PDF to write: the exercises, then the answer key")->required();
    sub->add_option("--answers", o->answers, "also write the answer key as JSON");
    sub->add_option("--kinds", o->kinds, "comma-separated: output_shape, output_values, rf_size, cells_read (default all)");
    sub->add_option("--ops", o->ops, "comma-separated: conv2d, conv_transpose2d: the layers the exercises use (default both)");
    return {sub, [o] {
                exporting::WorksheetRequest req;
                req.seed = o->seed;
                req.count = o->count;
                req.kinds = parse_question_kinds(o->kinds);
                req.ops = parse_worksheet_ops(o->ops);
                req.out = o->out;
                req.answers_out = o->answers;
                const std::int64_t pages = exporting::run_worksheet_export(req);
                std::cout << "wrote " << o->out << " (" << o->count << " exercises, " << pages << " pages)";
                if (!o->answers.empty()) std::cout << " and " << o->answers;
                std::cout << "\n";
                return 0;
            }};
}

}  // namespace convscope::cli
