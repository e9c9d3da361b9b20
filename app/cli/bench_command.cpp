// convscope bench: times the core on the contract's suite, one JSON line per case.
#include <algorithm>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.hpp"
#include "bench/ui_bench_options.hpp"
#include "bench/core_bench.hpp"
#include "core/base/errors.hpp"

namespace convscope::cli {

Command add_bench_command(CLI::App& root, UiBenchRunner run_ui_bench) {
    struct Options {
        double seconds = 1.0;
        std::vector<std::string> only;
        bool list = false;
        bool ui = false;
        bool drag = false;
        int frames = 300;
        std::string style;
    };
    auto o = std::make_shared<Options>();
    CLI::App* sub = root.add_subcommand("bench", "Time the core on the benchmark suite (float64, one thread); JSON lines");
    sub->add_option("--seconds", o->seconds, "time per case (default 1)")->check(CLI::Range(0.01, 60.0));
    sub->add_option("--case", o->only, "run only these cases (repeatable)");
    sub->add_flag("--list", o->list, "print the suite's configurations as JSON lines instead of timing");
    sub->add_flag("--ui", o->ui, "open the app on each seed preset, play 300 frames with vsync off, print frame times (needs a display)");
    sub->add_flag("--drag", o->drag, "with --ui: drag a slider on a 256x256, 16-channel convolution instead of playing the seeds");
    sub->add_option("--style", o->style, "with --ui: play the seed presets in this style (perspective)")
        ->check(CLI::IsMember({"perspective"}));
    sub->add_option("--frames", o->frames, "frames per preset for --ui (default 300)")->check(CLI::Range(10, 100000));
    return {sub, [o, run_ui_bench] {
                if (o->ui) {
                    UiBenchOptions launch;
                    const bool present = std::find(o->only.begin(), o->only.end(), "present") != o->only.end();
                    if (present && o->only.size() > 1) throw UserError("--case present is played alone");
                    if (o->drag) launch.drag = true;
                    else if (present) launch.present = true;
                    else {
                        launch.presets = {"seed-dilated", "seed-upconv", "seed-combined", "channels:seed-dilated",
                                          "perspective:seed-dilated", "lab-upsampling"};
                        // --case picks some of them (e.g. to profile one): a name not played is refused.
                        for (const std::string& name : o->only)
                            if (std::find(launch.presets.begin(), launch.presets.end(), name) == launch.presets.end())
                                throw UserError("--case '" + name + "' is not played by bench --ui (seed-dilated, seed-upconv, seed-combined, channels:seed-dilated, perspective:seed-dilated, lab-upsampling)");
                        if (!o->only.empty()) launch.presets = o->only;
                        if (!o->style.empty()) {
                            // Each seed preset in that style (its line says "style"); --case picks among them.
                            std::vector<std::string> styled;
                            for (const char* seed : {"seed-dilated", "seed-upconv", "seed-combined"})
                                if (o->only.empty() || std::find(o->only.begin(), o->only.end(), seed) != o->only.end())
                                    styled.push_back(o->style + ":" + seed);
                            if (styled.empty()) throw UserError("--style " + o->style + " plays the seed presets (seed-dilated, seed-upconv, seed-combined)");
                            launch.presets = styled;
                        }
                    }
                    launch.frames = o->frames;
                    std::vector<std::vector<double>> times;
                    launch.frame_times = &times;
                    if (const int status = run_ui_bench(launch); status != 0) return status;
                    for (std::size_t i = 0; i < times.size(); ++i) {
                        std::vector<double>& t = times[i];
                        // The first frames of a preset build its engine and textures: not what
                        // a user waits for while it plays.
                        if (t.size() > 10) t.erase(t.begin(), t.begin() + 10);
                        if (t.empty()) continue;
                        std::sort(t.begin(), t.end());
                        auto at = [&](double q) { return t[std::min(t.size() - 1, std::size_t(q * double(t.size())))]; };
                        // "channels:NAME" is preset NAME in the channels view, "perspective:NAME" in the perspective style.
                        std::string name = o->drag ? std::string("drag-256x256x16") : launch.present ? std::string("present") : launch.presets[i];
                        const bool channels = name.rfind("channels:", 0) == 0;
                        const bool perspective = name.rfind("perspective:", 0) == 0;
                        if (channels) name = name.substr(9);
                        if (perspective) name = name.substr(12);
                        nlohmann::ordered_json line{{"preset", name}};
                        if (channels) line["view"] = "channels";
                        if (launch.present) line["view"] = "presenter";
                        if (perspective) line["style"] = "perspective";
                        line["frame_ms_median"] = at(0.5);
                        line["frame_ms_p99"] = at(0.99);
                        std::cout << line.dump() << std::endl;
                    }
                    return 0;
                }
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
                    nlohmann::json line{{"case", r.name}, {"median_ms", r.median_ms}, {"runs", r.runs}};
                    // The lab's speed as its users see it: steps (every model updated) per second.
                    if (c.name.rfind("lab_", 0) == 0 && r.median_ms > 0) line["steps_per_second"] = 1000.0 / r.median_ms;
                    std::cout << line.dump() << std::endl;
                }
                return 0;
            }};
}

}  // namespace convscope::cli
