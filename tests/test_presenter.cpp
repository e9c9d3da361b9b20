// The presenter's keys, without a window: next reveals a question's answer before it
// moves on, back undoes, Home/End, a typed number and Enter jump, B blanks, Escape leaves.
#include <catch2/catch.hpp>

#include "app/logic/presenter.hpp"

using convscope::gui::Presenter;
using convscope::gui::PresenterKey;

TEST_CASE("next reveals a question's answer before moving to the next slide", "[presenter]") {
    Presenter p({false, true, false});
    p.press(PresenterKey::Next);
    CHECK(p.slide == 1);
    CHECK_FALSE(p.revealed);
    p.press(PresenterKey::Next);
    CHECK(p.slide == 1);
    CHECK(p.revealed);
    p.press(PresenterKey::Next);
    CHECK(p.slide == 2);
    CHECK_FALSE(p.revealed);
    p.press(PresenterKey::Next);  // the last slide stays
    CHECK(p.slide == 2);
    p.press(PresenterKey::Back);
    CHECK(p.slide == 1);
    CHECK_FALSE(p.revealed);
    p.press(PresenterKey::Next);
    p.press(PresenterKey::Back);  // back hides the answer first
    CHECK(p.slide == 1);
    CHECK_FALSE(p.revealed);
}

TEST_CASE("Home, End, a typed slide number and Enter jump; B blanks; Escape leaves", "[presenter]") {
    Presenter p(std::vector<bool>(12, false), 4);
    CHECK(p.slide == 4);
    p.press(PresenterKey::Last);
    CHECK(p.slide == 11);
    p.press(PresenterKey::First);
    CHECK(p.slide == 0);
    p.press(PresenterKey::Digit, 1);
    p.press(PresenterKey::Digit, 0);
    CHECK(p.status() == "1 / 12   go to 10");
    p.press(PresenterKey::Enter);
    CHECK(p.slide == 9);
    p.press(PresenterKey::Digit, 9);
    p.press(PresenterKey::Digit, 9);
    p.press(PresenterKey::Enter);
    CHECK(p.slide == 11);  // past the end: the last slide
    p.press(PresenterKey::Digit, 0);
    p.press(PresenterKey::Enter);
    CHECK(p.slide == 0);   // slide 0 does not exist: the first
    p.press(PresenterKey::Blank);
    CHECK(p.blank);
    p.press(PresenterKey::Blank);
    CHECK_FALSE(p.blank);
    p.press(PresenterKey::Blank);
    p.press(PresenterKey::Next);
    CHECK_FALSE(p.blank);
    CHECK(p.slide == 1);
    CHECK_FALSE(p.leave);
    p.press(PresenterKey::Leave);
    CHECK(p.leave);
    CHECK(Presenter({}, 3).count() == 1);
}
