// Backward passes: every golden gradient case of PyTorch's autograd, finite differences
// on small random layers, the adjoint identity, and `convscope grad` as a user runs it.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/anim/backward_view.hpp"
#include "core/nn/conv_kernels.hpp"
#include "core/learn/grad.hpp"
#include "core/nn/layer_ops.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::data_path;
using convscope::test::random_normal;
using convscope::test::run_cli;

namespace {

/// Largest |a - b| / max(1, |b|) over two equally long arrays.
double worst_relative(const double* a, const double* b, std::size_t n) {
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(a[i] - b[i]) / std::max(1.0, std::fabs(b[i])));
    return worst;
}

double dot(const Tensor4& a, const Tensor4& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a.data()[i] * b.data()[i];
    return s;
}

ConvWeights random_weights(const Layer& L, unsigned seed) {
    const bool t = L.kind == LayerKind::ConvTranspose2d;
    ConvWeights w;
    using S = std::size_t;
    w.weight = random_normal({S(t ? L.in_channels : L.out_channels), S((t ? L.out_channels : L.in_channels) / L.groups),
                              S(L.kernel.h), S(L.kernel.w)},
                             seed);
    w.has_bias = L.bias;
    if (L.bias) {
        const Tensor4 b = random_normal({S(L.out_channels), 1, 1, 1}, seed + 1);
        w.bias = Tensor1::from_shape({S(L.out_channels)});
        std::copy(b.begin(), b.end(), w.bias.begin());
    }
    return w;
}

/// A square convolution layer of a test sweep.
struct Config {
    const char* what;
    LayerKind kind;
    int cin, cout, k, s, p, d, groups, op;
    PaddingMode mode = PaddingMode::Zeros;
    bool bias = true;

    Layer layer() const {
        Layer L;
        L.kind = kind;
        L.in_channels = cin;
        L.out_channels = cout;
        L.kernel = {k, k};
        L.stride = {s, s};
        L.padding.value = {p, p};
        L.dilation = {d, d};
        L.groups = groups;
        L.output_padding = {op, op};
        L.padding_mode = mode;
        L.bias = bias;
        return L;
    }
};

/// sum(layer(x, w) * r): the scalar whose gradients the backward pass computes.
double objective(const Layer& L, const Tensor4& x, const ConvWeights& w, const Tensor4& r) {
    return dot(apply_layer(x, w, L), r);
}

/// Central difference of the objective along one coordinate `v` (of x, w or b).
template <class Bump>
double central_difference(Bump bump) {
    const double h = 1e-6;
    const double up = bump(h), down = bump(-h);
    return (up - down) / (2 * h);
}

}  // namespace

TEST_CASE("every golden gradient case matches PyTorch's autograd or is refused like PyTorch", "[golden][grad]") {
    const auto files = test::files_in(test::data_path("golden/learn/grad"));
    REQUIRE(files.size() >= 54);
    for (const std::string& f : files) {
        const nlohmann::json j = read_json_file(f);
        DYNAMIC_SECTION(f) {
            const GradCase c = grad_case_from_json(j);
            const ConvCase& lc = c.layer_case;
            if (j.contains("error")) {
                CHECK_THROWS_AS(layer_gradients(lc.layer, lc.input, lc.weights, c.grad_output), UserError);
                continue;
            }
            const LayerGradients g = layer_gradients(lc.layer, lc.input, lc.weights, c.grad_output);
            const Tensor4 out = tensor_from_json(j.at("expected"), "expected");
            const Tensor4 gx = tensor_from_json(j.at("expected_grad_input"), "expected_grad_input");
            REQUIRE(shape_of(g.output) == shape_of(out));
            REQUIRE(shape_of(g.grad_input) == shape_of(gx));
            CHECK(worst_relative(g.output.data(), out.data(), out.size()) <= 1e-9);
            CHECK(worst_relative(g.grad_input.data(), gx.data(), gx.size()) <= 1e-9);
            REQUIRE(g.grad_weight.has_value() == !j.at("expected_grad_weight").is_null());
            if (g.grad_weight) {
                const Tensor4 gw = tensor_from_json(j.at("expected_grad_weight"), "expected_grad_weight");
                REQUIRE(shape_of(*g.grad_weight) == shape_of(gw));
                CHECK(worst_relative(g.grad_weight->data(), gw.data(), gw.size()) <= 1e-9);
            }
            REQUIRE(g.grad_bias.has_value() == !j.at("expected_grad_bias").is_null());
            if (g.grad_bias) {
                const Tensor1 gb = vector_from_json(j.at("expected_grad_bias"), "expected_grad_bias");
                REQUIRE(g.grad_bias->size() == gb.size());
                CHECK(worst_relative(g.grad_bias->data(), gb.data(), gb.size()) <= 1e-9);
            }
        }
    }
}

TEST_CASE("convolution gradients agree with finite differences", "[grad][finite-difference]") {
    const Config cfg = GENERATE(values<Config>({
        {"plain 3x3", LayerKind::Conv2d, 2, 3, 3, 1, 1, 1, 1, 0, PaddingMode::Zeros, true},
        {"stride 2", LayerKind::Conv2d, 2, 2, 3, 2, 1, 1, 1, 0, PaddingMode::Zeros, true},
        {"dilation 2", LayerKind::Conv2d, 1, 2, 3, 1, 2, 2, 1, 0, PaddingMode::Zeros, false},
        {"groups 2", LayerKind::Conv2d, 4, 2, 2, 1, 0, 1, 2, 0, PaddingMode::Zeros, true},
        {"reflect", LayerKind::Conv2d, 2, 2, 3, 1, 2, 1, 1, 0, PaddingMode::Reflect, true},
        {"replicate", LayerKind::Conv2d, 1, 2, 3, 2, 1, 2, 1, 0, PaddingMode::Replicate, true},
        {"circular", LayerKind::Conv2d, 2, 1, 3, 1, 3, 1, 1, 0, PaddingMode::Circular, false},
        {"transposed k2 s2", LayerKind::ConvTranspose2d, 3, 2, 2, 2, 0, 1, 1, 0, PaddingMode::Zeros, true},
        {"transposed k3 s2 p1 op1", LayerKind::ConvTranspose2d, 2, 2, 3, 2, 1, 1, 1, 1, PaddingMode::Zeros, true},
        {"transposed dilated grouped", LayerKind::ConvTranspose2d, 4, 2, 3, 1, 2, 2, 2, 0, PaddingMode::Zeros, false},
        {"transposed output_padding below dilation", LayerKind::ConvTranspose2d, 1, 1, 2, 1, 0, 3, 1, 2, PaddingMode::Zeros, true},
    }));
    INFO(cfg.what);
    const Layer L = cfg.layer();
    Tensor4 x = random_normal({2, std::size_t(cfg.cin), 5, 6}, 7);
    ConvWeights w = random_weights(L, 11);
    const Tensor4 y = apply_layer(x, w, L);
    const Tensor4 r = random_normal({y.shape()[0], y.shape()[1], y.shape()[2], y.shape()[3]}, 13);
    const ConvGradients g = conv_backward(L, x, w, r);

    // Every coordinate of x, w and b: the objective is linear in each, so the central
    // difference is exact up to rounding.
    auto check = [&](double* v, std::size_t n, const double* analytic, const char* name) {
        for (std::size_t i = 0; i < n; ++i) {
            INFO(name << "[" << i << "]");
            const double saved = v[i];
            const double fd = central_difference([&](double h) {
                v[i] = saved + h;
                const double o = objective(L, x, w, r);
                v[i] = saved;
                return o;
            });
            CHECK(analytic[i] == Approx(fd).epsilon(1e-6).margin(1e-6));
        }
    };
    check(x.data(), x.size(), g.input.data(), "grad_input");
    check(w.weight.data(), w.weight.size(), g.weight.data(), "grad_weight");
    REQUIRE(g.has_bias == cfg.bias);
    if (cfg.bias) check(w.bias.data(), w.bias.size(), g.bias.data(), "grad_bias");
}

TEST_CASE("a transposed convolution is the adjoint of the convolution with the same weights", "[grad][adjoint]") {
    // <conv(x), y> = <x, conv_transpose(y)> for every stride, padding, dilation and group
    // count (no bias: the identity is about the linear map).
    const int s = GENERATE(1, 2, 3);
    const int d = GENERATE(1, 2);
    const int p = GENERATE(0, 1, 2);
    const int groups = GENERATE(1, 2);
    Layer conv;
    conv.in_channels = 4;
    conv.out_channels = 2;
    conv.kernel = {3, 2};
    conv.stride = {s, s};
    conv.padding.value = {p, p};
    conv.dilation = {d, d};
    conv.groups = groups;
    conv.bias = false;
    const Tensor4 x = random_normal({1, 4, 11, 10}, 3);
    ConvWeights w = random_weights(conv, 5);
    const Tensor4 cx = conv2d(x, w, conv);
    Layer up = conv;
    up.kind = LayerKind::ConvTranspose2d;
    std::swap(up.in_channels, up.out_channels);
    // output_padding makes the transposed output the input's size again.
    const auto geo = resolve_layer(conv, 1, 4, 11, 10);
    for (int a = 0; a < 2; ++a) {
        const std::int64_t full = (geo.axis[a].out - 1) * s - 2 * p + d * (conv.kernel[a] - 1) + 1;
        (a ? up.output_padding.w : up.output_padding.h) = (a ? 10 : 11) - full;
    }
    const Tensor4 yv = random_normal({cx.shape()[0], cx.shape()[1], cx.shape()[2], cx.shape()[3]}, 9);
    const Tensor4 ty = conv_transpose2d(yv, w, up);
    REQUIRE(shape_of(ty) == shape_of(x));
    CHECK(dot(cx, yv) == Approx(dot(x, ty)).epsilon(1e-12));
    // ... and so the input gradient of the convolution is that transposed convolution.
    const ConvGradients g = conv_backward(conv, x, w, yv);
    CHECK(worst_relative(g.input.data(), ty.data(), ty.size()) <= 1e-12);
}

TEST_CASE("grad prints the output and the three gradients of a golden case", "[cli][grad]") {
    const std::string f = data_path("golden/learn/grad/grad_conv_transpose2d_001.json");
    const auto r = run_cli("grad '" + f + "'");
    REQUIRE(r.status == 0);
    const auto out = nlohmann::json::parse(r.out);
    std::ifstream in(f);
    const auto golden = nlohmann::json::parse(in);
    for (const char* key : {"output", "grad_input", "grad_weight", "grad_bias"}) {
        INFO(key);
        const auto& want = golden[std::string(key) == "output" ? "expected" : "expected_" + std::string(key)];
        if (want.is_null()) {
            CHECK(out[key].is_null());
            continue;
        }
        CHECK(out[key]["shape"] == want["shape"]);
        REQUIRE(out[key]["data"].size() == want["data"].size());
        for (std::size_t i = 0; i < want["data"].size(); ++i)
            REQUIRE(out[key]["data"][i].get<double>() == Approx(want["data"][i].get<double>()).epsilon(1e-9).margin(1e-12));
    }
}

TEST_CASE("grad refuses a missing or misshapen grad_output with one error line", "[cli][grad][errors]") {
    const std::string base = R"({"op": "conv2d", "params": {"in_channels": 1, "out_channels": 1, "kernel_size": 2},
        "input": {"shape": [1, 1, 3, 3], "data": [1, 2, 3, 4, 5, 6, 7, 8, 9]},
        "weight": {"shape": [1, 1, 2, 2], "data": [1, 0, 0, 1]}, "bias": null)";
    test::check_hostile_files("grad", {
        {"missing", base + "}", "grad_output is missing"},
        {"other_shape", base + R"(, "grad_output": {"shape": [1, 1, 3, 3], "data": [1, 2, 3, 4, 5, 6, 7, 8, 9]}})",
         "grad_output has shape [1, 1, 3, 3] but the layer's output has shape [1, 1, 2, 2]"},
        {"short_data", base + R"(, "grad_output": {"shape": [1, 1, 2, 2], "data": [1, 2, 3]}})",
         "grad_output.data has 3 numbers but its shape needs 4"},
        {"not_a_tensor", base + R"(, "grad_output": [1, 2, 3, 4]})", "grad_output must be a JSON object"},
        {"refused_layer", R"({"op": "conv2d", "params": {"in_channels": 1, "out_channels": 1, "kernel_size": 3, "dilation": 3},
            "input": {"shape": [1, 1, 5, 5], "data": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]},
            "weight": {"shape": [1, 1, 3, 3], "data": [0,0,0,0,0,0,0,0,0]}, "bias": null,
            "grad_output": {"shape": [1, 1, 1, 1], "data": [1]}})",
         "larger than the padded input"},
    });
    const auto help = run_cli("grad --help");
    CHECK(help.status == 0);
    CHECK_THAT(help.out, Catch::Contains("grad_output"));
}

TEST_CASE("replaying the backward view's steps gives autograd's input gradient", "[grad][duality][steps]") {
    // The gradient of a convolution's input, animated as the transposed convolution of
    // grad_output with the same weights (and the other way round), equals conv_backward.
    const Config cfg = GENERATE(values<Config>({
        {"the seed's dilated conv2d", LayerKind::Conv2d, 3, 4, 3, 1, 2, 2, 1, 0},
        {"a strided conv2d whose floor drops rows", LayerKind::Conv2d, 2, 3, 3, 2, 1, 1, 1, 0},
        {"a grouped conv2d", LayerKind::Conv2d, 4, 2, 2, 3, 0, 1, 2, 0},
        {"the seed's up-convolution", LayerKind::ConvTranspose2d, 4, 3, 2, 2, 0, 1, 1, 0},
        {"a transposed conv with output_padding", LayerKind::ConvTranspose2d, 2, 2, 3, 2, 1, 1, 1, 1},
    }));
    INFO(cfg.what);
    const Layer L = cfg.layer();
    const Tensor4 x = random_normal({2, std::size_t(cfg.cin), 7, 8}, 21);
    const ConvWeights w = random_weights(L, 23);
    const Tensor4 y = apply_layer(x, w, L);
    const Tensor4 dy = random_normal({y.shape()[0], y.shape()[1], y.shape()[2], y.shape()[3]}, 25);
    const ConvGradients g = conv_backward(L, x, w, dy);
    const Layer view = input_gradient_layer(L, 7, 8);
    CHECK(view.kind == (cfg.kind == LayerKind::Conv2d ? LayerKind::ConvTranspose2d : LayerKind::Conv2d));
    for (std::int64_t n = 0; n < 2; ++n)
        for (std::int64_t c = 0; c < cfg.cin; ++c) {
            const StepEngine steps = input_gradient_steps(L, shape_of(x), w, dy, n, c);
            const Plane replay = steps.partial_output(steps.step_count());
            REQUIRE(replay.shape()[0] == 7);
            REQUIRE(replay.shape()[1] == 8);
            CHECK(worst_relative(replay.data(), &g.input(n, c, 0, 0), replay.size()) <= 1e-12);
        }
}

TEST_CASE("the backward view refuses padding that no transposed convolution has", "[grad][duality]") {
    Layer reflect;
    reflect.padding.value = {1, 1};
    reflect.padding_mode = PaddingMode::Reflect;
    CHECK_THROWS_WITH(input_gradient_layer(reflect, 6, 6), Catch::Contains("padding_mode 'reflect'"));
    Layer same;
    same.kernel = {2, 2};
    same.padding.kind = PaddingKind::Same;
    CHECK_THROWS_WITH(input_gradient_layer(same, 6, 6), Catch::Contains("split unevenly"));
    Layer up;
    up.kind = LayerKind::ConvTranspose2d;
    up.stride = {1, 1};
    up.dilation = {3, 3};
    up.output_padding = {2, 2};
    CHECK_THROWS_WITH(input_gradient_layer(up, 6, 6), Catch::Contains("reaches a whole stride"));
}

TEST_CASE("pixel unshuffle is the adjoint of pixel shuffle, and its input gradient", "[grad][adjoint]") {
    // <shuffle(x), y> = <x, unshuffle(y)>: both only move cells, so the transpose of one
    // is the other, and the gradient of a shuffle is the unshuffle of grad_output.
    const int r = GENERATE(2, 3);
    Layer shuffle;
    shuffle.kind = LayerKind::PixelShuffle;
    shuffle.shuffle_factor = r;
    Layer unshuffle = shuffle;
    unshuffle.kind = LayerKind::PixelUnshuffle;
    const Tensor4 x = random_normal({2, std::size_t(2 * r * r), 3, 4}, 31);
    const Tensor4 sx = forward(shuffle, x, nullptr);
    const Tensor4 y = random_normal({sx.shape()[0], sx.shape()[1], sx.shape()[2], sx.shape()[3]}, 33);
    const Tensor4 uy = forward(unshuffle, y, nullptr);
    REQUIRE(shape_of(uy) == shape_of(x));
    CHECK(dot(sx, y) == Approx(dot(x, uy)).epsilon(1e-12));
    const LayerGradients g = layer_gradients(shuffle, x, ConvWeights{}, y);
    CHECK(test::equal(g.grad_input, uy));
    CHECK_FALSE(g.grad_weight.has_value());
    CHECK_FALSE(g.grad_bias.has_value());
}
