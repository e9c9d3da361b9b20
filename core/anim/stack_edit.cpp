#include "core/anim/stack_edit.hpp"

#include <algorithm>
#include <cassert>

#include "core/base/errors.hpp"
#include "core/nn/shape.hpp"

namespace convscope {

void change_layer_kind(Layer& layer, LayerKind kind) {
    layer.kind = kind;
    switch (kind) {
    case LayerKind::ConvTranspose2d:
        layer.padding.kind = PaddingKind::Explicit;  // 'same'/'valid' are Conv2d only
        layer.padding_mode = PaddingMode::Zeros;     // ConvTranspose2d supports zeros only
        break;
    case LayerKind::Conv2d:
    case LayerKind::MaxPool2d:
    case LayerKind::AvgPool2d:
    case LayerKind::Upsample:
    case LayerKind::PixelShuffle:
    case LayerKind::PixelUnshuffle:
    case LayerKind::ReLU:
    case LayerKind::LeakyReLU:
    case LayerKind::Tanh:
    case LayerKind::Sigmoid:
        layer.output_padding = {0, 0};  // ConvTranspose2d only
        break;
    }
}

std::int64_t channels_before(const Session& s, std::size_t index) {
    std::int64_t c = s.input_shape[1];
    for (std::size_t i = 0; i < index && i < s.layers.size(); ++i)
        c = channels_after(s.layers[i], c);  // a pixel shuffle divides them by r^2
    return c;
}

void sync_input_channels(Session& s) {
    if (!s.layers.empty() && has_weights(s.layers.front().kind)) s.input_shape[1] = s.layers.front().in_channels;
}

void select_layer(Session& s, std::int64_t index) {
    s.layer_index = s.layers.empty() ? 0 : std::clamp<std::int64_t>(index, 0, std::int64_t(s.layers.size()) - 1);
    s.frame = 0;
}

void insert_layer_after_selected(Session& s, LayerKind kind) {
    const std::size_t at = s.layers.empty() ? 0 : std::size_t(s.layer_index) + 1;
    s.layers.insert(s.layers.begin() + std::ptrdiff_t(at), default_layer(kind, channels_before(s, at)));
    select_layer(s, std::int64_t(at));
    sync_input_channels(s);
}

void remove_selected_layer(Session& s) {
    if (s.layers.size() <= 1) return;
    s.layers.erase(s.layers.begin() + std::ptrdiff_t(s.layer_index));
    select_layer(s, s.layer_index);
    sync_input_channels(s);
}

bool move_selected_layer(Session& s, bool up) {
    const std::size_t at = std::size_t(s.layer_index);
    if (up ? at == 0 : at + 1 >= s.layers.size()) return false;
    const std::size_t other = up ? at - 1 : at + 1;
    std::swap(s.layers[at], s.layers[other]);
    s.layer_index = std::int64_t(other);
    sync_input_channels(s);
    return true;
}

std::string edited_preset_name(const std::string& preset) {
    static const std::string suffix = "-edited";
    if (preset.empty() || preset == "custom") return "custom";
    if (preset.size() > suffix.size() && preset.compare(preset.size() - suffix.size(), suffix.size(), suffix) == 0) return preset;
    return preset + suffix;
}

bool computes_the_same(const Session& a, const Session& b) {
    return a.layers == b.layers && a.input_shape == b.input_shape && a.input == b.input && a.kernel == b.kernel &&
           a.custom_kernel == b.custom_kernel && a.seed == b.seed && a.image_path == b.image_path &&
           a.image_max_side == b.image_max_side;
}

std::vector<std::array<std::int64_t, 4>> stack_output_shapes(const std::vector<Layer>& layers,
                                                             const std::array<std::int64_t, 4>& input_shape) {
    std::vector<std::array<std::int64_t, 4>> shapes;
    std::array<std::int64_t, 4> x = input_shape;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        LayerGeometry g;
        try {
            g = resolve_layer(layers[i], x[0], x[1], x[2], x[3]);
        } catch (const UserError& e) {
            throw UserError("layer " + std::to_string(i) + " (" + class_name(layers[i].kind) + "): " + e.what());
        }
        x = {g.batch, g.out_channels, g.h().out, g.w().out};
        shapes.push_back(x);
    }
    return shapes;
}

}  // namespace convscope
