// convscope train RUN.json: trains a small model exactly as torch.optim would; prints
// the losses, the final parameters and the output as JSON. On a terminal, a progress
// line on stderr.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include <unistd.h>

#include "app/cli/commands.hpp"
#include "core/io/json_io.hpp"
#include "core/learn/train.hpp"

namespace convscope::cli {

Command add_train_command(CLI::App& root) {
    auto path = std::make_shared<std::string>();
    CLI::App* sub = root.add_subcommand(
        "train", "Train a small model (PyTorch code, parameters, input, target, loss, optimizer, steps) as torch.optim would; JSON");
    sub->add_option("RUN", *path, "training run: model, parameters, input, target, loss, optimizer, steps")->required();
    return {sub, [path] {
                const TrainRun run = train_run_from_json(read_json_file(*path));
                const bool terminal = ::isatty(STDERR_FILENO) == 1;
                using clock = std::chrono::steady_clock;
                auto last = clock::now() - std::chrono::seconds(1);
                bool shown = false;
                const auto progress = [&](std::int64_t step, std::int64_t steps, double loss) {
                    if (!terminal) return;
                    const auto now = clock::now();
                    if (step != steps && now - last < std::chrono::milliseconds(100)) return;
                    last = now;
                    shown = true;
                    std::fprintf(stderr, "\rstep %lld/%lld  loss %.6g   ", static_cast<long long>(step),
                                 static_cast<long long>(steps), loss);
                    std::fflush(stderr);
                };
                TrainResult result;
                try {
                    result = train(run, progress);
                } catch (...) {
                    if (shown) std::fputs("\n", stderr);
                    throw;
                }
                if (shown) std::fputs("\n", stderr);
                std::cout << train_result_to_json_text(result) << "\n";
                return 0;
            }};
}

}  // namespace convscope::cli
