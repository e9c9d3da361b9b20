#include "core/scene/scene_theme.hpp"

#include <cmath>
#include <cstdio>

namespace convscope {

SceneTheme SceneTheme::make(bool dark) {
    SceneTheme t;
    t.background = dark ? Color{0.08f, 0.08f, 0.1f, 1} : Color{1, 1, 1, 1};
    t.ink = dark ? Color{0.9f, 0.9f, 0.92f, 1} : Color{0.1f, 0.1f, 0.12f, 1};
    t.accent = Color{1.0f, 0.45f, 0.0f, 1};
    t.summed = dark ? Color{0.62f, 0.38f, 0.16f, 1} : Color{1.0f, 0.76f, 0.52f, 1};
    t.focus = Color{0.85f, 0.1f, 0.35f, 1};
    t.empty = dark ? Color{0.22f, 0.22f, 0.25f, 1} : Color{0.88f, 0.88f, 0.9f, 1};
    t.input_plane = Color{0.20f, 0.55f, 0.85f, 1};
    t.output_plane = Color{0.15f, 0.62f, 0.56f, 1};
    t.kernel_plane = Color{0.70f, 0.72f, 0.76f, 1};
    return t;
}

std::string number_text(double v) {
    // Whole numbers from 100 to a million; beyond, two digits and an exponent (1e308
    // written out would be 309 characters).
    const double a = std::fabs(v);
    return finite_text(a >= 100 && a < 1e6 ? "%.0f" : "%.2g", v);
}

std::string sum_term_text(double v) {
    if (!(std::fabs(v) < 1e4)) return number_text(v);
    const std::string s = finite_text("%.2f", two_decimals(v));
    return s == "-0.00" ? "0.00" : s;
}

double two_decimals(double v) { return std::fabs(v) < 1e9 ? std::round(std::round(v * 1e4) / 100) / 100 : v; }

std::string stamp_number(double v, float cell, float size) {
    v = two_decimals(v);
    std::string s = finite_text("%.2f", v);
    if (0.6f * size * float(s.size()) > cell - 2) s = finite_text("%.1f", v);
    return s == "-0.00" || s == "-0.0" ? s.substr(1) : s;
}

double shown_product(double a, double b) { return two_decimals(two_decimals(a) * two_decimals(b)); }

Color text_on(const Color& fill, const Color& ink) {
    if (fill.a < 0.6f) return ink;
    const float y = 0.2126f * fill.r + 0.7152f * fill.g + 0.0722f * fill.b;
    return y > 0.45f ? Color{0, 0, 0, 1} : Color{1, 1, 1, 1};
}

}  // namespace convscope
