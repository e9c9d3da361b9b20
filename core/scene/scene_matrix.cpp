// The step as a matrix product: y = C x, y = C^T x (see scene.hpp).
#include <algorithm>

#include "core/anim/matrix.hpp"
#include "core/scene/scene.hpp"
#include "core/scene/scene_theme.hpp"

namespace convscope {

using std::int64_t;

Scene build_matrix_scene(const StepEngine& engine, const FramePosition& frame, const ConvMatrix& m, int64_t ci,
                         const SceneOptions& opt) {
    Scene sc;
    sc.width = opt.width;
    sc.height = opt.height;
    sc.background = opt.dark ? Color{0.08f, 0.08f, 0.1f, 1} : Color{1, 1, 1, 1};
    const Color ink = opt.dark ? Color{0.9f, 0.9f, 0.92f, 1} : Color{0.1f, 0.1f, 0.12f, 1};
    const Color empty = opt.dark ? Color{0.16f, 0.16f, 0.18f, 1} : Color{0.93f, 0.93f, 0.95f, 1};
    const Color focus{0.85f, 0.1f, 0.35f, 1};
    const bool transposed = engine.layer().kind == LayerKind::ConvTranspose2d;
    const float top = 64, gap = 28, margin = 16;  // y, C, x labels at top - 10: clear of the subtitle (28..40)
    const float cell = std::max(1.0f, std::min({(opt.width - 2 * margin - 3 * gap) / float(m.cols + 2),
                                                (opt.height - top - 30) / float(std::max(m.rows, m.cols)), 24.0f}));
    const std::string op = transposed ? "C^T" : "C";
    sc.texts.push_back({margin, 8, 16, ink,
                        "y = " + op + " x: " + std::to_string(m.rows) + " outputs x " + std::to_string(m.cols) + " inputs, " +
                            std::to_string(m.nonzeros()) + " non-zero of " + std::to_string(m.rows * m.cols),
                        false});
    sc.texts.push_back({margin, 28, 12, ink,
                        transposed ? "the transposed convolution multiplies by the transpose of the matrix of the convolution going back"
                                   : "each row is one output cell: the kernel's weights at the input cells its taps read",
                        false});
    // y | M | x, each a heat map (y and x are one column wide); cells that are not
    // known yet (y) or that no tap links (M) are empty.
    sc.heatmaps.reserve(3);
    auto grid = [&](float x, int64_t rows, int64_t cols, const std::vector<double>& v, const std::vector<bool>& known,
                    RectRole role, float grid_alpha) {
        SceneHeatmap h = SceneHeatmap::at(GridPlacement{x, top, cell, rows, cols}, role);
        double lo = 1e300, hi = -1e300;
        for (std::size_t i = 0; i < v.size(); ++i) {
            h.values.push_back(float(v[i]));
            h.styles.push_back(known[i] ? CellStyle::Value : CellStyle::Empty);
            if (known[i]) {
                lo = std::min(lo, v[i]);
                hi = std::max(hi, v[i]);
            }
        }
        h.lo = lo <= hi ? float(lo) : 0.0f;
        h.hi = lo <= hi ? float(hi) : 1.0f;
        h.empty = empty;
        h.background = sc.background;
        h.grid = Color{ink.r, ink.g, ink.b, cell >= 6 ? grid_alpha : 0.0f};
        sc.heatmaps.push_back(std::move(h));
    };
    const Plane out = engine.partial_output(frame.steps_done, frame.extra_taps);
    const std::vector<double> y(out.begin(), out.end());
    std::vector<bool> y_known(y.size());
    const CountPlane landed = engine.is_scatter() ? engine.landed_counts(frame.steps_done) : CountPlane{};
    for (std::size_t i = 0; i < y.size(); ++i)
        y_known[i] = engine.is_scatter() ? landed.data()[i] > 0 : int64_t(i) < frame.steps_done;
    const double* x_plane = &engine.input()(engine.batch(), ci, 0, 0);
    const std::vector<double> xv(x_plane, x_plane + m.cols);
    const std::vector<bool> linked(m.linked.begin(), m.linked.end());
    const float x_y = margin, x_m = margin + cell + gap, x_x = x_m + float(m.cols) * cell + gap;
    grid(x_y, m.rows, 1, y, y_known, RectRole::OutputCell, 0.2f);
    grid(x_m, m.rows, m.cols, m.values, linked, RectRole::KernelCell, 0.15f);
    grid(x_x, m.cols, 1, xv, std::vector<bool>(xv.size(), true), RectRole::InputCell, 0.2f);
    sc.texts.push_back({x_y + cell / 2, top - 10, 13, ink, "y", true});
    sc.texts.push_back({x_m + float(m.cols) * cell / 2, top - 10, 13, ink, op, true});
    sc.texts.push_back({x_x + cell / 2, top - 10, 13, ink, "x", true});
    sc.texts.push_back({x_y + cell + gap / 2, top + float(m.rows) * cell / 2, 16, ink, "=", true});

    // The current step: its row (gather) or its column (scatter).
    const int64_t current = frame.extra_taps > 0 || frame.steps_done == 0 ? frame.steps_done : frame.steps_done - 1;
    if (current >= 0 && current < engine.step_count()) {
        if (engine.is_scatter()) {
            const float cx = x_m + float(current) * cell;
            sc.rects.push_back({cx, top, cell, float(m.rows) * cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
            sc.rects.push_back({x_x, top + float(current) * cell, cell, cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
        } else {
            const float cy = top + float(current) * cell;
            sc.rects.push_back({x_m, cy, float(m.cols) * cell, cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
            sc.rects.push_back({x_y, cy, cell, cell, Color{0, 0, 0, 0}, focus, 2, RectRole::Highlight});
        }
    }
    return sc;
}

}  // namespace convscope
