#include "core/scene/dilation_context.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "core/base/errors.hpp"
#include "core/scene/scene_lab.hpp"
#include "core/scene/scene_theme.hpp"
#include "core/base/files.hpp"

namespace convscope {

const char* context_kernel_name(ContextKernel k) {
    switch (k) {
        case ContextKernel::Sobel: return "sobel";
        case ContextKernel::Laplacian: return "laplacian";
        case ContextKernel::Box: return "box";
    }
    return "sobel";
}

ContextKernel parse_context_kernel(const std::string& name, const std::string& what) {
    for (ContextKernel k : {ContextKernel::Sobel, ContextKernel::Laplacian, ContextKernel::Box})
        if (name == context_kernel_name(k)) return k;
    throw UserError(what + " '" + name.substr(0, 40) + "' is unknown: expected sobel, laplacian or box");
}

const char* context_kernel_title(ContextKernel k) {
    switch (k) {
        case ContextKernel::Sobel: return "Sobel x / 8: vertical edges";
        case ContextKernel::Laplacian: return "Laplacian: edges in every direction";
        case ContextKernel::Box: return "box blur: the mean of the nine taps";
    }
    return "";
}

Tensor4 context_kernel_weight(ContextKernel k) {
    Tensor4 w = xt::zeros<double>({std::size_t(1), std::size_t(1), std::size_t(3), std::size_t(3)});
    static const double sobel[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    static const double laplacian[9] = {0, 1, 0, 1, -4, 1, 0, 1, 0};
    for (std::size_t i = 0; i < 9; ++i)
        w(0, 0, i / 3, i % 3) = k == ContextKernel::Sobel ? sobel[i] / 8 : k == ContextKernel::Laplacian ? laplacian[i] : 1.0 / 9;
    return w;
}

Layer context_layer(std::int64_t d) {
    Layer L;
    L.kind = LayerKind::Conv2d;
    L.kernel = {3, 3};
    L.dilation = {d, d};
    L.padding.value = {d, d};
    // Mirrored at the edges, as image models often pad: zeros would frame every map with
    // edges of their own, brighter at dilation 4 than the picture's.
    L.padding_mode = PaddingMode::Reflect;
    L.bias = false;
    return L;
}

std::string context_code(std::int64_t d) {
    const std::string n = std::to_string(d);
    return "nn.Conv2d(1, 1, 3, dilation=" + n + ", padding=" + n + ", padding_mode='reflect', bias=False)";
}

DilationContext compute_dilation_context(const Picture& source, ContextKernel kernel) {
    DilationContext c;
    c.kernel = kernel;
    const Picture fitted = fit_picture(source, kContextPictureSide, &c.note);
    c.picture = picture_to_tensor(fitted, fitted.channels >= 3 ? 3 : 1);
    c.grey = picture_to_tensor(fitted, 1);
    c.weights.weight = context_kernel_weight(kernel);
    c.weights.has_bias = false;
    for (std::int64_t d : kContextDilations) c.maps.push_back(conv2d(c.grey, c.weights, context_layer(d)));
    return c;
}

DilationContext compute_dilation_context(const std::string& path, ContextKernel kernel) {
    return compute_dilation_context(read_picture(path.empty() ? asset_path("landscape.png") : path), kernel);
}

namespace {

/// One colour per dilation (Okabe-Ito: vermillion, blue, bluish green).
Color dilation_color(std::size_t i) {
    static const Color c[] = {{0.84f, 0.37f, 0.0f, 1}, {0.0f, 0.45f, 0.70f, 1}, {0.0f, 0.62f, 0.45f, 1}};
    return c[i % 3];
}

/// The receptive field of dilation d centred on picture cell (cy, cx), drawn on a map
/// placed at (x, y): the (2d + 1)^2 box and its nine taps.
void receptive_field(Scene& s, float x, float y, float cell, std::int64_t cy, std::int64_t cx, std::int64_t d,
                     const Color& color) {
    const float side = float(2 * d + 1) * cell;
    SceneRect box{x + float(cx - d) * cell, y + float(cy - d) * cell, side, side, Color{0, 0, 0, 0}, color, 1.5f,
                  RectRole::Window};
    s.rects.push_back(box);
    const float dot = std::max(cell, 2.5f);
    for (std::int64_t t = -1; t <= 1; ++t)
        for (std::int64_t u = -1; u <= 1; ++u) {
            const float px = x + (float(cx + u * d) + 0.5f) * cell - dot / 2, py = y + (float(cy + t * d) + 0.5f) * cell - dot / 2;
            s.rects.push_back(SceneRect{px, py, dot, dot, color, Color{0, 0, 0, 0}, 0, RectRole::Marker});
        }
}

}  // namespace

Scene build_dilation_context_scene(const DilationContext& c, const ContextSceneOptions& o) {
    const SceneTheme theme = SceneTheme::make(o.dark);
    Scene s;
    s.background = theme.background;
    const float margin = 16, gap = 18, cell = o.cell;
    const std::int64_t H = std::int64_t(c.grey.shape()[2]), W = std::int64_t(c.grey.shape()[3]);
    const float pw = cell * float(W), ph = cell * float(H);
    const float col_w = std::max(pw, 200.0f);  // room for the PyTorch line
    auto text = [&](float x, float y, const std::string& t, float size = 12) {
        s.texts.push_back(SceneText{x, y, size, theme.ink, t, false});
    };
    float y = margin;
    text(margin, y,
         std::string("Dilation captures a larger context: one 3x3 kernel (") + context_kernel_title(c.kernel) +
             "), dilation 1, 2 and 4, nine weights each",
         15);
    y += 24;
    text(margin, y, "picture " + std::to_string(W) + "x" + std::to_string(H) + " in grey; padding = dilation (mirrored) keeps the size" +
                        (c.note.empty() ? "" : " (" + c.note + ")"),
         11);
    y += 22;
    // The centre of the picture: where the receptive fields are drawn.
    const std::int64_t cy = H / 2, cx = W / 2;

    // Column 0: the picture with the three fields nested, then the kernel.
    float x = margin;
    text(x, y, "picture: receptive fields 3x3, 5x5, 9x9");
    s.heatmaps.push_back(picture_heatmap(c.grey, x, y + 16, cell));  // the grey the maps are computed from
    for (std::size_t i = 0; i < kContextDilations.size(); ++i)
        receptive_field(s, x, y + 16, cell, cy, cx, kContextDilations[i], dilation_color(i));

    // The maps share one colour scale (symmetric around 0 for the edge kernels), read
    // inside the border the widest padding reaches (mirrored cells there repeat the
    // picture's own) and at the 99th percentile, so that a few strong edges do not flatten the rest.
    const std::int64_t border = kContextDilations.back();
    std::vector<double> inside;
    for (const Tensor4& m : c.maps)
        for (std::int64_t r = border; r < H - border; ++r)
            for (std::int64_t q = border; q < W - border; ++q) {
                const double v = m(0, 0, std::size_t(r), std::size_t(q));
                inside.push_back(c.kernel == ContextKernel::Box ? v : std::abs(v));
            }
    if (inside.empty())  // a picture smaller than the border: every cell counts
        for (const Tensor4& m : c.maps)
            for (double v : m) inside.push_back(c.kernel == ContextKernel::Box ? v : std::abs(v));
    std::sort(inside.begin(), inside.end());
    double lo = inside.front(), hi = inside[std::size_t(double(inside.size() - 1) * 0.99)];
    if (c.kernel != ContextKernel::Box) lo = -hi;
    else hi = inside.back();
    if (hi - lo < 1e-12) hi = lo + 1;
    float bottom = y + 16 + ph;
    for (std::size_t i = 0; i < c.maps.size(); ++i) {
        const std::int64_t d = kContextDilations[i];
        x = margin + float(i + 1) * (col_w + gap);
        const std::string side = std::to_string(2 * d + 1);
        s.rects.push_back(SceneRect{x, y + 2, 10, 10, dilation_color(i)});
        text(x + 14, y, "dilation " + std::to_string(d) + ": receptive field " + side + "x" + side);
        const xt::xtensor<double, 2> plane = xt::view(c.maps[i], 0, 0);
        s.heatmaps.push_back(plane_heatmap(plane, x, y + 16, cell, float(lo), float(hi)));
        receptive_field(s, x, y + 16, cell, cy, cx, d, dilation_color(i));
        float yy = y + 16 + ph + 4;
        // The PyTorch line, in three parts: the column is narrow.
        text(x, yy, "nn.Conv2d(1, 1, 3, dilation=" + std::to_string(d) + ",", 10);
        text(x, yy + 13, "          padding=" + std::to_string(d) + ", padding_mode='reflect',", 10);
        text(x, yy + 26, "          bias=False)", 10);
        text(x, yy + 41, "9 weights, " + side + "x" + side + " = " + std::to_string((2 * d + 1) * (2 * d + 1)) + " pixels seen", 10);
        bottom = std::max(bottom, yy + 55);
    }
    // The kernel: the same nine weights for every map.
    float ky = bottom + 6;
    text(margin, ky, "the kernel (the same nine weights at every dilation)");
    ky += 16;
    const float kcell = 30;
    const xt::xtensor<double, 2> k = xt::view(c.weights.weight, 0, 0);
    const double b = std::max(1e-9, double(xt::amax(xt::abs(k))()));
    SceneHeatmap kh = plane_heatmap(k, margin, ky, kcell, c.kernel == ContextKernel::Box ? 0.0f : float(-b), float(b));
    kh.role = RectRole::KernelCell;
    s.heatmaps.push_back(kh);
    for (std::size_t r = 0; r < 3; ++r)
        for (std::size_t q = 0; q < 3; ++q) {
            // finite_text: a weight that is not a number is written NaN or inf, as everywhere.
            const std::string label = finite_text(c.kernel == ContextKernel::Box ? "%.3f" : "%g", k(r, q));
            const float t = kh.t(float(k(r, q)));
            s.texts.push_back(SceneText{margin + (float(q) + 0.5f) * kcell, ky + (float(r) + 0.5f) * kcell, 10,
                                        t > 0.6f ? Color{0, 0, 0, 1} : Color{1, 1, 1, 1}, label, true});
        }
    text(margin + 3 * kcell + 14, ky, "weight = torch.tensor(...).view(1, 1, 3, 3)", 10);
    text(margin + 3 * kcell + 14, ky + 14, "x = picture in grey, 1 x 1 x " + std::to_string(H) + " x " + std::to_string(W), 10);
    text(margin + 3 * kcell + 14, ky + 28,
         "the features grow in scale with the dilation while the weights stay nine", 10);
    char range[80];
    std::snprintf(range, sizeof range, "maps: one colour scale, %.3g (dark) to %.3g (bright), clipped", lo, hi);
    text(margin + 3 * kcell + 14, ky + 42, range, 10);
    s.width = margin * 2 + float(c.maps.size() + 1) * (col_w + gap) - gap;
    s.height = ky + 3 * kcell + margin;
    return s;
}

}  // namespace convscope
