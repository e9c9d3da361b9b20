#include "core/scene/scene_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "core/scene/scene_theme.hpp"
#include "core/scene/text_metrics.hpp"

namespace convscope {

namespace {

constexpr float kMargin = 16, kGap = 14, kLabel = 16, kKernelCell = 7, kChartHeight = 150;

/// A number as text; "NaN" / "inf" for a value that is not one (a diverged model's).
std::string fixed(const char* format, double v) { return finite_text(format, v); }

/// The largest |value| of a plane that is a number (0 when none is).
double finite_abs_max(const xt::xtensor<double, 2>& p) {
    double m = 0;
    for (double v : p)
        if (std::isfinite(v)) m = std::max(m, std::fabs(v));
    return m;
}

/// The range of the values of a plane that are numbers ({0, 0} when none is).
std::pair<double, double> finite_range(const xt::xtensor<double, 2>& p) {
    ValueRange r;
    for (double v : p) r.add(v);
    return r.empty() ? std::make_pair(0.0, 0.0) : std::make_pair(r.lo, r.hi);
}

void text(Scene& s, float x, float y, const std::string& t, const Color& c, float size = 12, bool centered = false) {
    s.texts.push_back(SceneText{x, y, size, c, t, centered});
}

/// A chart of one series per model: x = step, y = value (log10 when `log`).
void chart(Scene& s, const SceneTheme& theme, float x, float y, float w, float h, const std::string& title,
           const std::vector<std::vector<double>>& series, const std::vector<std::vector<std::int64_t>>& xs, bool log,
           std::int64_t last_step, bool log_steps, float font = 1, double reference = std::nan("")) {
    // `font` scales the chart's words (a slide's are read from the back row).
    text(s, x, y, title, theme.ink, 13 * font);
    const float top = y + (kLabel + 4) * font, left = x + 44 * font, right = x + w, bottom = y + h - 16 * font;
    ValueRange range;
    for (const auto& ser : series)
        for (double v : ser)
            if (std::isfinite(v) && (!log || v > 0)) range.add(log ? std::log10(v) : v);
    // A reference level (the target picture's own score) is in the range: the curves are
    // read against it.
    if (std::isfinite(reference) && (!log || reference > 0)) range.add(log ? std::log10(reference) : reference);
    if (range.empty()) range = {0, 1};
    if (range.hi - range.lo < 1e-9) range.hi = range.lo + (log ? 1 : 1e-3);
    // Six decades at most: a model scoring about 0 (ICNR at initialisation, 1e-19) would
    // squash every other curve into the top of the chart; lower values sit on the axis.
    if (log) range.lo = std::max(range.lo, range.hi - 6);
    if (!log) range.lo = std::min(range.lo, 0.0);
    // The step axis, linear or log10(1 + step) (the early drop gets room instead of the
    // first pixels); step 0 is at the left either way.
    auto step_position = [&](double step) {
        const double x_max = double(std::max<std::int64_t>(1, last_step));
        return log_steps ? std::log10(1 + step) / std::log10(1 + x_max) : step / x_max;
    };
    s.lines.push_back({left, top, left, bottom, theme.ink, 1});
    s.lines.push_back({left, bottom, right, bottom, theme.ink, 1});
    auto label = [&](double v) { return fixed(log ? "%.2g" : "%.3g", log ? std::pow(10.0, v) : v); };
    text(s, x, top - 6 * font, label(range.hi), theme.ink, 10 * font);
    text(s, x, bottom - 10 * font, label(range.lo), theme.ink, 10 * font);
    text(s, left, bottom + 2, "step 0", theme.ink, 10 * font);
    text(s, right - 54 * font, bottom + 2, "step " + std::to_string(last_step), theme.ink, 10 * font);
    if (log_steps) {
        // Decade ticks on the log step axis (1, 10, 100, ...) so the scale reads as one.
        for (double d = 1; d < double(last_step); d *= 10) {
            const float tx = left + float(step_position(d)) * (right - left);
            s.lines.push_back({tx, bottom, tx, bottom + 4, theme.ink, 1});
            if (tx - left > 40 * font && right - tx > 70 * font) text(s, tx - 6, bottom + 2, fixed("%.0f", d), theme.ink, 10 * font);
        }
    }
    if (std::isfinite(reference) && (!log || reference > 0)) {
        // Dashed, in grey: a level, not a model.
        const double v = log ? std::log10(reference) : reference;
        const float ry = std::min(bottom, bottom - float((v - range.lo) / (range.hi - range.lo)) * (bottom - top));
        const Color grey{0.5f, 0.5f, 0.5f, 1};
        for (float rx = left; rx < right; rx += 12 * font) s.lines.push_back({rx, ry, std::min(right, rx + 7 * font), ry, grey, 1.5f * font});
    }
    for (std::size_t m = 0; m < series.size(); ++m) {
        const auto& ser = series[m];
        float px = 0, py = 0;
        bool have = false;
        for (std::size_t i = 0; i < ser.size(); ++i) {
            if (!std::isfinite(ser[i]) || (log && ser[i] <= 0)) continue;
            // A series' steps where given (a hostile snapshot may give fewer than its values).
            const double sx = m < xs.size() && i < xs[m].size() ? double(xs[m][i]) : double(i);
            const double v = log ? std::log10(ser[i]) : ser[i];
            const float qx = left + float(step_position(sx)) * (right - left);
            const float qy = std::min(bottom, bottom - float((v - range.lo) / (range.hi - range.lo)) * (bottom - top));
            // A point under a pixel from the last one drawn, on its level, adds nothing to see
            // (thousands of steps on a 500 px chart); a jump is kept, and so is the last point.
            const bool last = i + 1 == ser.size();
            if (have && !last && std::fabs(qx - px) < 1.0f && std::fabs(qy - py) < 1.5f) continue;
            if (have) s.lines.push_back({px, py, qx, qy, lab_model_color(m), 1.5f * std::max(1.0f, font * 0.75f)});
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
                   const std::vector<std::int64_t>& input_shape, float x, float y, float width, bool compact) {
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
    // Two short lines: a column is a picture's width (128 px at 1x); compact: one.
    if (compact) {
        text(s, x, y, "taps per output cell (corner)", theme.ink, 9);
        y += 13;
    } else {
        text(s, x, y, "overlap: taps per", theme.ink, 11);
        text(s, x, y + 13, "output cell (corner)", theme.ink, 11);
        y += 27;
    }
    int most = 1;
    for (const LayerOverlap& m : maps) most = std::max(most, int(xt::amax(m.counts)()));
    // Compact: a 6x6 corner at most 10 px a cell (the window's height is short).
    const std::size_t side = maps.size() > 1 || compact ? 6 : 8;
    const float cell = std::min(compact ? 10.0f : 12.0f, (width - 8 * float(maps.size() - 1)) / float(maps.size() * side));
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

/// Under a model that stopped: why, in words, on the column's width ("diverged at step 86
/// (loss inf):" / "lower the learning rate"), and the key of the colour its values that
/// are not numbers take.
float divergence_note(Scene& s, const SceneTheme& theme, const LabModelSnapshot& ms, float x, float y) {
    const Color red{0.85f, 0.1f, 0.1f, 1};
    std::string words = ms.diverged;
    const std::string name = "model '" + ms.name + "' ";
    if (words.rfind(name, 0) == 0) words = words.substr(name.size());  // the column names the model
    const std::size_t colon = words.find(": ");
    text(s, x, y, colon == std::string::npos ? words : words.substr(0, colon + 1), red, 11);
    y += 14;
    if (colon != std::string::npos) {
        text(s, x, y, words.substr(colon + 2), red, 11);
        y += 14;
    }
    s.rects.push_back(SceneRect{x, y + 1, 9, 9, not_a_number_color(), theme.ink, 0.5f, RectRole::Legend});
    text(s, x + 12, y, "not a number (NaN/inf)", theme.ink, 9);
    return y + 14;
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
            const double red = t(0, 0, r, c), green = t(0, C >= 3 ? 1 : 0, r, c), blue = t(0, C >= 3 ? 2 : 0, r, c);
            // A pixel with a channel that is not a number is not clamped into a colour.
            if (!std::isfinite(red) || !std::isfinite(green) || !std::isfinite(blue)) {
                col = not_a_number_color();
                continue;
            }
            col.r = channel(red);
            col.g = channel(green);
            col.b = channel(blue);
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
    // A double beyond float's range would become an infinity here: kept as the NaN colour's
    // business only when it was not a number already (huge finite values clamp to the end).
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double v = p.data()[i];
        h.values[i] = std::isfinite(v) ? float(std::clamp(v, -3e38, 3e38)) : float(v);
    }
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
           "within 2 frequency bins of the stride's frequencies (k H/s, l W/s), (k, l) != (0, 0). A trained "
           "transposed convolution multiplies the picture by a pattern repeating every s pixels, which moves "
           "copies of the picture's spectrum there: the band catches them. Measured on the output, not the "
           "error: the error of every model is mostly the fine detail the small input lost, which lies near "
           "those frequencies too. 1 = nothing but a checkerboard; white noise about 0.005 (the band's share "
           "of the spectrum at 128x128); a smooth picture less.";
}

namespace {

/// Where the parts of the lab go: the classic layout (the input and the target in a
/// column of their own, the charts across the top) or the compact one (the input, the
/// target and the charts in one row, the error map and the spectrum side by side at half
/// size) that fits five models in a 1280x800 window.
struct LabLayout {
    float cell = 1, pw = 0, ph = 0;  ///< screen pixels per picture pixel; the target's size on screen
    float col_w = 0;                 ///< a model's column
    float width = 0;
    bool compact = false;
    float column_x(std::size_t m) const {
        const float first = compact ? kMargin : kMargin + col_w + kGap;
        return first + float(m) * (col_w + kGap);
    }
};

/// Text on at most two lines of `width` px (an estimate: 0.52 em per character), cut at
/// the last space that fits; returns the height used.
float wrapped(Scene& s, float x, float y, float width, const std::string& t, const Color& c, float size) {
    const std::size_t fits = std::size_t(std::max(1.0f, width / (0.52f * size)));
    if (t.size() <= fits) {
        text(s, x, y, t, c, size);
        return size + 4;
    }
    std::size_t cut = t.rfind(' ', fits);
    if (cut == std::string::npos || cut == 0) cut = fits;
    text(s, x, y, t.substr(0, cut), c, size);
    text(s, x, y + size + 2, t.substr(t[cut] == ' ' ? cut + 1 : cut), c, size);
    return 2 * size + 6;
}

/// A plane at half size: 2x2 blocks by their mean (the error) or their largest value
/// (the spectrum: a peak one bin wide stays seen). Cells that are not numbers stay so.
xt::xtensor<double, 2> half_size(const xt::xtensor<double, 2>& p, bool peak) {
    const std::size_t H = std::max<std::size_t>(1, p.shape()[0] / 2), W = std::max<std::size_t>(1, p.shape()[1] / 2);
    xt::xtensor<double, 2> out = xt::zeros<double>({H, W});
    for (std::size_t r = 0; r < H; ++r)
        for (std::size_t c = 0; c < W; ++c) {
            double acc = peak ? -std::numeric_limits<double>::infinity() : 0;
            int n = 0;
            bool number = true;
            for (std::size_t dr = 0; dr < 2; ++dr)
                for (std::size_t dc = 0; dc < 2; ++dc) {
                    const std::size_t rr = std::min(p.shape()[0] - 1, 2 * r + dr), cc = std::min(p.shape()[1] - 1, 2 * c + dc);
                    const double v = p(rr, cc);
                    number = number && std::isfinite(v);
                    acc = peak ? std::max(acc, v) : acc + v;
                    ++n;
                }
            out(r, c) = !number ? std::nan("") : peak ? acc : acc / n;
        }
    return out;
}

/// The charts' series, one per model: its losses (x = step), its checkerboard scores and
/// their steps (a hostile snapshot may give fewer steps than scores).
struct ChartSeries {
    std::vector<std::vector<double>> losses, scores;
    std::vector<std::vector<std::int64_t>> score_x;
};
ChartSeries chart_series(const LabSnapshot& snap) {
    ChartSeries c;
    for (const auto& m : snap.models) {
        c.losses.push_back(m.losses);
        c.scores.push_back(m.scores);
        c.score_x.push_back(std::vector<std::int64_t>(snap.score_steps.begin(),
                                                      snap.score_steps.begin() + std::ptrdiff_t(std::min(m.scores.size(), snap.score_steps.size()))));
    }
    return c;
}

/// The title, the loss chart and the score chart (and, compact, the input and the
/// target before them); returns where the model columns start.
float lab_header(Scene& s, const SceneTheme& theme, const LabSnapshot& snap, const LabSceneOptions& o, const LabLayout& L) {
    float y = kMargin;
    text(s, kMargin, y,
         "Upsampling lab: step " + std::to_string(snap.step) + ", " + snap.optimizer + ", input " +
             std::to_string(snap.input.shape()[3]) + "x" + std::to_string(snap.input.shape()[2]) + " -> " +
             std::to_string(snap.target.shape()[3]) + "x" + std::to_string(snap.target.shape()[2]),
         theme.ink, 15);
    y += 24;
    if (!snap.picture_note.empty() && !L.compact) {  // compact: the toolbar says it (the height is short)
        text(s, kMargin, y, snap.picture_note, theme.ink, 11);
        y += 16;
    }
    float chart_x = kMargin, chart_h = kChartHeight;
    if (L.compact) {
        // The input (each input pixel a block) and the target, then the charts beside them.
        text(s, kMargin, y, "input (1/" + std::to_string(snap.stride) + ")", theme.ink);
        s.heatmaps.push_back(picture_heatmap(snap.input, kMargin, y + kLabel, L.cell * float(snap.stride)));
        text(s, kMargin + L.pw + kGap, y, "target", theme.ink);
        s.heatmaps.push_back(picture_heatmap(snap.target, kMargin + L.pw + kGap, y + kLabel, L.cell));
        chart_x = kMargin + 2 * (L.pw + kGap);
        chart_h = std::max(120.0f, L.ph + kLabel);
    }
    const float chart_w = (L.width - kMargin - chart_x - kGap) / 2;
    const auto [losses, scores, score_x] = chart_series(snap);
    const std::string steps_axis = o.log_steps ? ", log steps" : "";
    chart(s, theme, chart_x, y, chart_w, chart_h, "loss (log scale" + steps_axis + ")", losses, {}, true, snap.step, o.log_steps);
    // Log scale: the score falls by orders of magnitude during training; on a linear axis
    // every curve would lie on zero after the first steps. The picture's own score is the
    // level a perfect upsampler reaches: the target itself has some energy there.
    chart(s, theme, chart_x + chart_w + kGap, y, chart_w, chart_h,
          "checkerboard score (log" + steps_axis + "; picture: " + fixed("%.2g", snap.target_score) + ")", scores,
          score_x, true, snap.step, o.log_steps);
    return y + chart_h + kGap;
}

/// The first layer's kernel (channel pair 0, 0, a symmetric scale around 0) and, for a
/// strided transposed layer, its s^2 phase sub-kernels with their sums.
float kernel_block(Scene& s, const SceneTheme& theme, const LabModelSnapshot& ms, float x, float y, bool compact) {
    if (ms.parameters.empty()) return y;
    // parameters[0] belongs to the first layer with weights.
    const Layer& L = *std::find_if(ms.layers.begin(), ms.layers.end(), [](const Layer& l) { return l.is_conv(); });
    const Tensor4& w = ms.parameters[0].weight;
    xt::xtensor<double, 2> k = xt::view(w, 0, 0);
    const float b = float(std::clamp(finite_abs_max(k), 1e-9, 1e30));
    text(s, x, y, std::string(class_name(L.kind)) + " kernel [0, 0]", theme.ink, 11);
    y += 14;
    s.heatmaps.push_back(plane_heatmap(k, x, y, kKernelCell, -b, b));
    const float kernel_w = kKernelCell * float(k.shape()[1]), kernel_h = kKernelCell * float(k.shape()[0]);
    float kx = x + kernel_w + (compact ? 6 : 10);
    if (L.kind != LayerKind::ConvTranspose2d || (L.stride.h == 1 && L.stride.w == 1)) return y + kernel_h + 4;
    // The s^2 phase sub-kernels: each output phase sees only its own taps.
    const auto masks = phase_masks(L);
    for (std::size_t p = 0; p < masks.size(); ++p) {
        SceneHeatmap h = plane_heatmap(k, kx, y, kKernelCell, -b, b);
        double sum = 0;
        for (std::size_t i = 0; i < k.size(); ++i) {
            if (masks[p].data()[i]) sum += k.data()[i];
            else h.styles[i] = CellStyle::Empty;
        }
        s.heatmaps.push_back(std::move(h));
        text(s, kx, y + kernel_h + 1, fixed("%+.2f", sum), theme.ink, 9);
        // Room for the sum ("-0.27" at 9 px) and a space.
        kx += std::max(kernel_w, compact ? 28.0f : 30.0f) + (compact ? 4 : 6);
    }
    y += kernel_h + 12;
    text(s, x, y, "phase sub-kernels (sums)", theme.ink, 9);
    return y + 12;
}

/// One model's column; returns its bottom.
float model_column(Scene& s, const SceneTheme& theme, const LabSnapshot& snap, std::size_t m, const LabSceneOptions& o,
                   const LabLayout& L, float top, double max_error) {
    const LabModelSnapshot& ms = snap.models[m];
    const float x = L.column_x(m);
    float y = top;
    s.rects.push_back(SceneRect{x, y + 2, 10, 10, lab_model_color(m)});
    if (L.compact) y += std::max(kLabel, wrapped(s, x + 14, y + 1, L.col_w - 14, ms.name, theme.ink, 10));
    else {
        text(s, x + 14, y + 1, ms.name, theme.ink, 11);
        y += kLabel;
    }
    s.heatmaps.push_back(picture_heatmap(ms.output, x, y, L.cell));
    y += L.ph + 2;
    if (L.compact) {
        text(s, x, y, "PSNR " + fixed("%.2f", ms.psnr) + " dB", theme.ink, 11);
        text(s, x + L.col_w / 2 + 8, y, "loss " + fixed("%.3g", ms.loss), theme.ink, 11);
    } else {
        text(s, x, y, "PSNR " + fixed("%.2f", ms.psnr) + " dB  loss " + fixed("%.3g", ms.loss), theme.ink, 11);
    }
    y += 14;
    text(s, x, y, "checkerboard " + fixed("%.2g", ms.score.score), theme.ink, 11);
    y += 16;
    if (!ms.diverged.empty()) y = divergence_note(s, theme, ms, x, y);
    const auto [lo, hi] = finite_range(ms.spectrum);
    const float spec_lo = float(std::clamp(lo, -3e38, 3e38)), spec_hi = float(std::clamp(hi, -3e38, 3e38));
    if (L.compact) {
        // Side by side at half size (2x2 blocks: the error's mean, the spectrum's peak).
        const float half = L.cell * float(snap.target.shape()[3] / 2);
        text(s, x, y, "|error| <= " + fixed("%.2g", max_error), theme.ink, 9);
        text(s, x + half + 6, y, "spectrum", theme.ink, 9);
        y += 12;
        s.heatmaps.push_back(plane_heatmap(half_size(ms.error, false), x, y, L.cell, 0, float(max_error)));
        if (o.spectra) s.heatmaps.push_back(plane_heatmap(half_size(ms.spectrum, true), x + half + 6, y, L.cell, spec_lo, spec_hi));
        y += L.cell * float(snap.target.shape()[2] / 2) + 4;
    } else {
        text(s, x, y, "|error| (0 to " + fixed(max_error < 1e3 ? "%.2f" : "%.2g", max_error) + ")", theme.ink, 11);
        y += 14;
        s.heatmaps.push_back(plane_heatmap(ms.error, x, y, L.cell, 0, float(max_error)));
        y += L.ph + 4;
        if (o.spectra) {
            text(s, x, y, "spectrum log(1+|F|^2)", theme.ink, 11);
            y += 14;
            s.heatmaps.push_back(plane_heatmap(ms.spectrum, x, y, L.cell, spec_lo, spec_hi));
            y += L.ph + 4;
        }
    }
    y = overlap_maps(s, theme, ms.layers, shape_of(snap.input), x, y, L.col_w, L.compact);
    return kernel_block(s, theme, ms, x, y, L.compact);
}

/// `words` broken at spaces into lines at most `width` px wide in DejaVu Sans at `size`
/// (a word wider than that keeps a line of its own).
std::vector<std::string> measured_lines(const std::string& words, float width, float size) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t at = 0;
    while (at < words.size()) {
        std::size_t end = words.find(' ', at);
        if (end == std::string::npos) end = words.size();
        const std::string word = words.substr(at, end - at);
        at = end + 1;
        if (word.empty()) continue;
        const std::string longer = line.empty() ? word : line + " " + word;
        if (!line.empty() && dejavu_advance_em(longer) * size > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = longer;
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

// The slide layout's words: 26 px, measured at 28 (the page may still grow them a little).
constexpr float kSlideWords = 26, kSlideMeasured = 28, kSlideLine = 32;

/// Where the slide layout's rows start.
struct SlideRows {
    float names = 0, pictures = 0, numbers = 0, errors = 0;
};

/// Model m's column of the slide layout: its name, output, PSNR, loss and checkerboard
/// score (why it stopped, if it did) and error map.
void slide_model_column(Scene& s, const SceneTheme& theme, const LabModelSnapshot& ms, std::size_t m, float x, const SlideRows& rows,
                        const std::vector<std::string>& name, float cell, double max_error) {
    s.rects.push_back(SceneRect{x, rows.names + 4, 20, 20, lab_model_color(m)});  // the curves' key: large enough to tell apart
    for (std::size_t l = 0; l < name.size(); ++l) text(s, x + 26, rows.names + float(l) * kSlideLine, name[l], theme.ink, kSlideWords);
    s.heatmaps.push_back(picture_heatmap(ms.output, x, rows.pictures, cell));
    text(s, x, rows.numbers, fixed("%.2f", ms.psnr) + " dB", theme.ink, kSlideWords);
    text(s, x, rows.numbers + kSlideLine, fixed("%.3g", ms.loss), theme.ink, kSlideWords);
    text(s, x, rows.numbers + 2 * kSlideLine, fixed("%.2g", ms.score.score), theme.ink, kSlideWords);
    if (!ms.diverged.empty()) divergence_note(s, theme, ms, x, rows.numbers + 3 * kSlideLine + 4);
    s.heatmaps.push_back(plane_heatmap(ms.error, x, rows.errors, cell, 0, float(max_error)));
}

/// The slide layout's two charts side by side across `width`, at `y`; returns their bottom.
float slide_charts(Scene& s, const SceneTheme& theme, const LabSnapshot& snap, const LabSceneOptions& o, float y, float width) {
    constexpr float kFont = 2.0f, kHeight = 170;
    const ChartSeries series = chart_series(snap);
    const float chart_w = (width - 2 * kMargin - 2 * kGap) / 2;
    chart(s, theme, kMargin, y, chart_w, kHeight, "loss (log scale)", series.losses, {}, true, snap.step, o.log_steps, kFont);
    chart(s, theme, kMargin + chart_w + 2 * kGap, y, chart_w, kHeight,
          "checkerboard (log; dashed: the target's own, " + fixed("%.2g", snap.target_score) + ")", series.scores, series.score_x, true,
          snap.step, o.log_steps, kFont, snap.target_score);
    return y + kHeight;
}

/// The projector's layout (LabSceneOptions::slide). A deck page grows a figure's words to
/// the back row's size (1/40 of the screen's height, 27 px on 1080 rows) and the figure
/// fills the screen at about 1x, so its words are set at that size here and every column
/// is wide enough for them: no word needs to move or wrap on the screen.
///   column 0:   the input, the rows' names, the target
///   column 1+m: model m's name, output, PSNR, loss and checkerboard score, error map
/// and the two charts across the bottom.
Scene lab_slide_scene(const LabSnapshot& snap, const LabSceneOptions& o, const SceneTheme& theme) {
    Scene s;
    s.background = theme.background;
    const float cell = std::max(1.0f, std::floor(o.picture_cell));
    const std::int64_t H = std::int64_t(snap.target.shape()[2]), W = std::int64_t(snap.target.shape()[3]);
    const float pw = cell * float(W), ph = cell * float(H);
    // Room for "PixelShuffle (ICNR)" on one line at 28 px (263 px) after the colour square,
    // as long as the columns fit 1920 px (a sixth model typed in: 253 px each, and the
    // name takes three lines).
    const std::size_t columns = snap.models.size() + 1;
    const float col_w = std::max(pw, std::min(285.0f, (1920 - 2 * kMargin - float(columns - 1) * kGap) / float(columns)));
    const float width = 2 * kMargin + float(columns) * (col_w + kGap) - kGap;
    auto column_x = [&](std::size_t c) { return kMargin + float(c) * (col_w + kGap); };
    const std::string input_size = std::to_string(snap.input.shape()[3]) + "x" + std::to_string(snap.input.shape()[2]);
    const std::string target_size = std::to_string(W) + "x" + std::to_string(H);
    float y = kMargin;
    text(s, kMargin, y, "Upsampling lab: step " + std::to_string(snap.step) + ", " + snap.optimizer + ", " + input_size + " -> " + target_size,
         theme.ink, 28);
    y += 40;
    y += 6;  // (the picture's note, "scaled down to 64x64", is the app's: a slide has no room for it)
    // The names: as many lines for every column as the longest takes, so the pictures line up.
    std::vector<std::vector<std::string>> names;
    std::size_t name_lines = 2;  // "input 32x32" / "(each pixel 2x2)"
    for (const auto& m : snap.models) {
        names.push_back(measured_lines(m.name, col_w - 26, kSlideMeasured));
        name_lines = std::max(name_lines, names.back().size());
    }
    const float pictures = y + float(name_lines) * kSlideLine + 4;
    text(s, column_x(0), y, "input " + input_size, theme.ink, kSlideWords);
    text(s, column_x(0), y + kSlideLine, "(shown enlarged)", theme.ink, kSlideWords);
    s.heatmaps.push_back(picture_heatmap(snap.input, column_x(0), pictures, cell * float(snap.stride)));
    double max_error = 1e-6;
    for (const auto& m : snap.models) max_error = std::min(3e38, std::max(max_error, finite_abs_max(m.error)));
    const float numbers = pictures + ph + 8;
    const char* row_names[] = {"PSNR", "loss", "checkerboard"};
    for (int r = 0; r < 3; ++r) text(s, column_x(0), numbers + float(r) * kSlideLine, row_names[r], theme.ink, kSlideWords);
    float errors = numbers + 3 * kSlideLine + 10;
    // A model that stopped says why under its numbers: the error row moves down for all.
    for (const auto& m : snap.models)
        if (!m.diverged.empty()) errors = std::max(errors, numbers + 3 * kSlideLine + 4 + 4 * 14 + 6);
    text(s, column_x(0), errors, "target " + target_size, theme.ink, kSlideWords);
    text(s, column_x(1), errors,
         "|output - target| of each model, on one scale: 0 to " + fixed(max_error < 1e3 ? "%.2f" : "%.2g", max_error), theme.ink, kSlideWords);
    s.heatmaps.push_back(picture_heatmap(snap.target, column_x(0), errors + kSlideLine + 4, cell));
    const SlideRows rows{y, pictures, numbers, errors + kSlideLine + 4};
    for (std::size_t m = 0; m < snap.models.size(); ++m)
        slide_model_column(s, theme, snap.models[m], m, column_x(m + 1), rows, names[m], cell, max_error);
    const float charts = errors + kSlideLine + 4 + ph + 2 * kGap;
    s.width = width;
    s.height = slide_charts(s, theme, snap, o, charts, width) + kMargin;
    return s;
}

}  // namespace

Scene build_lab_scene(const LabSnapshot& snap, const LabSceneOptions& o) {
    const SceneTheme theme = SceneTheme::make(o.dark);
    if (o.slide) return lab_slide_scene(snap, o, theme);
    Scene s;
    s.background = theme.background;
    LabLayout L;
    L.compact = o.compact;
    L.cell = std::max(1.0f, std::floor(o.picture_cell));  // whole screen pixels per picture pixel
    L.pw = L.cell * float(snap.target.shape()[3]);
    L.ph = L.cell * float(snap.target.shape()[2]);
    // Room for the name, the PSNR line and the phase sub-kernels (compact: the name on two
    // lines, PSNR and loss side by side, the sub-kernels closer).
    L.col_w = std::max(L.pw, o.compact ? 160.0f : 172.0f);
    const std::size_t models = snap.models.size(), columns = models + (o.compact ? 0 : 1);
    L.width = kMargin * 2 + float(columns) * (L.col_w + kGap) - kGap;
    if (o.compact) L.width = std::max(L.width, kMargin * 2 + 2 * (L.pw + kGap) + 2 * 200 + kGap);  // the charts' room

    const float header = lab_header(s, theme, snap, o, L);
    float bottom = header;
    if (!o.compact) {
        // Column 0: the input (drawn at the target's size, each input pixel a block) and the target.
        text(s, kMargin, header, "input (scaled down by " + std::to_string(snap.stride) + ")", theme.ink);
        s.heatmaps.push_back(picture_heatmap(snap.input, kMargin, header + kLabel, L.cell * float(snap.stride)));
        text(s, kMargin, header + kLabel + L.ph + kGap, "target", theme.ink);
        s.heatmaps.push_back(picture_heatmap(snap.target, kMargin, header + 2 * kLabel + L.ph + kGap, L.cell));
        bottom = header + 2 * kLabel + 2 * L.ph + kGap;
    }
    // The error maps share one scale so that models compare.
    // (At most float's range: a diverging model's error of 1e216 is a number, drawn at the top.)
    double max_error = 1e-6;
    for (const auto& m : snap.models) max_error = std::min(3e38, std::max(max_error, finite_abs_max(m.error)));
    for (std::size_t m = 0; m < models; ++m)
        bottom = std::max(bottom, model_column(s, theme, snap, m, o, L, header, max_error));
    s.width = L.width;
    s.height = bottom + kMargin;
    return s;
}

}  // namespace convscope
