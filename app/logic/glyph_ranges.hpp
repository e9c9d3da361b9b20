#pragma once
/// \file glyph_ranges.hpp
/// The code points the app's fonts rasterize, in one place without ImGui: every
/// character a scene, a deck page, a panel label or a tooltip can write. A code point
/// left out is drawn as "?" (the font atlas holds only what it was built with), so a
/// test walks every preset's and every shipped slide's texts against this list.
#include <cstdint>
#include <string>
#include <vector>

namespace convscope::gui {

/// Pairs of first and last code point (inclusive), ended by a 0, as ImGui's
/// AddFontFromFileTTF takes them (ImWchar is 16 bits in Debian's Dear ImGui 1.86):
/// ASCII and Latin-1 (x, middle dot, superscripts two and three), the Greek letters,
/// dashes, quotes, bullet, ellipsis and primes, superscripts and subscripts, arrows, the
/// common mathematical operators, box drawing lines and a few geometric shapes. DejaVu
/// Sans and DejaVu Sans Mono have a glyph for each.
const std::uint16_t* font_glyph_ranges();

/// Whether code point `c` lies in font_glyph_ranges().
bool has_font_glyph(char32_t c);

}  // namespace convscope::gui
