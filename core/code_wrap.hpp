#pragma once
/// \file code_wrap.hpp
/// Course-style code narrowed to a width: a call too long for its line has its arguments
/// spread over several lines (ImGui 1.86's multi-line text field does not wrap).
#include <cstddef>
#include <string>

namespace convscope {

/// `code` with every line longer than `max_columns` characters that holds a call
/// (`name(a, b, c)` and what follows it on the line) split as black splits it: the line
/// ends after the opening bracket, the arguments follow indented 4 more spaces (on one
/// line if they fit, else one a line with a trailing comma, an argument still too long
/// split the same way), and the closing bracket with the rest of the line comes last at
/// the call's indent. Lines without a closed call and comments stay as they are. Python
/// (and parse_pytorch_code) reads the result as the same code.
std::string wrap_code_arguments(const std::string& code, std::size_t max_columns);

}  // namespace convscope
