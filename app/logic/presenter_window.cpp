#include "app/logic/presenter_window.hpp"

#include <algorithm>
#include <cstdio>

namespace convscope::gui {

bool wants_presenter_window(PresenterWindowMode mode, int monitors) {
    switch (mode) {
        case PresenterWindowMode::Auto: return monitors >= 2;
        case PresenterWindowMode::On: return true;
        case PresenterWindowMode::Off: return false;
    }
    return false;
}

bool presenter_window_forwards_key(int key, bool press, int mods) {
    using namespace presenter_keys;
    const bool presenter_key = key == kSpace || (key >= kDigit0 && key <= kDigit9) || key == kB || key == kP || key == kR ||
                               key == kEscape || key == kEnter || key == kRight || key == kLeft || key == kPageUp ||
                               key == kPageDown || key == kHome || key == kEnd || (key >= kKeypad0 && key <= kKeypad9) ||
                               key == kKeypadEnter;
    if (!presenter_key) return false;
    return !press || (mods & (kModControl | kModAlt | kModSuper)) == 0;
}

bool presenter_window_forwards_character(unsigned int c) {
    return (c >= '0' && c <= '9') || c == 'b' || c == 'B' || c == 'p' || c == 'P' || c == 'r' || c == 'R';
}

int presenter_window_monitor(int audience_monitor, int monitors) {
    for (int m = 0; m < monitors; ++m)
        if (m != audience_monitor) return m;
    return -1;
}

NextPage next_page(const Presenter& keys, const std::string& next_title) {
    NextPage next;
    if (keys.has_question[keys.slide] && !keys.revealed) {  // "next" reveals the answer first (presenter.cpp)
        next.exists = true;
        next.slide = keys.slide;
        next.answer = true;
        next.label = "next: the answer";
        return next;
    }
    if (keys.slide + 1 >= keys.count()) {
        next.label = "end of the deck";
        return next;
    }
    next.exists = true;
    next.slide = keys.slide + 1;
    next.label = "next: " + std::to_string(next.slide + 1) + " / " + std::to_string(keys.count()) + "  " + next_title;
    return next;
}

std::string elapsed_text(double seconds) {
    const long s = long(std::max(0.0, seconds));
    char text[32];
    if (s < 3600) std::snprintf(text, sizeof text, "%02ld:%02ld", s / 60, s % 60);
    else std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    return text;
}

std::string wall_clock_text(const std::tm& time) {
    char text[16] = "";
    std::strftime(text, sizeof text, "%H:%M:%S", &time);
    return text;
}

std::string wall_clock_now() {
    const std::time_t now = std::time(nullptr);
    const std::tm* local = std::localtime(&now);
    return local ? wall_clock_text(*local) : std::string();
}

const Scene* PresenterDesk::current_page(SlideShow& show, float width, float height) {
    const ScreenPage* shown = show.shown_page();
    if (!shown || shown->scene.width <= 0 || shown->scene.height <= 0 || width <= 0 || height <= 0) return nullptr;
    if (current_source_ != show.fitted_version() || current_width_ != width || current_height_ != height) {
        current_source_ = show.fitted_version();
        current_width_ = width, current_height_ = height;
        current_ = shown->scene;
        scale_scene(current_, std::min(width / shown->scene.width, height / shown->scene.height));
        ++current_version_;
    }
    return &current_;
}

const Scene* PresenterDesk::next_page_scene(const SlideShow& show, float width, float height) {
    const NextPage next = next_page(show.keys(), show.next_title());
    if (!next.exists || width <= 0 || height <= 0) return nullptr;
    if (!next_) next_ = std::make_unique<SlideShow>(show.deck(), show.deck_path(), next.slide);
    if (next.slide != next_slide_ || next.answer != next_answer_) {
        next_slide_ = next.slide, next_answer_ = next.answer;
        next_->keys().go_to(next.slide);
        next_->show_middle_frame();  // a frame part-way through, as the deck export's page
        if (next.answer) next_->keys().press(PresenterKey::Next);  // reveals it
    }
    const ScreenPage& page = next_->fitted_page(width, height);
    if (next_->fitted_version() != next_fitted_) {
        next_fitted_ = next_->fitted_version();
        ++next_version_;
    }
    return &page.scene;
}

}  // namespace convscope::gui
