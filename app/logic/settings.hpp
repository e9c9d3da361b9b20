#pragma once
/// \file settings.hpp
/// What the app keeps about the room rather than the lesson (text size for a
/// projector), in $XDG_CONFIG_HOME/convscope/settings.json next to the kept session.
#include <array>
#include <string>

namespace convscope::gui {

/// View > Text size: the percentages offered.
inline constexpr std::array<int, 4> kTextSizePercents = {100, 125, 150, 200};

struct Settings {
    int text_size_percent = 100;  ///< one of kTextSizePercents
};

/// $XDG_CONFIG_HOME/convscope (or ~/.config/convscope, or /tmp/.config/convscope).
std::string config_folder();
/// config_folder()/settings.json
std::string settings_path();
/// The settings in `path`; a missing or unreadable file, or an unknown value, gives the
/// defaults (settings are a convenience: they never stop the app from starting).
Settings load_settings(const std::string& path);
/// Atomic (temporary file + rename); UserError when it cannot be written.
void save_settings(const Settings& settings, const std::string& path);

}  // namespace convscope::gui
