#pragma once
/// \file ui_bench.hpp
/// `convscope bench --ui`: the app's own frame loop, driven by a benchmark instead of
/// the clock, with the frame times kept.
#include "bench/ui_bench_options.hpp"

namespace convscope::gui {

/// Open the window and run the benchmark; the exit status of run_app. Nothing is kept
/// for the next launch.
int run_ui_bench(const UiBenchOptions& options);

}  // namespace convscope::gui
