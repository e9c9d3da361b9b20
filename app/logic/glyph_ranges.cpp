#include "app/logic/glyph_ranges.hpp"

namespace convscope::gui {

namespace {

// Whole blocks would make the atlas four times larger (every glyph is rasterized at
// each of the 29 sizes): the characters a text on convolutions uses, block by block.
constexpr std::uint16_t kFontGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin and Latin-1: × · ² ³ ° ± µ ½
    0x0391, 0x03A9,  // Greek capitals: Σ Δ Φ Ω ...
    0x03B1, 0x03C9,  // Greek small letters: α β γ δ λ μ π σ ...
    0x2013, 0x2014,  // – —
    0x2018, 0x201D,  // ‘ ’ ‚ ‛ “ ”
    0x2022, 0x2022,  // •
    0x2026, 0x2026,  // …
    0x2032, 0x2033,  // ′ ″
    0x2070, 0x208E,  // superscripts and subscripts: ⁰ ⁱ ⁴ ... ⁹ ⁺ ⁻ ⁼ ⁽ ⁾ ⁿ ₀ ... ₉ ₊ ₋ ₌ ₍ ₎
    0x2190, 0x2199,  // ← ↑ → ↓ ↔ ↕ ↖ ↗ ↘ ↙
    0x21A6, 0x21A6,  // ↦
    0x21D0, 0x21D5,  // ⇐ ⇑ ⇒ ⇓ ⇔ ⇕
    0x2202, 0x2202,  // ∂
    0x2206, 0x2209,  // ∆ ∇ ∈ ∉
    0x2211, 0x2213,  // ∑ − ∓
    0x2215, 0x221A,  // ∕ ∖ ∗ ∘ ∙ √
    0x221D, 0x221E,  // ∝ ∞
    0x2227, 0x222B,  // ∧ ∨ ∩ ∪ ∫
    0x2248, 0x2248,  // ≈
    0x2260, 0x2261,  // ≠ ≡
    0x2264, 0x2265,  // ≤ ≥
    0x226A, 0x226B,  // ≪ ≫
    0x2282, 0x2287,  // ⊂ ⊃ ⊄ ⊅ ⊆ ⊇
    0x2295, 0x2295,  // ⊕
    0x2297, 0x2297,  // ⊗
    0x2299, 0x2299,  // ⊙
    0x22C5, 0x22C5,  // ⋅
    0x22EF, 0x22EF,  // ⋯
    0x2500, 0x2500,  // box drawing: ─
    0x2502, 0x2502,  // │
    0x250C, 0x250C,  // ┌
    0x2510, 0x2510,  // ┐
    0x2514, 0x2514,  // └
    0x2518, 0x2518,  // ┘
    0x251C, 0x251C,  // ├
    0x2524, 0x2524,  // ┤
    0x252C, 0x252C,  // ┬
    0x2534, 0x2534,  // ┴
    0x253C, 0x253C,  // ┼
    0x25A0, 0x25A1,  // geometric shapes: ■ □
    0x25AA, 0x25AB,  // ▪ ▫
    0x25B2, 0x25B2,  // ▲
    0x25B6, 0x25B6,  // ▶
    0x25BC, 0x25BC,  // ▼
    0x25C0, 0x25C0,  // ◀
    0x25CB, 0x25CB,  // ○
    0x25CF, 0x25CF,  // ●
    0,
};

}  // namespace

const std::uint16_t* font_glyph_ranges() { return kFontGlyphRanges; }

bool has_font_glyph(char32_t c) {
    for (const std::uint16_t* r = kFontGlyphRanges; r[0] != 0; r += 2)
        if (c >= r[0] && c <= r[1]) return true;
    return false;
}

}  // namespace convscope::gui
