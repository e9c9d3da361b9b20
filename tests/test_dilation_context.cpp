// Preset dilation-context: one 3x3 kernel on a real picture at dilation 1, 2 and 4. The
// maps are the convolutions the PyTorch lines name, the scene draws three maps and the
// receptive fields 3x3, 5x5, 9x9, the export works headless, and the app opens the view.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <xtensor/xview.hpp>

#include "app/logic/app_lab.hpp"
#include "app/logic/app_state.hpp"
#include "app/logic/documents.hpp"
#include "core/scene/dilation_context.hpp"
#include "core/io/pycode.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::run_cli;

namespace {

/// A 20x12 RGB binary PPM (P6) with a bright square, in the temporary folder.
std::string small_picture() {
    const std::string path = (std::filesystem::temp_directory_path() / "convscope_context.ppm").string();
    std::ofstream out(path, std::ios::binary);
    out << "P6\n20 12\n255\n";
    for (int r = 0; r < 12; ++r)
        for (int c = 0; c < 20; ++c) {
            const bool inside = r >= 3 && r < 9 && c >= 5 && c < 13;
            out.put(char(inside ? 230 : 20)).put(char(inside ? 200 : 40 + c)).put(char(60 + 10 * (r % 3)));
        }
    return path;
}

}  // namespace

TEST_CASE("the three dilation-context maps are the convolutions their PyTorch lines name", "[context]") {
    const ContextKernel kernel = GENERATE(ContextKernel::Sobel, ContextKernel::Laplacian, ContextKernel::Box);
    CAPTURE(context_kernel_name(kernel));
    const DilationContext c = compute_dilation_context(read_picture(small_picture()), kernel);
    REQUIRE(c.maps.size() == 3);
    REQUIRE(shape_of(c.grey) == std::vector<std::int64_t>{1, 1, 12, 20});
    const Tensor4 w = context_kernel_weight(kernel);
    for (std::size_t i = 0; i < 3; ++i) {
        const std::int64_t d = kContextDilations[i];
        CAPTURE(d);
        // The shown PyTorch line, read back, computes exactly the map.
        const Layer L = parse_pytorch_code(context_code(d))[0];
        REQUIRE(L.dilation == Pair{d, d});
        REQUIRE(L.padding.value == Pair{d, d});
        REQUIRE_FALSE(L.bias);
        ConvWeights cw;
        cw.weight = w;
        REQUIRE((conv2d(c.grey, cw, L) == c.maps[i]));
        REQUIRE(L.padding_mode == PaddingMode::Reflect);
        // And by the definition: y[r][q] = sum_{t,u} w[t][u] x[r + (t-1) d][q + (u-1) d], the
        // picture mirrored at its edges (reflect: index -i is i, index n-1+i is n-1-i).
        for (std::int64_t r = 0; r < 12; ++r)
            for (std::int64_t q = 0; q < 20; ++q) {
                double sum = 0;
                for (std::int64_t t = 0; t < 3; ++t)
                    for (std::int64_t u = 0; u < 3; ++u) {
                        auto mirror = [](std::int64_t i, std::int64_t n) { return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i; };
                        const std::int64_t rr = mirror(r + (t - 1) * d, 12), qq = mirror(q + (u - 1) * d, 20);
                        sum += w(0, 0, std::size_t(t), std::size_t(u)) * c.grey(0, 0, std::size_t(rr), std::size_t(qq));
                    }
                REQUIRE(c.maps[i](0, 0, std::size_t(r), std::size_t(q)) == Approx(sum).margin(1e-12));
            }
    }
    // The weights stay nine: the kernels themselves.
    const xt::xtensor<double, 2> k = xt::view(w, 0, 0);
    if (kernel == ContextKernel::Sobel)
        REQUIRE((k == xt::xtensor<double, 2>{{-0.125, 0, 0.125}, {-0.25, 0, 0.25}, {-0.125, 0, 0.125}}));
    if (kernel == ContextKernel::Laplacian) REQUIRE((k == xt::xtensor<double, 2>{{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}));
    if (kernel == ContextKernel::Box) REQUIRE(double(xt::sum(k)()) == Approx(1.0));
}

TEST_CASE("the dilation-context scene has the picture, three maps and the receptive fields 3x3, 5x5 and 9x9",
          "[context][scene]") {
    const DilationContext c = compute_dilation_context(std::string(), ContextKernel::Sobel);  // the shipped picture
    const std::int64_t H = std::int64_t(c.grey.shape()[2]), W = std::int64_t(c.grey.shape()[3]);
    REQUIRE(std::max(H, W) == kContextPictureSide);
    ContextSceneOptions o;
    o.cell = 2;
    const Scene s = build_dilation_context_scene(c, o);
    const auto maps = std::count_if(s.heatmaps.begin(), s.heatmaps.end(),
                                    [&](const SceneHeatmap& h) { return h.colors.empty() && h.rows == H && h.cols == W; });
    REQUIRE(maps == 3);
    REQUIRE(std::count_if(s.heatmaps.begin(), s.heatmaps.end(), [](const SceneHeatmap& h) { return !h.colors.empty(); }) == 1);
    std::vector<float> sides;
    for (const SceneRect& r : s.rects)
        if (r.role == RectRole::Window) sides.push_back(r.w / o.cell);
    REQUIRE(sides.size() == kContextBoxes);
    // On the picture, nested; then one per map, in dilation order.
    REQUIRE(sides == std::vector<float>{3, 5, 9, 3, 5, 9});
    // Nine taps per field.
    REQUIRE(std::count_if(s.rects.begin(), s.rects.end(), [](const SceneRect& r) { return r.role == RectRole::Marker; }) == 9 * 6);
    auto has_text = [&](const std::string& t) {
        return std::any_of(s.texts.begin(), s.texts.end(), [&](const SceneText& x) { return x.text.find(t) != std::string::npos; });
    };
    REQUIRE(has_text("dilation 1: receptive field 3x3"));
    REQUIRE(has_text("dilation 2: receptive field 5x5"));
    REQUIRE(has_text("dilation 4: receptive field 9x9"));
    REQUIRE(has_text("nn.Conv2d(1, 1, 3, dilation=4,"));
    REQUIRE(has_text("padding=4, padding_mode='reflect',"));
    REQUIRE(s.width > 4 * float(W) * o.cell);
}

TEST_CASE("convscope exports dilation-context headless as png, svg and pdf, on a picture given", "[context][cli]") {
    const std::string dir = (std::filesystem::temp_directory_path() / "convscope_context_export").string();
    std::filesystem::create_directories(dir);
    const std::string format = GENERATE(std::string("png"), std::string("svg"), std::string("pdf"));
    const std::string out = dir + "/context." + format;
    std::filesystem::remove(out);
    const auto r = run_cli("export --preset dilation-context --format " + format + " --out " + out + " --kernel box --image " +
                               small_picture(),
                           "DISPLAY=");
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(std::filesystem::file_size(out) > 100);
    const auto d = run_cli("export --preset dilation-context --format png --out " + dir + "/default.png", "DISPLAY=");
    REQUIRE(d.status == 0);
    const auto bad = run_cli("export --preset dilation-context --format png --out " + dir + "/bad.png --kernel sharpen");
    REQUIRE(bad.status >= 1);
    REQUIRE_THAT(bad.err, Catch::Contains("--kernel 'sharpen' is unknown"));
    const auto gif = run_cli("export --preset dilation-context --format gif --out " + dir + "/c.gif");
    REQUIRE(gif.status >= 1);
    REQUIRE_THAT(gif.err, Catch::Contains("it is a still"));
    const auto list = run_cli("presets");
    REQUIRE_THAT(list.out, Catch::Contains("dilation-context"));
}

TEST_CASE("the app opens the dilation-context view with its preset and gives it the pictures opened", "[context][app]") {
    using namespace convscope::gui;
    AppState state;
    load_preset(state, "dilation-context");
    REQUIRE(state.context_view);
    REQUIRE_FALSE(state.lab);
    REQUIRE(state.context_view->context.maps.size() == 3);
    std::string message;
    REQUIRE(open_context_view(state, state.context_view->image_path, ContextKernel::Laplacian, message));
    REQUIRE(state.context_view->kernel == ContextKernel::Laplacian);
    REQUIRE(open_picture(state, small_picture()));
    REQUIRE(state.context_view->context.grey.shape()[3] == 20);
    REQUIRE(state.context_view->kernel == ContextKernel::Laplacian);  // the kernel stays
    REQUIRE_FALSE(open_picture(state, convscope::test::data_path("golden/README.md")));
    REQUIRE(state.context_view->context.grey.shape()[3] == 20);  // a refused picture keeps the view's
    load_preset(state, "seed-dilated");
    REQUIRE_FALSE(state.context_view);
}
