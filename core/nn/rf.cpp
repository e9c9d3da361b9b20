#include "core/nn/rf.hpp"

#include <algorithm>

#include <stdexcept>

#include "core/base/errors.hpp"
#include "core/nn/resample.hpp"
#include "core/nn/tap_geometry.hpp"

namespace convscope {

using std::int64_t;

namespace {

std::string layer_label(std::size_t i, const Layer& L) {
    std::string s = "layer " + std::to_string(i + 1) + " (" + op_name(L.kind);
    if (!L.name.empty()) s += " '" + L.name + "'";
    return s + ")";
}

void add(PathCount& into, const PathCount& v) {
    into.approx += v.approx;
    if (v.overflow || into.overflow || __builtin_add_overflow(into.exact, v.exact, &into.exact)) into.overflow = true;
}

/// Refuse the layers whose cells have no path count: bilinear blends with fractional
/// weights, pixel (un)shuffle moves cells between channels (rf follows one channel).
void require_path_counts(std::size_t i, const Layer& L) {
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: return;
        case LayerKind::Upsample:
            if (L.upsample_mode == UpsampleMode::Nearest) return;
            throw UserError(layer_label(i, L) + ": bilinear upsampling blends four input cells with fractional weights, "
                                                "so its cells have no path count; rf takes nearest upsampling");
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
            throw UserError(layer_label(i, L) + ": " + class_name(L.kind) +
                            " moves cells between channels and rf follows a single channel; it has no receptive "
                            "field here");
    }
}

/// Trim zero ends so the support stays tight (strides leave gaps at the edges).
AxisPaths trimmed(AxisPaths in) {
    int64_t a = 0, b = int64_t(in.counts.size()) - 1;
    while (a <= b && in.counts[std::size_t(a)].approx == 0) ++a;
    while (b >= a && in.counts[std::size_t(b)].approx == 0) --b;
    if (a > b) return AxisPaths{in.size, 0, -1, {}};
    in.counts = std::vector<PathCount>(in.counts.begin() + a, in.counts.begin() + b + 1);
    in.first += a;
    in.last = in.first + (b - a);
    return in;
}

AxisPaths backward_window(const AxisPaths& out, const AxisGeometry& g, TapDirection direction);

/// One layer backwards along one axis: counts at the layer's output -> its input.
AxisPaths backward(const AxisPaths& out, const AxisGeometry& g, const Layer& L, int axis) {
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: return backward_window(out, g, tap_direction(L.kind));
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: {
            AxisPaths in = out;  // one path per cell, to itself
            in.size = g.in;
            return in;
        }
        case LayerKind::Upsample: {
            // Nearest: output cell o reads exactly one input cell, src(o).
            AxisPaths in;
            in.size = g.in;
            if (out.last < out.first) return in;
            const std::vector<AxisSource> src = upsample_axis_sources(L, axis, g.in, g.out);
            in.first = src[std::size_t(out.first)].index0;
            in.last = src[std::size_t(out.last)].index0;  // sources never decrease with o
            in.counts.assign(std::size_t(in.last - in.first + 1), PathCount{});
            for (int64_t o = out.first; o <= out.last; ++o)
                add(in.counts[std::size_t(src[std::size_t(o)].index0 - in.first)], out.counts[std::size_t(o - out.first)]);
            return trimmed(std::move(in));
        }
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: break;
    }
    throw std::logic_error("rf backward reached a layer require_path_counts refuses");
}

AxisPaths backward_window(const AxisPaths& out, const AxisGeometry& g, TapDirection direction) {
    AxisPaths in;
    in.size = g.in;
    if (out.last < out.first) return in;
    const int64_t span = g.dilation * (g.kernel - 1);
    if (direction == TapDirection::Gather) {
        // Output o reads input i = o*s - p + t*d, t = 0..k-1.
        in.first = std::max<int64_t>(0, out.first * g.stride - g.pad_before);
        in.last = std::min<int64_t>(g.in - 1, out.last * g.stride - g.pad_before + span);
        if (in.last < in.first) return in;
        in.counts.assign(std::size_t(in.last - in.first + 1), PathCount{});
        for (int64_t o = out.first; o <= out.last; ++o) {
            const PathCount& c = out.counts[std::size_t(o - out.first)];
            if (c.approx == 0) continue;
            for (int64_t t = 0; t < g.kernel; ++t) {
                const int64_t i = tap_position(g, o, t);
                if (i >= 0 && i < g.in) add(in.counts[std::size_t(i - in.first)], c);
            }
        }
    } else {
        // Input i lands on output o = i*s - p + t*d.
        // First input whose last tap reaches out.first: ceil((out.first + p - d(k-1)) / s).
        const int64_t num = out.first + g.pad_before - span;
        const int64_t ceil_div = num >= 0 ? (num + g.stride - 1) / g.stride : -((-num) / g.stride);
        in.first = std::max<int64_t>(0, ceil_div);
        in.last = std::min<int64_t>(g.in - 1, (out.last + g.pad_before) / g.stride);
        if (in.last < in.first) return in;
        in.counts.assign(std::size_t(in.last - in.first + 1), PathCount{});
        for (int64_t i = in.first; i <= in.last; ++i)
            for (int64_t t = 0; t < g.kernel; ++t) {
                const int64_t o = tap_position(g, i, t);
                if (o >= out.first && o <= out.last) add(in.counts[std::size_t(i - in.first)], out.counts[std::size_t(o - out.first)]);
            }
    }
    return trimmed(std::move(in));
}

PathCount product(const PathCount& a, const PathCount& b) {
    PathCount r;
    r.approx = a.approx * b.approx;
    r.overflow = a.overflow || b.overflow || __builtin_mul_overflow(a.exact, b.exact, &r.exact);
    return r;
}

}  // namespace

std::vector<LayerGeometry> resolve_stack(const std::vector<Layer>& layers, int64_t h, int64_t w) {
    if (layers.empty()) throw UserError("the stack has no layers");
    if (layers.size() > kMaxRfLayers)
        throw UserError("the stack has " + std::to_string(layers.size()) + " layers, above the limit of " +
                        std::to_string(kMaxRfLayers));
    if (h < 1 || w < 1 || h > kMaxRfSide || w > kMaxRfSide)
        throw UserError("input_size [" + std::to_string(h) + ", " + std::to_string(w) + "] must be between 1 and " +
                        std::to_string(kMaxRfSide) + " per side");
    if (h * w > kMaxRfInputCells)
        throw UserError("input_size [" + std::to_string(h) + ", " + std::to_string(w) + "] has more than 2^24 cells");
    std::vector<LayerGeometry> geo;
    geo.reserve(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) {
        try {
            geo.push_back(resolve_spatial(layers[i], h, w));
        } catch (const UserError& e) {
            throw UserError(layer_label(i, layers[i]) + ": " + e.what());
        }
        h = geo.back().h().out;
        w = geo.back().w().out;
        if (h > kMaxRfSide || w > kMaxRfSide)
            throw UserError(layer_label(i, layers[i]) + ": its output " + std::to_string(h) + "x" + std::to_string(w) +
                            " exceeds the limit of " + std::to_string(kMaxRfSide) + " per side");
    }
    return geo;
}

std::vector<RfSummary> receptive_field_summary(const std::vector<Layer>& layers, const std::vector<LayerGeometry>& geometry) {
    std::vector<RfSummary> out;
    std::array<double, 2> r{1, 1}, S{1, 1}, P{0, 0};
    for (std::size_t l = 0; l < layers.size(); ++l) {
        require_path_counts(l, layers[l]);
        RfSummary s;
        for (int a = 0; a < 2; ++a) {
            const AxisGeometry& g = geometry[l].axis[a];
            const int64_t span = g.dilation * (g.kernel - 1);
            if (!has_window(layers[l].kind)) {
                // Activations keep every number; nearest upsampling reads one input cell per
                // output cell (extent unchanged, cell 0 reads input 0) and steps in/out input
                // cells per output cell.
                if (layers[l].kind == LayerKind::Upsample) S[a] *= double(g.in) / double(g.out);
            } else if (tap_direction(layers[l].kind) == TapDirection::Gather) {
                // Araujo et al.: r_l = r_{l-1} + (k'-1) S_{l-1};  P_l = P_{l-1} + p S_{l-1};  S_l = s S_{l-1}
                r[a] += double(span) * S[a];
                P[a] += double(g.pad_before) * S[a];
                S[a] *= double(g.stride);
            } else {
                // Output o depends on inputs i = (o + p - t d)/s where divisible. Over the s
                // residues of o, the widest spread of such i sets the extent; cell 0's first
                // input gives the padding; one output step is 1/s input cells.
                int64_t widest = 1;
                for (int64_t rho = 0; rho < g.stride; ++rho) {
                    int64_t lo = INT64_MAX, hi = INT64_MIN;
                    for (int64_t t = 0; t < g.kernel; ++t) {
                        const int64_t num = rho + g.pad_before - t * g.dilation;
                        if (((num % g.stride) + g.stride) % g.stride == 0) {
                            const int64_t i = (num - (((num % g.stride) + g.stride) % g.stride)) / g.stride;
                            lo = std::min(lo, i);
                            hi = std::max(hi, i);
                        }
                    }
                    if (lo <= hi) widest = std::max(widest, hi - lo + 1);
                }
                // First input feeding cell 0: smallest (p - t d)/s over divisible taps; with
                // no tap on cell 0, the continuous (p - d(k-1))/s.
                double first = (double(g.pad_before) - double(span)) / double(g.stride);
                for (int64_t t = g.kernel - 1; t >= 0; --t) {
                    const int64_t num = g.pad_before - t * g.dilation;
                    if (((num % g.stride) + g.stride) % g.stride == 0) {
                        first = double(num) / double(g.stride);
                        break;
                    }
                }
                r[a] += double(widest - 1) * S[a];
                P[a] -= first * S[a];
                S[a] /= double(g.stride);
            }
            s.output_size[std::size_t(a)] = g.out;
            s.rf_size[std::size_t(a)] = r[a];
            s.effective_stride[std::size_t(a)] = S[a];
            s.effective_padding[std::size_t(a)] = P[a];
        }
        out.push_back(s);
    }
    return out;
}

RfResult compute_receptive_field(const RfStack& stack) {
    RfResult res;
    res.geometry = resolve_stack(stack.layers, stack.input_size[0], stack.input_size[1]);
    res.summary = receptive_field_summary(stack.layers, res.geometry);
    const LayerGeometry& last = res.geometry.back();
    const int64_t out_h = last.h().out, out_w = last.w().out;
    if (stack.output_cell[0] < 0 || stack.output_cell[0] >= out_h || stack.output_cell[1] < 0 || stack.output_cell[1] >= out_w)
        throw UserError("output_cell [" + std::to_string(stack.output_cell[0]) + ", " + std::to_string(stack.output_cell[1]) +
                        "] is outside the last layer's " + std::to_string(out_h) + "x" + std::to_string(out_w) + " output");
    const std::size_t L = stack.layers.size();
    for (int a = 0; a < 2; ++a) {
        auto& boundaries = res.paths[std::size_t(a)];
        boundaries.resize(L + 1);
        AxisPaths top;
        top.size = last.axis[a].out;
        top.first = top.last = stack.output_cell[std::size_t(a)];
        top.counts = {PathCount{1, 1.0, false}};
        boundaries[L] = top;
        for (std::size_t l = L; l-- > 0;)
            boundaries[l] = backward(boundaries[l + 1], res.geometry[l].axis[a], stack.layers[l], a);
    }
    return res;
}

PathCount RfResult::count(int64_t r, int64_t c, std::size_t boundary) const {
    return product(paths[0][boundary].at(r), paths[1][boundary].at(c));
}

bool RfResult::fits_int64(std::size_t boundary) const {
    const AxisPaths& rows = paths[0][boundary];
    const AxisPaths& cols = paths[1][boundary];
    PathCount max_r, max_c;
    for (const PathCount& p : rows.counts) if (p.overflow || p.exact > max_r.exact) max_r = p;
    for (const PathCount& p : cols.counts) if (p.overflow || p.exact > max_c.exact) max_c = p;
    const PathCount m = product(max_r, max_c);
    return !m.overflow && m.exact <= __int128(INT64_MAX);
}

namespace {

template <typename T, typename Get>
std::vector<T> outer_map(const AxisPaths& rows, const AxisPaths& cols, Get get) {
    std::vector<T> out(std::size_t(rows.size * cols.size), T(0));
    std::vector<T> col_values;
    for (const PathCount& p : cols.counts) col_values.push_back(get(p));
    for (int64_t r = rows.first; r <= rows.last; ++r) {
        const T rv = get(rows.counts[std::size_t(r - rows.first)]);
        T* row = out.data() + r * cols.size + cols.first;
        for (std::size_t c = 0; c < col_values.size(); ++c) row[c] = rv * col_values[c];
    }
    return out;
}

}  // namespace

std::vector<int64_t> RfResult::exact_map(std::size_t b) const {
    if (!fits_int64(b)) throw UserError("the path counts exceed 64-bit integers; use the approximate map");
    return outer_map<int64_t>(paths[0][b], paths[1][b], [](const PathCount& p) { return int64_t(p.exact); });
}

std::vector<double> RfResult::approx_map(std::size_t b) const {
    return outer_map<double>(paths[0][b], paths[1][b], [](const PathCount& p) { return p.approx; });
}

std::array<std::vector<int64_t>, 2> coverage_counts(const Layer& layer, const LayerGeometry& geo) {
    std::array<std::vector<int64_t>, 2> out;
    const bool gathers = tap_direction(layer.kind) == TapDirection::Gather;
    for (int a = 0; a < 2; ++a) {
        const AxisGeometry& g = geo.axis[a];
        std::vector<int64_t>& c = out[std::size_t(a)];
        if (gathers) {
            c.assign(std::size_t(g.in), 0);
            for (int64_t o = 0; o < g.out; ++o)
                for (int64_t t = 0; t < g.kernel; ++t) {
                    const int64_t i = tap_position(g, o, t);
                    if (i >= 0 && i < g.in) ++c[std::size_t(i)];
                }
        } else {
            c.assign(std::size_t(g.out), 0);
            for (int64_t i = 0; i < g.in; ++i)
                for (int64_t t = 0; t < g.kernel; ++t) {
                    const int64_t o = tap_position(g, i, t);
                    if (o >= 0 && o < g.out) ++c[std::size_t(o)];
                }
        }
    }
    return out;
}

GriddingHoles gridding_holes(const RfResult& res) {
    GriddingHoles h;
    const AxisPaths& rows = res.paths[0][0];
    const AxisPaths& cols = res.paths[1][0];
    if (rows.last < rows.first || cols.last < cols.first) return h;
    h.box_top = rows.first;
    h.box_bottom = rows.last;
    h.box_left = cols.first;
    h.box_right = cols.last;
    int64_t zero_rows = 0, zero_cols = 0;
    for (const PathCount& p : rows.counts) zero_rows += p.approx == 0;
    for (const PathCount& p : cols.counts) zero_cols += p.approx == 0;
    const int64_t nr = rows.last - rows.first + 1, nc = cols.last - cols.first + 1;
    h.box_cells = nr * nc;
    // A cell is a hole when its row or its column receives no path.
    h.holes = h.box_cells - (nr - zero_rows) * (nc - zero_cols);
    return h;
}

OverlapSummary overlap_summary(const Layer& layer, const LayerGeometry& geometry) {
    const auto cover = coverage_counts(layer, geometry);
    OverlapSummary o;
    std::array<std::int64_t, 2> lo{}, hi{}, in_lo{}, in_hi{};
    for (int axis = 0; axis < 2; ++axis) {
        const auto& c = cover[std::size_t(axis)];
        lo[axis] = in_lo[axis] = INT64_MAX;
        hi[axis] = in_hi[axis] = 0;
        // Output o receives taps from input cells (o + p - k*d) / s; within
        // (k-1)*d - p of either end some of those input cells do not exist.
        const std::int64_t edge = std::max<std::int64_t>(0, (geometry.axis[axis].kernel - 1) * geometry.axis[axis].dilation -
                                                                geometry.axis[axis].pad_before);
        for (std::size_t i = 0; i < c.size(); ++i) {
            lo[axis] = std::min(lo[axis], c[i]);
            hi[axis] = std::max(hi[axis], c[i]);
            const std::int64_t end_edge = edge + geometry.axis[axis].output_padding;
            if (std::int64_t(i) >= edge && std::int64_t(i) + end_edge < std::int64_t(c.size())) {
                in_lo[axis] = std::min(in_lo[axis], c[i]);
                in_hi[axis] = std::max(in_hi[axis], c[i]);
            }
        }
        if (in_lo[axis] > in_hi[axis]) {  // no interior on this axis: the whole output is border
            in_lo[axis] = lo[axis];
            in_hi[axis] = hi[axis];
        }
    }
    o.min = lo[0] * lo[1];
    o.max = hi[0] * hi[1];
    o.interior_min = in_lo[0] * in_lo[1];
    o.interior_max = in_hi[0] * in_hi[1];
    return o;
}

}  // namespace convscope
