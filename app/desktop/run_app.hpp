#pragma once
/// \file run_app.hpp
/// The desktop app's entry point.
#include <optional>
#include <string>

#include "app/desktop/frame_driver.hpp"
#include "app/logic/presenter_window.hpp"
#include "core/lecture/deck.hpp"

namespace convscope::gui {

struct LaunchOptions {
    std::string preset;        ///< open this preset (empty: see below)
    std::string session_path;  ///< or this session file
    std::string image;         ///< then this picture as the input (or the lab's picture)
    // The lab's options (lab presets): the optimizer ("adam" or "sgd"; "" : the lab's
    // Adam), the learning rate (when lr_given; else the lab's 0.01), and whether it
    // trains at once (otherwise it opens paused at step 0).
    std::string optimizer;
    double lr = 0;
    bool lr_given = false;
    bool train = false;
    /// With neither: the session the app was closed on last time, else seed-dilated.
    /// `convscope present`: this deck (read and checked already) from slide `first_slide`
    /// (0-based), full screen on `monitor` (0-based in GLFW's list); Escape quits, and
    /// the session of the last launch is left as it was.
    std::optional<Deck> deck;
    std::string deck_path;
    std::size_t first_slide = 0;
    int monitor = 0;
    /// The presenter window beside the deck (on another monitor, or forced on one).
    PresenterWindowMode presenter_window = PresenterWindowMode::Auto;

};

/// Open the desktop window and run until it is closed (window, Ctrl+Q, SIGTERM or
/// SIGINT; the session is kept for the next launch in every case). Returns the exit
/// status (1 with an "error:" line when no window can be opened).
/// `make_driver` (a benchmark's) replaces real-time playback when given.
int run_app(const LaunchOptions& options, const FrameDriverFactory& make_driver = {});

/// $XDG_CONFIG_HOME/convscope/last-session.json (or ~/.config/...).
std::string autosave_path();

}  // namespace convscope::gui
