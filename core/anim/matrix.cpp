#include "core/anim/matrix.hpp"

#include <string>

#include "core/base/errors.hpp"

namespace convscope {

using std::int64_t;

int64_t ConvMatrix::nonzeros() const {
    int64_t n = 0;
    for (std::uint8_t l : linked) n += l;
    return n;
}

ConvMatrix convolution_matrix(const StepEngine& e, int64_t ci) {
    const Layer& L = e.layer();
    const LayerGeometry& g = e.geometry();
    if (ci < 0 || ci >= L.in_channels) throw UserError("input channel " + std::to_string(ci) + " does not exist");
    const int64_t Cgi = L.in_channels / L.groups, Cgo = L.out_channels / L.groups;
    if (ci / Cgi != e.out_channel() / Cgo)
        throw UserError("input channel " + std::to_string(ci) + " is not in output channel " + std::to_string(e.out_channel()) +
                        "'s group: with groups=" + std::to_string(L.groups) + " their matrix is all zeros");
    ConvMatrix m;
    m.rows = g.h().out * g.w().out;
    m.cols = g.h().in * g.w().in;
    if (m.rows > kMaxMatrixEntries / std::max<int64_t>(1, m.cols))
        throw UserError("the matrix would be " + std::to_string(m.rows) + " x " + std::to_string(m.cols) +
                        ": too large to draw (limit 2^20 entries); pick a smaller input");
    m.values.assign(std::size_t(m.rows * m.cols), 0.0);
    m.linked.assign(std::size_t(m.rows * m.cols), 0);
    auto add = [&](int64_t row, int64_t col, double w) {
        const std::size_t i = std::size_t(row * m.cols + col);
        m.values[i] += w;
        m.linked[i] = 1;
    };
    const int64_t W_in = g.w().in, W_out = g.w().out;
    if (e.is_scatter()) {
        for (int64_t k = 0; k < e.step_count(); ++k) {
            const ScatterStep s = e.scatter_step(k);
            for (const ScatterTap& t : s.taps)
                if (t.in_channel == ci && t.inside) add(t.out_y * W_out + t.out_x, s.in_y * W_in + s.in_x, t.weight);
        }
    } else {
        for (int64_t k = 0; k < e.step_count(); ++k) {
            const GatherStep s = e.gather_step(k);
            for (const GatherTap& t : s.taps)
                if (t.in_channel == ci && t.src_y >= 0) add(s.out_y * W_out + s.out_x, t.src_y * W_in + t.src_x, t.weight);
        }
    }
    return m;
}

}  // namespace convscope
