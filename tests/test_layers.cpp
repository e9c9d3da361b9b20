// Layer kinds in one place and the shared tap geometry; the parameter-free layers
// (upsampling, pixel shuffle, activations) against PyTorch.
#include <catch2/catch.hpp>

#include "core/layer.hpp"
#include "core/layer_ops.hpp"
#include "core/pycode.hpp"
#include "core/shape.hpp"
#include "core/tap_geometry.hpp"
#include "helpers.hpp"

using namespace convscope;

TEST_CASE("every layer kind's JSON and PyTorch names read back as that kind", "[layers][kinds]") {
    for (LayerKind k : kAllLayerKinds) {
        CHECK(parse_op_name(op_name(k)) == k);
        const Layer L = default_layer(k, 4);
        CHECK_NOTHROW(validate_layer(L));
        const std::vector<Layer> back = parse_pytorch_code(to_pytorch_code(L));
        REQUIRE(back.size() == 1);
        CHECK(back[0].kind == k);
    }
    CHECK_THROWS_WITH(parse_op_name("conv3d"), Catch::Contains("op 'conv3d' is unknown") && Catch::Contains("avg_pool2d"));
}

TEST_CASE("a tap's position o = i*s - p + t*d and its inverse agree on every axis", "[layers][taps]") {
    AxisGeometry g;
    g.stride = GENERATE(1, 2, 3);
    g.dilation = GENERATE(1, 2, 4);
    g.pad_before = GENERATE(0, 1, 3);
    g.kernel = 3;
    for (std::int64_t cell = -2; cell < 6; ++cell)
        for (std::int64_t t = 0; t < g.kernel; ++t) {
            const std::int64_t pos = tap_position(g, cell, t);
            CHECK(pos == cell * g.stride - g.pad_before + t * g.dilation);
            std::int64_t back = -99;
            REQUIRE(tap_cell(g, pos, t, back));
            CHECK(back == cell);
            if (g.stride > 1) CHECK_FALSE(tap_cell(g, pos + 1, t, back));
        }
}

TEST_CASE("the grouped weight lookup reads PyTorch's layouts and is zero across groups", "[layers][taps]") {
    Layer conv;
    conv.in_channels = 4;
    conv.out_channels = 6;
    conv.groups = 2;
    conv.kernel = {1, 2};
    CHECK(weight_shape(conv) == std::array<std::int64_t, 4>{6, 2, 1, 2});
    Layer up = conv;
    up.kind = LayerKind::ConvTranspose2d;
    CHECK(weight_shape(up) == std::array<std::int64_t, 4>{4, 3, 1, 2});
    Tensor4 w = Tensor4::from_shape({6, 2, 1, 2});
    for (std::size_t i = 0; i < w.size(); ++i) w.data()[i] = double(i);
    // conv: output channel 4 (group 1) reads input channel 3 (local 1) at w[4, 1, 0, kx].
    CHECK(tap_weight(conv, w, 3, 4, 0, 1) == w(4, 1, 0, 1));
    CHECK(tap_weight(conv, w, 0, 4, 0, 1) == 0.0);  // channel 0 is in group 0
    Tensor4 wt = Tensor4::from_shape({4, 3, 1, 2});
    for (std::size_t i = 0; i < wt.size(); ++i) wt.data()[i] = double(i);
    // transposed: input channel 3 (group 1) to output channel 4 (local 1) is wt[3, 1, 0, kx].
    CHECK(tap_weight(up, wt, 3, 4, 0, 0) == wt(3, 1, 0, 0));
    CHECK(tap_weight(up, wt, 1, 4, 0, 0) == 0.0);
    Layer pool = default_layer(LayerKind::MaxPool2d, 3);
    CHECK_THROWS_WITH(weight_shape(pool), "MaxPool2d has no weight");
}

TEST_CASE("channels through a stack follow each kind", "[layers][kinds]") {
    Layer conv = default_layer(LayerKind::Conv2d, 3);
    conv.out_channels = 16;
    CHECK(channels_after(conv, 3) == 16);
    CHECK(channels_after(default_layer(LayerKind::MaxPool2d, 16), 16) == 16);
    CHECK(channels_after(default_layer(LayerKind::AvgPool2d, 5), 5) == 5);
}

TEST_CASE("pool backward sends the gradient to the maximum picked or shares it over the window", "[layers][pool][grad]") {
    Layer max_pool = default_layer(LayerKind::MaxPool2d, 1);
    const Tensor4 x = test::tensor({1, 1, 2, 2}, {1, 3, 2, 0});
    const Tensor4 g = test::tensor({1, 1, 1, 1}, {5});
    const Tensor4 y = forward(max_pool, x, nullptr);
    CHECK(test::equal(y, test::tensor({1, 1, 1, 1}, {3})));
    CHECK(test::equal(input_gradient_parameter_free(max_pool, x, y, g), test::tensor({1, 1, 2, 2}, {0, 5, 0, 0})));
    Layer avg_pool = default_layer(LayerKind::AvgPool2d, 1);
    const Tensor4 ya = forward(avg_pool, x, nullptr);
    CHECK(test::equal(ya, test::tensor({1, 1, 1, 1}, {1.5})));
    CHECK(test::equal(input_gradient_parameter_free(avg_pool, x, ya, g), test::tensor({1, 1, 2, 2}, {1.25, 1.25, 1.25, 1.25})));
    CHECK_THROWS_WITH(input_gradient_parameter_free(avg_pool, x, ya, x),
                      "grad_output has shape [1, 1, 2, 2] but the AvgPool2d output has shape [1, 1, 1, 1]");
}
