// Course-style code narrowed to a width (see code_wrap.hpp).
#include "core/code_wrap.hpp"

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
    // Black's split: the opening bracket ends the line; the arguments follow, indented 4
    // more, on one line if they fit, else one a line with a trailing comma (each broken
    // again if still too long); the closing bracket and what follows it close the call
    // at the call's indent.
    const std::string indent = line.substr(0, first), inner = indent + "    ";
    out += line.substr(0, open + 1);
    out += '\n';
    std::string joined = inner;
    for (std::size_t i = 0; i < args.size(); ++i) joined += (i ? ", " : "") + args[i];
    if (joined.size() <= max_columns) {
        out += joined;
        out += '\n';
    } else {
        for (const std::string& a : args) wrap_line(inner + a + ",", max_columns, out);
    }
    out += indent + line.substr(close);
    out += '\n';
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
