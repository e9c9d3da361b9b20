#pragma once
/// \file commands.hpp
/// The subcommands of ../shared/CONTRACT.md. Each registers itself on the CLI11 app
/// and returns the exit status through `run`; user errors are thrown as UserError and
/// printed once, at the boundary in main.cpp, as "error: ...".
#include <functional>

#include <CLI/CLI.hpp>

#include "bench/ui_bench_options.hpp"
#include "core/lecture/deck.hpp"

namespace convscope::cli {

/// A registered subcommand: CLI11 parses into its options, then `run` does the work.
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

Command add_eval_command(CLI::App& root);
Command add_shape_command(CLI::App& root);
/// `bench`: the core's suite; with --ui, the app's frame times through `run_ui_bench`
/// (app/desktop/ui_bench.hpp: the command line itself opens no window).
Command add_bench_command(CLI::App& root, UiBenchRunner run_ui_bench);
Command add_rf_command(CLI::App& root);
Command add_presets_command(CLI::App& root);
Command add_export_command(CLI::App& root);
Command add_grad_command(CLI::App& root);
Command add_train_command(CLI::App& root);
Command add_worksheet_command(CLI::App& root);
/// `present`'s presenter window: Auto opens it when there is a second monitor;
/// --presenter-window (On) opens it on one monitor too, --no-presenter-window (Off) never.
enum class PresenterWindowChoice { Auto, On, Off };
/// Opens the presenter on a deck read and checked: the deck, its path, the first slide
/// and the monitor (both 0-based), the presenter window; returns the exit status.
using PresentRunner =
    std::function<int(Deck deck, const std::string& path, std::size_t first_slide, int monitor, PresenterWindowChoice presenter_window)>;
/// `present`: the deck is read here (a refused deck opens no window), then `run_presenter`.
Command add_present_command(CLI::App& root, PresentRunner run_presenter);

}  // namespace convscope::cli
