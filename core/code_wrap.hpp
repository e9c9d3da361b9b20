#pragma once
/// \file code_wrap.hpp
/// Course-style code narrowed to a width: a call too long for its line has its arguments
/// spread over several lines (ImGui 1.86's multi-line text field does not wrap).
#include <cstddef>
#include <string>

namespace convscope {

/// `code` with every line longer than `max_columns` characters that holds a call
/// (`name(a, b, c)` and what follows it on the line) broken between its top-level
/// arguments, as many to a line as fit, continuation lines indented 4 more spaces; an
/// argument still too long is broken the same way. Lines without a closed call and
/// comments stay as they are. Python reads the result as the same code (a newline inside
/// brackets is whitespace).
std::string wrap_code_arguments(const std::string& code, std::size_t max_columns);

}  // namespace convscope
