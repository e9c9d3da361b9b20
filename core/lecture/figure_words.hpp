#pragma once
/// \file figure_words.hpp
/// A figure built for a window, its words grown to a projector's size. A figure lays
/// its captions and key out for 11 to 14 px type; scaled to a screen and grown to the
/// back row's size (1/38 of the screen's height), the key's entries on one row and the
/// caption under a grid run into each other. Growing them makes the room they need:
/// a key's entries flow again at their new size (wrapping where the room ends), a
/// caption wider than the gap to its right neighbour breaks into lines at its spaces,
/// and where a text now reaches into what lies under it, everything under it moves
/// down (a horizontal cut through the figure that crosses no grid, so no map tears).
#include <array>

#include "core/scene/scene.hpp"

namespace convscope {

/// How a placed figure's words grow (all in the screen's pixels).
struct WordGrowth {
    float floor = 0;       ///< the size every smaller text grows to
    float max_growth = 1;  ///< ... but no text grows more than this many times
    float left = 0, right = 0;  ///< the room's edges: a key wraps at `right`, a caption past it moves left
};

/// Grows the words of `figure` (scaled and placed) and makes room for them, as the file
/// says; what all that moves is the same for the slide's other page (`other`, placed
/// alike: the answer of a question, or its question), whose words make room in this
/// one too, so that a reveal moves nothing. Returns how many pairs of the page's texts
/// still overlap (none moved would part them).
int grow_figure_words(Scene& figure, const WordGrowth& growth, const Scene* other = nullptr);

/// The box everything of `figure` covers: left, top, right, bottom. Texts count for
/// its height only when `text_width` is false (a caption past the room's right edge is
/// moved left, so it does not widen the figure).
std::array<float, 4> figure_extent(const Scene& figure, bool text_width);

/// Moves a caption that starts left of `left` right, or one that reaches past `right`
/// left (not past `left`).
void keep_words_in(SceneText& text, float left, float right);

/// `figure` without its maps' cell values: its geometry, for trying layouts cheaply.
Scene figure_skeleton(const Scene& figure);

/// The box a text covers, as the slide page estimates it: 0.55 em a character or its
/// DejaVu Sans advance, whichever is wider, and as tall as its size.
std::array<float, 4> text_box(const SceneText& t);

/// The side of the cell a centred text stands in (a cell's number, a landed count; a
/// map's cell or one drawn alone, as the cropped ring's), or 0.
float cell_under(const Scene& scene, const SceneText& text);

}  // namespace convscope
