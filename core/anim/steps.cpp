#include "core/anim/steps.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/nn/activation.hpp"
#include "core/base/errors.hpp"
#include "core/nn/layer_ops.hpp"
#include "core/nn/resample.hpp"
#include <stdexcept>
#include "core/nn/tap_geometry.hpp"

namespace convscope {

using std::int64_t;

StepEngine::StepEngine(Layer layer, Tensor4 input, ConvWeights weights, int64_t batch,
                       int64_t out_channel, TransposedView view)
    : layer_(std::move(layer)), input_(std::move(input)), weights_(std::move(weights)),
      batch_(batch), out_channel_(out_channel), view_(view) {
    switch (layer_.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d: break;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: {
            // A pool acts on each channel alone: in this engine it is the depthwise layer
            // with C groups, so output channel c reads input channel c and nothing else.
            const std::int64_t C = std::int64_t(input_.shape()[1]);
            layer_.in_channels = layer_.out_channels = layer_.groups = C;
            break;
        }
        case LayerKind::Upsample:
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid:
            // No weights: the "kernel" drawn is the cells one step reads (bilinear: 2x2).
            layer_.in_channels = std::int64_t(input_.shape()[1]);
            layer_.groups = 1;
            const bool bilinear = layer_.kind == LayerKind::Upsample && layer_.upsample_mode == UpsampleMode::Bilinear;
            layer_.kernel = bilinear ? Pair{2, 2} : Pair{1, 1};
            break;
    }
    const auto s = shape_of(input_);
    geo_ = resolve_layer(layer_, s[0], s[1], s[2], s[3]);
    if (!has_window(layer_.kind)) layer_.out_channels = geo_.out_channels;
    if (has_weights(layer_.kind)) check_weights(layer_, weights_);
    if (batch_ < 0 || batch_ >= s[0])
        throw UserError("batch item " + std::to_string(batch_) + " is outside the batch of " + std::to_string(s[0]));
    if (out_channel_ < 0 || out_channel_ >= layer_.out_channels)
        throw UserError("output channel " + std::to_string(out_channel_) + " is outside 0.." +
                        std::to_string(layer_.out_channels - 1));
}

bool StepEngine::is_scatter() const { return scatters() && view_ == TransposedView::Scatter; }

bool StepEngine::scatters() const {
    return has_window(layer_.kind) && tap_direction(layer_.kind) == TapDirection::Scatter;
}

bool StepEngine::pools() const { return layer_.is_pool(); }

double StepEngine::kernel_weight(int64_t ci, int64_t ky, int64_t kx, int64_t step) const {
    if (has_weights(layer_.kind)) return tap_weight(layer_, weights_.weight, ci, out_channel_, ky, kx);
    if (layer_.kind == LayerKind::Upsample && step >= 0 && step < step_count())
        return cellwise_step(step).taps[std::size_t(ky * layer_.kernel.w + kx)].weight;
    if (pools() && ci != out_channel_) return 0.0;
    // Max pool, nearest upsampling, shuffles and activations read with weight 1; avg
    // pool and bilinear upsampling share it over their cells (nominally: border
    // windows and each output cell's fractions are on its taps).
    const bool shares = layer_.kind == LayerKind::AvgPool2d ||
                        (layer_.kind == LayerKind::Upsample && layer_.upsample_mode == UpsampleMode::Bilinear);
    return shares ? 1.0 / double(layer_.kernel.h * layer_.kernel.w) : 1.0;
}

int64_t StepEngine::shown_input_channel(int64_t requested, int64_t k) const {
    const int64_t r2 = layer_.shuffle_factor * layer_.shuffle_factor;
    switch (layer_.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d: return std::clamp<int64_t>(requested, 0, layer_.in_channels - 1);
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return out_channel_;
        case LayerKind::PixelUnshuffle: return out_channel_ / r2;
        case LayerKind::PixelShuffle:
            return cellwise_step(std::clamp<int64_t>(k, 0, step_count() - 1)).taps.front().in_channel;
    }
    unreachable_kind(layer_.kind);
}

GatherStep StepEngine::cellwise_step(int64_t k) const {
    const auto& gh = geo_.h();
    const auto& gw = geo_.w();
    GatherStep step;
    step.out_y = k / gw.out;
    step.out_x = k % gw.out;
    const int64_t c = out_channel_, oy = step.out_y, ox = step.out_x;
    auto read = [&](int64_t channel, int64_t y, int64_t x, int64_t ky, int64_t kx, double weight) {
        GatherTap t;
        t.in_channel = channel;
        t.ky = ky;
        t.kx = kx;
        t.grid_y = t.src_y = y;
        t.grid_x = t.src_x = x;
        t.value = input_(batch_, channel, y, x);
        t.weight = weight;
        t.product = t.value * weight;
        step.result += t.product;
        t.running_sum = step.result;
        step.taps.push_back(t);
    };
    const int64_t r = layer_.shuffle_factor;
    switch (layer_.kind) {
        case LayerKind::Upsample: {
            const AxisSource sy = upsample_axis_sources(layer_, 0, gh.in, gh.out)[std::size_t(oy)];
            const AxisSource sx = upsample_axis_sources(layer_, 1, gw.in, gw.out)[std::size_t(ox)];
            if (layer_.upsample_mode == UpsampleMode::Nearest) {
                read(c, sy.index0, sx.index0, 0, 0, 1.0);
                break;
            }
            // The four sources and their weights lambda_y * lambda_x, in upsample()'s order.
            read(c, sy.index0, sx.index0, 0, 0, sy.weight0 * sx.weight0);
            read(c, sy.index0, sx.index1, 0, 1, sy.weight0 * sx.weight1);
            read(c, sy.index1, sx.index0, 1, 0, sy.weight1 * sx.weight0);
            read(c, sy.index1, sx.index1, 1, 1, sy.weight1 * sx.weight1);
            // The value itself in upsample()'s separable order, so it equals the forward pass.
            const auto& t = step.taps;
            step.result = (t[0].value * sx.weight0 + t[1].value * sx.weight1) * sy.weight0 +
                          (t[2].value * sx.weight0 + t[3].value * sx.weight1) * sy.weight1;
            step.taps.back().running_sum = step.result;
            break;
        }
        case LayerKind::PixelShuffle:  // y[c, oy, ox] = x[c*r^2 + (oy%r)*r + ox%r, oy/r, ox/r]
            read(c * r * r + (oy % r) * r + ox % r, oy / r, ox / r, 0, 0, 1.0);
            break;
        case LayerKind::PixelUnshuffle:  // y[c, oy, ox] = x[c/r^2, oy*r + i, ox*r + j], (i, j) from c % r^2
            read(c / (r * r), oy * r + (c % (r * r)) / r, ox * r + c % r, 0, 0, 1.0);
            break;
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: {
            read(c, oy, ox, 0, 0, 1.0);
            GatherTap& t = step.taps.back();
            t.product = t.running_sum = step.result = activation_value(layer_, t.value);
            break;
        }
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: throw std::logic_error("cellwise_step was given a layer with a window");
    }
    return step;
}

GatherStep StepEngine::pool_step(int64_t k) const {
    const auto& gh = geo_.h();
    const auto& gw = geo_.w();
    GatherStep step;
    step.out_y = k / gw.out;
    step.out_x = k % gw.out;
    const int64_t c = out_channel_;
    // The window's real members in pool2d's order (scan order), so the result is
    // bit-identical to it.
    std::vector<int64_t> members;
    double sum = 0;
    step.taps.reserve(std::size_t(gh.kernel * gw.kernel));
    for (int64_t fy = 0; fy < gh.kernel; ++fy)
        for (int64_t fx = 0; fx < gw.kernel; ++fx) {
            GatherTap t;
            t.in_channel = c;
            t.ky = fy;
            t.kx = fx;
            t.grid_y = step.out_y * gh.stride + fy * gh.dilation;
            t.grid_x = step.out_x * gw.stride + fx * gw.dilation;
            bool pad_y, pad_x, ins_y, ins_x;
            t.src_y = grid_source(0, t.grid_y, pad_y, ins_y);
            t.src_x = grid_source(1, t.grid_x, pad_x, ins_x);
            t.in_padding = pad_y || pad_x;
            if (t.src_y < 0 || t.src_x < 0) t.src_y = t.src_x = -1;
            t.value = t.src_y >= 0 ? input_(batch_, c, t.src_y, t.src_x) : 0.0;
            if (t.src_y >= 0) {
                members.push_back(t.src_y * gw.in + t.src_x);
                sum += t.value;
            }
            step.taps.push_back(t);
        }
    if (layer_.kind == LayerKind::MaxPool2d) {
        const double* plane = &input_(batch_, c, 0, 0);
        const int64_t pick = max_pool_pick(plane, members.data(), int64_t(members.size()));
        // Running maximum under PyTorch's rule (`val > max || isnan(val)`), 0 until the
        // first real cell; padding never competes.
        double running = 0;
        bool seen = false;
        for (GatherTap& t : step.taps) {
            t.weight = 1;
            t.product = t.value;
            if (t.src_y >= 0) {
                if (!seen || t.value > running || std::isnan(t.value)) running = t.value;
                seen = true;
                t.picked = t.src_y * gw.in + t.src_x == pick;
            }
            t.running_sum = running;
        }
        step.result = pick < 0 ? -std::numeric_limits<double>::infinity() : plane[pick];
    } else {
        const double divisor = double(avg_pool_divisor(layer_, geo_, step.out_y, step.out_x, int64_t(members.size())));
        double partial = 0;
        for (GatherTap& t : step.taps) {
            t.weight = 1.0 / divisor;
            t.product = t.value / divisor;
            partial += t.value;  // padding adds 0
            t.running_sum = partial / divisor;
        }
        step.result = sum / divisor;
    }
    return step;
}

int64_t StepEngine::step_count() const {
    return is_scatter() ? geo_.h().in * geo_.w().in : geo_.h().out * geo_.w().out;
}

int64_t StepEngine::representative_step() const {
    const int64_t total = step_count();
    if (total <= 1) return 0;
    const auto& gh = geo_.h();
    const auto& gw = geo_.w();
    // Per axis, whether position i (output cell, or input cell in the scatter view) keeps
    // every tap inside: a gather footprint off the padding, a scatter stamp off the crop.
    auto inside = [&](int axis, int64_t i) {
        const AxisGeometry& g = geo_.axis[axis];
        if (is_scatter()) return tap_position(g, i, 0) >= 0 && tap_position(g, i, g.kernel - 1) < g.out;
        if (!has_window(layer_.kind)) return true;
        for (int64_t t = 0; t < g.kernel; ++t) {
            bool padding = false, inserted = false;
            const int64_t pos = (scatters() ? i : i * g.stride) + t * g.dilation;
            grid_source(axis, pos, padding, inserted);
            if (padding) return false;
        }
        return true;
    };
    const int64_t rows = is_scatter() ? gh.in : gh.out, cols = is_scatter() ? gw.in : gw.out;
    std::vector<int64_t> ys, xs;
    for (int64_t y = 0; y < rows; ++y)
        if (inside(0, y)) ys.push_back(y);
    for (int64_t x = 0; x < cols; ++x)
        if (inside(1, x)) xs.push_back(x);
    // The middle of the cells that fit (the middle of the map when none does), and not
    // the last step where an earlier one fits.
    const int64_t y = ys.empty() ? rows / 2 : ys[ys.size() / 2];
    const int64_t x = xs.empty() ? cols / 2 : xs[xs.size() / 2];
    const int64_t k = y * cols + x;
    return k == total - 1 ? std::max<int64_t>(0, k - 1) : k;
}

int64_t StepEngine::step_row_length() const { return is_scatter() ? geo_.w().in : geo_.w().out; }

int64_t StepEngine::taps_per_step() const {
    // Pools: groups == channels (see the constructor), so one channel's window; the
    // cellwise layers read the kH x kW cells set there from one channel.
    if (!has_window(layer_.kind)) return layer_.kernel.h * layer_.kernel.w;
    return layer_.in_channels / layer_.groups * layer_.kernel.h * layer_.kernel.w;
}

// Transposed op as a convolution: the zero-inserted input has (H-1)*s + 1 rows and
// d*(k-1) - p rows of padding on top (negative: that many rows cropped).
int64_t StepEngine::grid_pad_top() const {
    const auto& g = geo_.h();
    return scatters() ? g.dilation * (g.kernel - 1) - g.pad_before : g.pad_before;
}
int64_t StepEngine::grid_pad_left() const {
    const auto& g = geo_.w();
    return scatters() ? g.dilation * (g.kernel - 1) - g.pad_before : g.pad_before;
}
// A pool's last window with ceil_mode may reach past the padded input: the grid
// holds it (the cells beyond are drawn as padding).
int64_t StepEngine::grid_rows() const {
    const auto& g = geo_.h();
    if (!has_window(layer_.kind)) return g.in;  // the cellwise layers read the input itself
    return scatters() ? g.out + g.dilation * (g.kernel - 1) : std::max(g.padded(), (g.out - 1) * g.stride + g.span());
}
int64_t StepEngine::grid_cols() const {
    const auto& g = geo_.w();
    if (!has_window(layer_.kind)) return g.in;  // the cellwise layers read the input itself
    return scatters() ? g.out + g.dilation * (g.kernel - 1) : std::max(g.padded(), (g.out - 1) * g.stride + g.span());
}

int64_t StepEngine::grid_source(int axis, int64_t pos, bool& padding, bool& inserted) const {
    const AxisGeometry& g = geo_.axis[axis];
    inserted = false;
    if (!scatters()) {
        padding = pos < g.pad_before || pos >= g.pad_before + g.in;
        return padded_source(pos, g.pad_before, g.in, layer_.padding_mode);
    }
    const int64_t z = pos - (axis == 0 ? grid_pad_top() : grid_pad_left());
    const int64_t zeros_len = (g.in - 1) * g.stride + 1;
    padding = z < 0 || z >= zeros_len;
    if (padding) return -1;
    if (z % g.stride != 0) {
        inserted = true;
        return -1;
    }
    return z / g.stride;
}

GatherStep StepEngine::gather_step(int64_t k) const {
    if (is_scatter()) throw UserError("gather_step called in the scatter view");
    if (!has_window(layer_.kind)) return cellwise_step(k);
    if (pools()) return pool_step(k);
    const int64_t Wo = geo_.w().out;
    GatherStep step;
    step.out_y = k / Wo;
    step.out_x = k % Wo;
    const bool transposed = scatters();
    const int64_t kH = layer_.kernel.h, kW = layer_.kernel.w;
    const int64_t G = layer_.groups, Cgi = layer_.in_channels / G, Cgo = layer_.out_channels / G;
    const int64_t g = out_channel_ / Cgo;  // the group of the shown output channel
    // conv2d: grid = oy*s + ky*d. As-convolution view: stride 1, flipped kernel, so grid
    // position oy + fy*d uses the stored tap ky = kH-1-fy.
    const int64_t sH = transposed ? 1 : geo_.h().stride, sW = transposed ? 1 : geo_.w().stride;
    const int64_t dH = geo_.h().dilation, dW = geo_.w().dilation;
    step.taps.reserve(static_cast<std::size_t>(taps_per_step()));
    double running = 0;
    for (int64_t cl = 0; cl < Cgi; ++cl) {
        const int64_t ci = g * Cgi + cl;
        for (int64_t fy = 0; fy < kH; ++fy)
            for (int64_t fx = 0; fx < kW; ++fx) {
                GatherTap t;
                t.in_channel = ci;
                t.ky = transposed ? kH - 1 - fy : fy;
                t.kx = transposed ? kW - 1 - fx : fx;
                t.grid_y = step.out_y * sH + fy * dH;
                t.grid_x = step.out_x * sW + fx * dW;
                bool pad_y, pad_x, ins_y, ins_x;
                t.src_y = grid_source(0, t.grid_y, pad_y, ins_y);
                t.src_x = grid_source(1, t.grid_x, pad_x, ins_x);
                t.in_padding = pad_y || pad_x;
                t.inserted_zero = !t.in_padding && (ins_y || ins_x);
                if (t.src_y < 0 || t.src_x < 0) t.src_y = t.src_x = -1;
                t.value = t.src_y >= 0 ? input_(batch_, ci, t.src_y, t.src_x) : 0.0;
                t.weight = tap_weight(layer_, weights_.weight, ci, out_channel_, t.ky, t.kx);
                t.product = t.value * t.weight;
                running += t.product;
                t.running_sum = running;
                step.taps.push_back(t);
            }
    }
    step.bias = weights_.has_bias ? weights_.bias(out_channel_) : 0.0;
    step.result = step.bias + running;
    return step;
}

ScatterStep StepEngine::scatter_step(int64_t k) const {
    if (!is_scatter()) throw UserError("scatter_step called outside the scatter view");
    const auto& gh = geo_.h();
    const auto& gw = geo_.w();
    ScatterStep step;
    step.in_y = k / gw.in;
    step.in_x = k % gw.in;
    const int64_t G = layer_.groups, Cgi = layer_.in_channels / G, Cgo = layer_.out_channels / G;
    const int64_t g = out_channel_ / Cgo;  // the group of the shown output channel
    step.taps.reserve(static_cast<std::size_t>(taps_per_step()));
    for (int64_t cl = 0; cl < Cgi; ++cl) {
        const int64_t ci = g * Cgi + cl;
        const double v = input_(batch_, ci, step.in_y, step.in_x);
        for (int64_t ky = 0; ky < gh.kernel; ++ky)
            for (int64_t kx = 0; kx < gw.kernel; ++kx) {
                ScatterTap t;
                t.in_channel = ci;
                t.ky = ky;
                t.kx = kx;
                // o = i*s - p + t*d   (where tap t of input cell i lands)
                t.out_y = tap_position(gh, step.in_y, ky);
                t.out_x = tap_position(gw, step.in_x, kx);
                t.inside = t.out_y >= 0 && t.out_y < gh.out && t.out_x >= 0 && t.out_x < gw.out;
                t.value = v;
                t.weight = tap_weight(layer_, weights_.weight, ci, out_channel_, ky, kx);
                t.product = v * t.weight;
                step.taps.push_back(t);
            }
    }
    return step;
}

const Plane& StepEngine::gather_results() const {
    if (has_gather_results_) return gather_results_;
    const int64_t Ho = geo_.h().out, Wo = geo_.w().out;
    if (!has_window(layer_.kind)) {
        // The layer's own forward pass: bit-identical to what the model computes.
        const Tensor4 y = forward(layer_, input_, nullptr);
        gather_results_ = Plane::from_shape({std::size_t(Ho), std::size_t(Wo)});
        std::copy(&y(batch_, out_channel_, 0, 0), &y(batch_, out_channel_, 0, 0) + Ho * Wo, gather_results_.begin());
        has_gather_results_ = true;
        return gather_results_;
    }
    if (pools()) {
        // Pools: every cell is its step's result (a window of at most a few cells).
        gather_results_ = Plane::from_shape({std::size_t(Ho), std::size_t(Wo)});
        for (int64_t k = 0; k < Ho * Wo; ++k) gather_results_.data()[k] = pool_step(k).result;
        has_gather_results_ = true;
        return gather_results_;
    }
    const bool transposed = scatters();
    const int64_t kH = layer_.kernel.h, kW = layer_.kernel.w;
    const int64_t G = layer_.groups, Cgi = layer_.in_channels / G, Cgo = layer_.out_channels / G;
    const int64_t g = out_channel_ / Cgo;  // the group of the shown output channel
    const int64_t sH = transposed ? 1 : geo_.h().stride, sW = transposed ? 1 : geo_.w().stride;
    const int64_t dH = geo_.h().dilation, dW = geo_.w().dilation;
    // Real source of every grid row / column (-1: a zero), resolved once.
    std::vector<int64_t> src_y(static_cast<std::size_t>(grid_rows())), src_x(static_cast<std::size_t>(grid_cols()));
    bool pad, ins;
    for (std::size_t i = 0; i < src_y.size(); ++i) src_y[i] = grid_source(0, int64_t(i), pad, ins);
    for (std::size_t i = 0; i < src_x.size(); ++i) src_x[i] = grid_source(1, int64_t(i), pad, ins);
    // Weights in tap order (ci, fy, fx), as gather_step reads them.
    std::vector<double> w;
    w.reserve(std::size_t(Cgi * kH * kW));
    for (int64_t cl = 0; cl < Cgi; ++cl)
        for (int64_t fy = 0; fy < kH; ++fy)
            for (int64_t fx = 0; fx < kW; ++fx) {
                const int64_t ky = transposed ? kH - 1 - fy : fy, kx = transposed ? kW - 1 - fx : fx;
                w.push_back(tap_weight(layer_, weights_.weight, g * Cgi + cl, out_channel_, ky, kx));
            }
    const double bias = weights_.has_bias ? weights_.bias(out_channel_) : 0.0;
    gather_results_ = Plane::from_shape({std::size_t(Ho), std::size_t(Wo)});
    for (int64_t oy = 0; oy < Ho; ++oy)
        for (int64_t ox = 0; ox < Wo; ++ox) {
            double running = 0;
            std::size_t t = 0;
            for (int64_t cl = 0; cl < Cgi; ++cl)
                for (int64_t fy = 0; fy < kH; ++fy) {
                    const int64_t sy = src_y[std::size_t(oy * sH + fy * dH)];
                    for (int64_t fx = 0; fx < kW; ++fx, ++t) {
                        const int64_t sx = src_x[std::size_t(ox * sW + fx * dW)];
                        // gather_step adds value * weight even for zeros: keep the same sum
                        const double v = sy >= 0 && sx >= 0 ? input_(batch_, g * Cgi + cl, sy, sx) : 0.0;
                        running += v * w[t];
                    }
                }
            gather_results_(oy, ox) = bias + running;
        }
    has_gather_results_ = true;
    return gather_results_;
}

Plane StepEngine::partial_output(int64_t steps_done, int64_t extra_taps) const {
    const int64_t Ho = geo_.h().out, Wo = geo_.w().out;
    const int64_t total = step_count();
    steps_done = std::clamp<int64_t>(steps_done, 0, total);
    const double bias = weights_.has_bias ? weights_.bias(out_channel_) : 0.0;
    if (is_scatter()) {
        auto stamp = [&](Plane& out, const ScatterStep& s, int64_t taps) {
            for (int64_t i = 0; i < taps && i < int64_t(s.taps.size()); ++i) {
                const ScatterTap& t = s.taps[std::size_t(i)];
                if (t.inside) out(t.out_y, t.out_x) += t.product;
            }
        };
        // Continue from the cached prefix when it is not ahead of us (same adds, same order).
        if (scatter_steps_ < 0 || scatter_steps_ > steps_done) {
            scatter_plane_ = Plane::from_shape({std::size_t(Ho), std::size_t(Wo)});
            scatter_plane_.fill(bias);
            scatter_steps_ = 0;
        }
        for (; scatter_steps_ < steps_done; ++scatter_steps_) stamp(scatter_plane_, scatter_step(scatter_steps_), taps_per_step());
        Plane out = scatter_plane_;
        if (steps_done < total && extra_taps > 0) stamp(out, scatter_step(steps_done), extra_taps);
        return out;
    }
    Plane out = Plane::from_shape({std::size_t(Ho), std::size_t(Wo)});
    out.fill(0.0);
    if (steps_done > 0) {
        const Plane& all = gather_results();
        std::copy(all.begin(), all.begin() + steps_done, out.begin());  // steps are cells in row-major order
    }
    if (steps_done < total && extra_taps > 0) {
        const GatherStep s = gather_step(steps_done);
        const int64_t i = std::min<int64_t>(extra_taps, int64_t(s.taps.size())) - 1;
        out(s.out_y, s.out_x) = s.taps[std::size_t(i)].running_sum;
    }
    return out;
}

CountPlane StepEngine::landed_counts(int64_t steps_done) const {
    const auto& gh = geo_.h();
    const auto& gw = geo_.w();
    CountPlane counts = CountPlane::from_shape({std::size_t(gh.out), std::size_t(gw.out)});
    counts.fill(0);
    if (!scatters()) return counts;
    steps_done = std::clamp<int64_t>(steps_done, 0, gh.in * gw.in);
    for (int64_t k = 0; k < steps_done; ++k) {
        const int64_t iy = k / gw.in, ix = k % gw.in;
        for (int64_t ky = 0; ky < gh.kernel; ++ky) {
            const int64_t oy = tap_position(gh, iy, ky);
            if (oy < 0 || oy >= gh.out) continue;
            for (int64_t kx = 0; kx < gw.kernel; ++kx) {
                const int64_t ox = tap_position(gw, ix, kx);
                if (ox >= 0 && ox < gw.out) ++counts(oy, ox);
            }
        }
    }
    return counts;
}

}  // namespace convscope
