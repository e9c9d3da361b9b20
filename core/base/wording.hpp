#pragma once
/// \file wording.hpp
/// Counts in words: "1 input cell", "4 input cells".
#include <cstdint>
#include <string>

namespace convscope {

/// `n` and the noun, plural unless n is 1: counted(1, "input cell") is "1 input cell".
/// Only for nouns whose plural adds an s (cell, tap, layer, value).
inline std::string counted(std::int64_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

}  // namespace convscope
