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
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            em += lead >= 32 && lead < 127 ? float(kAsciiAdvance[lead - 32]) / 1000 : 0.6f;
            ++i;
            continue;
        }
        const std::size_t length = (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
        const std::string c = text.substr(i, length);
        // × → ← (and the math signs of their width), Σ; else the safe guess.
        em += c == "\u00d7" || c == "\u2192" || c == "\u2190" || c == "\u2212" ? 0.838f : c == "\u03a3" ? 0.632f : 0.6f;
        i += length;
    }
    return em;
}

}  // namespace convscope
