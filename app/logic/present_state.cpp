// Opening and leaving the presenter (the slide show itself is slide_show.cpp).
#include <algorithm>
#include <filesystem>

#include "app/logic/app_state.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"

namespace convscope::gui {

void start_presenting(AppState& state, Deck deck, const std::string& path, std::size_t first, bool quits) {
    state.slide_show = std::make_unique<SlideShow>(std::move(deck), path, first);
    state.present_quits = quits;
    state.present_started = -1;  // the clock starts with the first frame drawn
    state.present_message.clear();
}

bool present_deck_file(AppState& state, const std::string& path) {
    try {
        start_presenting(state, load_deck(path), path, 0, false);
        return true;
    } catch (const UserError& e) {
        state.present_message = "cannot present '" + std::filesystem::path(path).filename().string() + "': " + e.what();
        return false;
    }
}

std::vector<std::string> shipped_decks() {
    std::vector<std::string> decks;
    std::error_code ec;
    std::string folder;
    try {
        folder = asset_path("decks");
    } catch (const UserError&) {
        return decks;  // no shipped decks with this copy: the submenu says so
    }
    if (!std::filesystem::is_directory(folder, ec)) return decks;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.path().extension() == ".json") decks.push_back(entry.path().string());
    std::sort(decks.begin(), decks.end());
    return decks;
}

}  // namespace convscope::gui
