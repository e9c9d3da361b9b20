// convscope present DECK.json [--slide N] [--monitor M] [--presenter-window | --no-presenter-window]: the deck full screen. The deck is
// read and checked here, before any window opens: a deck refused is one "error:" line.
#include <memory>

#include "app/cli/commands.hpp"
#include "core/base/errors.hpp"

namespace convscope::cli {

namespace {

struct PresentOptions {
    std::string deck;
    std::int64_t slide = 1;
    std::int64_t monitor = 1;
    bool presenter_window = false, no_presenter_window = false;
};

}  // namespace

Command add_present_command(CLI::App& root, PresentRunner run_presenter) {
    auto o = std::make_shared<PresentOptions>();
    CLI::App* sub = root.add_subcommand("present", "Present a deck full screen (PageDown/Right/Space next, PageUp/Left back, a number "
                                                   "and Enter jumps, B blanks, P the presenter's corner, R resets the clock, Escape quits; with a "
                                                   "second monitor the presenter window opens on it)");
    sub->add_option("DECK", o->deck, "the deck (.json)")->required();
    sub->add_option("--slide", o->slide, "start on this slide, counted from 1 (default 1)");
    sub->add_option("--monitor", o->monitor, "full screen on this monitor, counted from 1 in the system's list (default 1)");
    CLI::Option* on = sub->add_flag("--presenter-window", o->presenter_window,
                                    "open the presenter window (notes, next slide, clock) even with one monitor: a window over the "
                                    "deck (with two or more monitors it opens on another monitor by itself)");
    sub->add_flag("--no-presenter-window", o->no_presenter_window, "no presenter window, even with a second monitor")->excludes(on);
    return {sub, [o, run_presenter] {
                if (o->monitor < 1 || o->monitor > 64)
                    throw UserError("--monitor " + std::to_string(o->monitor) + ": monitors are counted from 1");
                Deck deck = load_deck(o->deck);  // UserError naming the slide and the key
                if (deck.slides.empty()) throw UserError("'" + o->deck + "': the deck has no slides");
                const auto count = std::int64_t(deck.slides.size());
                if (o->slide < 1 || o->slide > count)
                    throw UserError("--slide " + std::to_string(o->slide) + ": the deck has " + std::to_string(count) + " slide" +
                                    (count == 1 ? "" : "s") + " (1 to " + std::to_string(count) + ")");
                const PresenterWindowChoice window = o->presenter_window      ? PresenterWindowChoice::On
                                                     : o->no_presenter_window ? PresenterWindowChoice::Off
                                                                              : PresenterWindowChoice::Auto;
                return run_presenter(std::move(deck), o->deck, std::size_t(o->slide - 1), int(o->monitor - 1), window);
            }};
}

}  // namespace convscope::cli
