#include "core/learn/spectrum.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <mutex>
#include <vector>

#include "core/base/errors.hpp"

namespace convscope {

using std::int64_t;

namespace {

/// FFTW's planner is not thread-safe (fftw_execute is): the lab scores outputs on a
/// worker thread while the exporter may score on another.
std::mutex& planner_mutex() {
    static std::mutex m;
    return m;
}

/// |FFT(plane - mean)|^2, row-major H x W, unshifted (bin (u, v) at u * W + v).
std::vector<double> power(const double* plane, int64_t H, int64_t W) {
    const std::size_t n = std::size_t(H * W);
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) mean += plane[i];
    mean /= double(n);
    fftw_complex* buf = fftw_alloc_complex(n);
    if (!buf) throw UserError("no memory for a " + std::to_string(H) + "x" + std::to_string(W) + " spectrum");
    for (std::size_t i = 0; i < n; ++i) {
        buf[i][0] = plane[i] - mean;
        buf[i][1] = 0;
    }
    fftw_plan plan;
    {
        std::lock_guard<std::mutex> lock(planner_mutex());
        plan = fftw_plan_dft_2d(int(H), int(W), buf, buf, FFTW_FORWARD, FFTW_ESTIMATE);
    }
    fftw_execute(plan);
    std::vector<double> p(n);
    for (std::size_t i = 0; i < n; ++i) p[i] = buf[i][0] * buf[i][0] + buf[i][1] * buf[i][1];
    {
        std::lock_guard<std::mutex> lock(planner_mutex());
        fftw_destroy_plan(plan);
    }
    fftw_free(buf);
    return p;
}

/// Circular distance between bins a and b on an axis of n bins.
int64_t circular(int64_t a, int64_t b, int64_t n) {
    const int64_t d = std::abs(a - b) % n;
    return std::min(d, n - d);
}

}  // namespace

CheckerboardScore checkerboard_score(const Tensor4& y, int64_t sh, int64_t sw, int64_t window) {
    if (sh < 1 || sw < 1) throw UserError("a checkerboard score needs a stride of at least 1, not " +
                                          std::to_string(sh) + "x" + std::to_string(sw));
    const int64_t N = int64_t(y.shape()[0]), C = int64_t(y.shape()[1]), H = int64_t(y.shape()[2]),
                  W = int64_t(y.shape()[3]);
    CheckerboardScore s;
    if (window < 0) throw UserError("a checkerboard window cannot be negative (" + std::to_string(window) + ")");
    s.window = window;
    if (H * W == 0) return s;
    // Which bins are near a stride frequency: per axis first (the window is a box).
    auto near_axis = [&](int64_t n, int64_t stride) {
        std::vector<char> near(std::size_t(n), 0), is_zero_phase(std::size_t(n), 0);
        for (int64_t u = 0; u < n; ++u)
            for (int64_t k = 0; k < stride; ++k) {
                const int64_t target = int64_t(std::llround(double(k) * double(n) / double(stride))) % n;
                if (circular(u, target, n) <= s.window) (k == 0 ? is_zero_phase : near)[std::size_t(u)] = 1;
            }
        return std::make_pair(near, is_zero_phase);
    };
    const auto [near_u, zero_u] = near_axis(H, sh);
    const auto [near_v, zero_v] = near_axis(W, sw);
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            const std::vector<double> p = power(&y(n, c, 0, 0), H, W);
            for (int64_t u = 0; u < H; ++u)
                for (int64_t v = 0; v < W; ++v) {
                    if (u == 0 && v == 0) continue;
                    const double e = p[std::size_t(u * W + v)];
                    s.total_energy += e;
                    // Near (k H/sh, l W/sw) with (k, l) != (0, 0): near a non-zero phase
                    // on one axis and near any phase (zero included) on the other.
                    const bool any_u = near_u[std::size_t(u)] || zero_u[std::size_t(u)];
                    const bool any_v = near_v[std::size_t(v)] || zero_v[std::size_t(v)];
                    if ((near_u[std::size_t(u)] && any_v) || (near_v[std::size_t(v)] && any_u)) s.artifact_energy += e;
                }
        }
    // A constant output (or one whose variation is rounding noise) has no pattern.
    s.score = s.total_energy > 1e-300 ? s.artifact_energy / s.total_energy : 0.0;
    return s;
}

xt::xtensor<double, 2> log_power_spectrum(const xt::xtensor<double, 2>& plane) {
    const int64_t H = int64_t(plane.shape()[0]), W = int64_t(plane.shape()[1]);
    xt::xtensor<double, 2> out = xt::zeros<double>({std::size_t(H), std::size_t(W)});
    if (H * W == 0) return out;
    const xt::xtensor<double, 2> contiguous = plane;
    const std::vector<double> p = power(contiguous.data(), H, W);
    for (int64_t u = 0; u < H; ++u)
        for (int64_t v = 0; v < W; ++v)
            out(std::size_t((u + H / 2) % H), std::size_t((v + W / 2) % W)) = std::log1p(p[std::size_t(u * W + v)]);
    return out;
}

}  // namespace convscope
