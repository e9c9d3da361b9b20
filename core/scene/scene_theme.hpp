#pragma once
/// \file scene_theme.hpp
/// The colours and number formats every scene builder shares (frame, matrix, pipeline):
/// one place that says what ink, taps, the focus cell and empty cells look like in the
/// light and dark themes. Internal to the scene builders.
#include <cmath>
#include <string>

#include "core/scene/scene.hpp"

namespace convscope {

struct SceneTheme {
    Color background;
    Color ink;          ///< text and grid lines
    Color accent;       ///< the active taps (at tap granularity: the tap being added)
    Color summed;       ///< at tap granularity, the taps of the cell already summed: a paler accent
    Color focus;        ///< the cell being computed (gather) or stamped (scatter)
    Color empty;        ///< cells with no value (padding zeros, inserted zeros, not yet computed)
    /// Schematic planes: the guide's blue input and teal output, a grey kernel.
    Color input_plane, output_plane, kernel_plane;

    static SceneTheme make(bool dark);
};

/// A closed range of values mapped onto the colour map. Values that are not numbers
/// (NaN, infinities) are left out: they are drawn not_a_number_color(), not on the scale.
struct ValueRange {
    double lo = 1e300, hi = -1e300;  ///< empty until the first add()
    void add(double v) {
        if (!std::isfinite(v)) return;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    bool empty() const { return lo > hi; }
};

/// A value as a cell label: two significant digits, whole numbers from 100 up; "NaN",
/// "inf" or "-inf" for a value that is not a number.
std::string number_text(double v);
/// A term of a sum written out ("c0 -2.71 + c1 -0.62 + c2 -4.58 = -7.91"): two decimals
/// for every term and the total alike, so that they add up by hand to the last digit's
/// rounding (two significant digits, -2.7 + -0.62 + -4.6 = -7.8, did not); from 10^4 on
/// as number_text.
std::string sum_term_text(double v);

/// v to two decimals, half away from zero as by hand; rounded to four first, the digits a
/// product of two-decimal data has (-0.70 x -0.75 = 0.525 -> 0.53, not binary's 0.52).
double two_decimals(double v);

/// A number of a mechanism figure (the up-convolution's stamp, the chain): two decimals
/// for values, weights and their products alike ("-0.70 x -0.75 -> 0.53"), one where two
/// do not fit a cell of `cell` px in `size` px type.
std::string stamp_number(double v, float cell, float size);

/// The product a figure writes next to its factors: that of the factors as written (two
/// decimals), so that it checks by hand; the seeds' data have two decimals, so it is the
/// core's product there, and within 0.01 of it past a layer whose outputs do not.
double shown_product(double a, double b);

/// Black or white, whichever reads better on `fill` (relative luminance, Rec. 709 weights).
Color text_on(const Color& fill, const Color& ink);

}  // namespace convscope
