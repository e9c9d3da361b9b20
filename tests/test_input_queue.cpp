// The input queue, without a window: every key press and click is seen down for a frame
// however fast it was released, by a UI that (like ImGui 1.86) looks at the keys' state
// once a frame; a held key is not delayed; keys and typed characters keep their order.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "app/logic/input_queue.hpp"

using convscope::gui::InputEvent;
using convscope::gui::InputKind;
using convscope::gui::InputQueue;

namespace {

// GLFW's key codes (the queue takes whatever codes the window gives it).
constexpr int kPageDown = 267, kRight = 262, kHome = 268, kEnter = 257, kA = 65, kLeftCtrl = 341, kDigit3 = 51, kX = 88;

InputEvent key(int code, bool down, bool modifier = false) { return {InputKind::Key, code, down, modifier}; }
InputEvent button(int code, bool down) { return {InputKind::MouseButton, code, down}; }
InputEvent character(char c) { return {InputKind::Character, int(c)}; }
/// A key pressed and released at once (xdotool key, a remote's button).
void tap(InputQueue& q, int code) {
    q.push(key(code, true));
    q.push(key(code, false));
}

/// What a UI looking once a frame sees: per frame, the keys (and buttons, as -1 - b)
/// that went down since the frame before, and the characters typed, in order.
struct Seen {
    std::vector<std::multiset<int>> pressed;
    std::vector<std::string> typed;
    std::vector<std::vector<InputEvent>> frames;
};

Seen play(InputQueue& q, int max_frames = 20) {
    Seen seen;
    std::set<int> down_before;
    for (int f = 0; f < max_frames && q.waiting() > 0; ++f) {
        seen.frames.push_back(q.take_frame());
        std::multiset<int> pressed;
        std::set<int> down_now;
        for (int k = 0; k < InputQueue::kKeys; ++k)
            if (q.key_down(k)) down_now.insert(k);
        for (int b = 0; b < InputQueue::kButtons; ++b)
            if (q.button_down(b)) down_now.insert(-1 - b);
        for (int k : down_now)
            if (!down_before.count(k)) pressed.insert(k);
        std::string typed;
        for (const InputEvent& e : seen.frames.back())
            if (e.kind == InputKind::Character) typed += char(e.code);
        seen.pressed.push_back(pressed);
        seen.typed.push_back(typed);
        down_before = down_now;
    }
    return seen;
}

int times_pressed(const Seen& seen, int code) {
    int n = 0;
    for (const auto& p : seen.pressed) n += int(p.count(code));
    return n;
}

}  // namespace

TEST_CASE("a key pressed and released between two frames is seen down for one frame, then up", "[input]") {
    InputQueue q;
    tap(q, kPageDown);
    CHECK(q.take_frame().size() == 1);  // the press
    CHECK(q.key_down(kPageDown));
    CHECK(q.waiting() == 1);
    const std::vector<InputEvent> second = q.take_frame();
    REQUIRE(second.size() == 1);
    CHECK_FALSE(second[0].down);
    CHECK_FALSE(q.key_down(kPageDown));
    CHECK(q.take_frame().empty());
}

TEST_CASE("two presses of a key within one frame are two presses, seen down in frames 1 and 3", "[input]") {
    InputQueue q;
    tap(q, kRight);
    tap(q, kRight);
    const Seen seen = play(q);
    REQUIRE(seen.frames.size() == 4);  // down, up, down, up: ImGui needs the key up between two presses
    CHECK(seen.pressed[0] == std::multiset<int>{kRight});
    CHECK(seen.pressed[1].empty());
    CHECK(seen.pressed[2] == std::multiset<int>{kRight});
    CHECK(times_pressed(seen, kRight) == 2);
}

TEST_CASE("a burst of taps of any number of keys is every press seen", "[input]") {
    const int taps = GENERATE(1, 3, 10);
    InputQueue q;
    for (int i = 0; i < taps; ++i) tap(q, i % 2 ? kPageDown : kRight);
    const Seen seen = play(q, 100);
    CHECK(times_pressed(seen, kPageDown) + times_pressed(seen, kRight) == taps);
    CHECK(q.waiting() == 0);
    CHECK_FALSE(q.key_down(kPageDown));
    CHECK_FALSE(q.key_down(kRight));
}

TEST_CASE("a held key and its release are not delayed", "[input]") {
    InputQueue q;
    q.push(key(kRight, true));
    CHECK(q.take_frame().size() == 1);
    CHECK(q.take_frame().empty());  // held: frames pass
    CHECK(q.key_down(kRight));
    q.push(key(kRight, false));
    q.push(key(kHome, true));  // and another key in the same frame as the release
    CHECK(q.take_frame().size() == 2);
    CHECK_FALSE(q.key_down(kRight));
    CHECK(q.key_down(kHome));
}

TEST_CASE("a click released within a frame is seen down for a frame; a double click is two", "[input]") {
    InputQueue q;
    q.push(button(0, true));
    q.push(button(0, false));
    q.push(button(0, true));
    q.push(button(0, false));
    const Seen seen = play(q);
    REQUIRE(seen.frames.size() == 4);
    CHECK(seen.pressed[0] == std::multiset<int>{-1});
    CHECK(seen.pressed[2] == std::multiset<int>{-1});
    CHECK(times_pressed(seen, -1) == 2);
    CHECK_FALSE(q.button_down(0));
}

TEST_CASE("Ctrl+A then typing: the select-all frame comes before the characters typed", "[input]") {
    InputQueue q;
    q.push(key(kLeftCtrl, true, true));
    tap(q, kA);
    q.push(key(kLeftCtrl, false, true));
    q.push(key('N', true));
    q.push(character('n'));
    q.push(key('N', false));
    q.push(key('E', true));
    q.push(character('e'));
    q.push(key('E', false));
    const Seen seen = play(q);
    REQUIRE(seen.frames.size() >= 2);
    CHECK(seen.pressed[0] == std::multiset<int>{kLeftCtrl, kA});  // Ctrl and A down together
    CHECK(seen.typed[0].empty());
    std::string typed;
    for (std::size_t f = 1; f < seen.typed.size(); ++f) {
        typed += seen.typed[f];
        if (!seen.typed[f].empty()) CHECK_FALSE(q.key_down(kLeftCtrl));
    }
    CHECK(typed == "ne");
}

TEST_CASE("typing runs at any speed: the keys that type are read as their characters, in order", "[input]") {
    InputQueue q;
    for (char c : std::string("abba")) {
        q.push(key(c - 'a' + 'A', true));
        q.push(character(c));
        q.push(key(c - 'a' + 'A', false));
    }
    const Seen seen = play(q);
    REQUIRE(seen.frames.size() == 1);
    CHECK(seen.typed[0] == "abba");
    CHECK_FALSE(q.key_down('A'));
}

TEST_CASE("a space is read as a key as well (play, next slide): two taps are two presses", "[input]") {
    constexpr int kSpace = 32;
    InputQueue q;
    for (int i = 0; i < 2; ++i) {
        q.push(key(kSpace, true));
        q.push(character(' '));
        q.push(key(kSpace, false));
    }
    const Seen seen = play(q);
    CHECK(times_pressed(seen, kSpace) == 2);
    std::string typed;
    for (const std::string& t : seen.typed) typed += t;
    CHECK(typed == "  ");
}

TEST_CASE("keys and characters are never taken in an order a frame cannot tell apart", "[input]") {
    SECTION("a digit then Enter: the digit's frame comes first") {
        InputQueue q;
        q.push(key(kDigit3, true));
        q.push(character('3'));
        q.push(key(kEnter, true));  // rolled over before 3 came up
        q.push(key(kDigit3, false));
        q.push(key(kEnter, false));
        const Seen seen = play(q);
        REQUIRE(seen.frames.size() >= 2);
        CHECK(seen.typed[0] == "3");
        CHECK(seen.pressed[0].count(kEnter) == 0);
        CHECK(times_pressed(seen, kEnter) == 1);
    }
    SECTION("Home then a letter while Home is still down: the letter waits for Home's frame to pass") {
        InputQueue q;
        q.push(key(kHome, true));
        q.push(key(kX, true));
        q.push(character('x'));
        q.push(key(kHome, false));
        q.push(key(kX, false));
        const Seen seen = play(q);
        REQUIRE(seen.frames.size() >= 2);
        CHECK(seen.typed[0].empty());
        CHECK(seen.typed[1] == "x");
        CHECK(seen.pressed[0].count(kHome) == 1);
    }
    SECTION("a click then typing: the characters come after the click's frame") {
        InputQueue q;
        q.push(button(0, true));
        q.push(key(kX, true));
        q.push(character('x'));
        const Seen seen = play(q);
        REQUIRE(seen.frames.size() == 2);
        CHECK(seen.frames[0].size() == 1);
        CHECK(seen.typed[1] == "x");
    }
}

TEST_CASE("keys the queue does not follow pass through in order, and a stray release hides nothing", "[input]") {
    InputQueue q;
    q.push(key(-1, true));  // GLFW_KEY_UNKNOWN
    q.push(key(-1, false));
    q.push(key(kRight, false));  // its press was lost (focus changed)
    q.push(key(kRight, true));
    const std::vector<InputEvent> frame = q.take_frame();
    CHECK(frame.size() == 4);
    CHECK(q.key_down(kRight));
    CHECK_FALSE(q.key_down(-1));
}
