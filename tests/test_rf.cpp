// Receptive fields: PyTorch autograd's path counts, the published table of
// google-research/receptive_field, and properties that must hold for any stack.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bench/core_bench.hpp"
#include "core/io/json_io.hpp"
#include "core/nn/rf.hpp"
#include "core/scene/scene.hpp"
#include "core/anim/session.hpp"
#include "helpers.hpp"

using namespace convscope;

namespace {

Layer conv(std::int64_t k, std::int64_t s, std::int64_t p, std::int64_t d = 1) {
    Layer L;
    L.kernel = {k, k};
    L.stride = {s, s};
    L.padding.value = {p, p};
    L.dilation = {d, d};
    return L;
}

Layer pool(std::int64_t k, std::int64_t s, std::int64_t p = 0) {
    Layer L = conv(k, s, p);
    L.kind = LayerKind::MaxPool2d;
    return L;
}

/// Checks the summary after each named end-point (layer index) against (rf, stride, padding).
struct EndPoint {
    std::size_t layer;
    double rf, stride, padding;
};

void check_table(const std::vector<Layer>& layers, std::int64_t size, const std::vector<EndPoint>& table, bool check_padding = true) {
    const auto geo = resolve_stack(layers, size, size);
    const auto summary = receptive_field_summary(layers, geo);
    for (const EndPoint& e : table) {
        INFO("end-point after layer " << e.layer + 1);
        CHECK(summary[e.layer].rf_size[0] == e.rf);
        CHECK(summary[e.layer].effective_stride[0] == e.stride);
        if (check_padding) CHECK(summary[e.layer].effective_padding[0] == e.padding);
    }
}

}  // namespace

TEST_CASE("every golden receptive field matches PyTorch's path counts exactly", "[rf][golden]") {
    const auto files = test::files_in(test::data_path("golden/rf"));
    REQUIRE(files.size() >= 36);
    for (const std::string& f : files) {
        DYNAMIC_SECTION(f) {
            const nlohmann::json j = read_json_file(f);
            const RfStack stack = rf_stack_from_json(j);
            const RfResult r = compute_receptive_field(stack);
            const auto& sizes = j.at("layer_output_sizes");
            for (std::size_t l = 0; l < r.geometry.size(); ++l) {
                CHECK(r.geometry[l].h().out == sizes[l][0].get<std::int64_t>());
                CHECK(r.geometry[l].w().out == sizes[l][1].get<std::int64_t>());
            }
            REQUIRE(r.fits_int64());
            const auto map = r.exact_map();
            const auto& expected = j.at("expected_paths");
            const std::int64_t W = stack.input_size[1];
            bool same = true;
            for (std::int64_t y = 0; y < stack.input_size[0]; ++y)
                for (std::int64_t x = 0; x < W; ++x)
                    same = same && map[std::size_t(y * W + x)] == expected[std::size_t(y)][std::size_t(x)].get<std::int64_t>();
            CHECK(same);
        }
    }
}

TEST_CASE("the published receptive fields of AlexNet v2, VGG-A and VGG-16 are reproduced", "[rf][published]") {
    // google-research/receptive_field, RECEPTIVE_FIELD_TABLE.md (TF-Slim models at 224).
    SECTION("alexnet_v2") {
        const std::vector<Layer> net = {conv(11, 4, 0), pool(3, 2), conv(5, 1, 2), pool(3, 2),
                                        conv(3, 1, 1), conv(3, 1, 1), conv(3, 1, 1), pool(3, 2)};
        check_table(net, 224, {{0, 11, 4, 0}, {1, 19, 8, 0}, {2, 51, 8, 16}, {4, 99, 16, 32},
                               {5, 131, 16, 48}, {6, 163, 16, 64}, {7, 195, 32, 64}});
    }
    SECTION("vgg_a") {
        const std::vector<Layer> net = {conv(3, 1, 1), pool(2, 2), conv(3, 1, 1), pool(2, 2),
                                        conv(3, 1, 1), conv(3, 1, 1), pool(2, 2),
                                        conv(3, 1, 1), conv(3, 1, 1), pool(2, 2),
                                        conv(3, 1, 1), conv(3, 1, 1), pool(2, 2)};
        check_table(net, 224, {{0, 3, 1, 1}, {1, 4, 2, 1}, {2, 8, 2, 3}, {3, 10, 4, 3}, {4, 18, 4, 7},
                               {5, 26, 4, 11}, {6, 30, 8, 11}, {7, 46, 8, 19}, {8, 62, 8, 27},
                               {9, 70, 16, 27}, {10, 102, 16, 43}, {11, 134, 16, 59}, {12, 150, 32, 59}});
    }
    SECTION("vgg_16") {
        std::vector<Layer> net;
        for (int block : {2, 2, 3, 3, 3}) {
            for (int i = 0; i < block; ++i) net.push_back(conv(3, 1, 1));
            net.push_back(pool(2, 2));
        }
        check_table(net, 224, {{0, 3, 1, 1}, {2, 6, 2, 2}, {3, 10, 2, 4}, {5, 16, 4, 6}, {6, 24, 4, 10},
                               {7, 32, 4, 14}, {9, 44, 8, 18}, {10, 60, 8, 26}, {11, 76, 8, 34},
                               {13, 100, 16, 42}, {14, 132, 16, 58}, {15, 164, 16, 74}, {17, 212, 32, 90}});
    }
    SECTION("mobilenet_v1: field and stride of every pointwise end-point") {
        // Conv2d_0 3x3/2, then 13 blocks of depthwise 3x3 (stride below) + pointwise 1x1.
        // TF's 'SAME' pads asymmetrically at stride 2, so only field and stride are compared.
        std::vector<Layer> net = {conv(3, 2, 1)};
        for (int s : {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1}) {
            net.push_back(conv(3, s, 1));
            net.push_back(conv(1, 1, 0));
        }
        const std::vector<double> rf = {7, 11, 19, 27, 43, 59, 91, 123, 155, 187, 219, 251, 315};
        const std::vector<double> stride = {2, 4, 4, 8, 8, 16, 16, 16, 16, 16, 16, 32, 32};
        std::vector<EndPoint> table = {{0, 3, 2, 0}};
        for (std::size_t i = 0; i < rf.size(); ++i) table.push_back({2 + 2 * i, rf[i], stride[i], 0});
        check_table(net, 224, table, false);
    }
}

TEST_CASE("for conv stacks the field of an interior cell spans exactly the theoretical size", "[rf][property]") {
    const auto k = GENERATE(1, 2, 3);
    const auto s = GENERATE(1, 2);
    const auto d = GENERATE(1, 2, 3);
    const auto depth = GENERATE(1, 2, 3);
    RfStack st;
    st.input_size = {80, 80};
    for (int i = 0; i < depth; ++i) st.layers.push_back(conv(k, s, 0, d));
    const auto geo = resolve_stack(st.layers, 80, 80);
    st.output_cell = {geo.back().h().out / 2, geo.back().w().out / 2};
    const RfResult r = compute_receptive_field(st);
    const AxisPaths& rows = r.paths[0][0];
    CHECK(double(rows.last - rows.first + 1) == r.summary.back().rf_size[0]);
    // ... and it starts where the effective stride and padding say.
    CHECK(double(rows.first) == st.output_cell[0] * r.summary.back().effective_stride[0] - r.summary.back().effective_padding[0]);
}

TEST_CASE("for an interior cell of a conv/pool stack the counts sum to the product of kernel areas", "[rf][property]") {
    const auto k = GENERATE(2, 3);
    const auto d = GENERATE(1, 2);
    RfStack st;
    st.input_size = {64, 48};
    st.layers = {conv(k, 1, 1, d), pool(2, 2), conv(3, 1, 1, d), conv(k, 2, 0, 1)};
    const auto geo = resolve_stack(st.layers, 64, 48);
    st.output_cell = {geo.back().h().out / 2, geo.back().w().out / 2};
    const RfResult r = compute_receptive_field(st);
    std::int64_t total = 0;
    for (std::int64_t v : r.exact_map()) total += v;
    CHECK(total == (k * k) * 4 * 9 * (k * k));
}

TEST_CASE("three dilation-2 layers leave gridding holes; hybrid dilation 1-2-3 does not", "[rf][gridding]") {
    RfStack gridding;
    gridding.input_size = {31, 31};
    gridding.layers = {conv(3, 1, 2, 2), conv(3, 1, 2, 2), conv(3, 1, 2, 2)};
    gridding.output_cell = {15, 15};
    const GriddingHoles g = gridding_holes(compute_receptive_field(gridding));
    CHECK(g.box_bottom - g.box_top + 1 == 13);
    CHECK(g.holes == 13 * 13 - 7 * 7);  // only even offsets are reached
    CHECK(g.fraction() == Approx(120.0 / 169.0));

    RfStack hybrid = gridding;
    hybrid.layers = {conv(3, 1, 1, 1), conv(3, 1, 2, 2), conv(3, 1, 3, 3)};
    const GriddingHoles h = gridding_holes(compute_receptive_field(hybrid));
    CHECK(h.holes == 0);
    CHECK(h.box_cells == 13 * 13);
}

TEST_CASE("the overlap map of a transposed convolution shows the checkerboard", "[rf][checkerboard]") {
    Layer up = conv(3, 2, 1);
    up.kind = LayerKind::ConvTranspose2d;
    up.output_padding = {1, 1};
    const LayerGeometry geo = resolve_spatial(up, 8, 8);
    const auto overlap = coverage_counts(up, geo);
    // k3 s2: alternating 1 and 2 taps per axis (except the last column, cropped).
    CHECK(overlap[0][0] == 1);
    CHECK(overlap[0][1] == 2);
    CHECK(overlap[0][2] == 1);
    CHECK(overlap[0][3] == 2);
    Layer even = conv(4, 2, 1);
    even.kind = LayerKind::ConvTranspose2d;
    const auto flat = coverage_counts(even, resolve_spatial(even, 8, 8));
    // k4 s2: every interior output gets exactly 2 taps per axis.
    CHECK(std::all_of(flat[0].begin() + 1, flat[0].end() - 1, [](std::int64_t c) { return c == 2; }));
}

TEST_CASE("a stride larger than the kernel leaves input cells no window reads", "[rf][dead]") {
    const Layer L = conv(2, 3, 0);
    const auto cover = coverage_counts(L, resolve_spatial(L, 9, 9));
    CHECK(cover[0] == std::vector<std::int64_t>{1, 1, 0, 1, 1, 0, 1, 1, 0});
}

TEST_CASE("deep stacks overflow 64 bits and switch to floating point", "[rf][overflow]") {
    RfStack st = bench_rf_stack("rf_dilated_deep");
    REQUIRE(st.layers.size() == 24);
    // On a 256x256 input the field of cell [128, 128] (181 wide) lies inside the input,
    // so every one of the 9^24 paths is counted.
    st.input_size = {256, 256};
    st.output_cell = {128, 128};
    const RfResult r = compute_receptive_field(st);
    CHECK_FALSE(r.fits_int64());
    const auto map = r.approx_map();
    double total = 0;
    for (double v : map) total += v;
    CHECK(total == Approx(std::pow(9.0, 24)).epsilon(1e-12));  // 9^24 paths in all
}

TEST_CASE("hostile stacks are refused with the layer named", "[rf][errors]") {
    RfStack st;
    st.input_size = {16, 16};
    st.output_cell = {0, 0};
    SECTION("a stack that shrinks to nothing") {
        st.layers = {conv(3, 2, 0), conv(3, 2, 0), conv(3, 2, 0), conv(3, 2, 0)};  // 16 -> 7 -> 3 -> 1 -> nothing
        CHECK_THROWS_WITH(compute_receptive_field(st), Catch::StartsWith("layer 4 (conv2d)"));
    }
    SECTION("a cell outside the output") {
        st.layers = {conv(3, 1, 1)};
        st.output_cell = {16, 0};
        CHECK_THROWS_WITH(compute_receptive_field(st), Catch::Contains("outside the last layer's 16x16 output"));
    }
    SECTION("hundreds of layers") {
        st.layers.assign(300, conv(1, 1, 0));
        CHECK_THROWS_WITH(compute_receptive_field(st), Catch::Contains("above the limit of 128"));
    }
    SECTION("sizes that explode") {
        Layer up = conv(2, 1 << 20, 0);
        up.kind = LayerKind::ConvTranspose2d;
        st.layers = {up};
        CHECK_THROWS_WITH(compute_receptive_field(st), Catch::Contains("layer 1 (conv_transpose2d)"));
    }
    SECTION("an input too large to map") {
        st.input_size = {1 << 20, 1 << 20};
        st.layers = {conv(3, 1, 1)};
        CHECK_THROWS_WITH(compute_receptive_field(st), Catch::Contains("input_size"));
    }
}

TEST_CASE("the receptive-field heat map marks gridding holes and only reached cells", "[rf][scene]") {
    // Three 3x3 dilation-2 layers: the field of a centre cell spans 13x13 but only the
    // cells at even offsets are reached (7x7 = 49 of 169): the rest are holes.
    Session s = session_from_preset("gridding");
    const RfResult r = compute_receptive_field(session_rf_stack(s, 2, 16, 16));
    const SceneHeatmap plain = rf_heatmap(r, 0, 0, 0, 4, false, false);
    const SceneHeatmap holes = rf_heatmap(r, 0, 0, 0, 4, false, true);
    REQUIRE(plain.rows == 32);
    REQUIRE(plain.cols == 32);
    std::size_t reached = 0, faded = 0;
    for (std::size_t i = 0; i < plain.styles.size(); ++i) {
        reached += plain.styles[i] == CellStyle::Value;
        faded += holes.styles[i] == CellStyle::FadedValue;
    }
    CHECK(reached == 49);
    CHECK(faded == 169 - 49);
    CHECK(plain.log_scale);
    CHECK(plain.values[std::size_t(16 * 32 + 16)] == plain.hi);  // the centre has the most paths
    // A hole is drawn red, a reached cell through viridis.
    const Color hole = holes.cell_color(10, 11);
    CHECK(hole.r > 0.7f);
    CHECK(hole.g < 0.35f);
}

TEST_CASE("k3 s2 overlaps unevenly inside (the checkerboard); k4 s2 p1 is even inside", "[rf][overlap]") {
    auto summary = [](const char* preset) {
        const Session s = session_from_preset(preset);
        const auto geo = resolve_stack(s.layers, s.input_shape[2], s.input_shape[3]);
        return overlap_summary(s.layers[0], geo[0]);
    };
    const OverlapSummary k3 = summary("checkerboard-k3s2"), k4 = summary("even-k4s2");
    CHECK(k3.checkerboard());
    CHECK(k3.interior_min == 1);
    CHECK(k3.interior_max == 4);
    CHECK_FALSE(k4.checkerboard());
    CHECK(k4.interior_min == 4);
    CHECK(k4.min == 1);  // the corners of the 8x8 output see one tap
}
