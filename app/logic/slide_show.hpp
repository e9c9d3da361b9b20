#pragma once
/// \file slide_show.hpp
/// A deck being presented, with no window: the keys' state (presenter.hpp), the shown
/// slide's animation playing over its steps, and the page on screen (title, figure,
/// question or answer, built by the same code as `export --deck`), rebuilt only when
/// the frame, the slide or the reveal changed.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/export/deck_export.hpp"
#include "app/logic/presenter.hpp"
#include "core/anim/session.hpp"
#include "core/learn/lab.hpp"
#include "core/lecture/deck.hpp"
#include "core/lecture/questions.hpp"
#include "core/lecture/slide_page.hpp"
#include "core/scene/scene.hpp"

namespace convscope::gui {

/// Frames a second a slide plays at, and how long its last frame stays before it starts
/// again (a presenter talks over a loop).
inline constexpr double kSlideFramesPerSecond = 8.0;
inline constexpr double kSlideHoldSeconds = 2.0;
/// A lab slide's figure follows its training four times a second: each redraw builds the
/// lab's scene and uploads its pictures, which a frame at 60 Hz cannot afford every time.
inline constexpr double kLabSlideRedrawSeconds = 0.25;
/// A lab slide trains 10 steps a second, slow enough for the class to follow the curves
/// and the outputs (the lab itself does about 100 at the slide's 64x64): 100 steps take
/// 10 seconds (at 20 a second a lecturer found them over before there was time to talk).
inline constexpr double kLabSlideStepsPerSecond = 10.0;

class SlideShow {
public:
    /// `first` is 0-based (clamped). A deck with no slide is refused by the reader.
    SlideShow(Deck deck, std::string deck_path, std::size_t first = 0);

    const Deck& deck() const { return deck_; }
    const std::string& deck_path() const { return deck_path_; }
    Presenter& keys() { return keys_; }
    const Presenter& keys() const { return keys_; }
    const Slide& slide() const { return deck_.slides[keys_.slide]; }

    /// Advance the shown slide's animation by `seconds` (loading the slide first when
    /// the keys moved to another). A lab slide trains only as its clock advances (on its own
    /// thread): a slide that is never advanced, as the presenter window's preview, stays at step 0.
    void advance(double seconds);
    /// The frame shown (within the slide's steps) and its range.
    std::int64_t frame() const { return frame_; }
    std::int64_t first_frame() const { return first_; }
    std::int64_t last_frame() const { return last_; }
    /// Step one frame on (wrapping at the end of the steps); benchmarks play this way.
    void step_frame();
    /// Show the frame half-way through the slide's steps (the presenter window's preview
    /// of the next slide: its first frame is often still empty).
    void show_middle_frame();

    /// The page on a `width` x `height` screen (compose_screen_page: the figure filling
    /// it, its text at the projector's size): the title, the figure (hide applied until
    /// the answer is revealed), the question, or the answer's lines once revealed; kept
    /// while neither the screen nor the frame, slide or reveal changes. Never throws: a
    /// slide the core refuses shows its reason in words.
    const ScreenPage& fitted_page(float width, float height);
    /// The page's colour (the screen is cleared to it).
    const Color& background();
    /// The page fitted_page() built last (null before the first): what the audience sees.
    const ScreenPage* shown_page() const { return fitted_version_ > 0 ? &fitted_ : nullptr; }
    /// Changes whenever fitted_page() returns another scene (picture textures re-upload).
    std::uint64_t fitted_version() const { return fitted_version_; }
    /// The answer's lines ("" when the slide asks nothing or is refused).
    const std::vector<std::string>& answer_text() const { return answer_lines_; }
    /// A lab slide's steps trained so far as its figure shows them (-1 on other slides).
    std::int64_t lab_step() const { return lab_shown_ ? lab_shown_->step : -1; }
    /// Why the slide cannot be shown ("" when it can).
    const std::string& error() const { return error_; }

    /// The next slide's title ("" on the last), and the slide's notes: the presenter view.
    std::string next_title() const;
    std::string title_of(std::size_t index) const;

private:
    void load_current();
    /// Rebuilds the figure and texts when the frame, slide or reveal changed; whether it did.
    bool update_source();
    /// The figure's size and the lines of the page the slide shows on the other side of
    /// its reveal (the answer's before it, the question's after).
    PageRoom other_page_room(bool revealed);
    Deck deck_;
    std::string deck_path_;
    Presenter keys_;
    std::size_t loaded_ = SIZE_MAX;  ///< the slide whose animation is built
    std::unique_ptr<Animation> animation_;
    std::int64_t first_ = 0, last_ = 0, frame_ = 0;
    double clock_ = 0;  ///< seconds into the current frame (or the hold)
    std::optional<Answer> answer_;
    std::vector<std::string> answer_lines_;
    std::string error_;
    std::optional<Scene> still_, still_answered_;  ///< a still view's figure, built once a slide
    /// A lab slide's lab, training live from step 0 to its steps' end (then held), and the
    /// snapshot its figure shows; the figure follows at most kLabSlideRedrawSeconds apart.
    std::unique_ptr<LabRunner> lab_;
    std::shared_ptr<const LabSnapshot> lab_shown_;
    double lab_clock_ = 0;  ///< seconds since the lab's figure was built
    double lab_time_ = 0;   ///< seconds the slide has been shown (advance's)
    std::int64_t lab_end_ = 0, lab_wanted_ = 0;  ///< the steps it trains; those asked of the runner so far
    /// Whether the lab's figure is due to follow its training.
    bool lab_due() const;
    // What the page shows (figure and texts), for the frame, slide and reveal it was built for.
    Scene figure_;
    PageText text_;
    /// The room the slide's other page needs (its question's or its answer's figure and
    /// lines): a question and its answer share one layout, so a reveal moves nothing.
    PageRoom other_page_;
    Scene other_figure_;  ///< the geometry of the other page's figure (figure_skeleton)
    FigurePlacement placement_;  ///< where the slide's figure goes on the screen, kept while it plays and on the reveal
    /// An animated slide's hidden shape and cells_read answer, worked out once a slide.
    exporting::SlideFigureAnswers figure_answers_;
    std::optional<Scene> answer_figure_;  ///< an animated question's answer, built once a slide
    std::size_t source_slide_ = SIZE_MAX;
    std::int64_t source_frame_ = -1;
    bool source_revealed_ = false;
    ScreenPage fitted_;
    float fitted_width_ = 0, fitted_height_ = 0;
    std::uint64_t fitted_version_ = 0;
};

}  // namespace convscope::gui
