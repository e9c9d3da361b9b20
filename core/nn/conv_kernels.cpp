#include "core/nn/conv_kernels.hpp"

#include <algorithm>
#include <cblas.h>
#include <string>

#include "core/base/errors.hpp"

namespace convscope {

namespace {

using std::int64_t;

/// Elements per band of the column buffers: bigger problems go band by band so that the
/// buffers stay in cache between the gather and the product (1 MiB; a 38 MB buffer made
/// the wide forward case 4x slower).
constexpr int64_t kBandElements = int64_t{1} << 17;
/// The transposed forward pass reads its columns back in col2im right away: keep them in L2.
constexpr int64_t kScatterBandElements = int64_t{1} << 16;

/// One gather geometry: `channels` planes of src_h x src_w are read by a kH x kW kernel
/// at out_h x out_w cells; tap (ky, kx) of cell (oy, ox) reads source cell
///   sy = oy*s_h - p_top + ky*d_h,   sx = ox*s_w - p_left + kx*d_w   (zero outside).
/// conv2d gathers its input this way; conv_transpose2d scatters its output the same
/// way (its input cells are the cells, its output the source planes).
struct Patches {
    int64_t channels, src_h, src_w, out_h, out_w;
    int64_t kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, dilation_h, dilation_w;
    int64_t taps() const { return channels * kernel_h * kernel_w; }
};

Patches conv2d_patches(const Layer& L, const LayerGeometry& geo, int64_t src_h, int64_t src_w, bool padded) {
    return {L.in_channels / L.groups, src_h, src_w, geo.h().out, geo.w().out, L.kernel.h, L.kernel.w,
            L.stride.h, L.stride.w, padded ? 0 : geo.h().pad_before, padded ? 0 : geo.w().pad_before,
            L.dilation.h, L.dilation.w};
}

Patches transposed_patches(const Layer& L, const LayerGeometry& geo) {
    return {L.out_channels / L.groups, geo.h().out, geo.w().out, geo.h().in, geo.w().in, L.kernel.h, L.kernel.w,
            L.stride.h, L.stride.w, geo.h().pad_before, geo.w().pad_before, L.dilation.h, L.dilation.w};
}

/// Cells o in [0, out) whose source o*s + offset lies in [0, in).
void valid_range(int64_t offset, int64_t stride, int64_t in, int64_t out, int64_t& lo, int64_t& hi) {
    lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    hi = (in - 1 - offset) < 0 ? 0 : (in - 1 - offset) / stride + 1;
    lo = std::min(lo, out);
    hi = std::clamp(hi, lo, out);
}

/// Rows per band for a buffer of `rows_of_cells` x (band rows * out_w) elements.
int64_t band_rows(const Patches& p, int64_t rows_of_cells, int64_t band_elements = kBandElements) {
    return std::clamp<int64_t>(band_elements / std::max<int64_t>(1, rows_of_cells * p.out_w), 1, p.out_h);
}

/// im2col of cell rows [r0, r1): row (c, ky, kx) of `cols` holds what that tap reads
/// at every cell of the band (ncols = (r1 - r0) * out_w).
void gather_columns(const double* src, const Patches& p, int64_t r0, int64_t r1, double* cols) {
    const int64_t ncols = (r1 - r0) * p.out_w, plane = p.src_h * p.src_w;
    for (int64_t c = 0; c < p.channels; ++c)
        for (int64_t ky = 0; ky < p.kernel_h; ++ky)
            for (int64_t kx = 0; kx < p.kernel_w; ++kx) {
                double* row = cols + ((c * p.kernel_h + ky) * p.kernel_w + kx) * ncols;
                const int64_t x_offset = kx * p.dilation_w - p.pad_left;
                int64_t lo, hi;
                valid_range(x_offset, p.stride_w, p.src_w, p.out_w, lo, hi);
                for (int64_t oy = r0; oy < r1; ++oy) {
                    double* dst = row + (oy - r0) * p.out_w;
                    const int64_t sy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
                    if (sy < 0 || sy >= p.src_h) {
                        std::fill(dst, dst + p.out_w, 0.0);
                        continue;
                    }
                    const double* line = src + c * plane + sy * p.src_w;
                    std::fill(dst, dst + lo, 0.0);
                    if (p.stride_w == 1)
                        std::copy(line + lo + x_offset, line + hi + x_offset, dst + lo);
                    else
                        for (int64_t ox = lo; ox < hi; ++ox) dst[ox] = line[ox * p.stride_w + x_offset];
                    std::fill(dst + hi, dst + p.out_w, 0.0);
                }
            }
}

// Compiled for AVX2 where the CPU has it. Not under ThreadSanitizer: the clones' resolver
// runs while the program is being loaded, before the sanitizer's runtime, and crashes it.
#if defined(__SANITIZE_THREAD__)
#define CONVSCOPE_AVX2_CLONES
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CONVSCOPE_AVX2_CLONES
#endif
#endif
#ifndef CONVSCOPE_AVX2_CLONES
#define CONVSCOPE_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#endif

/// dst[i*stride + offset] += src[i] for i in [lo, hi); compiled for AVX2 where the CPU
/// has it (the scatter is a large part of a transposed convolution's time).
CONVSCOPE_AVX2_CLONES void scatter_add_line(double* __restrict dst,
                                                                       const double* __restrict src, int64_t lo,
                                                                       int64_t hi, int64_t stride, int64_t offset) {
    if (stride == 1) {
        for (int64_t i = lo; i < hi; ++i) dst[i + offset] += src[i];
    } else if (stride == 2) {
        for (int64_t i = lo; i < hi; ++i) dst[2 * i + offset] += src[i];
    } else {
        for (int64_t i = lo; i < hi; ++i) dst[i * stride + offset] += src[i];
    }
}

/// col2im, the adjoint of gather_columns: every column entry is added to the source
/// cell its tap reads.
void scatter_columns(const double* cols, const Patches& p, int64_t r0, int64_t r1, double* dst) {
    const int64_t ncols = (r1 - r0) * p.out_w, plane = p.src_h * p.src_w;
    for (int64_t c = 0; c < p.channels; ++c)
        for (int64_t ky = 0; ky < p.kernel_h; ++ky)
            for (int64_t kx = 0; kx < p.kernel_w; ++kx) {
                const double* row = cols + ((c * p.kernel_h + ky) * p.kernel_w + kx) * ncols;
                const int64_t x_offset = kx * p.dilation_w - p.pad_left;
                int64_t lo, hi;
                valid_range(x_offset, p.stride_w, p.src_w, p.out_w, lo, hi);
                for (int64_t oy = r0; oy < r1; ++oy) {
                    const int64_t sy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
                    if (sy < 0 || sy >= p.src_h) continue;
                    scatter_add_line(dst + c * plane + sy * p.src_w, row + (oy - r0) * p.out_w, lo, hi, p.stride_w,
                                     x_offset);
                }
            }
}

bool pads_explicitly(const Layer& L, const LayerGeometry& geo) {
    return L.kind == LayerKind::Conv2d && L.padding_mode != PaddingMode::Zeros &&
           (geo.h().pad_before || geo.h().pad_after || geo.w().pad_before || geo.w().pad_after);
}

/// F.pad(x, mode) into `out`.
void pad_into(const Tensor4& x, const LayerGeometry& geo, PaddingMode mode, Tensor4& out) {
    const int64_t N = int64_t(x.shape()[0]), C = int64_t(x.shape()[1]), H = geo.h().in, W = geo.w().in;
    const int64_t Hp = geo.h().padded(), Wp = geo.w().padded();
    ensure_shape(out, N, C, Hp, Wp, "the padded input");
    for (int64_t nc = 0; nc < N * C; ++nc)
        for (int64_t py = 0; py < Hp; ++py) {
            const double* src = x.data() + (nc * H + padded_source(py, geo.h().pad_before, H, mode)) * W;
            double* dst = out.data() + (nc * Hp + py) * Wp;
            for (int64_t px = 0; px < Wp; ++px) dst[px] = src[padded_source(px, geo.w().pad_before, W, mode)];
        }
}

/// The adjoint of pad_into: each padded cell's gradient goes to the cell it copied.
void fold_padding_grad(const Tensor4& padded_grad, const LayerGeometry& geo, PaddingMode mode, Tensor4& grad) {
    const int64_t NC = int64_t(grad.shape()[0] * grad.shape()[1]), H = geo.h().in, W = geo.w().in;
    const int64_t Hp = geo.h().padded(), Wp = geo.w().padded();
    std::fill(grad.begin(), grad.end(), 0.0);
    for (int64_t nc = 0; nc < NC; ++nc)
        for (int64_t py = 0; py < Hp; ++py) {
            double* dst = grad.data() + (nc * H + padded_source(py, geo.h().pad_before, H, mode)) * W;
            const double* src = padded_grad.data() + (nc * Hp + py) * Wp;
            for (int64_t px = 0; px < Wp; ++px) dst[padded_source(px, geo.w().pad_before, W, mode)] += src[px];
        }
}

void fill_with_bias(Tensor4& y, const ConvWeights& w) {
    const int64_t N = int64_t(y.shape()[0]), C = int64_t(y.shape()[1]), plane = int64_t(y.shape()[2] * y.shape()[3]);
    for (int64_t n = 0; n < N; ++n)
        for (int64_t c = 0; c < C; ++c) {
            double* p = y.data() + (n * C + c) * plane;
            std::fill(p, p + plane, w.has_bias ? w.bias(std::size_t(c)) : 0.0);
        }
}

void ensure_size(std::vector<double>& v, int64_t elements) {
    if (int64_t(v.size()) < elements) v.resize(std::size_t(elements));
}

/// db[c] = sum over n, y, x of dY[n, c, y, x].
void bias_grad(const Tensor4& dy, Tensor1& db) {
    const int64_t N = int64_t(dy.shape()[0]), C = int64_t(dy.shape()[1]), plane = int64_t(dy.shape()[2] * dy.shape()[3]);
    if (int64_t(db.size()) != C) db = Tensor1::from_shape({std::size_t(C)});
    for (int64_t c = 0; c < C; ++c) {
        // Eight running sums, so that the adds pipeline instead of waiting on each other.
        double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int64_t n = 0; n < N; ++n) {
            const double* p = dy.data() + (n * C + c) * plane;
            int64_t i = 0;
            for (; i + 8 <= plane; i += 8)
                for (int k = 0; k < 8; ++k) s[k] += p[i + k];
            for (; i < plane; ++i) s[0] += p[i];
        }
        db(std::size_t(c)) = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }
}

/// Calls band(n, g, r0, r1, ncols) for every sample n, group g and band of at most
/// `rows` cell rows [r0, r1) (ncols = (r1 - r0) * out_w cells).
template <class Band>
void for_each_band(int64_t samples, int64_t groups, const Patches& p, int64_t rows, Band band) {
    for (int64_t n = 0; n < samples; ++n)
        for (int64_t g = 0; g < groups; ++g)
            for (int64_t r0 = 0; r0 < p.out_h; r0 += rows) {
                const int64_t r1 = std::min(p.out_h, r0 + rows);
                band(n, g, r0, r1, (r1 - r0) * p.out_w);
            }
}

void conv2d_forward(const Layer& L, const LayerGeometry& geo, const Tensor4& x_in, const ConvWeights& w, Tensor4& y,
                    ConvWorkspace& ws) {
    const bool padded = pads_explicitly(L, geo);
    if (padded) pad_into(x_in, geo, L.padding_mode, ws.padded);
    const Tensor4& x = padded ? ws.padded : x_in;
    const Patches p = conv2d_patches(L, geo, int64_t(x.shape()[2]), int64_t(x.shape()[3]), padded);
    const int64_t N = geo.batch, G = L.groups, Cgo = L.out_channels / G, K = p.taps();
    const int64_t plane = p.out_h * p.out_w, in_plane = p.src_h * p.src_w;
    ensure_shape(y, N, L.out_channels, p.out_h, p.out_w, "the output");
    fill_with_bias(y, w);
    const int64_t rows = band_rows(p, K);
    ensure_size(ws.columns, K * rows * p.out_w);
    for_each_band(N, G, p, rows, [&](int64_t n, int64_t g, int64_t r0, int64_t r1, int64_t ncols) {
        gather_columns(x.data() + (n * L.in_channels + g * p.channels) * in_plane, p, r0, r1, ws.columns.data());
        // y_g band (Cgo x ncols) += W_g (Cgo x K) * cols (K x ncols)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(Cgo), int(ncols), int(K), 1.0,
                    w.weight.data() + g * Cgo * K, int(K), ws.columns.data(), int(ncols), 1.0,
                    y.data() + (n * L.out_channels + g * Cgo) * plane + r0 * p.out_w, int(plane));
    });
}

/// The gradients, and with `y` also the forward output: both read the same im2col
/// columns, so the input is gathered once for the two.
void conv2d_backward(const Layer& L, const LayerGeometry& geo, const Tensor4& x_in, const ConvWeights& w,
                     const Tensor4& dy, bool want_input, ConvGradients& out, ConvWorkspace& ws, Tensor4* y) {
    const bool padded = pads_explicitly(L, geo);
    if (padded) pad_into(x_in, geo, L.padding_mode, ws.padded);
    const Tensor4& x = padded ? ws.padded : x_in;
    const Patches p = conv2d_patches(L, geo, int64_t(x.shape()[2]), int64_t(x.shape()[3]), padded);
    const int64_t N = geo.batch, G = L.groups, Cgo = L.out_channels / G, K = p.taps();
    const int64_t plane = p.out_h * p.out_w, in_plane = p.src_h * p.src_w;

    Tensor4* dx = nullptr;
    if (want_input) {
        ensure_shape(out.input, N, L.in_channels, geo.h().in, geo.w().in, "the input gradient");
        if (padded) ensure_shape(ws.padded_grad, N, L.in_channels, p.src_h, p.src_w, "the padded input gradient");
        dx = padded ? &ws.padded_grad : &out.input;
        std::fill(dx->begin(), dx->end(), 0.0);
    }
    ensure_shape(out.weight, int64_t(w.weight.shape()[0]), int64_t(w.weight.shape()[1]), L.kernel.h, L.kernel.w,
                 "the weight gradient");
    std::fill(out.weight.begin(), out.weight.end(), 0.0);
    if (y) {
        ensure_shape(*y, N, L.out_channels, p.out_h, p.out_w, "the output");
        fill_with_bias(*y, w);
    }
    const int64_t rows = band_rows(p, K);
    ensure_size(ws.columns, K * rows * p.out_w);
    if (want_input) ensure_size(ws.column_grads, K * rows * p.out_w);
    for_each_band(N, G, p, rows, [&](int64_t n, int64_t g, int64_t r0, int64_t r1, int64_t ncols) {
        const int64_t channel0 = n * L.in_channels + g * p.channels;
        const double* dy_band = dy.data() + (n * L.out_channels + g * Cgo) * plane + r0 * p.out_w;
        gather_columns(x.data() + channel0 * in_plane, p, r0, r1, ws.columns.data());
        if (y)  // y_g band += W_g cols, as in the forward pass
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(Cgo), int(ncols), int(K), 1.0,
                        w.weight.data() + g * Cgo * K, int(K), ws.columns.data(), int(ncols), 1.0,
                        y->data() + (n * L.out_channels + g * Cgo) * plane + r0 * p.out_w, int(plane));
        // dW_g (Cgo x K) += dY_g band (Cgo x ncols) * cols^T (ncols x K)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(Cgo), int(K), int(ncols), 1.0, dy_band,
                    int(plane), ws.columns.data(), int(ncols), 1.0, out.weight.data() + g * Cgo * K, int(K));
        if (!want_input) return;
        // dcols (K x ncols) = W_g^T (K x Cgo) * dY_g band, then col2im into dx.
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, int(K), int(ncols), int(Cgo), 1.0,
                    w.weight.data() + g * Cgo * K, int(K), dy_band, int(plane), 0.0, ws.column_grads.data(),
                    int(ncols));
        scatter_columns(ws.column_grads.data(), p, r0, r1, dx->data() + channel0 * in_plane);
    });
    if (want_input && padded) fold_padding_grad(ws.padded_grad, geo, L.padding_mode, out.input);
}

void conv_transpose2d_forward(const Layer& L, const LayerGeometry& geo, const Tensor4& x, const ConvWeights& w,
                              Tensor4& y, ConvWorkspace& ws) {
    const Patches p = transposed_patches(L, geo);
    const int64_t N = geo.batch, G = L.groups, Cgi = L.in_channels / G, M = p.taps();
    const int64_t in_plane = p.out_h * p.out_w, out_plane = p.src_h * p.src_w;
    ensure_shape(y, N, L.out_channels, p.src_h, p.src_w, "the output");
    fill_with_bias(y, w);
    const int64_t rows = band_rows(p, M, kScatterBandElements);
    ensure_size(ws.columns, M * rows * p.out_w);
    for_each_band(N, G, p, rows, [&](int64_t n, int64_t g, int64_t r0, int64_t r1, int64_t ncols) {
        // cols (M x ncols) = W_g^T (M x Cgi) * x_g band (Cgi x ncols), then col2im into y.
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, int(M), int(ncols), int(Cgi), 1.0,
                    w.weight.data() + g * Cgi * M, int(M),
                    x.data() + (n * L.in_channels + g * Cgi) * in_plane + r0 * p.out_w, int(in_plane), 0.0,
                    ws.columns.data(), int(ncols));
        scatter_columns(ws.columns.data(), p, r0, r1,
                        y.data() + (n * L.out_channels + g * p.channels) * out_plane);
    });
}

void conv_transpose2d_backward(const Layer& L, const LayerGeometry& geo, const Tensor4& x, const ConvWeights& w,
                               const Tensor4& dy, bool want_input, ConvGradients& out, ConvWorkspace& ws) {
    const Patches p = transposed_patches(L, geo);
    const int64_t N = geo.batch, G = L.groups, Cgi = L.in_channels / G, M = p.taps();
    const int64_t in_plane = p.out_h * p.out_w, out_plane = p.src_h * p.src_w;
    if (want_input) ensure_shape(out.input, N, L.in_channels, p.out_h, p.out_w, "the input gradient");
    ensure_shape(out.weight, int64_t(w.weight.shape()[0]), int64_t(w.weight.shape()[1]), L.kernel.h, L.kernel.w,
                 "the weight gradient");
    std::fill(out.weight.begin(), out.weight.end(), 0.0);
    const int64_t rows = band_rows(p, M);
    ensure_size(ws.columns, M * rows * p.out_w);
    for_each_band(N, G, p, rows, [&](int64_t n, int64_t g, int64_t r0, int64_t r1, int64_t ncols) {
        const int64_t band = (n * L.in_channels + g * Cgi) * in_plane + r0 * p.out_w;
        // cols (M x ncols) = im2col(dY_g): what each tap of each input cell wrote to.
        gather_columns(dy.data() + (n * L.out_channels + g * p.channels) * out_plane, p, r0, r1,
                       ws.columns.data());
        // dW_g (Cgi x M) += x_g band (Cgi x ncols) * cols^T
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(Cgi), int(M), int(ncols), 1.0, x.data() + band,
                    int(in_plane), ws.columns.data(), int(ncols), 1.0, out.weight.data() + g * Cgi * M, int(M));
        // dx_g band (Cgi x ncols) = W_g (Cgi x M) * cols: a conv2d of dY with the same weights.
        if (want_input)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(Cgi), int(ncols), int(M), 1.0,
                        w.weight.data() + g * Cgi * M, int(M), ws.columns.data(), int(ncols), 0.0,
                        out.input.data() + band, int(in_plane));
    });
}

}  // namespace

void ensure_shape(Tensor4& t, int64_t n, int64_t c, int64_t h, int64_t w, const char* what) {
    const auto& s = t.shape();
    if (int64_t(s[0]) == n && int64_t(s[1]) == c && int64_t(s[2]) == h && int64_t(s[3]) == w) return;
    checked_elements(n, c, h, w, what);
    using S = std::size_t;
    t.resize({S(n), S(c), S(h), S(w)});
}

void conv_forward_into(const Layer& L, const LayerGeometry& geo, const Tensor4& x, const ConvWeights& w, Tensor4& y,
                       ConvWorkspace& ws) {
    switch (L.kind) {
        case LayerKind::Conv2d: return conv2d_forward(L, geo, x, w, y, ws);
        case LayerKind::ConvTranspose2d: return conv_transpose2d_forward(L, geo, x, w, y, ws);
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    throw UserError(std::string("a ") + class_name(L.kind) + " layer is not a convolution");
}

void conv_backward_into(const Layer& L, const LayerGeometry& geo, const Tensor4& x, const ConvWeights& w,
                        const Tensor4& dy, bool want_input, ConvGradients& grads, ConvWorkspace& ws) {
    grads.has_bias = w.has_bias;
    if (w.has_bias) bias_grad(dy, grads.bias);
    switch (L.kind) {
        case LayerKind::Conv2d: return conv2d_backward(L, geo, x, w, dy, want_input, grads, ws, nullptr);
        case LayerKind::ConvTranspose2d: return conv_transpose2d_backward(L, geo, x, w, dy, want_input, grads, ws);
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    throw UserError(std::string("a ") + class_name(L.kind) + " layer is not a convolution");
}

void check_grad_output_shape(const std::vector<int64_t>& output_shape, const Tensor4& grad_output) {
    const auto got = shape_of(grad_output);
    if (got == output_shape) return;
    auto text = [](const std::vector<int64_t>& s) {
        std::string t = "[";
        for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
        return t + "]";
    };
    throw UserError("grad_output has shape " + text(got) + " but the layer's output has shape " + text(output_shape) +
                    ": it must be the output's shape");
}

ConvGradients conv_backward(const Layer& L, const Tensor4& x, const ConvWeights& w, const Tensor4& grad_output,
                            Tensor4* output) {
    const auto xs = shape_of(x);
    const LayerGeometry geo = resolve_layer(L, xs[0], xs[1], xs[2], xs[3]);
    check_weights(L, w);
    check_grad_output_shape({xs[0], L.out_channels, geo.h().out, geo.w().out}, grad_output);
    ConvGradients grads;
    ConvWorkspace ws;
    if (output && L.kind == LayerKind::Conv2d) {
        grads.has_bias = w.has_bias;
        if (w.has_bias) bias_grad(grad_output, grads.bias);
        conv2d_backward(L, geo, x, w, grad_output, true, grads, ws, output);
        return grads;
    }
    if (output) conv_forward_into(L, geo, x, w, *output, ws);
    conv_backward_into(L, geo, x, w, grad_output, true, grads, ws);
    return grads;
}

}  // namespace convscope
