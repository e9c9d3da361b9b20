#include "core/nn/resample.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/errors.hpp"

namespace convscope {

using std::int64_t;

namespace {

/// ATen's compute_scales_value: 1/scale_factor when given, else in/out.
double source_scale(const Layer& L, int axis, int64_t in, int64_t out) {
    if (L.scale_factor && !L.recompute_scale_factor) return 1.0 / (*L.scale_factor)[std::size_t(axis)];
    return double(in) / double(out);
}

LayerGeometry resolve(const Tensor4& x, const Layer& L) {
    const auto s = shape_of(x);
    return resolve_layer(L, s[0], s[1], s[2], s[3]);
}

void require_kind(const Layer& L, LayerKind a, LayerKind b, const char* fn) {
    if (L.kind != a && L.kind != b) throw UserError(std::string(fn) + " was given a " + class_name(L.kind) + " layer");
}

}  // namespace

std::vector<AxisSource> upsample_axis_sources(const Layer& L, int axis, int64_t in, int64_t out) {
    std::vector<AxisSource> src(static_cast<std::size_t>(out));
    const bool bilinear = L.upsample_mode == UpsampleMode::Bilinear;
    const bool align = bilinear && L.align_corners.value_or(false);
    // area_pixel_compute_scale
    const double scale = align ? (out > 1 ? double(in - 1) / double(out - 1) : 0.0) : source_scale(L, axis, in, out);
    for (int64_t o = 0; o < out; ++o) {
        AxisSource& s = src[std::size_t(o)];
        if (!bilinear) {
            // HelperInterpNearest: floorf of the double scale*dst (ATen passes it through float).
            const auto i = int64_t(std::floor(float(scale * double(o))));
            s.index0 = s.index1 = std::min(i, in - 1);
            continue;
        }
        if (out == in) {
            s.index0 = s.index1 = o;
            continue;
        }
        const double real = align ? scale * double(o) : std::max(scale * (double(o) + 0.5) - 0.5, 0.0);
        s.index0 = int64_t(real);
        s.index1 = s.index0 + (s.index0 < in - 1 ? 1 : 0);
        s.weight1 = std::min(std::max(real - double(s.index0), 0.0), 1.0);
        s.weight0 = 1.0 - s.weight1;
    }
    return src;
}

Tensor4 upsample(const Tensor4& x, const Layer& L) {
    require_kind(L, LayerKind::Upsample, LayerKind::Upsample, "upsample");
    const LayerGeometry geo = resolve(x, L);
    const int64_t N = geo.batch, C = geo.in_channels, H = geo.h().in, W = geo.w().in;
    const int64_t Ho = geo.h().out, Wo = geo.w().out;
    Tensor4 y = make_tensor(N, C, Ho, Wo, "the output");
    const auto rows = upsample_axis_sources(L, 0, H, Ho);
    const auto cols = upsample_axis_sources(L, 1, W, Wo);
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            const double* xc = &x(n, c, 0, 0);
            double* yc = &y(n, c, 0, 0);
            for (int64_t oy = 0; oy < Ho; ++oy) {
                const AxisSource& r = rows[std::size_t(oy)];
                const double* x0 = xc + r.index0 * W;
                const double* x1 = xc + r.index1 * W;
                for (int64_t ox = 0; ox < Wo; ++ox) {
                    const AxisSource& k = cols[std::size_t(ox)];
                    // ATen's separable order: (x[h0,w0]*lw0 + x[h0,w1]*lw1)*lh0 + (same for h1)*lh1.
                    const double t0 = x0[k.index0] * k.weight0 + x0[k.index1] * k.weight1;
                    const double t1 = x1[k.index0] * k.weight0 + x1[k.index1] * k.weight1;
                    yc[oy * Wo + ox] = t0 * r.weight0 + t1 * r.weight1;
                }
            }
        }
    return y;
}

Tensor4 upsample_input_gradient(const Tensor4& x, const Layer& L, const Tensor4& grad_output) {
    require_kind(L, LayerKind::Upsample, LayerKind::Upsample, "upsample_input_gradient");
    const LayerGeometry geo = resolve(x, L);
    const int64_t N = geo.batch, C = geo.in_channels, H = geo.h().in, W = geo.w().in;
    const int64_t Ho = geo.h().out, Wo = geo.w().out;
    Tensor4 gx = make_tensor(N, C, H, W, "the input gradient");
    gx.fill(0.0);
    const auto rows = upsample_axis_sources(L, 0, H, Ho);
    const auto cols = upsample_axis_sources(L, 1, W, Wo);
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            const double* gc = &grad_output(n, c, 0, 0);
            double* gxc = &gx(n, c, 0, 0);
            for (int64_t oy = 0; oy < Ho; ++oy) {
                const AxisSource& r = rows[std::size_t(oy)];
                for (int64_t ox = 0; ox < Wo; ++ox) {
                    const AxisSource& k = cols[std::size_t(ox)];
                    const double g = gc[oy * Wo + ox];
                    // The transpose of the forward weights (nearest: weight 1 on index0).
                    gxc[r.index0 * W + k.index0] += r.weight0 * k.weight0 * g;
                    gxc[r.index0 * W + k.index1] += r.weight0 * k.weight1 * g;
                    gxc[r.index1 * W + k.index0] += r.weight1 * k.weight0 * g;
                    gxc[r.index1 * W + k.index1] += r.weight1 * k.weight1 * g;
                }
            }
        }
    return gx;
}

namespace {

/// Move values between channels and space: to_space (shuffle) reads channel
/// c*r^2 + i*r + j at (h, w) into (h*r + i, w*r + j) of channel c; otherwise the inverse.
Tensor4 shuffle_values(const Tensor4& src, int64_t r, bool to_space) {
    const auto s = shape_of(src);
    const int64_t N = s[0];
    // The channel-major ("small") side: C*r^2 channels of h x w cells.
    const int64_t Cs = to_space ? s[1] / (r * r) : s[1];
    const int64_t h = to_space ? s[2] : s[2] / r, w = to_space ? s[3] : s[3] / r;
    Tensor4 out = to_space ? make_tensor(N, Cs, h * r, w * r, "the output") : make_tensor(N, Cs * r * r, h, w, "the output");
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < Cs; ++c)
            for (int64_t i = 0; i < r; ++i)
                for (int64_t j = 0; j < r; ++j) {
                    const int64_t cc = c * r * r + i * r + j;
                    for (int64_t y = 0; y < h; ++y)
                        for (int64_t x = 0; x < w; ++x) {
                            if (to_space)
                                out(n, c, y * r + i, x * r + j) = src(n, cc, y, x);
                            else
                                out(n, cc, y, x) = src(n, c, y * r + i, x * r + j);
                        }
                }
    return out;
}

}  // namespace

Tensor4 pixel_shuffle(const Tensor4& x, const Layer& L) {
    require_kind(L, LayerKind::PixelShuffle, LayerKind::PixelUnshuffle, "pixel_shuffle");
    resolve(x, L);  // PyTorch's checks: channels divisible by r^2, sides by r
    return shuffle_values(x, L.shuffle_factor, L.kind == LayerKind::PixelShuffle);
}

Tensor4 pixel_shuffle_input_gradient(const Tensor4& x, const Layer& L, const Tensor4& grad_output) {
    require_kind(L, LayerKind::PixelShuffle, LayerKind::PixelUnshuffle, "pixel_shuffle_input_gradient");
    resolve(x, L);
    return shuffle_values(grad_output, L.shuffle_factor, L.kind != LayerKind::PixelShuffle);
}

}  // namespace convscope
