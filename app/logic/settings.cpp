#include "app/logic/settings.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/base/errors.hpp"
#include "core/base/files.hpp"

namespace convscope::gui {

std::string config_folder() {
    namespace fs = std::filesystem;
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    const fs::path dir = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".config";
    return (dir / "convscope").string();
}

std::string settings_path() { return (std::filesystem::path(config_folder()) / "settings.json").string(); }

Settings load_settings(const std::string& path) {
    Settings s;
    try {
        const nlohmann::json j = nlohmann::json::parse(read_file(path, 1 << 16));
        if (j.is_object() && j.contains("text_size_percent") && j["text_size_percent"].is_number_integer()) {
            const int percent = j["text_size_percent"].get<int>();
            if (std::find(kTextSizePercents.begin(), kTextSizePercents.end(), percent) != kTextSizePercents.end())
            {
                s.text_size_percent = percent;
                s.text_size_chosen = true;
            }
        }
        if (j.is_object() && j.contains("deck_path") && j["deck_path"].is_string()) {
            const std::string deck = j["deck_path"].get<std::string>();
            if (deck.size() <= kMaxKeptPathLength) s.deck_path = deck;
        }
    } catch (const std::exception&) {
        // missing or damaged: the defaults
    }
    return s;
}

int default_text_size_percent(int height_px, float content_scale) {
    const float logical_rows = float(height_px) / std::max(1.0f, content_scale);
    // From 1080 rows (1920x1080, the common projector); a 1680x1050 desk monitor stays at 100 %.
    return logical_rows >= 1080.0f ? 150 : 100;
}

int presenter_text_size_percent(int height_px, float content_scale) {
    const float logical_rows = float(height_px) / std::max(1.0f, content_scale);
    return logical_rows >= 1080.0f ? 200 : logical_rows >= 720.0f ? 150 : 125;
}

void save_settings(const Settings& settings, const std::string& path) {
    std::error_code error;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
    if (error) throw UserError("cannot create the folder of " + path + ": " + error.message());
    nlohmann::json j = nlohmann::json::object();
    if (settings.text_size_chosen) j["text_size_percent"] = settings.text_size_percent;
    if (!settings.deck_path.empty()) j["deck_path"] = settings.deck_path;
    write_file_atomically(path, j.dump(2) + "\n");
}

}  // namespace convscope::gui
