// What the lab measures and draws besides training: which taps feed each output phase,
// the overlap maps, and PSNR.
#include "core/learn/lab.hpp"

#include <algorithm>
#include <cmath>

#include "core/nn/tap_geometry.hpp"

namespace convscope {

namespace {

/// One axis of a layer's tap geometry without an input size (phase_masks needs only
/// stride, padding and dilation).
AxisGeometry tap_axis(const Layer& layer, int a) {
    AxisGeometry g;
    g.stride = layer.stride[a];
    g.pad_before = g.pad_after = layer.padding.value[a];
    g.dilation = layer.dilation[a];
    g.kernel = layer.kernel[a];
    return g;
}

/// The output phase (position mod s) tap t lands on: tap_position(i, t) mod s does not
/// depend on the input cell i, so cell 0 stands for all.
std::int64_t tap_phase(const AxisGeometry& g, std::int64_t t) {
    return ((tap_position(g, 0, t) % g.stride) + g.stride) % g.stride;
}

}  // namespace

std::vector<xt::xtensor<int, 2>> phase_masks(const Layer& layer) {
    const AxisGeometry gh = tap_axis(layer, 0), gw = tap_axis(layer, 1);
    std::vector<xt::xtensor<int, 2>> masks;
    for (std::int64_t a = 0; a < gh.stride; ++a)
        for (std::int64_t b = 0; b < gw.stride; ++b) {
            xt::xtensor<int, 2> m = xt::zeros<int>({std::size_t(gh.kernel), std::size_t(gw.kernel)});
            for (std::int64_t t = 0; t < gh.kernel; ++t)
                for (std::int64_t u = 0; u < gw.kernel; ++u)
                    m(std::size_t(t), std::size_t(u)) = (tap_phase(gh, t) == a && tap_phase(gw, u) == b) ? 1 : 0;
            masks.push_back(std::move(m));
        }
    return masks;
}

xt::xtensor<int, 2> overlap_counts(const Layer& L, std::int64_t in_h, std::int64_t in_w) {
    const LayerGeometry g = resolve_layer(L, 1, L.in_channels, in_h, in_w);
    // Per axis: how many (input cell, tap) pairs land on each output cell (scatter:
    // input cell i, tap t lands on tap_position(i, t)).
    auto axis_counts = [](const AxisGeometry& ax) {
        std::vector<int> n(std::size_t(ax.out), 0);
        for (std::int64_t i = 0; i < ax.in; ++i)
            for (std::int64_t t = 0; t < ax.kernel; ++t) {
                const std::int64_t o = tap_position(ax, i, t);
                if (o >= 0 && o < ax.out) ++n[std::size_t(o)];
            }
        return n;
    };
    const std::vector<int> rows = axis_counts(g.h()), cols = axis_counts(g.w());
    xt::xtensor<int, 2> c = xt::zeros<int>({rows.size(), cols.size()});
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t q = 0; q < cols.size(); ++q) c(r, q) = rows[r] * cols[q];
    return c;
}

std::vector<LayerOverlap> model_overlaps(const std::vector<Layer>& layers, const std::vector<std::int64_t>& input_shape) {
    std::vector<LayerOverlap> out;
    std::vector<std::int64_t> shape = input_shape;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& L = layers[i];
        if (L.kind == LayerKind::ConvTranspose2d && (L.stride.h > 1 || L.stride.w > 1))
            out.push_back({i, overlap_counts(L, shape[2], shape[3])});
        shape = model_output_shape({L}, shape);
    }
    return out;
}

std::string overlap_note(const std::vector<Layer>& layers) {
    const auto conv = std::find_if(layers.rbegin(), layers.rend(), [](const Layer& l) { return l.is_conv(); });
    if (conv == layers.rend()) return "no layer with weights";
    const bool resize = std::any_of(layers.begin(), layers.end(), [](const Layer& l) { return l.kind == LayerKind::Upsample; });
    const bool shuffle =
        std::any_of(layers.begin(), layers.end(), [](const Layer& l) { return l.kind == LayerKind::PixelShuffle; });
    const std::string taps = std::to_string(conv->kernel.h * conv->kernel.w);
    const std::string k = std::string(class_name(conv->kind)) + " k=" + std::to_string(conv->kernel.h);
    if (shuffle)
        return "no transposed layer: " + k + " + PixelShuffle, every output cell gets " + taps + " taps (its own channel)";
    return std::string("no transposed layer: ") + (resize ? "resize + " : "") + k + ", every output cell gets " + taps +
           " taps";
}

double psnr(const Tensor4& output, const Tensor4& target) {
    double sum = 0;
    for (std::size_t i = 0; i < output.size(); ++i) {
        const double d = output.data()[i] - target.data()[i];
        sum += d * d;
    }
    const double mse = sum / double(std::max<std::size_t>(1, output.size()));
    if (!std::isfinite(mse)) return std::nan("");  // a diverged model: no PSNR to speak of
    return mse <= 1e-10 ? 99.0 : 10.0 * std::log10(1.0 / mse);
}

}  // namespace convscope
