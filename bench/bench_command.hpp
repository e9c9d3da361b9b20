#pragma once
/// \file bench_command.hpp
/// `convscope bench`: the core's suite (core_bench.hpp) and, with --ui, the app's
/// frame times (ui_bench.hpp).
#include "app/cli/commands.hpp"

namespace convscope::cli {

Command add_bench_command(CLI::App& root);

}  // namespace convscope::cli
