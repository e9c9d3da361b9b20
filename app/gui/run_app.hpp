#pragma once
#include <string>

namespace convscope::gui {

/// Open the desktop window on `preset` and run until it is closed. Returns the exit
/// status (1 with an "error:" line when no window can be opened).
int run_app(const std::string& preset);

}  // namespace convscope::gui
