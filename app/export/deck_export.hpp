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
#include "core/lecture/deck.hpp"
#include "core/lecture/questions.hpp"

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
/// The figure of frame `frame` of the slide's animation (clamped), hide applied.
Scene slide_frame_figure(const Slide& slide, std::int64_t frame);
/// The frames of the slide's animation (its steps "A:B", or all): first and last.
std::array<std::int64_t, 2> slide_frame_range(const Slide& slide);

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
