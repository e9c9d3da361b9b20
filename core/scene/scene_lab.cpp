#include "core/scene/scene_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "core/scene/scene_theme.hpp"

namespace convscope {

namespace {

constexpr float kMargin = 16, kGap = 14, kLabel = 16, kKernelCell = 7, kChartHeight = 150;

std::string fixed(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

void text(Scene& s, float x, float y, const std::string& t, const Color& c, float size = 12, bool centered = false) {
    s.texts.push_back(SceneText{x, y, size, c, t, centered});
}

/// A chart of one series per model: x = step, y = value (log10 when `log`).
void chart(Scene& s, const SceneTheme& theme, float x, float y, float w, float h, const std::string& title,
           const std::vector<std::vector<double>>& series, const std::vector<std::vector<std::int64_t>>& xs, bool log,
           std::int64_t last_step) {
    text(s, x, y, title, theme.ink, 13);
    const float top = y + kLabel + 4, left = x + 44, right = x + w, bottom = y + h - 16;
    ValueRange range;
    for (const auto& ser : series)
        for (double v : ser)
            if (std::isfinite(v) && (!log || v > 0)) range.add(log ? std::log10(v) : v);
    if (range.empty()) range = {0, 1};
    if (range.hi - range.lo < 1e-9) range.hi = range.lo + (log ? 1 : 1e-3);
    // Six decades at most: a model scoring about 0 (ICNR at initialisation, 1e-19) would
    // squash every other curve into the top of the chart; lower values sit on the axis.
    if (log) range.lo = std::max(range.lo, range.hi - 6);
    if (!log) range.lo = std::min(range.lo, 0.0);
    const double x_max = double(std::max<std::int64_t>(1, last_step));
    s.lines.push_back({left, top, left, bottom, theme.ink, 1});
    s.lines.push_back({left, bottom, right, bottom, theme.ink, 1});
    auto label = [&](double v) { return fixed(log ? "%.2g" : "%.3g", log ? std::pow(10.0, v) : v); };
    text(s, x, top - 6, label(range.hi), theme.ink, 10);
    text(s, x, bottom - 10, label(range.lo), theme.ink, 10);
    text(s, left, bottom + 2, "step 0", theme.ink, 10);
    text(s, right - 54, bottom + 2, "step " + std::to_string(last_step), theme.ink, 10);
    for (std::size_t m = 0; m < series.size(); ++m) {
        const auto& ser = series[m];
        float px = 0, py = 0;
        bool have = false;
        for (std::size_t i = 0; i < ser.size(); ++i) {
            if (!std::isfinite(ser[i]) || (log && ser[i] <= 0)) continue;
            const double sx = xs.empty() ? double(i) : double(xs[m][i]);
            const double v = log ? std::log10(ser[i]) : ser[i];
            const float qx = left + float(sx / x_max) * (right - left);
            const float qy = std::min(bottom, bottom - float((v - range.lo) / (range.hi - range.lo)) * (bottom - top));
            // A point under a pixel from the last one drawn, on its level, adds nothing to see
            // (thousands of steps on a 500 px chart); a jump is kept, and so is the last point.
            const bool last = i + 1 == ser.size();
            if (have && !last && std::fabs(qx - px) < 1.0f && std::fabs(qy - py) < 1.5f) continue;
            if (have) s.lines.push_back({px, py, qx, qy, lab_model_color(m), 1.5f});
            px = qx;
            py = qy;
            have = true;
        }
    }
}

/// Beside the spectrum: the overlap map of each strided transposed layer (the top-left
/// corner, where the border and the inside pattern both show), taps per output cell as
/// colours and numbers, with a legend; or what the model does instead.
float overlap_maps(Scene& s, const SceneTheme& theme, const std::vector<Layer>& layers,
                   const std::vector<std::int64_t>& input_shape, float x, float y, float width) {
    const std::vector<LayerOverlap> maps = model_overlaps(layers, input_shape);
    if (maps.empty()) {
        // Three lines (the column is narrow): "no transposed layer:", what the model
        // does, how many taps each output cell gets.
        std::string note = overlap_note(layers);
        for (const char* cut : {": ", ", "}) {
            const std::size_t at = note.find(cut);
            if (at == std::string::npos) break;
            text(s, x, y, note.substr(0, at + 1), theme.ink, 9);
            note = note.substr(at + 2);
            y += 11;
        }
        text(s, x, y, note, theme.ink, 9);
        return y + 15;
    }
    // Two short lines: a column is a picture's width (128 px at 1x).
    text(s, x, y, "overlap: taps per", theme.ink, 11);
    text(s, x, y + 13, "output cell (corner)", theme.ink, 11);
    y += 27;
    int most = 1;
    for (const LayerOverlap& m : maps) most = std::max(most, int(xt::amax(m.counts)()));
    const std::size_t side = maps.size() > 1 ? 6 : 8;
    const float cell = std::min(12.0f, (width - 8 * float(maps.size() - 1)) / float(maps.size() * side));
    float mx = x, bottom = y;
    for (const LayerOverlap& m : maps) {
        const std::size_t rows = std::min(side, m.counts.shape()[0]), cols = std::min(side, m.counts.shape()[1]);
        // Two short lines: side by side, the maps of a stack leave each label a map's width.
        text(s, mx, y, "layer " + std::to_string(m.layer), theme.ink, 9);
        text(s, mx, y + 10, std::to_string(m.counts.shape()[1]) + "x" + std::to_string(m.counts.shape()[0]), theme.ink, 9);
        SceneHeatmap h;
        h.x = mx;
        h.y = y + 22;
        h.cell = cell;
        h.rows = std::int64_t(rows);
        h.cols = std::int64_t(cols);
        h.lo = 0;
        h.hi = float(most);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t c = 0; c < cols; ++c) h.values.push_back(float(m.counts(r, c)));
        h.styles.assign(h.values.size(), CellStyle::Value);
        s.heatmaps.push_back(h);
        if (cell >= 9)  // counts readable
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t c = 0; c < cols; ++c) {
                    const float v = h.values[r * cols + c];
                    text(s, mx + (float(c) + 0.5f) * cell, h.y + (float(r) + 0.5f) * cell, std::to_string(int(v)),
                         h.t(v) > 0.6f ? Color{0, 0, 0, 1} : Color{1, 1, 1, 1}, 8, true);
                }
        mx += cell * float(cols) + 8;
        bottom = std::max(bottom, h.y + cell * float(rows));
    }
    // The legend: one swatch per count.
    y = bottom + 3;
    text(s, x, y, "taps:", theme.ink, 9);
    float lx = x + 30;
    for (int v = 0; v <= most; ++v) {
        s.rects.push_back(SceneRect{lx, y + 1, 9, 9, viridis(float(v) / float(most)), theme.ink, 0.5f, RectRole::Legend});
        text(s, lx + 11, y, std::to_string(v), theme.ink, 9);
        lx += 24;
    }
    return y + 16;
}

}  // namespace

// A picture heat map (RGB or grey planes of one image) at (x, y).
SceneHeatmap picture_heatmap(const Tensor4& t, float x, float y, float cell) {
    SceneHeatmap h;
    h.x = x;
    h.y = y;
    h.cell = cell;
    const std::size_t C = t.shape()[1], H = t.shape()[2], W = t.shape()[3];
    h.rows = std::int64_t(H);
    h.cols = std::int64_t(W);
    h.colors.resize(H * W);
    auto channel = [](double v) { return float(std::clamp(v, 0.0, 1.0)); };
    for (std::size_t r = 0; r < H; ++r)
        for (std::size_t c = 0; c < W; ++c) {
            Color& col = h.colors[r * W + c];
            col.r = channel(t(0, 0, r, c));
            col.g = channel(t(0, C >= 3 ? 1 : 0, r, c));
            col.b = channel(t(0, C >= 3 ? 2 : 0, r, c));
        }
    return h;
}

// A plane through the colour map, lo..hi.
SceneHeatmap plane_heatmap(const xt::xtensor<double, 2>& p, float x, float y, float cell, float lo, float hi) {
    SceneHeatmap h;
    h.x = x;
    h.y = y;
    h.cell = cell;
    h.rows = std::int64_t(p.shape()[0]);
    h.cols = std::int64_t(p.shape()[1]);
    h.values.resize(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) h.values[i] = float(p.data()[i]);
    h.styles.assign(p.size(), CellStyle::Value);
    h.lo = lo;
    h.hi = hi;
    return h;
}

Color lab_model_color(std::size_t m) {
    // Okabe & Ito's colour-blind safe palette (without black and yellow).
    static const Color palette[] = {{0.84f, 0.37f, 0.0f, 1}, {0.0f, 0.45f, 0.70f, 1}, {0.0f, 0.62f, 0.45f, 1},
                                    {0.80f, 0.47f, 0.65f, 1}, {0.34f, 0.71f, 0.91f, 1}, {0.90f, 0.62f, 0.0f, 1},
                                    {0.5f, 0.5f, 0.5f, 1}};
    return palette[m % (sizeof palette / sizeof palette[0])];
}

const char* checkerboard_score_definition() {
    return "Checkerboard score: the share of the output's energy (its 2-D power spectrum, the mean removed) "
           "that lies exactly at the stride's frequencies (k H/s, l W/s), (k, l) != (0, 0). A pattern repeating "
           "every s pixels puts its energy there; a smooth picture has almost none. 0 = no checkerboard, "
           "1 = nothing but.";
}

Scene build_lab_scene(const LabSnapshot& snap, const LabSceneOptions& o) {
    const SceneTheme theme = SceneTheme::make(o.dark);
    Scene s;
    s.background = theme.background;
    const float cell = std::max(1.0f, std::floor(o.picture_cell));  // whole screen pixels per picture pixel
    const float pw = cell * float(snap.target.shape()[3]), ph = cell * float(snap.target.shape()[2]);
    const float col_w = std::max(pw, 172.0f);  // room for the name, the PSNR line and the phase sub-kernels
    const std::size_t models = snap.models.size();

    float y = kMargin;
    text(s, kMargin, y,
         "Upsampling lab: step " + std::to_string(snap.step) + ", " + snap.optimizer + ", input " +
             std::to_string(snap.input.shape()[3]) + "x" + std::to_string(snap.input.shape()[2]) + " -> " +
             std::to_string(snap.target.shape()[3]) + "x" + std::to_string(snap.target.shape()[2]),
         theme.ink, 15);
    y += 24;
    if (!snap.picture_note.empty()) {
        text(s, kMargin, y, snap.picture_note, theme.ink, 11);
        y += 16;
    }
    // The charts first: every model's loss (log scale) and checkerboard score.
    const float width = kMargin * 2 + float(models + 1) * (col_w + kGap) - kGap;
    const float chart_w = (width - 2 * kMargin - kGap) / 2;
    std::vector<std::vector<double>> losses, scores;
    std::vector<std::vector<std::int64_t>> score_x;
    for (const auto& m : snap.models) {
        losses.push_back(m.losses);
        scores.push_back(m.scores);
        score_x.push_back(std::vector<std::int64_t>(snap.score_steps.begin(),
                                                    snap.score_steps.begin() + std::ptrdiff_t(std::min(m.scores.size(), snap.score_steps.size()))));
    }
    chart(s, theme, kMargin, y, chart_w, kChartHeight, "loss (log scale)", losses, {}, true, snap.step);
    // Log scale: the score falls by orders of magnitude (0.86 at initialisation, 1e-4 after
    // training); on a linear axis every curve would lie on zero after the first steps. The
    // picture's own score is the level a perfect upsampler reaches: the target itself has
    // some energy at those frequencies.
    const double own = snap.target_score;
    chart(s, theme, kMargin + chart_w + kGap, y, chart_w, kChartHeight,
          "checkerboard score (log scale; the picture itself: " + fixed("%.2g", own) + ")",
          scores, score_x, true, snap.step);
    y += kChartHeight + kGap;
    const float header = y;
    // Column 0: the input (drawn at the target's size, each input pixel a block) and the target.
    float x = kMargin;
    text(s, x, header, "input (scaled down by " + std::to_string(snap.stride) + ")", theme.ink);
    s.heatmaps.push_back(picture_heatmap(snap.input, x, header + kLabel, cell * float(snap.stride)));
    text(s, x, header + kLabel + ph + kGap, "target", theme.ink);
    s.heatmaps.push_back(picture_heatmap(snap.target, x, header + 2 * kLabel + ph + kGap, cell));

    // The error maps share one scale so that models compare.
    double max_error = 1e-6;
    for (const auto& m : snap.models) max_error = std::max(max_error, double(xt::amax(m.error)()));
    float bottom = header + 2 * kLabel + 2 * ph + kGap;
    for (std::size_t m = 0; m < models; ++m) {
        const LabModelSnapshot& ms = snap.models[m];
        x = kMargin + float(m + 1) * (col_w + kGap);
        float yy = header;
        s.rects.push_back(SceneRect{x, yy + 2, 10, 10, lab_model_color(m)});
        text(s, x + 14, yy + 1, ms.name, theme.ink, 11);
        yy += kLabel;
        s.heatmaps.push_back(picture_heatmap(ms.output, x, yy, cell));
        yy += ph + 2;
        text(s, x, yy, "PSNR " + fixed("%.2f", ms.psnr) + " dB  loss " + fixed("%.3g", ms.loss), theme.ink, 11);
        yy += 14;
        text(s, x, yy, "checkerboard " + fixed("%.2g", ms.score.score), theme.ink, 11);
        yy += 16;
        text(s, x, yy, "|error| (0 to " + fixed("%.2f", max_error) + ")", theme.ink, 11);
        yy += 14;
        s.heatmaps.push_back(plane_heatmap(ms.error, x, yy, cell, 0, float(max_error)));
        yy += ph + 4;
        if (o.spectra) {
            text(s, x, yy, "spectrum log(1+|F|^2)", theme.ink, 11);
            yy += 14;
            const float lo = float(xt::amin(ms.spectrum)()), hi = float(xt::amax(ms.spectrum)());
            s.heatmaps.push_back(plane_heatmap(ms.spectrum, x, yy, cell, lo, hi));
            yy += ph + 4;
        }
        yy = overlap_maps(s, theme, ms.layers, shape_of(snap.input), x, yy, col_w);
        // The first layer's kernel (channel pair 0, 0), symmetric scale around 0.
        if (!ms.parameters.empty()) {
            // parameters[0] belongs to the first layer with weights.
            const Layer& L = *std::find_if(ms.layers.begin(), ms.layers.end(), [](const Layer& l) { return l.is_conv(); });
            const Tensor4& w = ms.parameters[0].weight;
            xt::xtensor<double, 2> k = xt::view(w, 0, 0);
            const float b = float(std::max(1e-9, double(xt::amax(xt::abs(k))())));
            text(s, x, yy, std::string(class_name(L.kind)) + " kernel [0, 0]", theme.ink, 11);
            yy += 14;
            s.heatmaps.push_back(plane_heatmap(k, x, yy, kKernelCell, -b, b));
            float kx = x + kKernelCell * float(k.shape()[1]) + 10;
            if (L.kind == LayerKind::ConvTranspose2d && (L.stride.h > 1 || L.stride.w > 1)) {
                // The s^2 phase sub-kernels: each output phase sees only its own taps.
                const auto masks = phase_masks(L);
                for (std::size_t p = 0; p < masks.size(); ++p) {
                    SceneHeatmap h = plane_heatmap(k, kx, yy, kKernelCell, -b, b);
                    double sum = 0;
                    for (std::size_t i = 0; i < k.size(); ++i) {
                        if (masks[p].data()[i]) sum += k.data()[i];
                        else h.styles[i] = CellStyle::Empty;
                    }
                    s.heatmaps.push_back(std::move(h));
                    text(s, kx, yy + kKernelCell * float(k.shape()[0]) + 1, fixed("%+.2f", sum), theme.ink, 9);
                    kx += std::max(kKernelCell * float(k.shape()[1]), 30.0f) + 6;  // room for the sum ("-0.27" at 9 px) and a space
                }
                yy += kKernelCell * float(k.shape()[0]) + 12;
                text(s, x, yy, "phase sub-kernels (sums)", theme.ink, 9);
                yy += 12;
            } else {
                yy += kKernelCell * float(k.shape()[0]) + 4;
            }
        }
        bottom = std::max(bottom, yy);
    }
    s.width = width;
    s.height = bottom + kMargin;
    return s;
}

}  // namespace convscope
