#pragma once
/// \file settings.hpp
/// What the app keeps about the room rather than the lesson (text size for a
/// projector) and the deck being prepared (reopened at the next launch), in
/// $XDG_CONFIG_HOME/convscope/settings.json next to the kept session.
#include <array>
#include <string>

namespace convscope::gui {

/// View > Text size: the percentages offered.
inline constexpr std::array<int, 4> kTextSizePercents = {100, 125, 150, 200};

struct Settings {
    int text_size_percent = 100;  ///< one of kTextSizePercents
    bool text_size_chosen = false;  ///< the file holds one (the user picked it); else the screen decides
    std::string deck_path;  ///< the deck open in the Deck panel at the last quit ("" : none)
};

/// The longest deck path kept: a longer one in the file is ignored (files are hostile).
inline constexpr std::size_t kMaxKeptPathLength = 4096;

/// The text size a screen starts at while the user has not picked one (View > Text
/// size): a screen of `height_px` pixel rows (its video mode) at content scale
/// `content_scale`. The fonts already grow with the content scale, so what counts is
/// the logical height, height_px / content_scale: 1080 rows or more (a projector, or a
/// big monitor) starts at 150 %, text a class reads from the back of the room; below,
/// 100 %. An unknown screen (0) starts at 100 %.
int default_text_size_percent(int height_px, float content_scale);
/// The presenter's text size (its counter, its notes): a size larger than the app's, read
/// from the back of a lecture hall: 200 % from 1080 logical rows, 150 % from 720, else 125 %.
int presenter_text_size_percent(int height_px, float content_scale);
/// $XDG_CONFIG_HOME/convscope (or ~/.config/convscope, or /tmp/.config/convscope).
std::string config_folder();
/// config_folder()/settings.json
std::string settings_path();
/// The settings in `path`; a missing or unreadable file, or an unknown value, gives the
/// defaults (settings are a convenience: they never stop the app from starting).
Settings load_settings(const std::string& path);
/// Atomic (temporary file + rename); UserError when it cannot be written. The text size
/// is written only when chosen (else the next screen decides again).
void save_settings(const Settings& settings, const std::string& path);

}  // namespace convscope::gui
