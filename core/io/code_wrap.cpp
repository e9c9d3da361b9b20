// Course-style code narrowed to a width (see code_wrap.hpp).
#include "core/io/code_wrap.hpp"

#include <algorithm>
#include <vector>

namespace convscope {

namespace {

/// Where the bracket opened at `open` closes on `line`, skipping quoted strings; npos if not on this line.
std::size_t matching_bracket(const std::string& line, std::size_t open) {
    int depth = 0;
    char quote = 0;
    for (std::size_t i = open; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[') {
            ++depth;
        } else if (c == ')' || c == ']') {
            if (--depth == 0) return i;
        }
    }
    return std::string::npos;
}

/// The top-level arguments between the brackets, trimmed.
std::vector<std::string> split_arguments(const std::string& inside) {
    std::vector<std::string> args;
    std::string current;
    int depth = 0;
    char quote = 0;
    auto flush = [&] {
        const std::size_t b = current.find_first_not_of(' '), e = current.find_last_not_of(' ');
        if (b != std::string::npos) args.push_back(current.substr(b, e - b + 1));
        current.clear();
    };
    for (const char c : inside) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[') {
            ++depth;
        } else if (c == ')' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 0) {
            flush();
            continue;
        }
        current += c;
    }
    flush();
    return args;
}

void wrap_line(const std::string& line, std::size_t max_columns, std::string& out) {
    const std::size_t first = line.find_first_not_of(' '), open = line.find('(');
    const bool comment = first != std::string::npos && line[first] == '#';
    const std::size_t close = open == std::string::npos || comment ? std::string::npos : matching_bracket(line, open);
    const std::vector<std::string> args =
        close == std::string::npos ? std::vector<std::string>{} : split_arguments(line.substr(open + 1, close - open - 1));
    if (line.size() <= max_columns || args.empty()) {
        out += line;
        out += '\n';
        return;
    }
    // PEP 8's continuation lines: as many arguments a line as fit, the next lines lined
    // up under the first argument, the closing bracket after the last one. Two lines for
    // the course's Conv2d where one argument a line took seven. When the bracket is too
    // far right to leave room, the arguments hang instead, on lines 4 deeper than the
    // call. An argument too long for a line alone is split again, the same way.
    constexpr std::size_t kMinArgumentColumns = 24;
    const std::string indent = line.substr(0, first), tail = line.substr(close);  // ")" and what follows it
    const bool hanging = open + 1 + kMinArgumentColumns > max_columns;
    const std::string pad = hanging ? indent + "    " : std::string(open + 1, ' ');
    std::string current = hanging ? pad : line.substr(0, open + 1);
    if (hanging) out += line.substr(0, open + 1) + '\n';
    bool line_has_argument = false;
    auto emit = [&](const std::string& text) {
        // Still too long: split it again (unless it is this very line, a single argument that cannot be split).
        if (text.size() > max_columns && text != line) wrap_line(text, max_columns, out);
        else out += text + '\n';
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string piece = args[i] + (i + 1 < args.size() ? "," : tail);
        if (!line_has_argument) {
            current += piece;
        } else if (current.size() + 1 + piece.size() <= max_columns) {
            current += " " + piece;
        } else {
            emit(current);
            current = pad + piece;
        }
        line_has_argument = true;
    }
    emit(current);
}

}  // namespace

std::string wrap_code_arguments(const std::string& code, std::size_t max_columns) {
    std::string out;
    std::size_t start = 0;
    while (start <= code.size()) {
        const std::size_t end = std::min(code.find('\n', start), code.size());
        wrap_line(code.substr(start, end - start), max_columns, out);
        start = end + 1;
    }
    out.pop_back();  // the input's last line has no newline after it
    return out;
}

}  // namespace convscope
