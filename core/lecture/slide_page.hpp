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
/// - shape: those maps removed altogether with the shapes over them, and every text
///   that gives their size ("6x6", H_out, W_out, torch.Size).
void apply_hide(Scene& scene, const SlideHide& hide, std::int64_t output_map, std::int64_t out_h, std::int64_t out_w);

struct PageText {
    std::string title;
    std::vector<std::string> lines;  ///< under the figure: the question, or the answer
    std::string footer;              ///< small, at the bottom ("Dilated convolution - 3 / 12")
};

/// The page: the title on top, the figure, the lines, the footer; at least 960 x 540
/// (16:9) so that every page of a deck is the size of a slide or larger.
Scene compose_page(const Scene& figure, const PageText& text);

}  // namespace convscope
