// convscope: the desktop app, and the command line of ../shared/CONTRACT.md over the
// same core. Every user error ends here as one "error: ..." line and exit status 1.
#include <cblas.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/cli/commands.hpp"
#include "app/desktop/run_app.hpp"
#include "app/desktop/ui_bench.hpp"
#include "core/base/errors.hpp"

namespace {

/// OpenBLAS 0.3.21 (Debian bookworm) does not recognise this Xeon and falls back to its
/// Prescott (SSE3) dgemm, 2-3x slower than the AVX-512 one. It reads OPENBLAS_CORETYPE
/// when it is loaded, before main: so name the kernel from cpuid and start again, once.
/// A user's own OPENBLAS_CORETYPE is left alone.
void choose_blas_kernel(char** argv) {
    if (std::getenv("OPENBLAS_CORETYPE")) return;
    __builtin_cpu_init();
    const char* core = __builtin_cpu_supports("avx512f") ? "SkylakeX" : __builtin_cpu_supports("avx2") ? "Haswell" : nullptr;
    if (!core) return;
    ::setenv("OPENBLAS_CORETYPE", core, 1);
    ::execv("/proc/self/exe", argv);  // returns only on failure: carry on with the kernel we have
}

}  // namespace

int main(int argc, char** argv) {
    choose_blas_kernel(argv);
    // The contract times and compares the core on one thread; results do not depend on it.
    openblas_set_num_threads(1);
    // glibc serves blocks above 128 KiB with a fresh mmap, so every output tensor of a
    // 64x64 map would be page-faulted in anew on each slider move. Keep them on the heap.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);

    CLI::App root{"ConvScope: watch dilated and transposed convolutions compute, step by step"};
    root.require_subcommand(0, 1);
    convscope::gui::LaunchOptions launch;
    root.add_option("--preset", launch.preset, "open the app on this preset (see: convscope presets)");
    root.add_option("SESSION", launch.session_path, "open the app on a saved session (.json)");
    root.add_option("--image", launch.image, "a picture (PNG, JPEG, BMP, PGM/PPM, GIF) as the input, or the upsampling lab's picture");
    root.add_option("--optimizer", launch.optimizer, "lab presets: adam, or sgd with momentum 0.9 (default adam)");
    CLI::Option* lr_option = root.add_option("--lr", launch.lr, "lab presets: learning rate, above 0 and at most 10 (default 0.01)");
    root.add_flag("--train", launch.train, "lab presets: start training at once (the lab opens paused at step 0 otherwise)");
    std::vector<convscope::cli::Command> commands = {
        convscope::cli::add_eval_command(root),
        convscope::cli::add_shape_command(root),
        convscope::cli::add_rf_command(root),
        convscope::cli::add_presets_command(root),
        convscope::cli::add_bench_command(root, convscope::gui::run_ui_bench),
        convscope::cli::add_export_command(root),
        convscope::cli::add_grad_command(root),
        convscope::cli::add_train_command(root),
        convscope::cli::add_worksheet_command(root),
        convscope::cli::add_present_command(root,
                                            [](convscope::Deck deck, const std::string& path, std::size_t first, int monitor,
                                               convscope::cli::PresenterWindowChoice window) {
                                                convscope::gui::LaunchOptions present;
                                                using Choice = convscope::cli::PresenterWindowChoice;
                                                using Mode = convscope::gui::PresenterWindowMode;
                                                present.presenter_window = window == Choice::On ? Mode::On : window == Choice::Off ? Mode::Off : Mode::Auto;
                                                present.deck = std::move(deck);
                                                present.deck_path = path;
                                                present.first_slide = first;
                                                present.monitor = monitor;
                                                return convscope::gui::run_app(present);
                                            }),
    };
    try {
        root.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return root.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    try {
        for (const auto& c : commands)
            if (c.app->parsed()) return c.run();
    } catch (const convscope::UserError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "error: out of memory\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 4;
    }
    launch.lr_given = lr_option->count() > 0;
    try {
        return convscope::gui::run_app(launch);
    } catch (const convscope::UserError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
