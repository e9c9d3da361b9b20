#include "core/scene/overlap_map.hpp"

#include <algorithm>
#include <cassert>

#include "core/base/errors.hpp"
#include "core/nn/shape.hpp"
#include "core/anim/stack_edit.hpp"

namespace convscope {

OverlapMap overlap_map(const Session& s, std::int64_t layer_index, float cell) {
    assert(layer_index >= 0 && layer_index < std::int64_t(s.layers.size()));
    const Layer& L = s.layers[std::size_t(layer_index)];
    assert(L.kind == LayerKind::ConvTranspose2d);
    const auto geo = resolve_stack({s.layers.begin(), s.layers.begin() + layer_index + 1}, s.input_shape[2], s.input_shape[3]);
    const auto cover = coverage_counts(L, geo.back());
    OverlapMap o;
    SceneHeatmap& map = o.map;
    map.rows = std::int64_t(cover[0].size());
    map.cols = std::int64_t(cover[1].size());
    map.cell = cell;
    // Checked before allocating: a huge upsampled map is refused, not drawn.
    constexpr std::int64_t kMaxCells = std::int64_t{1} << 24;
    if (map.rows > kMaxCells / std::max<std::int64_t>(1, map.cols))
        throw UserError("the overlap map of layer " + std::to_string(layer_index) + " has " + std::to_string(map.rows) + "x" +
                        std::to_string(map.cols) + " cells; at most " + std::to_string(kMaxCells) + " are drawn");
    map.values.reserve(std::size_t(map.rows * map.cols));
    for (std::int64_t y = 0; y < map.rows; ++y)
        for (std::int64_t x = 0; x < map.cols; ++x) map.values.push_back(float(cover[0][std::size_t(y)] * cover[1][std::size_t(x)]));
    map.styles.assign(map.values.size(), CellStyle::Value);
    o.summary = overlap_summary(L, geo.back());
    map.lo = float(o.summary.min);
    map.hi = float(o.summary.max);
    return o;
}

}  // namespace convscope
