#include "app/logic/input_queue.hpp"

namespace convscope::gui {

namespace {

/// What one frame has taken so far: enough to tell whether the next event would hide
/// something from it (the rules in input_queue.hpp).
struct FrameSoFar {
    std::bitset<InputQueue::kKeys> keys_changed;
    std::bitset<InputQueue::kButtons> buttons_changed;
    int presses = 0;            ///< key presses that typed nothing, modifiers aside
    bool characters = false;
    bool button_changed = false;

    /// `typing`: a key event of a key that types a character (not a space): the UI reads
    /// it as that character, in order with the others, so it may share a frame with them.
    bool allows(const InputEvent& e, bool changes, bool typing) const {
        switch (e.kind) {
            case InputKind::Key: {
                if (typing) return !button_changed;
                if (changes && e.code >= 0 && e.code < InputQueue::kKeys && keys_changed[std::size_t(e.code)]) return false;
                const bool press = changes && e.down && !e.modifier;
                return !(press && (characters || button_changed));
            }
            case InputKind::MouseButton:
                if (changes && e.code >= 0 && e.code < InputQueue::kButtons && buttons_changed[std::size_t(e.code)]) return false;
                return !(presses > 0 || characters);
            case InputKind::Character:
                return !button_changed && presses == 0;
        }
        return true;
    }

    void take(const InputEvent& e, bool changes, bool typing) {
        const bool press = e.kind == InputKind::Key && changes && e.down && !e.modifier && !typing;
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
        // A key that types: its press is followed by its character (GLFW sends them so),
        // and its release follows such a press. Space is read as a key too (play, next
        // slide), so its presses are kept apart like any other key's.
        bool typing = false;
        if (e.kind == InputKind::Key && e.code >= 0 && e.code < kKeys) {
            if (e.down && changes && !e.modifier && waiting_.size() > 1) {
                const InputEvent& next = waiting_[1];
                typing = next.kind == InputKind::Character && next.code != ' ';
            }
            if (!e.down && changes) typing = typing_keys_[std::size_t(e.code)];
        }
        if (!frame.empty() && !so_far.allows(e, changes, typing)) break;
        so_far.take(e, changes, typing);
        if (changes && e.kind == InputKind::Key) {
            keys_down_[std::size_t(e.code)] = e.down;
            typing_keys_[std::size_t(e.code)] = e.down && typing;
        }
        if (changes && e.kind == InputKind::MouseButton) buttons_down_[std::size_t(e.code)] = e.down;
        frame.push_back(e);
        waiting_.pop_front();
    }
    return frame;
}

}  // namespace convscope::gui
