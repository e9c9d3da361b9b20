#pragma once
/// \file presenter_window.hpp
/// What the presenter window shows (a second window, usually on the lecturer's laptop
/// while the deck is full screen on the projector), with no window: whether it opens,
/// which page comes next (the answer, when the slide asks a question), the clock's
/// texts, and the small pages it draws of the current and the next slide.
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>

#include "app/logic/slide_show.hpp"
#include "core/lecture/slide_page.hpp"

namespace convscope::gui {

/// `--presenter-window` (On), `--no-presenter-window` (Off), else Auto: the window opens
/// when the system has a second monitor.
enum class PresenterWindowMode { Auto, On, Off };

/// Whether a presenter window opens with `monitors` monitors connected.
bool wants_presenter_window(PresenterWindowMode mode, int monitors);

/// The monitor the presenter window goes on (0-based): the first one that is not the
/// audience's, or -1 (a window on the same screen) when there is only one.
int presenter_window_monitor(int audience_monitor, int monitors);

/// The keys the presenter window passes on to the audience's window, as GLFW names
/// them (app/render/window.cpp checks these numbers against GLFW's at compile time):
/// the presenter's keys (panel_present.cpp), nothing else.
namespace presenter_keys {
inline constexpr int kSpace = 32, kDigit0 = 48, kDigit9 = 57, kB = 66, kP = 80, kR = 82;
inline constexpr int kEscape = 256, kEnter = 257, kRight = 262, kLeft = 263, kPageUp = 266, kPageDown = 267;
inline constexpr int kHome = 268, kEnd = 269, kKeypad0 = 320, kKeypad9 = 329, kKeypadEnter = 335;
/// GLFW's modifier bits: Shift, Control, Alt, Super.
inline constexpr int kModShift = 1, kModControl = 2, kModAlt = 4, kModSuper = 8;
}  // namespace presenter_keys

/// Whether a key event in the presenter window goes on to the audience's window: one
/// of the presenter's keys (next, back, first, last, a slide number and Enter, Escape,
/// B, P, R), pressed without Control, Alt or Super (Ctrl+Q there must not quit the
/// app, nor Ctrl+S save behind the deck). A presenter's key is always released there.
bool presenter_window_forwards_key(int key, bool press, int mods);
/// Whether a typed character goes on: a digit (a slide number), b, p or r.
bool presenter_window_forwards_character(unsigned int c);

/// The page the next "next" shows.
struct NextPage {
    bool exists = false;      ///< false on the last slide with nothing left to reveal
    std::size_t slide = 0;    ///< 0-based
    bool answer = false;      ///< the current slide's answer (slide == the current one)
    std::string label;        ///< "next: the answer", "next: 5 / 13  Padding", "end of the deck"
};
NextPage next_page(const Presenter& keys, const std::string& next_title);

/// "07:45" below an hour, "1:02:03" from then on (negative counts as 0).
std::string elapsed_text(double seconds);
/// "14:05:31".
std::string wall_clock_text(const std::tm& time);
/// The local time now, as wall_clock_text.
std::string wall_clock_now();

/// The presenter window's pages: the current slide as the audience sees it, scaled
/// down, and the next page (a slide's first frame, or the answer), laid out for its box.
/// Each is rebuilt only when what it shows changed.
class PresenterDesk {
public:
    /// The audience's page (`show.fitted_page` at the audience screen's size, built by
    /// its frame) scaled into `width` x `height`; null before the audience drew one.
    const Scene* current_page(SlideShow& show, float width, float height);
    /// The next page laid out in `width` x `height`; null when there is none.
    const Scene* next_page_scene(const SlideShow& show, float width, float height);
    /// Changes whenever next_page_scene() returns another scene (picture textures).
    std::uint64_t next_version() const { return next_version_; }
    std::uint64_t current_version() const { return current_version_; }

private:
    Scene current_;
    std::uint64_t current_source_ = 0;  ///< the audience page's fitted_version it was made from
    float current_width_ = 0, current_height_ = 0;
    std::uint64_t current_version_ = 0;
    std::unique_ptr<SlideShow> next_;  ///< a copy of the deck, on the next page
    std::size_t next_slide_ = SIZE_MAX;
    bool next_answer_ = false;
    std::uint64_t next_version_ = 0, next_fitted_ = 0;
};

}  // namespace convscope::gui
