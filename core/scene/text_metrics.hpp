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

/// The code points of UTF-8 `text`; a malformed or truncated sequence reads as U+FFFD.
std::vector<char32_t> utf8_code_points(const std::string& text);

}  // namespace convscope
