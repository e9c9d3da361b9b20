#include "app/logic/slide_show.hpp"

#include <algorithm>

#include "app/export/deck_export.hpp"
#include "core/anim/presets.hpp"
#include "core/base/errors.hpp"
#include "core/lecture/figure_words.hpp"
#include "core/lecture/slide_page.hpp"

namespace convscope::gui {

using std::int64_t;

namespace {

std::vector<bool> questions_of(const Deck& deck) {
    std::vector<bool> asks;
    for (const Slide& s : deck.slides) asks.push_back(s.question.has_value());
    return asks;
}

}  // namespace

SlideShow::SlideShow(Deck deck, std::string deck_path, std::size_t first)
    : deck_(std::move(deck)), deck_path_(std::move(deck_path)), keys_(questions_of(deck_), first) {
    if (deck_.slides.empty()) throw UserError("the deck has no slides");
    load_current();
}

void SlideShow::load_current() {
    if (loaded_ == keys_.slide) return;
    loaded_ = keys_.slide;
    animation_.reset();
    answer_.reset();
    answer_lines_.clear();
    error_.clear();
    still_.reset();
    still_answered_.reset();
    lab_.reset();
    lab_shown_.reset();
    lab_clock_ = lab_time_ = 0;
    lab_end_ = lab_wanted_ = 0;
    answer_figure_.reset();
    figure_answers_ = {};
    placement_ = FigurePlacement{};
    first_ = last_ = frame_ = 0;
    clock_ = 0;
    const Slide& s = slide();
    try {
        if (s.question) {
            answer_ = slide_answer(s);
            answer_lines_ = answer_lines(*answer_);
        }
        if (exporting::slide_is_animated(s)) {
            const auto range = exporting::slide_frame_range(s);
            first_ = range[0], last_ = range[1], frame_ = first_;
            animation_ = std::make_unique<Animation>(s.session);
            figure_answers_ = exporting::slide_figure_answers(s);
            // With the output hidden, the frame where the padding crops the stamps' ring
            // (a padded transposed layer's last) shows no step and no output: the loop
            // holds on the last stamp instead of on an empty-looking figure.
            if (s.hide.output || s.hide.shape)
                while (last_ > first_ && animation_->timeline().at(last_).crop) --last_;
        } else if (s.view == SlideView::Lab) {
            // Trained live on its own thread, from step 0: the class sees the losses fall
            // and the checkerboard come (the exported page shows its end).
            lab_end_ = exporting::lab_slide_steps(s);
            lab_ = std::make_unique<LabRunner>(std::make_unique<Lab>(exporting::lab_slide_lab(s)));
        } else {
            still_ = exporting::slide_frame_figure(s, 0, false);
            if (s.question) still_answered_ = exporting::slide_frame_figure(s, 0, true);
        }
    } catch (const UserError& e) {
        error_ = "slide " + std::to_string(keys_.slide + 1) + ": " + e.what();
        animation_.reset();
    }
}

void SlideShow::advance(double seconds) {
    load_current();
    if (lab_) {
        // The training is paced by the slide's clock, not by the cores: kLabSlideStepsPerSecond
        // steps a second up to its end, where it stops and holds.
        lab_clock_ += seconds;
        lab_time_ += seconds;
        const auto wanted = std::min(lab_end_, static_cast<std::int64_t>(lab_time_ * kLabSlideStepsPerSecond));
        if (wanted > lab_wanted_) lab_->play_until(lab_wanted_ = wanted);
    }
    if (!animation_ || keys_.revealed) return;
    clock_ += seconds;
    const double per_frame = 1.0 / kSlideFramesPerSecond;
    // The last frame is held a while before the loop starts again.
    while (clock_ >= (frame_ == last_ ? kSlideHoldSeconds : per_frame)) {
        clock_ -= frame_ == last_ ? kSlideHoldSeconds : per_frame;
        frame_ = frame_ == last_ ? first_ : frame_ + 1;
    }
}

void SlideShow::step_frame() {
    load_current();
    frame_ = frame_ >= last_ ? first_ : frame_ + 1;
}

void SlideShow::show_middle_frame() {
    load_current();
    frame_ = first_ + (last_ - first_) / 2;
}

bool SlideShow::lab_due() const {
    if (!lab_) return false;
    const auto latest = lab_->snapshot();
    // The last snapshot at once when training stopped (its end, or every model diverged).
    return latest != lab_shown_ && (lab_clock_ >= kLabSlideRedrawSeconds || !lab_->playing());
}

bool SlideShow::update_source() {
    load_current();
    const bool revealed = keys_.revealed && answer_.has_value();
    if (source_slide_ == keys_.slide && source_frame_ == frame_ && source_revealed_ == revealed && !lab_due()) return false;
    source_slide_ = keys_.slide, source_frame_ = frame_, source_revealed_ = revealed;
    text_ = PageText{title_of(keys_.slide), {}, ""};
    figure_ = Scene{};
    other_page_ = PageRoom{};
    if (!error_.empty()) {
        text_.lines = {error_};
        return true;
    }
    try {
        text_ = exporting::slide_text(deck_, keys_.slide, answer_);
        text_.footer.clear();  // the presenter draws its own small counter
        if (revealed) text_.lines.insert(text_.lines.end(), answer_lines_.begin(), answer_lines_.end());
        if (animation_) {
            // The answer: the finished figure, nothing hidden (the output filled in, the cells lit).
            const int64_t shown = revealed ? animation_->frame_count() - 1 : frame_;
            figure_ = exporting::slide_animation_figure(slide(), *animation_, shown, revealed, figure_answers_);
        } else if (lab_) {
            lab_shown_ = lab_->snapshot();
            lab_clock_ = 0;
            const std::string stopped = lab_->error();
            if (!stopped.empty()) throw UserError(stopped);
            figure_ = build_lab_scene(*lab_shown_, exporting::lab_slide_options());
        } else {
            figure_ = revealed && still_answered_ ? *still_answered_ : *still_;
        }
        if (answer_) other_page_ = other_page_room(revealed);
    } catch (const UserError& e) {
        error_ = "slide " + std::to_string(keys_.slide + 1) + ": " + e.what();
        source_slide_ = SIZE_MAX;
        return update_source();
    }
    return true;
}

PageRoom SlideShow::other_page_room(bool revealed) {
    PageRoom room;
    const Scene* other = nullptr;
    if (revealed) {
        // The question's page as it was before the reveal: the frame it stopped on.
        other_figure_ = animation_ ? exporting::slide_animation_figure(slide(), *animation_, frame_, false, figure_answers_)
                        : still_     ? *still_
                                     : figure_;
        other = &other_figure_;
        room.lines.assign(text_.lines.begin(), text_.lines.end() - std::ptrdiff_t(answer_lines_.size()));
    } else {
        if (!answer_figure_)
            answer_figure_ = animation_ ? exporting::slide_animation_figure(slide(), *animation_, animation_->frame_count() - 1, true, figure_answers_)
                                        : still_answered_ ? *still_answered_
                                        : still_          ? *still_
                                                          : figure_;
        other = &*answer_figure_;
        room.lines = text_.lines;
        room.lines.insert(room.lines.end(), answer_lines_.begin(), answer_lines_.end());
    }
    room.figure_width = other->width;
    room.figure_height = other->height;
    // Its geometry, kept (fitted_page lays the words out for both figures).
    other_figure_ = figure_skeleton(*other);
    return room;
}

const Color& SlideShow::background() {
    update_source();
    return figure_.background;
}

const ScreenPage& SlideShow::fitted_page(float width, float height) {
    const bool changed = update_source();
    if (!changed && fitted_width_ == width && fitted_height_ == height && fitted_version_ > 0) return fitted_;
    fitted_width_ = width, fitted_height_ = height;
    ++fitted_version_;
    PageRoom also = other_page_;
    if (also.figure_width > 0) also.figure = &other_figure_;
    fitted_ = compose_screen_page(figure_, text_, width, height, exporting::slide_text_growth(slide()), also, &placement_);
    return fitted_;
}

std::string SlideShow::title_of(std::size_t index) const {
    if (index >= deck_.slides.size()) return "";
    const Slide& s = deck_.slides[index];
    if (!s.title.empty()) return s.title;
    if (!s.preset.empty()) try {
            return find_preset(s.preset).title;
        } catch (const UserError&) {
        }
    return "Slide " + std::to_string(index + 1);
}

std::string SlideShow::next_title() const { return title_of(keys_.slide + 1); }

}  // namespace convscope::gui
