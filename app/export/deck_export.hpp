#pragma once
/// \file deck_export.hpp
/// `convscope export --deck DECK.json`: the whole deck as one PDF (a vector page per
/// slide, each question's answer on the page after it), or a folder of one file per
/// slide (slide_01.png / .svg / .gif / .mp4). Every page is built in memory before
/// anything is written, so a deck refused anywhere writes nothing; files go to a
/// temporary name (a folder to a temporary folder) and are renamed when whole.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/export/exporter.hpp"
#include "core/learn/lab.hpp"
#include "core/lecture/deck.hpp"
#include "core/lecture/questions.hpp"
#include "core/lecture/slide_page.hpp"
#include "core/scene/scene_lab.hpp"

namespace convscope::exporting {

/// One slide drawn: its page (title, figure with what it hides taken out, question)
/// and, when it asks one, the answer's page (the finished figure, nothing hidden).
struct SlidePages {
    Scene page;
    std::optional<Scene> answer_page;
    std::optional<Answer> answer;
};

/// The figure of a slide alone (no title, no text), at its representative frame
/// (`finished`: the last frame, nothing hidden). UserError for a slide the core refuses.
Scene slide_figure(const Slide& slide, bool finished);
/// The figure of frame `frame` of the slide's animation (clamped): before its question is
/// `answered`, what the slide hides taken out (and a cells_read question's taps); once
/// answered, nothing hidden and the answer drawn where the figure can show it.
Scene slide_frame_figure(const Slide& slide, std::int64_t frame, bool answered = false);
/// The same for an animated slide, with its session's Animation built once by the caller
/// (the presenter plays a slide frame by frame).
Scene slide_animation_figure(const Slide& slide, const Animation& animation, std::int64_t frame, bool answered);
/// What slide_animation_figure works out from the slide alone, whatever the frame: the
/// shape of the output it hides and a cells_read question's answer (each empty when the
/// slide needs none), so that a caller playing the slide works them out once.
struct SlideFigureAnswers {
    std::optional<Answer> hidden_shape;
    std::optional<Answer> cells_read;
};
SlideFigureAnswers slide_figure_answers(const Slide& slide);
/// The same, with the slide's answers worked out once by the caller.
Scene slide_animation_figure(const Slide& slide, const Animation& animation, std::int64_t frame, bool answered,
                             const SlideFigureAnswers& answers);
/// A lab slide's lab: the slide's own settings (captured from the app: a model typed in,
/// another optimizer), else its preset's; always at the slide's size (64) and on its
/// picture (in the deck's folder). The presenter trains it live, the export to its end.
LabSettings lab_slide_lab(const Slide& slide);
/// The steps a lab slide trains: its steps' end, else 100 (UserError past kMaxLabSlideSteps).
std::int64_t lab_slide_steps(const Slide& slide);
/// How a lab slide draws its lab: the projector's layout, 3 px a picture pixel.
LabSceneOptions lab_slide_options();

/// How much a slide's figure's words may grow on a page (compose_screen_page): to the back
/// row's size, except in the dense views (the lab, the filter bank, the stack's maps, the
/// photo's dilations), whose captions would run into each other at that size.
float slide_text_growth(const Slide& slide);
/// The page size of `export --deck`: a 1920x1080 projector's, the presenter's own layout
/// (every page alike, 16:9: a handout prints at one scale, a PNG pastes into any slides).
inline constexpr float kDeckPageWidth = 1920, kDeckPageHeight = 1080;

/// Whether the slide's view plays an animation (not the lab, the dilation context or a
/// receptive field, which are stills).
bool slide_is_animated(const Slide& slide);
/// The frames of the slide's animation (its steps "A:B", or all): first and last.
std::array<std::int64_t, 2> slide_frame_range(const Slide& slide);

/// The words of slide `index`'s page: its title (the preset's when it has none), its
/// question (when `answer` is given), the footer "Deck - 3 / 12".
PageText slide_text(const Deck& deck, std::size_t index, const std::optional<Answer>& answer);

/// Slide `index` (0-based) of the deck as pages; errors name the slide ("slide 3: ...").
SlidePages slide_pages(const Deck& deck, std::size_t index);

struct DeckExportRequest {
    Format format = Format::Pdf;
    std::string out;  ///< the PDF file, or the folder of per-slide files
    double scale = 1;
    double fps = 8;
};

/// Writes the deck. ExportResult.frames is the number of pages (pdf) or files written.
ExportResult run_deck_export(const Deck& deck, const DeckExportRequest& request);

}  // namespace convscope::exporting
