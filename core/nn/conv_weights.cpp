#include "core/nn/conv_weights.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/base/errors.hpp"
#include "core/nn/shape.hpp"
#include "core/nn/tap_geometry.hpp"

namespace convscope {

using std::int64_t;

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
        throw UserError("weight has shape " + shape_list_text(got) + " but " + class_name(L.kind) +
                        " with these parameters needs " + shape_list_text(want) + " (" + weight_layout_text(L) + ")");
    if (w.has_bias != L.bias)
        throw UserError(std::string("bias is ") + (w.has_bias ? "given" : "missing") +
                        " but the layer has bias=" + (L.bias ? "True" : "False"));
    if (w.has_bias && static_cast<int64_t>(w.bias.size()) != L.out_channels)
        throw UserError("bias has " + std::to_string(w.bias.size()) + " entries but out_channels is " +
                        std::to_string(L.out_channels));
}

}  // namespace convscope
