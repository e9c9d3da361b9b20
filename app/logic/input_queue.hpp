#pragma once
/// \file input_queue.hpp
/// Keys, mouse buttons and typed characters, handed to the UI a frame at a time so that
/// no press is lost. Dear ImGui 1.86 (Debian's) has no event queue: its GLFW backend
/// writes io.KeysDown[key] as events arrive and the widgets look at that array once a
/// frame (IsKeyPressed: down now, up the frame before). A key pressed and released
/// between two frames (a presenter's remote, xdotool, a fast typist under a slow
/// software renderer) was never seen down. This queue does what ImGui 1.87 does inside
/// ("trickle fast inputs"): each frame takes the waiting events in order until one
/// would hide another from the frame (see take_frame()); that one and all after it wait
/// for the next frame. No GL, GLFW or ImGui here: the window (app/render/window.cpp)
/// feeds it from GLFW's callbacks and passes each frame's events on to ImGui's backend.
#include <bitset>
#include <cstddef>
#include <deque>
#include <vector>

namespace convscope::gui {

enum class InputKind { Key, MouseButton, Character };

struct InputEvent {
    InputKind kind = InputKind::Key;
    int code = 0;           ///< the key's code (GLFW's), the button (0 = left), or the character (Unicode)
    bool down = false;      ///< a press, else a release (keys and buttons; unused for characters)
    bool modifier = false;  ///< Shift, Ctrl, Alt or Super: pressing one types and does nothing by itself
    int scancode = 0;       ///< passed on as it came (the backend's key callback takes it)
    int mods = 0;           ///< passed on as they came
};

class InputQueue {
public:
    /// The key codes and buttons whose state is followed (ImGui 1.86's io.KeysDown[512]
    /// and io.MouseDown[5]); events of other codes pass through in order, unfollowed.
    static constexpr int kKeys = 512;
    static constexpr int kButtons = 5;

    /// An event as it arrived. Key repeats are not pushed (ImGui makes its own).
    void push(const InputEvent& event) { waiting_.push_back(event); }
    /// The events of the next frame, oldest first, taken from the queue. An event waits
    /// for a later frame, with every event after it (the order is kept), when taking it
    /// would hide something from a UI that looks once a frame:
    ///  1. a key or button that already went down or up this frame (a press and its
    ///     release in one frame were never seen down; so each press is down for a frame);
    ///  2. a key pressed after a character this frame, or a character after a press that
    ///     typed nothing, modifiers aside: widgets
    ///     read a frame's characters before or after its keys in their own order (ImGui's
    ///     text field inserts the characters first, then selects all on Ctrl+A; the
    ///     presenter reads Enter before the digits typed), so keys and characters share a
    ///     frame only in the order that cannot be misread;
    ///  3. a key press or character after a mouse button changed this frame, and a button
    ///     after a key press or character (a click then typing goes to what was clicked).
    /// Keys that type a character other than a space are read as their characters, in
    /// order: their presses and releases are exempt from 1 and 2 (typing runs at any speed).
    /// The first waiting event is always taken, so the queue drains at one event a frame
    /// at least.
    std::vector<InputEvent> take_frame();
    /// Whether a key or button is down after the events taken so far.
    bool key_down(int key) const { return key >= 0 && key < kKeys && keys_down_[std::size_t(key)]; }
    bool button_down(int button) const { return button >= 0 && button < kButtons && buttons_down_[std::size_t(button)]; }
    /// Events waiting for a later frame.
    std::size_t waiting() const { return waiting_.size(); }

private:
    std::deque<InputEvent> waiting_;
    std::bitset<kKeys> keys_down_;
    std::bitset<kKeys> typing_keys_;  ///< down, and their press typed a character
    std::bitset<kButtons> buttons_down_;
};

}  // namespace convscope::gui
