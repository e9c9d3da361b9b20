#pragma once
/// \file slide_page.hpp
/// A slide's page: its figure (a Scene any view built) with what the slide hides taken
/// out, under its title and over its question or answer. GL-free: the deck exporter
/// and the presenter draw the same page.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/lecture/deck.hpp"
#include "core/scene/scene.hpp"

namespace convscope {

/// Moves every shape and placement of `scene` by (dx, dy).
void translate_scene(Scene& scene, float dx, float dy);

/// Takes out of `scene` what `hide` asks, for the maps of feature map `output_map` (the
/// SVG data-layer of the output: animated layer + 1) of size out_h x out_w:
/// - output: those cells drawn empty (grid only) and the numbers on them removed;
/// - shape: those maps removed altogether with everything that shows their extent: the
///   shapes over them, the cropped ring of a scatter view (and output_padding's extra
///   row), the taps stamped around them, a magnified output with its title and callout,
///   and every text that gives their size ("6x6", H_out, W_out, torch.Size).
void apply_hide(Scene& scene, const SlideHide& hide, std::int64_t output_map, std::int64_t out_h, std::int64_t out_w);

/// Takes out the counts a scatter view writes on its output cells ("x4", "2/4": how
/// many input cells land there): on a cells_read question they say how many cells the
/// asked cell reads, and by the checkerboard's period its neighbours' counts say it too.
void hide_landed_counts(Scene& scene);

/// Scales every coordinate and size of `scene` by `s` (the presenter fits a page to the screen).
void scale_scene(Scene& scene, float s);

/// Takes out every mark of the step being computed (its taps, footprint, inset and the
/// lines to its cell): a cells_read question must not show which cells a cell reads.
void hide_step_marks(Scene& scene);

/// Rings output cell `cell` on the scene's output grid, and with `cells_read` fills
/// those input cells ([row, col] of the unpadded input) on its first input map: what a
/// cells_read question asks about, and its answer.
void mark_cells_read(Scene& scene, std::array<std::int64_t, 2> cell, const std::vector<std::array<std::int64_t, 2>>* cells_read);

struct PageText {
    std::string title;
    std::vector<std::string> lines;  ///< under the figure: the question, or the answer
    std::string footer;              ///< small, at the bottom ("Dilated convolution - 3 / 12")
};

/// The smallest text a projected page has, as a fraction of the screen's height: 1/40
/// of 1080 rows is 27 px, what the back row of a lecture hall still reads. (1/38: the
/// window draws text at the nearest size its font atlas has, and 28 px is the one above.)
inline constexpr float kScreenMinTextFraction = 1.0f / 38;

/// How much larger than the scaled figure's own size a caption of a dense figure (the
/// lab's dozens of captions, the filter bank's) may grow: the figure's layout left room
/// for its own size, and more is captions over captions.
inline constexpr float kDenseFigureMaxTextGrowth = 1.4f;

/// A page laid out on a screen (the presenter), in the screen's pixels.
struct ScreenPage {
    Scene scene;                       ///< width x height, the screen's size
    std::array<float, 4> figure{};     ///< where the figure went: x, y, width, height (the box kept for it)
    std::array<float, 4> room{};       ///< the room it was given (under the title, beside or over the lines)
    float min_text = 0;                ///< the smallest text size on the page (px)
};

/// What a screen page makes room for besides its own figure and lines: the other page
/// of the same slide. A question and its answer are laid out for both (the larger
/// figure's box, the longer set of lines), so that revealing the answer fills it in on
/// the same layout: the figure at the same place and scale, the lines in the same box.
struct PageRoom {
    float figure_width = 0, figure_height = 0;  ///< the other figure's size (0: none)
    std::vector<std::string> lines;             ///< the other page's lines
    const Scene* figure = nullptr;              ///< the other figure, when there is one (not owned)
};

/// Where a slide's figure went on a screen: its scale and the shift after it. A slide
/// keeps the first it is given for every frame of its animation and for its answer (a
/// frame's words may take a little more or less room than another's; the figure must
/// not jump as it plays or on the reveal), unless a frame no longer fits it.
struct FigurePlacement {
    float scale = 0;             ///< 0: none yet
    float dx = 0, dy = 0;        ///< the shift after scaling and placing (compose_screen_page)
    float width = 0, height = 0; ///< the screen it is for
    std::array<float, 4> seen{};  ///< what the slide's frames drew so far, at `scale`, before the shift
};

/// The page on a screen of `width` x `height` pixels: the title at the projector's size
/// on top, the question or answer lines at the bottom, and the figure scaled to fill
/// what is left between them (keeping its proportions, at the top of the room, its
/// grids centred across). No text of the figure is smaller than kScreenMinTextFraction
/// of the height where growing it at most `max_text_growth` times gets there, but a
/// cell's number, which grows only as far as its cell holds it: a figure built for a
/// window has captions of 8 to 14 px that scaling alone leaves too small for the back
/// of a room, and they take the room they then need (figure_words), the figure
/// shrinking until it fits with them. The deck exporter lays its pages out with it too,
/// at 1920 x 1080.
/// `also` is the room the slide's other page needs (PageRoom): the layout is the one
/// both fit, and `figure` is the box reserved for the larger figure at the scale that
/// fills the room. `keep`, when given, is the slide's FigurePlacement: used when it is
/// for this screen and the frame fits it, widened or set when not.
ScreenPage compose_screen_page(const Scene& figure, const PageText& text, float width, float height, float max_text_growth = 1e6f,
                               const PageRoom& also = {}, FigurePlacement* keep = nullptr);

}  // namespace convscope
