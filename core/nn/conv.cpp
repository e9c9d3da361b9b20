#include "core/nn/conv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/nn/conv_kernels.hpp"
#include "core/base/errors.hpp"
#include "core/nn/tap_geometry.hpp"

namespace convscope {


using std::int64_t;

Tensor4 conv2d(const Tensor4& x, const ConvWeights& w, const Layer& L) {
    if (L.kind != LayerKind::Conv2d) throw UserError("conv2d was given a " + std::string(class_name(L.kind)) + " layer");
    const auto xs = shape_of(x);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    check_weights(L, w);
    Tensor4 y;
    ConvWorkspace workspace;
    conv_forward_into(L, geo, x, w, y, workspace);
    return y;
}

Tensor4 conv_transpose2d(const Tensor4& x, const ConvWeights& w, const Layer& L) {
    if (L.kind != LayerKind::ConvTranspose2d)
        throw UserError("conv_transpose2d was given a " + std::string(class_name(L.kind)) + " layer");
    const auto xs = shape_of(x);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    check_weights(L, w);
    Tensor4 y;
    ConvWorkspace workspace;
    conv_forward_into(L, geo, x, w, y, workspace);
    return y;
}

int64_t avg_pool_divisor(const Layer& L, const LayerGeometry& geo, int64_t oy, int64_t ox, int64_t real_count) {
    // PyTorch's divisor: the window clipped to the padded input when count_include_pad,
    // else the real cells only.
    const auto& gh = geo.h();
    const auto& gw = geo.w();
    const int64_t y0 = tap_position(gh, oy, 0), x0 = tap_position(gw, ox, 0);
    const int64_t hend = std::min(y0 + gh.kernel, gh.in + gh.pad_after);
    const int64_t wend = std::min(x0 + gw.kernel, gw.in + gw.pad_after);
    return L.count_include_pad ? (hend - y0) * (wend - x0) : std::max<int64_t>(real_count, 1);
}

namespace {

/// Visit every pooling window of one plane: fn(oy, ox, flat input index of each member
/// in scan order (row by row), member count). Members outside the input are skipped.
template <typename Fn>
void for_each_pool_window(const LayerGeometry& geo, Fn&& fn) {
    const auto& gh = geo.h();
    const auto& gw = geo.w();
    std::vector<int64_t> members(std::size_t(gh.kernel * gw.kernel));
    for (int64_t oy = 0; oy < gh.out; ++oy)
        for (int64_t ox = 0; ox < gw.out; ++ox) {
            int64_t count = 0;
            for (int64_t ky = 0; ky < gh.kernel; ++ky) {
                const int64_t iy = tap_position(gh, oy, ky);
                if (iy < 0 || iy >= gh.in) continue;
                for (int64_t kx = 0; kx < gw.kernel; ++kx) {
                    const int64_t ix = tap_position(gw, ox, kx);
                    if (ix >= 0 && ix < gw.in) members[std::size_t(count++)] = iy * gw.in + ix;
                }
            }
            fn(oy, ox, members.data(), count);
        }
}

}  // namespace

/// Max pool's pick, as PyTorch's kernel scans: start at the first member with -inf,
/// take a member when `val > maxval || isnan(val)` (the first largest, or the last NaN);
/// -1 for an empty window.
int64_t max_pool_pick(const double* plane, const int64_t* members, int64_t count) {
    if (count == 0) return -1;
    int64_t best = members[0];
    double acc = -std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < count; ++i) {
        const double v = plane[members[i]];
        if (v > acc || std::isnan(v)) {
            acc = v;
            best = members[i];
        }
    }
    return best;
}

Tensor4 pool2d(const Tensor4& x, const Layer& L) {
    if (!L.is_pool()) throw UserError("pool2d was given a " + std::string(class_name(L.kind)) + " layer");
    const auto xs = shape_of(x);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    const int64_t N = xs[0], C = xs[1];
    Tensor4 y = make_tensor(N, C, geo.h().out, geo.w().out, "the output");
    const bool is_max = L.kind == LayerKind::MaxPool2d;
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            const double* xc = &x(n, c, 0, 0);
            for_each_pool_window(geo, [&](int64_t oy, int64_t ox, const int64_t* members, int64_t count) {
                double acc = 0;
                if (is_max) {
                    const int64_t pick = max_pool_pick(xc, members, count);
                    acc = pick < 0 ? -std::numeric_limits<double>::infinity() : xc[pick];
                } else {
                    for (int64_t i = 0; i < count; ++i) acc += xc[members[i]];
                    acc /= double(avg_pool_divisor(L, geo, oy, ox, count));
                }
                y(n, c, oy, ox) = acc;
            });
        }
    return y;
}

Tensor4 pool2d_input_gradient(const Tensor4& x, const Layer& L, const Tensor4& grad_output) {
    if (!L.is_pool()) throw UserError("pool2d was given a " + std::string(class_name(L.kind)) + " layer");
    const auto xs = shape_of(x);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    const int64_t N = xs[0], C = xs[1];
    Tensor4 gx = make_tensor(N, C, xs[2], xs[3], "the input gradient");
    gx.fill(0.0);
    const bool is_max = L.kind == LayerKind::MaxPool2d;
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            const double* xc = &x(n, c, 0, 0);
            double* gc = &gx(n, c, 0, 0);
            for_each_pool_window(geo, [&](int64_t oy, int64_t ox, const int64_t* members, int64_t count) {
                const double g = grad_output(n, c, oy, ox);
                if (is_max) {
                    // d max / d x: 1 for the member picked, 0 for the others.
                    const int64_t pick = max_pool_pick(xc, members, count);
                    if (pick >= 0) gc[pick] += g;
                } else {
                    // d mean / d x: 1/divisor for every real member.
                    const double share = g / double(avg_pool_divisor(L, geo, oy, ox, count));
                    for (int64_t i = 0; i < count; ++i) gc[members[i]] += share;
                }
            });
        }
    return gx;
}


}  // namespace convscope
