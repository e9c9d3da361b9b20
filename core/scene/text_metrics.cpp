#include "core/scene/text_metrics.hpp"

#include <array>

namespace convscope {

namespace {

/// DejaVu Sans (Book) advances of ' ' (32) to '~' (126), in thousandths of an em.
constexpr std::array<short, 95> kAsciiAdvance = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,  //  !"#$%&'()*+,-./
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,  // 0-9 :;<=>?
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, // @A-O
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,  // P-Z [\]^_
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,  // `a-o
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,       // p-z {|}~
};

}  // namespace

float dejavu_advance_em(const std::string& text) {
    float em = 0;
    for_each_code_point(text, [&](char32_t c) {
        if (c < 0x80) em += c >= 32 && c < 127 ? float(kAsciiAdvance[c - 32]) / 1000 : 0.6f;
        // × → ← (and the math signs of their width), Σ; else the safe guess.
        else em += c == U'\u00d7' || c == U'\u2192' || c == U'\u2190' || c == U'\u2212' ? 0.838f : c == U'\u03a3' ? 0.632f : 0.6f;
    });
    return em;
}

std::vector<char32_t> utf8_code_points(const std::string& text) {
    std::vector<char32_t> out;
    for_each_code_point(text, [&](char32_t c) { out.push_back(c); });
    return out;
}

std::size_t code_point_count(const std::string& text) {
    std::size_t n = 0;
    for_each_code_point(text, [&](char32_t) { ++n; });
    return n;
}

}  // namespace convscope
