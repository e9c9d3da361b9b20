// The step engine: what each step shows, and that replaying all steps gives the
// direct result exactly, in every view.
#include <catch2/catch.hpp>

#include "core/nn/layer_ops.hpp"
#include "core/anim/matrix.hpp"
#include "core/anim/steps.hpp"
#include "helpers.hpp"

using namespace convscope;

namespace {

Layer seed_dilated() {
    Layer L;
    L.in_channels = 3;
    L.out_channels = 16;
    L.padding.value = {2, 2};
    L.dilation = {2, 2};
    return L;
}

ConvWeights integer_weights(const Layer& L, unsigned seed) {
    const bool t = L.kind == LayerKind::ConvTranspose2d;
    ConvWeights w;
    w.weight = test::small_integers({std::size_t(t ? L.in_channels : L.out_channels),
                                     std::size_t((t ? L.out_channels : L.in_channels) / L.groups),
                                     std::size_t(L.kernel.h), std::size_t(L.kernel.w)}, seed);
    w.has_bias = L.bias;
    if (L.bias) {
        w.bias = Tensor1::from_shape({std::size_t(L.out_channels)});
        for (std::size_t i = 0; i < w.bias.size(); ++i) w.bias(i) = double(i) - 2;
    }
    return w;
}

}  // namespace

TEST_CASE("the first step of the seed convolution reads four padding cells per channel", "[steps][seed]") {
    const Layer L = seed_dilated();
    const StepEngine engine(L, test::small_integers({1, 3, 64, 64}, 1), integer_weights(L, 2), 0, 5);
    REQUIRE(engine.step_count() == 64 * 64);
    const GatherStep s = engine.gather_step(0);
    CHECK(s.out_y == 0);
    CHECK(s.out_x == 0);
    REQUIRE(s.taps.size() == 27);
    // Output (0,0) with padding 2 and dilation 2 reads padded rows/cols 0, 2, 4: the
    // first row and column of taps are padding, the rest are real cells 0 and 2.
    int padding = 0;
    for (const GatherTap& t : s.taps) {
        CHECK(t.grid_y == 2 * t.ky);
        CHECK(t.grid_x == 2 * t.kx);
        if (t.in_padding) {
            ++padding;
            CHECK(t.value == 0.0);
        } else {
            CHECK(t.src_y == 2 * t.ky - 2);
            CHECK(t.src_x == 2 * t.kx - 2);
        }
        CHECK(t.product == t.value * t.weight);
    }
    CHECK(padding == 3 * 5);
    CHECK(s.taps.back().running_sum + s.bias == s.result);
}

TEST_CASE("a padding cell in reflect mode names the real cell it copies", "[steps][padding]") {
    Layer L;
    L.padding.value = {1, 1};
    L.padding_mode = PaddingMode::Reflect;
    L.bias = false;
    const StepEngine engine(L, test::small_integers({1, 1, 4, 4}, 3), integer_weights(L, 4));
    const GatherTap t = engine.gather_step(0).taps[0];  // padded (0,0)
    CHECK(t.in_padding);
    CHECK(t.src_y == 1);
    CHECK(t.src_x == 1);
    CHECK(t.value == engine.input()(0, 0, 1, 1));
}

TEST_CASE("replaying every step reproduces the direct result exactly", "[steps][replay]") {
    const auto transposed = GENERATE(false, true);
    const auto view = GENERATE(TransposedView::Scatter, TransposedView::AsConvolution);
    const auto geometry = GENERATE(0, 1, 2, 3);
    Layer L;
    L.kind = transposed ? LayerKind::ConvTranspose2d : LayerKind::Conv2d;
    L.in_channels = 4;
    L.out_channels = 2;
    const std::int64_t k[] = {3, 2, 3, 4}, s[] = {1, 2, 2, 2}, p[] = {2, 0, 1, 1}, d[] = {2, 1, 1, 2}, op[] = {0, 0, 1, 1};
    L.kernel = {k[geometry], k[geometry] == 4 ? 3 : k[geometry]};
    L.stride = {s[geometry], s[geometry]};
    L.padding.value = {p[geometry], p[geometry]};
    L.dilation = {d[geometry], d[geometry]};
    if (transposed) L.output_padding = {op[geometry], op[geometry]};
    L.groups = geometry == 2 ? 2 : 1;
    if (!transposed) L.padding_mode = geometry == 3 ? PaddingMode::Circular : PaddingMode::Zeros;
    const Tensor4 x = test::small_integers({2, 4, 6, 5}, 21);
    const ConvWeights w = integer_weights(L, 22);
    const Tensor4 direct = apply_layer(x, w, L);
    for (std::int64_t co = 0; co < L.out_channels; ++co) {
        const StepEngine engine(L, x, w, 1, co, view);
        const Plane replay = engine.partial_output(engine.step_count());
        for (std::size_t i = 0; i < replay.shape()[0]; ++i)
            for (std::size_t j = 0; j < replay.shape()[1]; ++j) REQUIRE(replay(i, j) == direct(1, co, i, j));
    }
}

TEST_CASE("the fast paths behind partial_output agree bit for bit with the steps, scrubbing both ways", "[steps][replay]") {
    // Random normal values: summation order matters, so equality means the same order.
    Layer L;
    L.in_channels = 3;
    L.out_channels = 2;
    L.padding.value = {2, 2};
    L.dilation = {2, 2};
    const Tensor4 x = test::random_normal({1, 3, 7, 6}, 5);
    ConvWeights w;
    w.weight = test::random_normal({2, 3, 3, 3}, 6);
    w.bias = xt::xtensor<double, 1>({0.25, -0.5});
    w.has_bias = true;
    const StepEngine gather(L, x, w, 0, 1);
    for (std::int64_t k = 0; k < gather.step_count(); ++k) {
        const GatherStep step = gather.gather_step(k);
        REQUIRE(gather.partial_output(k + 1)(step.out_y, step.out_x) == step.result);
    }
    Layer T = L;
    T.kind = LayerKind::ConvTranspose2d;
    T.stride = {2, 2};
    T.padding.value = {1, 1};
    ConvWeights wt;
    wt.weight = test::random_normal({3, 2, 3, 3}, 7);
    wt.bias = w.bias;
    wt.has_bias = true;
    const StepEngine scatter(T, x, wt, 0, 1, TransposedView::Scatter);
    const StepEngine fresh(T, x, wt, 0, 1, TransposedView::Scatter);
    const Plane late = scatter.partial_output(30);
    const Plane early = scatter.partial_output(11, 4);  // back, then into a step
    const Plane early_fresh = fresh.partial_output(11, 4);
    CHECK(std::equal(early.begin(), early.end(), early_fresh.begin()));
    CHECK(std::equal(late.begin(), late.end(), StepEngine(T, x, wt, 0, 1).partial_output(30).begin()));
}

TEST_CASE("scatter counts how many taps landed: the checkerboard of k3 s2", "[steps][transposed]") {
    Layer L;
    L.kind = LayerKind::ConvTranspose2d;
    L.kernel = {3, 3};
    L.stride = {2, 2};
    L.bias = false;
    const StepEngine engine(L, test::small_integers({1, 1, 3, 3}, 5), integer_weights(L, 6));
    REQUIRE(engine.is_scatter());
    const CountPlane after_one = engine.landed_counts(1);
    CHECK(after_one(0, 0) == 1);
    CHECK(after_one(2, 2) == 1);
    CHECK(after_one(3, 3) == 0);
    const CountPlane all = engine.landed_counts(engine.step_count());
    // 7x7 output; rows/cols 2 and 4 receive two taps per axis.
    CHECK(all(0, 0) == 1);
    CHECK(all(0, 2) == 2);
    CHECK(all(2, 2) == 4);
    CHECK(all(3, 3) == 1);
    CHECK(all(4, 1) == 2);
}

TEST_CASE("the transposed op as a convolution reads inserted zeros and a flipped kernel", "[steps][transposed]") {
    Layer L;
    L.kind = LayerKind::ConvTranspose2d;
    L.kernel = {2, 2};
    L.stride = {2, 2};
    L.bias = false;
    const StepEngine engine(L, test::small_integers({1, 1, 2, 2}, 8), integer_weights(L, 9), 0, 0,
                            TransposedView::AsConvolution);
    // Zero-inserted input is 3x3, padded by d*(k-1) - p = 1 on each side: 5x5 grid... minus
    // the bottom/right, where padding is 1 + output_padding = 1: grid 4 + 1 = 5 rows.
    CHECK(engine.grid_rows() == 5);
    CHECK(engine.grid_pad_top() == 1);
    const GatherStep s = engine.gather_step(0);
    REQUIRE(s.taps.size() == 4);
    CHECK(s.taps[0].in_padding);           // grid (0,0)
    CHECK(s.taps[0].ky == 1);              // flipped: first tap uses weight[1][1]
    CHECK(s.taps[3].src_y == 0);           // grid (1,1) is input (0,0)
    CHECK(s.taps[3].ky == 0);
    const GatherStep s1 = engine.gather_step(1);  // output (0,1): grid cols 1,2
    CHECK(s1.taps[3].inserted_zero);       // grid (1,2) is a zero between input cells
}

TEST_CASE("partial output during a step shows the running sum of the taps so far", "[steps]") {
    Layer L;
    L.bias = false;
    const StepEngine engine(L, test::small_integers({1, 1, 5, 5}, 10), integer_weights(L, 11));
    const GatherStep s = engine.gather_step(4);
    const Plane partial = engine.partial_output(4, 5);
    CHECK(partial(s.out_y, s.out_x) == s.taps[4].running_sum);
    CHECK(partial(0, 3) == engine.gather_step(3).result);
    CHECK(partial(2, 2) == 0.0);  // not reached yet
}

TEST_CASE("the step engine refuses a channel or batch item that does not exist", "[steps][validation]") {
    Layer L;
    auto make = [&](std::int64_t batch, std::int64_t channel) {
        return StepEngine(L, Tensor4::from_shape({1, 1, 5, 5}), integer_weights(L, 1), batch, channel);
    };
    CHECK_THROWS_WITH(make(0, 3), Catch::Contains("output channel 3"));
    CHECK_THROWS_WITH(make(2, 0), Catch::Contains("batch item 2"));
}

TEST_CASE("a convolution is a matrix, and the transposed convolution is its transpose", "[steps][matrix]") {
    // conv2d 4x4 -> 2x2 (k=3) has a 4 x 16 matrix C with 9 taps a row; the transposed
    // conv 2x2 -> 4x4 with the same kernel has the 16 x 4 matrix C^T (arithmetic guide, 4.1).
    Layer conv;
    conv.kernel = {3, 3};
    conv.bias = false;
    ConvWeights w;
    w.weight = test::small_integers({1, 1, 3, 3}, 3);
    const Tensor4 x = test::small_integers({1, 1, 4, 4}, 4);
    const StepEngine forward(conv, x, w);
    const ConvMatrix C = convolution_matrix(forward, 0);
    REQUIRE(C.rows == 4);
    REQUIRE(C.cols == 16);
    CHECK(C.nonzeros() == 4 * 9);
    const Plane y = forward.partial_output(forward.step_count());
    for (std::int64_t r = 0; r < 4; ++r) {
        double sum = 0;
        for (std::int64_t c = 0; c < 16; ++c) sum += C.at(r, c) * x.data()[c];
        CHECK(sum == y.data()[r]);
    }
    Layer up = conv;
    up.kind = LayerKind::ConvTranspose2d;
    const Tensor4 small = test::small_integers({1, 1, 2, 2}, 5);
    const TransposedView view = GENERATE(TransposedView::Scatter, TransposedView::AsConvolution);
    const StepEngine backward(up, small, w, 0, 0, view);
    const ConvMatrix T = convolution_matrix(backward, 0);
    REQUIRE(T.rows == 16);
    REQUIRE(T.cols == 4);
    for (std::int64_t r = 0; r < 16; ++r)
        for (std::int64_t c = 0; c < 4; ++c) CHECK(T.at(r, c) == C.at(c, r));
}

TEST_CASE("a matrix too large to draw is refused before it is built", "[steps][matrix][errors]") {
    Layer L;
    L.padding.value = {1, 1};
    ConvWeights w;
    w.weight = test::small_integers({1, 1, 3, 3}, 1);
    w.has_bias = true;
    w.bias = xt::zeros<double>({1});
    const StepEngine big(L, test::small_integers({1, 1, 64, 64}, 2), w);
    CHECK_THROWS_WITH(convolution_matrix(big, 0), Catch::Contains("4096 x 4096: too large to draw"));
}
