#include "app/logic/presenter.hpp"

#include <algorithm>

namespace convscope::gui {

Presenter::Presenter(std::vector<bool> questions, std::size_t first) : has_question(std::move(questions)) {
    if (has_question.empty()) has_question.push_back(false);  // a deck has a slide; never index an empty one
    slide = std::min(first, count() - 1);
}

void Presenter::press(PresenterKey key, int digit) {
    // Any key but B brings the picture back, as a projector's remote does.
    if (key != PresenterKey::Blank) blank = false;
    if (key != PresenterKey::Digit && key != PresenterKey::Enter) typed.clear();
    switch (key) {
        case PresenterKey::Next:
            if (has_question[slide] && !revealed) revealed = true;
            else if (slide + 1 < count()) {
                ++slide;
                revealed = false;
            }
            break;
        case PresenterKey::Back:
            if (revealed) revealed = false;
            else if (slide > 0) --slide;
            break;
        case PresenterKey::First:
            slide = 0;
            revealed = false;
            break;
        case PresenterKey::Last:
            slide = count() - 1;
            revealed = false;
            break;
        case PresenterKey::Digit:
            if (digit >= 0 && digit <= 9 && typed.size() < 4) typed += char('0' + digit);
            break;
        case PresenterKey::Enter:
            if (!typed.empty()) {
                const std::size_t n = std::stoul(typed);
                slide = std::clamp<std::size_t>(n, 1, count()) - 1;
                revealed = false;
            }
            typed.clear();
            break;
        case PresenterKey::Blank: blank = !blank; break;
        case PresenterKey::Leave: leave = true; break;
    }
}

void Presenter::go_to(std::size_t index) {
    slide = std::min(index, count() - 1);
    revealed = false;
    typed.clear();
}

std::string Presenter::status() const {
    std::string s = std::to_string(slide + 1) + " / " + std::to_string(count());
    if (!typed.empty()) s += "   go to " + typed;
    return s;
}

}  // namespace convscope::gui
