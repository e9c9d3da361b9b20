#pragma once
/// \file code_wrap.hpp
/// Course-style code narrowed to a width: a call too long for its line has its arguments
/// spread over several lines (ImGui 1.86's multi-line text field does not wrap).
#include <cstddef>
#include <string>

namespace convscope {

/// `code` with every line longer than `max_columns` characters that holds a call
/// (`name(a, b, c)` and what follows it on the line) split as PEP 8 continues lines: as
/// many arguments a line as fit, the next lines aligned with the first argument (or, when
/// the bracket leaves under 24 columns, hanging 4 spaces deeper than the call), the
/// closing bracket and the rest of the line after the last argument; an argument still
/// too long is split the same way. Lines without a closed call and comments stay as they
/// are. Python (and parse_pytorch_code) reads the result as the same code.
std::string wrap_code_arguments(const std::string& code, std::size_t max_columns);

}  // namespace convscope
