// Layer kinds in one place and the shared tap geometry; the parameter-free layers
// (upsampling, pixel shuffle, activations) against PyTorch.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "core/io/json_io.hpp"
#include "core/nn/layer.hpp"
#include "core/nn/layer_ops.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/resample.hpp"
#include "core/nn/rf.hpp"
#include "core/scene/scene.hpp"
#include "core/anim/steps.hpp"
#include "core/anim/presets.hpp"
#include "core/anim/session.hpp"
#include "core/nn/shape.hpp"
#include "core/nn/tap_geometry.hpp"
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

TEST_CASE("kAllLayerKinds lists every kind once, in declaration order", "[layers][kinds]") {
    // Both come from one list (CONVSCOPE_LAYER_KINDS): the array holds each enumerator at its own index.
    CHECK(kLayerKindCount > 0);
    for (std::size_t i = 0; i < kLayerKindCount; ++i) CHECK(static_cast<std::size_t>(kAllLayerKinds[i]) == i);
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

namespace {

double worst_relative_error(const Tensor4& got, const Tensor4& want) {
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double e = want.data()[i];
        worst = std::max(worst, std::fabs(got.data()[i] - e) / std::max(1.0, std::fabs(e)));
    }
    return worst;
}

}  // namespace

TEST_CASE("every upsampling, pixel shuffle and activation reference case matches PyTorch's output and input gradient",
          "[layers][golden][grad]") {
    const auto files = test::files_in(test::data_path("golden/learn/grad"), "s11_");
    REQUIRE(files.size() >= 24);
    for (const std::string& f : files) {
        DYNAMIC_SECTION(f) {
            const nlohmann::json j = read_json_file(f);
            const ConvCase c = case_from_json(j);
            const ConvWeights* w = has_weights(c.layer.kind) ? &c.weights : nullptr;
            if (c.error) {
                INFO("PyTorch: " << *c.error);
                CHECK_THROWS_AS(forward(c.layer, c.input, w), UserError);
                continue;
            }
            REQUIRE(c.expected.has_value());
            const Tensor4 y = forward(c.layer, c.input, w);
            REQUIRE(shape_of(y) == shape_of(*c.expected));
            CHECK(worst_relative_error(y, *c.expected) <= 1e-12);
            if (w) continue;  // the convolutions' gradients are the convolution backward's
            const Tensor4 g = tensor_from_json(j.at("grad_output"), "grad_output");
            const Tensor4 want = tensor_from_json(j.at("expected_grad_input"), "expected_grad_input");
            const Tensor4 gx = input_gradient_parameter_free(c.layer, c.input, y, g);
            REQUIRE(shape_of(gx) == shape_of(want));
            CHECK(worst_relative_error(gx, want) <= 1e-12);
        }
    }
}

TEST_CASE("PyTorch's refusals of the reference cases are refused with its message", "[layers][golden][errors]") {
    auto refusal = [](const char* name) {
        const ConvCase c = case_from_json(read_json_file(test::data_path(std::string("golden/learn/grad/") + name)));
        try {
            forward(c.layer, c.input, nullptr);
        } catch (const UserError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refusal("s11_err_pixel_shuffle_channels.json") ==
          "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but "
          "input.size(-3)=3 is not divisible by 4");
    CHECK(refusal("s11_err_pixel_unshuffle_size.json") ==
          "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2");
}

TEST_CASE("rf counts the one path of nearest upsampling and of activations, and refuses what has no count",
          "[layers][rf]") {
    Layer up = default_layer(LayerKind::Upsample, 1);
    up.scale_factor = std::array<double, 2>{GENERATE(2.0, 1.5, 3.0), 2.5};
    RfStack stack;
    stack.input_size = {5, 4};
    stack.layers = {default_layer(LayerKind::Tanh, 1), up, default_layer(LayerKind::ReLU, 1)};
    const LayerGeometry geo = resolve_layer(up, 1, 1, 5, 4);
    for (std::int64_t r = 0; r < geo.h().out; ++r)
        for (std::int64_t c = 0; c < geo.w().out; ++c) {
            stack.output_cell = {r, c};
            const RfResult res = compute_receptive_field(stack);
            // d output / d input of the upsampling alone, by its backward pass: one-hot grad_output.
            Tensor4 g = Tensor4::from_shape({1, 1, std::size_t(geo.h().out), std::size_t(geo.w().out)});
            g.fill(0.0);
            g(0, 0, r, c) = 1;
            const Tensor4 gx = upsample_input_gradient(Tensor4::from_shape({1, 1, 5, 4}), up, g);
            const std::vector<std::int64_t> map = res.exact_map();
            for (std::size_t i = 0; i < map.size(); ++i) REQUIRE(double(map[i]) == gx.data()[i]);
        }
    const RfResult res = compute_receptive_field(stack);
    CHECK(res.summary[1].effective_stride[0] == Approx(1.0 / (*up.scale_factor)[0]).epsilon(0.25));
    CHECK(res.summary[1].rf_size[0] == 1);

    Layer bilinear = up;
    bilinear.upsample_mode = UpsampleMode::Bilinear;
    stack.layers = {default_layer(LayerKind::ReLU, 1), bilinear};
    stack.output_cell = {0, 0};
    CHECK_THROWS_WITH(compute_receptive_field(stack), Catch::StartsWith("layer 2 (upsample): bilinear upsampling blends"));
    stack.layers = {default_layer(LayerKind::PixelUnshuffle, 1)};
    stack.input_size = {4, 4};
    CHECK_THROWS_WITH(compute_receptive_field(stack),
                      Catch::StartsWith("layer 1 (pixel_unshuffle): PixelUnshuffle moves cells between channels"));
}

TEST_CASE("a session keeps the layers beyond convolution with every parameter", "[layers][session]") {
    Session s = session_from_preset("seed-combined");
    const std::vector<Layer> extra = parse_pytorch_code(
        "nn.Sequential(nn.LeakyReLU(0.2), nn.Upsample(scale_factor=(1.5, 2), mode='bilinear', align_corners=True), "
        "nn.Upsample(size=(6, 10)), nn.PixelUnshuffle(2), nn.PixelShuffle(2), nn.ReLU(), nn.Tanh(), nn.Sigmoid())");
    s.layers.insert(s.layers.end(), extra.begin(), extra.end());
    const Session t = session_from_json(session_to_json(s));
    CHECK(t.layers == s.layers);
}

TEST_CASE("every parameter-free layer's input gradient agrees with finite differences", "[layers][grad]") {
    const char* code = GENERATE("nn.Upsample(scale_factor=2)", "nn.Upsample(scale_factor=(1.5, 2.5))", "nn.Upsample(size=(7, 3))",
                                "nn.Upsample(scale_factor=2, mode='bilinear')",
                                "nn.Upsample(scale_factor=1.5, mode='bilinear', align_corners=True)",
                                "nn.Upsample(size=(3, 9), mode='bilinear')", "nn.Upsample(size=(1, 1), mode='bilinear', align_corners=True)",
                                "nn.PixelShuffle(2)", "nn.PixelUnshuffle(2)", "nn.ReLU()", "nn.LeakyReLU(0.2)", "nn.Tanh()",
                                "nn.Sigmoid()", "nn.MaxPool2d(3, stride=2, padding=1)", "nn.MaxPool2d(2, dilation=2, ceil_mode=True)",
                                "nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)", "nn.AvgPool2d(3, stride=2, padding=1)",
                                "nn.AvgPool2d(2, ceil_mode=True)");
    INFO(code);
    const Layer L = parse_pytorch_code(code).at(0);
    const Tensor4 x = test::random_normal({1, 4, 6, 4}, 7);
    const Tensor4 y = forward(L, x, nullptr);
    const Tensor4 g = test::random_normal({y.shape()[0], y.shape()[1], y.shape()[2], y.shape()[3]}, 11);
    const Tensor4 gx = input_gradient_parameter_free(L, x, y, g);
    REQUIRE(gx.shape() == x.shape());
    // sum(layer(x) * g) is piecewise smooth: central differences with a small step.
    auto loss = [&](const Tensor4& at) {
        const Tensor4 out = forward(L, at, nullptr);
        double s = 0;
        for (std::size_t i = 0; i < out.size(); ++i) s += out.data()[i] * g.data()[i];
        return s;
    };
    const double h = 1e-6;
    for (std::size_t i = 0; i < x.size(); ++i) {
        Tensor4 plus = x, minus = x;
        plus.data()[i] += h;
        minus.data()[i] -= h;
        const double numeric = (loss(plus) - loss(minus)) / (2 * h);
        INFO("input element " << i);
        REQUIRE(gx.data()[i] == Approx(numeric).epsilon(1e-6).margin(1e-7));
    }
}

TEST_CASE("small cases give the exact tensors one works out by hand", "[layers]") {
    const Tensor4 x = test::tensor({1, 1, 2, 2}, {1, 2, 3, 4});
    Layer nearest = default_layer(LayerKind::Upsample, 1);  // scale_factor 2, nearest
    CHECK(test::equal(forward(nearest, x, nullptr),
                      test::tensor({1, 1, 4, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4})));
    // Each source cell is read by a 2x2 block: its gradient is the block's sum.
    const Tensor4 g = test::tensor({1, 1, 4, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    CHECK(test::equal(input_gradient_parameter_free(nearest, x, forward(nearest, x, nullptr), g),
                      test::tensor({1, 1, 2, 2}, {1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14, 11 + 12 + 15 + 16})));
    // Bilinear, align_corners: 2 -> 3 puts the middle cell halfway.
    Layer corners = nearest;
    corners.scale_factor.reset();
    corners.size = Pair{3, 3};
    corners.upsample_mode = UpsampleMode::Bilinear;
    corners.align_corners = true;
    CHECK(test::equal(forward(corners, x, nullptr), test::tensor({1, 1, 3, 3}, {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4})));
    // Bilinear without align_corners, 2 -> 4: src = max((dst + 0.5)/2 - 0.5, 0) = 0, 0.25, 0.75, 1.
    corners.align_corners = false;
    corners.size = Pair{1, 4};
    const Tensor4 row = test::tensor({1, 1, 1, 2}, {0, 8});
    CHECK(test::equal(forward(corners, row, nullptr), test::tensor({1, 1, 1, 4}, {0, 2, 6, 8})));
    // Pixel shuffle of 4 channels of 1x1: the r x r block of one position from r^2 channels.
    const Tensor4 four = test::tensor({1, 4, 1, 1}, {1, 2, 3, 4});
    const Layer shuffle = default_layer(LayerKind::PixelShuffle, 4);
    const Tensor4 block = forward(shuffle, four, nullptr);
    CHECK(test::equal(block, test::tensor({1, 1, 2, 2}, {1, 2, 3, 4})));
    CHECK(test::equal(forward(default_layer(LayerKind::PixelUnshuffle, 1), block, nullptr), four));
    const Tensor4 two = test::tensor({1, 8, 1, 1}, {1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(test::equal(forward(shuffle, two, nullptr), test::tensor({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})));
    // Activations, with PyTorch's derivatives at 0: relu'(0) = 0, leaky_relu'(0) = slope.
    const Tensor4 v = test::tensor({1, 1, 1, 3}, {-2, 0, 3});
    const Tensor4 ones = test::tensor({1, 1, 1, 3}, {1, 1, 1});
    Layer relu = default_layer(LayerKind::ReLU, 1), leaky = default_layer(LayerKind::LeakyReLU, 1);
    leaky.negative_slope = 0.25;
    CHECK(test::equal(forward(relu, v, nullptr), test::tensor({1, 1, 1, 3}, {0, 0, 3})));
    CHECK(test::equal(input_gradient_parameter_free(relu, v, forward(relu, v, nullptr), ones), test::tensor({1, 1, 1, 3}, {0, 0, 1})));
    CHECK(test::equal(forward(leaky, v, nullptr), test::tensor({1, 1, 1, 3}, {-0.5, 0, 3})));
    CHECK(test::equal(input_gradient_parameter_free(leaky, v, forward(leaky, v, nullptr), ones),
                      test::tensor({1, 1, 1, 3}, {0.25, 0.25, 1})));
    const Layer sigmoid = default_layer(LayerKind::Sigmoid, 1), tanh_layer = default_layer(LayerKind::Tanh, 1);
    CHECK(forward(sigmoid, v, nullptr)(0, 0, 0, 1) == 0.5);
    CHECK(input_gradient_parameter_free(sigmoid, v, forward(sigmoid, v, nullptr), ones)(0, 0, 0, 1) == 0.25);
    CHECK(input_gradient_parameter_free(tanh_layer, v, forward(tanh_layer, v, nullptr), ones)(0, 0, 0, 1) == 1.0);
}

TEST_CASE("the parameter-free dispatcher refuses what it cannot answer", "[layers][grad][errors]") {
    const Tensor4 x = test::tensor({1, 1, 2, 2}, {1, 2, 3, 4});
    const Layer conv = default_layer(LayerKind::Conv2d, 1);
    CHECK_THROWS_WITH(forward(conv, x, nullptr), "Conv2d needs its weight (and bias) to run");
    const Layer relu = default_layer(LayerKind::ReLU, 1);
    CHECK_THROWS_WITH(input_gradient_parameter_free(relu, x, x, test::tensor({1, 1, 1, 4}, {1, 2, 3, 4})),
                      "grad_output has shape [1, 1, 1, 4] but the ReLU output has shape [1, 1, 2, 2]");
    CHECK_THROWS_WITH(input_gradient_parameter_free(conv, x, x, x), Catch::Contains("has parameters"));
}

TEST_CASE("pools step like convolutions: replaying the windows gives pool2d's output exactly", "[layers][steps][pool]") {
    const char* code = GENERATE("nn.MaxPool2d(2)", "nn.MaxPool2d(3, stride=2, padding=1, dilation=2, ceil_mode=True)",
                                "nn.AvgPool2d(3, stride=2, padding=1)", "nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)",
                                "nn.AvgPool2d((2, 3), stride=(2, 2), ceil_mode=True)");
    INFO(code);
    const Layer L = parse_pytorch_code(code).at(0);
    const Tensor4 x = test::random_normal({1, 3, 7, 8}, 3);
    const Tensor4 direct = pool2d(x, L);
    for (std::int64_t c = 0; c < 3; ++c) {
        const StepEngine engine(L, x, ConvWeights{}, 0, c);
        REQUIRE(engine.step_count() == std::int64_t(direct.shape()[2] * direct.shape()[3]));
        REQUIRE(engine.taps_per_step() == L.kernel.h * L.kernel.w);
        for (std::int64_t k = 0; k < engine.step_count(); ++k) {
            const GatherStep s = engine.gather_step(k);
            REQUIRE(s.result == direct(0, c, s.out_y, s.out_x));
            REQUIRE(s.taps.back().running_sum == s.result);
            for (const GatherTap& t : s.taps) {
                REQUIRE(t.in_channel == c);  // a pool reads its own channel only
                REQUIRE(t.grid_y < engine.grid_rows());
                REQUIRE(t.grid_x < engine.grid_cols());
            }
            if (L.kind == LayerKind::MaxPool2d) {
                const auto picked = std::count_if(s.taps.begin(), s.taps.end(), [](const GatherTap& t) { return t.picked; });
                REQUIRE(picked == 1);
                for (const GatherTap& t : s.taps)
                    if (t.picked) REQUIRE(t.value == s.result);
            }
        }
        const Plane all = engine.partial_output(engine.step_count());
        for (std::int64_t r = 0; r < std::int64_t(direct.shape()[2]); ++r)
            for (std::int64_t col = 0; col < std::int64_t(direct.shape()[3]); ++col) REQUIRE(all(r, col) == direct(0, c, r, col));
    }
}

TEST_CASE("a max pool step marks the maximum it picks and an avg pool step divides by PyTorch's divisor", "[layers][steps][pool]") {
    const Tensor4 x = test::tensor({1, 1, 2, 3}, {1, 5, 2, 7, 3, 4});
    Layer max_pool = default_layer(LayerKind::MaxPool2d, 1);
    const GatherStep s = StepEngine(max_pool, x, ConvWeights{}).gather_step(0);
    REQUIRE(s.taps.size() == 4);
    CHECK(s.result == 7);
    CHECK_FALSE(s.taps[1].picked);
    CHECK(s.taps[2].picked);  // (1, 0) holds 7
    CHECK(s.taps[1].running_sum == 5);
    Layer avg = default_layer(LayerKind::AvgPool2d, 1);
    avg.kernel = {2, 2};
    avg.stride = {1, 1};
    avg.padding.value = {1, 1};
    const StepEngine e(avg, x, ConvWeights{});
    const GatherStep corner = e.gather_step(0);  // the window at the top-left corner: 3 padding cells
    CHECK(corner.taps[0].in_padding);
    CHECK(corner.taps[3].weight == 0.25);  // count_include_pad: the padded window of 4
    CHECK(corner.result == 0.25);
    CHECK(e.kernel_weight(0, 0, 0) == 0.25);
}

TEST_CASE("a pool layer selected in a stack animates and draws its window", "[layers][steps][pool][scene]") {
    Session s = session_from_preset("seed-combined");
    s.layers.insert(s.layers.begin() + 1, parse_pytorch_code("nn.MaxPool2d(2)").at(0));
    s.layers[2].in_channels = 16;
    s.layer_index = 1;
    s.out_channel = 15;
    const Animation anim(s);
    const StepEngine& e = anim.engine();
    CHECK(e.step_count() == 32 * 32);
    CHECK(anim.timeline().channels == 16);
    const Scene sc = build_scene(e, FramePosition{15, 40, 2}, SceneOptions{});
    CHECK(sc.kernel_grid.rows == 2);
    CHECK(sc.kernel_grid.cols == 2);
    std::string all;
    for (const SceneText& t : sc.texts) all += t.text + "\n";
    CHECK_THAT(all, Catch::Contains("input (channel 15 of 16)") && Catch::Contains("window") && Catch::Contains("output (channel 15 of 16)"));
}

TEST_CASE("upsampling, shuffles and activations step cell by cell and replay to the forward pass exactly",
          "[layers][steps]") {
    const char* code = GENERATE("nn.Upsample(scale_factor=2)", "nn.Upsample(scale_factor=(1.5, 2.5))",
                                "nn.Upsample(size=(9, 5), mode='bilinear')",
                                "nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)",
                                "nn.PixelShuffle(2)", "nn.PixelUnshuffle(2)", "nn.ReLU()", "nn.LeakyReLU(0.2)", "nn.Tanh()",
                                "nn.Sigmoid()");
    INFO(code);
    const Layer L = parse_pytorch_code(code).at(0);
    const Tensor4 x = test::random_normal({1, 4, 6, 4}, 5);
    const Tensor4 y = forward(L, x, nullptr);
    for (std::int64_t c = 0; c < std::int64_t(y.shape()[1]); ++c) {
        const StepEngine e(L, x, ConvWeights{}, 0, c);
        REQUIRE(e.step_count() == std::int64_t(y.shape()[2] * y.shape()[3]));
        for (std::int64_t k = 0; k < e.step_count(); ++k) {
            const GatherStep s = e.gather_step(k);
            REQUIRE(std::int64_t(s.taps.size()) == e.taps_per_step());
            REQUIRE(s.result == y(0, c, s.out_y, s.out_x));
            REQUIRE(s.taps.back().running_sum == s.result);
            for (const GatherTap& t : s.taps) {
                REQUIRE(t.src_y >= 0);
                REQUIRE(t.grid_y < e.grid_rows());
                REQUIRE(t.grid_x < e.grid_cols());
                REQUIRE(e.input()(0, t.in_channel, t.src_y, t.src_x) == t.value);
            }
            REQUIRE(e.shown_input_channel(0, k) == s.taps.front().in_channel);
        }
        const Plane all = e.partial_output(e.step_count());
        for (std::int64_t r = 0; r < std::int64_t(y.shape()[2]); ++r)
            for (std::int64_t col = 0; col < std::int64_t(y.shape()[3]); ++col) REQUIRE(all(r, col) == y(0, c, r, col));
    }
}

TEST_CASE("a bilinear step carries its four sources and their fractional weights, a shuffle step its channel",
          "[layers][steps]") {
    Layer up = parse_pytorch_code("nn.Upsample(size=(1, 4), mode='bilinear')").at(0);
    const StepEngine e(up, test::tensor({1, 1, 1, 2}, {0, 8}), ConvWeights{});
    REQUIRE(e.taps_per_step() == 4);
    const GatherStep s = e.gather_step(1);  // src = (1 + 0.5)/2 - 0.5 = 0.25
    CHECK(s.taps[0].weight == 0.75);
    CHECK(s.taps[1].weight == 0.25);
    CHECK(s.taps[1].src_x == 1);
    CHECK(s.result == 2);
    const Layer shuffle = parse_pytorch_code("nn.PixelShuffle(2)").at(0);
    const Tensor4 four = test::tensor({1, 4, 1, 1}, {1, 2, 3, 4});
    const StepEngine sh(shuffle, four, ConvWeights{});
    CHECK(sh.gather_step(3).taps.front().in_channel == 3);  // output (1, 1) comes from channel 1*2 + 1
    const Scene sc = build_scene(sh, FramePosition{0, 4, 0}, SceneOptions{});
    std::string all;
    for (const SceneText& t : sc.texts) all += t.text + "\n";
    CHECK_THAT(all, Catch::Contains("nn.PixelShuffle(2), 1x1 -> 2x2") && Catch::Contains("input (channel 3 of 4)") &&
                        Catch::Contains("output (1, 1) = channel 3 x(0, 0) = 4 (moved from channels to space)"));
    Session session = session_from_preset("seed-combined");
    session.layers.insert(session.layers.begin() + 1, parse_pytorch_code("nn.LeakyReLU(0.2)").at(0));
    session.layer_index = 1;
    const Animation anim(session);
    CHECK(anim.engine().step_count() == 64 * 64);
    CHECK(anim.timeline().channels == 16);
}

TEST_CASE("a pool step's caption says max or mean, not a sum of products", "[layers][steps][pool][scene]") {
    const Tensor4 x = test::tensor({1, 1, 2, 2}, {1, 5, 2, 7});
    const auto caption = [&](LayerKind kind, FramePosition at) {
        const Scene sc = build_scene(StepEngine(default_layer(kind, 1), x, ConvWeights{}), at, SceneOptions{});
        std::string all;
        for (const SceneText& t : sc.texts) all += t.text + "\n";
        return all;
    };
    CHECK_THAT(caption(LayerKind::MaxPool2d, {0, 1, 0}), Catch::Contains("output (0, 0) = max of its 4-cell window = 7"));
    CHECK_THAT(caption(LayerKind::MaxPool2d, {0, 0, 2}), Catch::Contains("cell 2/4: x(0, 1) = 5;  running max 5"));
    CHECK_THAT(caption(LayerKind::AvgPool2d, {0, 1, 0}), Catch::Contains("= mean of its 4-cell window = 3.8 (divisor 4)"));
}
