// convscope present DECK.json [--slide N] [--monitor M]: the deck full screen. The deck is
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
};

}  // namespace

Command add_present_command(CLI::App& root, PresentRunner run_presenter) {
    auto o = std::make_shared<PresentOptions>();
    CLI::App* sub = root.add_subcommand("present", "Present a deck full screen (PageDown/Right/Space next, PageUp/Left back, a number "
                                                   "and Enter jumps, B blanks, P the presenter's corner, Escape quits)");
    sub->add_option("DECK", o->deck, "the deck (.json)")->required();
    sub->add_option("--slide", o->slide, "start on this slide, counted from 1 (default 1)");
    sub->add_option("--monitor", o->monitor, "full screen on this monitor, counted from 1 in the system's list (default 1)");
    return {sub, [o, run_presenter] {
                if (o->monitor < 1 || o->monitor > 64)
                    throw UserError("--monitor " + std::to_string(o->monitor) + ": monitors are counted from 1");
                Deck deck = load_deck(o->deck);  // UserError naming the slide and the key
                if (deck.slides.empty()) throw UserError("'" + o->deck + "': the deck has no slides");
                const auto count = std::int64_t(deck.slides.size());
                if (o->slide < 1 || o->slide > count)
                    throw UserError("--slide " + std::to_string(o->slide) + ": the deck has " + std::to_string(count) + " slide" +
                                    (count == 1 ? "" : "s") + " (1 to " + std::to_string(count) + ")");
                return run_presenter(std::move(deck), o->deck, std::size_t(o->slide - 1), int(o->monitor - 1));
            }};
}

}  // namespace convscope::cli
