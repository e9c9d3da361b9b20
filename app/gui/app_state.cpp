#include "app/gui/app_state.hpp"

#include <random>

#include "core/conv.hpp"
#include "core/presets.hpp"
#include "core/pycode.hpp"

namespace convscope::gui {

namespace {

void fill_normal(Tensor4& t, std::mt19937_64& rng) {
    std::normal_distribution<double> dist(0.0, 1.0);
    for (double& v : t) v = std::round(dist(rng) * 100.0) / 100.0;  // two decimals: readable cells
}

ConvWeights random_weights(const Layer& L, std::mt19937_64& rng) {
    ConvWeights w;
    const bool t = L.kind == LayerKind::ConvTranspose2d;
    w.weight = make_tensor(t ? L.in_channels : L.out_channels, (t ? L.out_channels : L.in_channels) / L.groups,
                           L.kernel.h, L.kernel.w, "the weight");
    fill_normal(w.weight, rng);
    w.has_bias = L.bias;
    if (L.bias) {
        w.bias = Tensor1::from_shape({std::size_t(L.out_channels)});
        for (double& v : w.bias) v = 0.0;
    }
    return w;
}

}  // namespace

void load_preset(AppState& state, const std::string& name) {
    const Preset& p = find_preset(name);
    state.preset_name = p.name;
    state.input_shape = p.input_shape;
    state.layers = p.layers;
    state.layer_index = 0;
    state.frame = 0;
    state.in_channel = state.out_channel = 0;
    state.code_text = to_pytorch_code(state.layers);
    state.code_error.clear();
    rebuild(state);
}

void rebuild(AppState& state) {
    try {
        std::mt19937_64 rng(state.seed);
        const auto& s = state.input_shape;
        Tensor4 x = make_tensor(s[0], s[1], s[2], s[3], "the input");
        fill_normal(x, rng);
        // Run the layers before the animated one to get its input.
        const int idx = std::clamp(state.layer_index, 0, int(state.layers.size()) - 1);
        for (int i = 0; i < idx; ++i) x = apply_layer(x, random_weights(state.layers[std::size_t(i)], rng), state.layers[std::size_t(i)]);
        const Layer& L = state.layers[std::size_t(idx)];
        if (!L.is_conv()) throw UserError("pick a convolution layer to animate");
        ConvWeights w = random_weights(L, rng);
        state.out_channel = std::clamp<std::int64_t>(state.out_channel, 0, L.out_channels - 1);
        state.in_channel = std::clamp<std::int64_t>(state.in_channel, 0, L.in_channels - 1);
        auto engine = std::make_unique<StepEngine>(L, std::move(x), std::move(w), 0, state.out_channel, state.view);
        Timeline t;
        t.steps = engine->step_count();
        t.taps_per_step = engine->taps_per_step();
        t.row_length = engine->step_row_length();
        t.channels = L.out_channels;
        t.channel = state.out_channel;
        t.granularity = state.engine && state.timeline.granularity != auto_granularity(state.timeline.steps, state.timeline.taps_per_step, state.timeline.row_length)
                            ? state.timeline.granularity
                            : auto_granularity(t.steps, t.taps_per_step, t.row_length);
        state.engine = std::move(engine);
        state.timeline = t;
        state.layer_index = idx;
        state.frame = std::min(state.frame, t.frame_count() - 1);
        state.error.clear();
    } catch (const UserError& e) {
        state.error = e.what();
    }
}

void advance(AppState& state, double dt) {
    if (!state.playing || !state.engine) return;
    state.frame_clock += dt * state.frames_per_second;
    while (state.frame_clock >= 1.0) {
        state.frame_clock -= 1.0;
        if (state.frame + 1 < state.timeline.frame_count()) {
            ++state.frame;
        } else if (state.loop) {
            state.frame = 0;
        } else {
            state.playing = false;
        }
    }
}

}  // namespace convscope::gui
