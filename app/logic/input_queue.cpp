#include "app/logic/input_queue.hpp"

namespace convscope::gui {

namespace {

/// What one frame has taken so far: enough to tell whether the next event would hide
/// something from it (the rules in input_queue.hpp).
struct FrameSoFar {
    std::bitset<InputQueue::kKeys> keys_changed;
    std::bitset<InputQueue::kButtons> buttons_changed;
    int presses = 0;                ///< key presses, modifiers aside
    bool typing_press = false;      ///< the last event taken is such a press, or a character after it
    bool characters = false;
    bool button_changed = false;

    bool allows(const InputEvent& e, bool changes) const {
        switch (e.kind) {
            case InputKind::Key: {
                if (changes && e.code >= 0 && e.code < InputQueue::kKeys && keys_changed[std::size_t(e.code)]) return false;
                const bool press = changes && e.down && !e.modifier;
                return !(press && (characters || button_changed));
            }
            case InputKind::MouseButton:
                if (changes && e.code >= 0 && e.code < InputQueue::kButtons && buttons_changed[std::size_t(e.code)]) return false;
                return !(presses > 0 || characters);
            case InputKind::Character:
                return !button_changed && (presses == 0 || (presses == 1 && typing_press));
        }
        return true;
    }

    void take(const InputEvent& e, bool changes) {
        const bool press = e.kind == InputKind::Key && changes && e.down && !e.modifier;
        switch (e.kind) {
            case InputKind::Key:
                if (changes) keys_changed.set(std::size_t(e.code));
                if (press) ++presses;
                break;
            case InputKind::MouseButton:
                if (changes) buttons_changed.set(std::size_t(e.code));
                button_changed = button_changed || changes;
                break;
            case InputKind::Character: characters = true; break;
        }
        typing_press = press || (typing_press && e.kind == InputKind::Character);
    }
};

}  // namespace

std::vector<InputEvent> InputQueue::take_frame() {
    std::vector<InputEvent> frame;
    FrameSoFar so_far;
    while (!waiting_.empty()) {
        const InputEvent& e = waiting_.front();
        // Whether the event changes a followed key's or button's state (a press of a key
        // already down, after a lost release, changes nothing and hides nothing).
        bool changes = false;
        if (e.kind == InputKind::Key && e.code >= 0 && e.code < kKeys) changes = keys_down_[std::size_t(e.code)] != e.down;
        if (e.kind == InputKind::MouseButton && e.code >= 0 && e.code < kButtons)
            changes = buttons_down_[std::size_t(e.code)] != e.down;
        if (!frame.empty() && !so_far.allows(e, changes)) break;
        so_far.take(e, changes);
        if (changes && e.kind == InputKind::Key) keys_down_[std::size_t(e.code)] = e.down;
        if (changes && e.kind == InputKind::MouseButton) buttons_down_[std::size_t(e.code)] = e.down;
        frame.push_back(e);
        waiting_.pop_front();
    }
    return frame;
}

}  // namespace convscope::gui
