// The channels view (see scene_channels.hpp): input stack, filter bank, output stack in
// an oblique projection, the current step lit through every channel it reads. This file:
// the group colours, which channels a step reads, the data built once per configuration;
// the page is built in scene_channels_page.cpp.
#include "core/nn/layer_ops.hpp"
#include "core/scene/scene_channels.hpp"

#include <algorithm>
#include <cmath>

#include "core/nn/conv.hpp"
#include "core/nn/tap_geometry.hpp"

namespace convscope {

using std::int64_t;

Color group_color(int64_t group, int64_t groups) {
    // Tableau 10 (distinct, colour-blind aware); beyond ten groups, hues around the wheel.
    static const Color k[10] = {{0.12f, 0.47f, 0.71f, 1}, {0.84f, 0.15f, 0.16f, 1}, {0.17f, 0.63f, 0.17f, 1}, {0.58f, 0.40f, 0.74f, 1},
                                {1.00f, 0.50f, 0.05f, 1}, {0.55f, 0.34f, 0.29f, 1}, {0.89f, 0.47f, 0.76f, 1}, {0.50f, 0.50f, 0.50f, 1},
                                {0.74f, 0.74f, 0.13f, 1}, {0.09f, 0.75f, 0.81f, 1}};
    if (groups <= 1) return k[0];
    if (groups <= 10) return k[group % 10];
    const float hue = 6.0f * float(group % groups) / float(groups);
    const int sector = int(hue) % 6;
    const float f = hue - std::floor(hue), v = 0.8f, s = 0.75f;
    const float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
    switch (sector) {
        case 0: return {v, t, p, 1};
        case 1: return {q, v, p, 1};
        case 2: return {p, v, t, 1};
        case 3: return {p, q, v, 1};
        case 4: return {t, p, v, 1};
        default: return {v, p, q, 1};
    }
}

bool channel_reads(const Layer& L, int64_t ci, int64_t co) {
    const int64_t r2 = L.shuffle_factor * L.shuffle_factor;
    if (L.kind == LayerKind::PixelShuffle) return ci / r2 == co;    // in[c*r^2 .. c*r^2 + r^2 - 1] -> out[c]
    if (L.kind == LayerKind::PixelUnshuffle) return co / r2 == ci;  // in[c] -> out[c*r^2 .. c*r^2 + r^2 - 1]
    if (!L.is_conv()) return ci == co;
    return same_group(L, ci, co);
}

ChannelsData::ChannelsData(const Animation& animation) {
    const StepEngine& e = animation.engine();
    const Layer& L = e.layer();
    // Without weights, the view draws each output channel from its own input channel
    // (pools, resampling, activations), or for a shuffle from its r^2 input channels.
    output = apply_layer(e.input(), e.weights(), L);
    auto range = [](const Tensor4& t, float& lo, float& hi) {
        if (t.size() == 0) return;
        const auto [a, b] = std::minmax_element(t.begin(), t.end());
        lo = float(*a);
        hi = float(*b);
    };
    range(e.input(), input_lo, input_hi);
    range(output, output_lo, output_hi);
    if (e.layer().is_conv()) range(e.weights().weight, weight_lo, weight_hi);
}

}  // namespace convscope
