#include "core/conv.hpp"

#include <algorithm>
#include <cblas.h>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/layer_ops.hpp"
#include "core/tap_geometry.hpp"

namespace convscope {

Tensor4 make_tensor(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w, const char* what) {
    checked_elements(n, c, h, w, what);
    using S = std::size_t;
    return Tensor4::from_shape({S(n), S(c), S(h), S(w)});
}

namespace {

using std::int64_t;

std::string shape_text(const std::vector<int64_t>& s) {
    std::string t = "[";
    for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

/// Largest im2col buffer (1 MiB): bigger problems are done in bands of output rows,
/// which keeps the buffer in cache (a 38 MB buffer made the wide case 4x slower).
constexpr int64_t kColumnBufferElements = int64_t{1} << 17;
/// The transposed op's column buffer is read back by col2im right away: keep it in L2.
constexpr int64_t kTransposedBufferElements = int64_t{1} << 16;

/// Materialise the padded input for the non-zero padding modes (PyTorch does the same:
/// F.pad(x, mode) and then a convolution with padding 0).
Tensor4 pad_with_mode(const Tensor4& x, const LayerGeometry& geo, PaddingMode mode) {
    const auto& gh = geo.h();
    const auto& gw = geo.w();
    const int64_t N = x.shape()[0], C = x.shape()[1], H = gh.in, W = gw.in;
    Tensor4 out = make_tensor(N, C, gh.padded(), gw.padded(), "the padded input");
    std::vector<int64_t> col_src(gw.padded());
    for (int64_t px = 0; px < gw.padded(); ++px) col_src[px] = padded_source(px, gw.pad_before, W, mode);
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            const double* src = &x(n, c, 0, 0);
            double* dst = &out(n, c, 0, 0);
            for (int64_t py = 0; py < gh.padded(); ++py) {
                const int64_t sy = padded_source(py, gh.pad_before, H, mode);
                for (int64_t px = 0; px < gw.padded(); ++px)
                    dst[py * gw.padded() + px] = src[sy * W + col_src[px]];
            }
        }
    return out;
}

/// Range of output positions o in [0, out) whose input position o*s + offset lies in
/// [0, in): the loop bounds that let im2col run without a branch per element.
void valid_range(int64_t offset, int64_t stride, int64_t in, int64_t out, int64_t& lo, int64_t& hi) {
    // o*s + offset >= 0  <=>  o >= ceil(-offset / s)
    lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    // o*s + offset <= in-1  <=>  o <= floor((in-1-offset)/s)
    hi = (in - 1 - offset) < 0 ? 0 : (in - 1 - offset) / stride + 1;
    lo = std::min(lo, out);
    hi = std::clamp(hi, lo, out);
}

/// col2im inner loop: dst[i*stride] += src[i]. Separate, unaliased and compiled for
/// AVX2 where the CPU has it, because it is a fifth of a transposed convolution's time.
__attribute__((target_clones("avx2", "default"))) void scatter_add_row(double* __restrict dst,
                                                                      const double* __restrict src,
                                                                      int64_t lo, int64_t hi, int64_t stride) {
    if (stride == 1) {
        for (int64_t i = lo; i < hi; ++i) dst[i] += src[i];
    } else if (stride == 2) {
        for (int64_t i = lo; i < hi; ++i) dst[2 * i] += src[i];
    } else {
        for (int64_t i = lo; i < hi; ++i) dst[i * stride] += src[i];
    }
}

}  // namespace

int64_t padded_source(int64_t pos, int64_t pad_before, int64_t in, PaddingMode mode) {
    int64_t i = pos - pad_before;
    if (i >= 0 && i < in) return i;
    switch (mode) {
        case PaddingMode::Zeros: return -1;
        case PaddingMode::Reflect:
            if (in == 1) return 0;
            while (i < 0 || i >= in) i = i < 0 ? -i : 2 * (in - 1) - i;
            return i;
        case PaddingMode::Replicate: return std::clamp<int64_t>(i, 0, in - 1);
        case PaddingMode::Circular: return ((i % in) + in) % in;
    }
    return -1;
}

void check_weights(const Layer& L, const ConvWeights& w) {
    const auto shape = weight_shape(L);
    const std::vector<int64_t> want(shape.begin(), shape.end());
    const std::vector<int64_t> got = shape_of(w.weight);
    if (got != want)
        throw UserError("weight has shape " + shape_text(got) + " but " + class_name(L.kind) +
                        " with these parameters needs " + shape_text(want) + " (" + weight_layout_text(L) + ")");
    if (w.has_bias != L.bias)
        throw UserError(std::string("bias is ") + (w.has_bias ? "given" : "missing") +
                        " but the layer has bias=" + (L.bias ? "True" : "False"));
    if (w.has_bias && static_cast<int64_t>(w.bias.size()) != L.out_channels)
        throw UserError("bias has " + std::to_string(w.bias.size()) + " entries but out_channels is " +
                        std::to_string(L.out_channels));
}

Tensor4 conv2d(const Tensor4& x_in, const ConvWeights& w, const Layer& L) {
    if (L.kind != LayerKind::Conv2d) throw UserError("conv2d was given a " + std::string(class_name(L.kind)) + " layer");
    const auto xs = shape_of(x_in);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    check_weights(L, w);

    // Non-zero padding modes: pad explicitly, then convolve with no padding.
    const bool explicit_pad = L.padding_mode != PaddingMode::Zeros &&
                              (geo.h().pad_before || geo.h().pad_after || geo.w().pad_before || geo.w().pad_after);
    Tensor4 padded;
    if (explicit_pad) padded = pad_with_mode(x_in, geo, L.padding_mode);
    const Tensor4& x = explicit_pad ? padded : x_in;
    const int64_t pad_top = explicit_pad ? 0 : geo.h().pad_before;
    const int64_t pad_left = explicit_pad ? 0 : geo.w().pad_before;

    const int64_t N = xs[0], H = x.shape()[2], W = x.shape()[3];
    const int64_t G = L.groups, Cgi = L.in_channels / G, Cgo = L.out_channels / G;
    const int64_t kH = L.kernel.h, kW = L.kernel.w, sH = L.stride.h, sW = L.stride.w;
    const int64_t dH = L.dilation.h, dW = L.dilation.w;
    const int64_t Ho = geo.h().out, Wo = geo.w().out, plane = Ho * Wo;
    const int64_t K = Cgi * kH * kW;

    Tensor4 y = make_tensor(N, L.out_channels, Ho, Wo, "the output");
    const int64_t rows_per_band = std::clamp<int64_t>(kColumnBufferElements / std::max<int64_t>(1, K * Wo), 1, Ho);
    checked_elements(K, rows_per_band, Wo, 1, "the im2col buffer");
    std::vector<double> cols(static_cast<std::size_t>(K * rows_per_band * Wo));

    for (int64_t n = 0; n < N; ++n) {
        for (int64_t co = 0; co < L.out_channels; ++co) {
            double* yc = &y(n, co, 0, 0);
            std::fill(yc, yc + plane, w.has_bias ? w.bias(co) : 0.0);
        }
        for (int64_t g = 0; g < G; ++g) {
            for (int64_t r0 = 0; r0 < Ho; r0 += rows_per_band) {
                const int64_t r1 = std::min(Ho, r0 + rows_per_band), ncols = (r1 - r0) * Wo;
                // im2col: row (ci, ky, kx) holds, for every output cell of the band, the input
                // value that tap reads: x[iy = oy*s - p + ky*d, ix = ox*s - p + kx*d].
                for (int64_t ci = 0; ci < Cgi; ++ci) {
                    const double* xc = &x(n, g * Cgi + ci, 0, 0);
                    for (int64_t ky = 0; ky < kH; ++ky)
                        for (int64_t kx = 0; kx < kW; ++kx) {
                            double* row = cols.data() + ((ci * kH + ky) * kW + kx) * ncols;
                            int64_t ox_lo, ox_hi;
                            valid_range(kx * dW - pad_left, sW, W, Wo, ox_lo, ox_hi);
                            for (int64_t oy = r0; oy < r1; ++oy) {
                                double* dst = row + (oy - r0) * Wo;
                                const int64_t iy = oy * sH - pad_top + ky * dH;
                                if (iy < 0 || iy >= H) {
                                    std::fill(dst, dst + Wo, 0.0);
                                    continue;
                                }
                                const double* src = xc + iy * W + kx * dW - pad_left;
                                std::fill(dst, dst + ox_lo, 0.0);
                                if (sW == 1)
                                    std::copy(src + ox_lo, src + ox_hi, dst + ox_lo);
                                else
                                    for (int64_t ox = ox_lo; ox < ox_hi; ++ox) dst[ox] = src[ox * sW];
                                std::fill(dst + ox_hi, dst + Wo, 0.0);
                            }
                        }
                }
                // y[g's channels, band] += W_g (Cgo x K) * cols (K x ncols)
                const double* wg = w.weight.data() + g * Cgo * K;
                double* yg = &y(n, g * Cgo, r0, 0);
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(Cgo), int(ncols), int(K), 1.0, wg,
                            int(K), cols.data(), int(ncols), 1.0, yg, int(plane));
            }
        }
    }
    return y;
}

Tensor4 conv_transpose2d(const Tensor4& x, const ConvWeights& w, const Layer& L) {
    if (L.kind != LayerKind::ConvTranspose2d)
        throw UserError("conv_transpose2d was given a " + std::string(class_name(L.kind)) + " layer");
    const auto xs = shape_of(x);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    check_weights(L, w);

    const int64_t N = xs[0], H = xs[2], W = xs[3];
    const int64_t G = L.groups, Cgi = L.in_channels / G, Cgo = L.out_channels / G;
    const int64_t kH = L.kernel.h, kW = L.kernel.w, sH = L.stride.h, sW = L.stride.w;
    const int64_t dH = L.dilation.h, dW = L.dilation.w;
    const int64_t pH = geo.h().pad_before, pW = geo.w().pad_before;
    const int64_t Ho = geo.h().out, Wo = geo.w().out, plane = Ho * Wo;
    const int64_t M = Cgo * kH * kW;

    Tensor4 y = make_tensor(N, L.out_channels, Ho, Wo, "the output");
    const int64_t rows_per_band = std::clamp<int64_t>(kTransposedBufferElements / std::max<int64_t>(1, M * W), 1, H);
    std::vector<double> cols(static_cast<std::size_t>(M * rows_per_band * W));

    for (int64_t n = 0; n < N; ++n) {
        for (int64_t co = 0; co < L.out_channels; ++co) {
            double* yc = &y(n, co, 0, 0);
            std::fill(yc, yc + plane, w.has_bias ? w.bias(co) : 0.0);
        }
        for (int64_t g = 0; g < G; ++g) {
            for (int64_t r0 = 0; r0 < H; r0 += rows_per_band) {
                const int64_t r1 = std::min(H, r0 + rows_per_band), ncols = (r1 - r0) * W;
                // cols (M x ncols) = W_g^T (M x Cgi) * x_g band (Cgi x ncols); W_g is Cgi x M.
                const double* wg = w.weight.data() + g * Cgi * M;
                const double* xg = &x(n, g * Cgi, r0, 0);
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, int(M), int(ncols), int(Cgi), 1.0, wg,
                            int(M), xg, int(H * W), 0.0, cols.data(), int(ncols));
                // col2im: the tap (co, ky, kx) of input cell (iy, ix) lands on output cell
                // oy = iy*s - p + ky*d, ox = ix*s - p + kx*d (the scatter of the transposed conv).
                for (int64_t co = 0; co < Cgo; ++co) {
                    double* yc = &y(n, g * Cgo + co, 0, 0);
                    for (int64_t ky = 0; ky < kH; ++ky)
                        for (int64_t kx = 0; kx < kW; ++kx) {
                            const double* row = cols.data() + ((co * kH + ky) * kW + kx) * ncols;
                            // valid ix: 0 <= ix*sW - pW + kx*dW < Wo
                            int64_t ix_lo, ix_hi;
                            valid_range(kx * dW - pW, sW, Wo, W, ix_lo, ix_hi);
                            for (int64_t iy = r0; iy < r1; ++iy) {
                                const int64_t oy = iy * sH - pH + ky * dH;
                                if (oy < 0 || oy >= Ho) continue;
                                const double* src = row + (iy - r0) * W;
                                double* dst = yc + oy * Wo + kx * dW - pW;
                                scatter_add_row(dst, src, ix_lo, ix_hi, sW);
                            }
                        }
                }
            }
        }
    }
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

Tensor4 apply_layer(const Tensor4& x, const ConvWeights& w, const Layer& L) {
    return forward(L, x, has_weights(L.kind) ? &w : nullptr);
}

}  // namespace convscope
