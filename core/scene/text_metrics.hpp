#pragma once
/// \file text_metrics.hpp
/// How wide a line of DejaVu Sans is, the typeface every exporter and the window draw
/// scene text in: a figure trimmed to its content needs its words' real width (0.6 em a
/// character, the safe guess, left a sixth of a long title's width blank at its right).
#include <string>
#include <vector>

namespace convscope {

/// The advance of `text` set in DejaVu Sans at 1 px (multiply by the size): its ASCII
/// characters' own advances (measured with cairo at 1000 px), the arrows and × at 0.838
/// em, Σ at 0.632, any other character at 0.6 em (UTF-8 continuation bytes are not
/// characters).
float dejavu_advance_em(const std::string& text);

/// Calls `visit(c)` for each code point of UTF-8 `text`, a malformed or truncated sequence
/// read as U+FFFD; allocates nothing (the presenter measures every text of a page many
/// times a frame).
template <class Visit>
void for_each_code_point(const std::string& text, Visit&& visit) {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const int extra = lead < 0x80 ? 0 : (lead >> 5) == 0x6 ? 1 : (lead >> 4) == 0xE ? 2 : (lead >> 3) == 0x1E ? 3 : -1;
        char32_t c = extra == 0 ? lead : extra == 1 ? (lead & 0x1F) : extra == 2 ? (lead & 0x0F) : (lead & 0x07);
        bool ok = extra >= 0 && i + std::size_t(extra) < text.size();
        for (int k = 1; ok && k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + std::size_t(k)]);
            ok = (next & 0xC0) == 0x80;
            c = (c << 6) | (next & 0x3F);
        }
        visit(ok ? c : char32_t(0xFFFD));
        i += ok ? std::size_t(extra) + 1 : 1;
    }
}

/// The code points of UTF-8 `text` (for_each_code_point's).
std::vector<char32_t> utf8_code_points(const std::string& text);
/// How many code points `text` has (for_each_code_point's).
std::size_t code_point_count(const std::string& text);

}  // namespace convscope
