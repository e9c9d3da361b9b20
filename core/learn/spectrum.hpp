#pragma once
/// \file spectrum.hpp
/// Where checkerboard artifacts show: the 2-D spectrum of an upsampler's output and a
/// score for the energy at its stride's frequencies (Odena, Dumoulin and Olah,
/// "Deconvolution and Checkerboard Artifacts", Distill 2016). A transposed convolution
/// with stride s whose kernel size is not a multiple of s multiplies its output by a
/// pattern of period s (some output phases receive more kernel taps than others), and
/// a pattern of period s puts copies of the picture's spectrum at the frequencies
/// (k H/s, l W/s); a smooth picture keeps almost no energy there by itself.
#include <cstdint>

#include <xtensor/xtensor.hpp>

#include "core/base/tensor.hpp"

namespace convscope {

/// The parts of the score, for a tooltip or a chart.
struct CheckerboardScore {
    double score = 0;            ///< artifact_energy / total_energy, in [0, 1]
    double artifact_energy = 0;  ///< near the stride's frequencies, (0, 0) excluded
    double total_energy = 0;     ///< every frequency but (0, 0) (the mean)
    std::int64_t window = 0;     ///< bins on each side of a stride frequency counted
};

/// Checkerboard score of `y` (N x C x H x W; every plane's energies are added) for
/// stride (sh, sw): the share of the energy of the mean-free output that lies within
/// `window` bins (circular distance, per axis) of the frequencies (k H/sh, l W/sw),
/// 0 <= k < sh, 0 <= l < sw, (k, l) != (0, 0); 0 for a constant output. The default
/// window 0 counts those exact frequencies only: a nearest or bilinear resize has a
/// zero there (its 2-tap box averages a period-2 pattern away), while the copies of a
/// picture's mean that a periodic gain pattern makes land exactly there. Wider windows
/// also count the copies' spread, and the resize's leakage with it.
CheckerboardScore checkerboard_score(const Tensor4& y, std::int64_t sh, std::int64_t sw, std::int64_t window = 0);

/// log(1 + |FFT|^2) of one plane with its mean removed, the zero frequency moved to
/// the centre (row H/2, column W/2), for drawing as a heat map.
xt::xtensor<double, 2> log_power_spectrum(const xt::xtensor<double, 2>& plane);

}  // namespace convscope
