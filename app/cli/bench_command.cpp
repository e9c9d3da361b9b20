// convscope bench: times the core on the contract's suite, one JSON line per case.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.hpp"
#include "core/bench.hpp"
#include "core/errors.hpp"

namespace convscope::cli {

Command add_bench_command(CLI::App& root) {
    struct Options {
        double seconds = 1.0;
        std::vector<std::string> only;
        bool list = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* sub = root.add_subcommand("bench", "Time the core on the benchmark suite (float64, one thread); JSON lines");
    sub->add_option("--seconds", o->seconds, "time per case (default 1)")->check(CLI::Range(0.01, 60.0));
    sub->add_option("--case", o->only, "run only these cases (repeatable)");
    sub->add_flag("--list", o->list, "print the suite's configurations as JSON lines instead of timing");
    return {sub, [o] {
                const auto suite = bench_suite();
                for (const std::string& name : o->only) {
                    bool found = false;
                    for (const auto& c : suite) found = found || c.name == name;
                    if (!found) throw UserError("--case '" + name + "' is not in the suite (see convscope bench --list)");
                }
                for (const BenchCase& c : suite) {
                    if (!o->only.empty() && std::find(o->only.begin(), o->only.end(), c.name) == o->only.end()) continue;
                    if (o->list) {
                        std::cout << nlohmann::json{{"case", c.name}, {"config", nlohmann::json::parse(c.description)}}.dump() << "\n";
                        continue;
                    }
                    const BenchResult r = time_case(c.name, c.prepare(), o->seconds);
                    std::cout << nlohmann::json{{"case", r.name}, {"median_ms", r.median_ms}, {"runs", r.runs}}.dump() << std::endl;
                }
                return 0;
            }};
}

}  // namespace convscope::cli
