// The convolution core on tensors small enough to check by hand.
#include <catch2/catch.hpp>

#include "core/nn/conv.hpp"
#include "core/base/errors.hpp"
#include "helpers.hpp"

using namespace convscope;
using test::tensor;

namespace {

Layer conv_layer(std::int64_t k, std::int64_t s, std::int64_t p, std::int64_t d, PaddingMode mode = PaddingMode::Zeros) {
    Layer L;
    L.kernel = {k, k};
    L.stride = {s, s};
    L.padding.value = {p, p};
    L.dilation = {d, d};
    L.bias = false;
    L.padding_mode = mode;
    return L;
}

ConvWeights ones_weight(std::int64_t k) {
    ConvWeights w;
    w.weight = Tensor4::from_shape({1, 1, std::size_t(k), std::size_t(k)});
    w.weight.fill(1.0);
    return w;
}

}  // namespace

TEST_CASE("dilation spreads the taps without adding weights", "[conv][dilation]") {
    // 5x5 ramp, 3x3 all-ones kernel with dilation 2: the single output sums the 9 cells
    // at even rows and columns: 0+2+4 + 10+12+14 + 20+22+24 = 108.
    Tensor4 x = Tensor4::from_shape({1, 1, 5, 5});
    for (std::size_t i = 0; i < 25; ++i) x.data()[i] = double(i);
    const Tensor4 y = conv2d(x, ones_weight(3), conv_layer(3, 1, 0, 2));
    REQUIRE(shape_of(y) == std::vector<std::int64_t>{1, 1, 1, 1});
    CHECK(y(0, 0, 0, 0) == 108.0);
}

TEST_CASE("a transposed convolution stamps its kernel at every input cell, stride apart", "[conv][transposed]") {
    // Input [[1, 2]], kernel [[1, 10], [100, 1000]], stride 2: two stamps side by side.
    Layer L = conv_layer(2, 2, 0, 1);
    L.kind = LayerKind::ConvTranspose2d;
    ConvWeights w;
    w.weight = tensor({1, 1, 2, 2}, {1, 10, 100, 1000});
    const Tensor4 y = conv_transpose2d(tensor({1, 1, 1, 2}, {1, 2}), w, L);
    const Tensor4 expected = tensor({1, 1, 2, 4}, {1, 10, 2, 20, 100, 1000, 200, 2000});
    CHECK(test::equal(y, expected));
}

TEST_CASE("overlapping stamps add up where kernel 3 does not divide stride 2", "[conv][transposed][checkerboard]") {
    // All-ones input and kernel: each output counts how many taps land on it, 1 or 2 per
    // axis, the checkerboard of Odena et al.
    Layer L = conv_layer(3, 2, 0, 1);
    L.kind = LayerKind::ConvTranspose2d;
    Tensor4 x = Tensor4::from_shape({1, 1, 2, 2});
    x.fill(1.0);
    const Tensor4 y = conv_transpose2d(x, ones_weight(3), L);
    const Tensor4 expected = tensor({1, 1, 5, 5}, {1, 1, 2, 1, 1,  //
                                                   1, 1, 2, 1, 1,  //
                                                   2, 2, 4, 2, 2,  //
                                                   1, 1, 2, 1, 1,  //
                                                   1, 1, 2, 1, 1});
    CHECK(test::equal(y, expected));
}

TEST_CASE("each padding mode copies the cells PyTorch's F.pad copies", "[conv][padding]") {
    // A 1x1 kernel of weight 1 with padding 1 returns the padded input itself.
    const Tensor4 x = tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    auto padded = [&](PaddingMode m) { return conv2d(x, ones_weight(1), conv_layer(1, 1, 1, 1, m)); };
    CHECK(test::equal(padded(PaddingMode::Zeros), tensor({1, 1, 5, 5}, {0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 7, 8, 9, 0, 0, 0, 0, 0, 0})));
    CHECK(test::equal(padded(PaddingMode::Reflect), tensor({1, 1, 5, 5}, {5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 8, 7, 8, 9, 8, 5, 4, 5, 6, 5})));
    CHECK(test::equal(padded(PaddingMode::Replicate), tensor({1, 1, 5, 5}, {1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9, 7, 7, 8, 9, 9})));
    CHECK(test::equal(padded(PaddingMode::Circular), tensor({1, 1, 5, 5}, {9, 7, 8, 9, 7, 3, 1, 2, 3, 1, 6, 4, 5, 6, 4, 9, 7, 8, 9, 7, 3, 1, 2, 3, 1})));
}

TEST_CASE("'same' padding splits an odd total with the smaller half on top and left", "[conv][padding]") {
    Layer L = conv_layer(2, 1, 0, 1);
    L.padding.kind = PaddingKind::Same;
    ConvWeights w;
    w.weight = tensor({1, 1, 2, 2}, {1, 0, 0, 0});  // reads the top-left tap only
    const Tensor4 x = tensor({1, 1, 2, 2}, {1, 2, 3, 4});
    // total padding 1 goes bottom/right, so the top-left tap reads the input unshifted.
    CHECK(test::equal(conv2d(x, w, L), x));
}

TEST_CASE("groups keep input channels apart", "[conv][groups]") {
    Layer L = conv_layer(1, 1, 0, 1);
    L.in_channels = 2;
    L.out_channels = 2;
    L.groups = 2;
    ConvWeights w;
    w.weight = tensor({2, 1, 1, 1}, {10, 100});
    const Tensor4 y = conv2d(tensor({1, 2, 1, 1}, {1, 2}), w, L);
    CHECK(test::equal(y, tensor({1, 2, 1, 1}, {10, 200})));
}

TEST_CASE("the transposed convolution is the adjoint of the convolution with the same weights", "[conv][property]") {
    // <conv(x), y> == <x, conv_transpose(y)>, for every geometry, when conv_transpose's
    // output_padding restores x's size.
    const auto k = GENERATE(1, 2, 3);
    const auto s = GENERATE(1, 2, 3);
    const auto d = GENERATE(1, 2);
    const auto p = GENERATE(0, 1, 2);
    const std::size_t H = 9, W = 8;
    Layer fwd = conv_layer(k, s, p, d);
    fwd.in_channels = 2;
    fwd.out_channels = 3;
    if (d * (k - 1) + 1 > std::int64_t(H) + 2 * p) return;
    const Tensor4 x = test::small_integers({1, 2, H, W}, 7);
    ConvWeights w;
    w.weight = test::small_integers({3, 2, std::size_t(k), std::size_t(k)}, 11);
    const Tensor4 cx = conv2d(x, w, fwd);
    const auto cs = shape_of(cx);
    const Tensor4 y = test::small_integers({1, 3, std::size_t(cs[2]), std::size_t(cs[3])}, 13);

    Layer back = fwd;
    back.kind = LayerKind::ConvTranspose2d;
    back.in_channels = 3;
    back.out_channels = 2;
    // output_padding makes (Ho-1)s - 2p + d(k-1) + op + 1 equal H again.
    back.output_padding = {std::int64_t(H) - ((cs[2] - 1) * s - 2 * p + d * (k - 1) + 1),
                           std::int64_t(W) - ((cs[3] - 1) * s - 2 * p + d * (k - 1) + 1)};
    if (back.output_padding.h >= std::max<std::int64_t>(s, d) || back.output_padding.w >= std::max<std::int64_t>(s, d)) return;
    const Tensor4 ty = conv_transpose2d(y, w, back);
    REQUIRE(shape_of(ty) == shape_of(x));
    double lhs = 0, rhs = 0;
    for (std::size_t i = 0; i < cx.size(); ++i) lhs += cx.data()[i] * y.data()[i];
    for (std::size_t i = 0; i < x.size(); ++i) rhs += x.data()[i] * ty.data()[i];
    CHECK(lhs == rhs);  // integers: exact
}

TEST_CASE("max and average pooling follow PyTorch's windows and divisors", "[conv][pool]") {
    const Tensor4 x = tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Layer L;
    L.kind = LayerKind::MaxPool2d;
    L.kernel = {2, 2};
    L.stride = {2, 2};
    L.ceil_mode = true;
    CHECK(test::equal(pool2d(x, L), tensor({1, 1, 2, 2}, {5, 6, 8, 9})));
    L.kind = LayerKind::AvgPool2d;
    L.ceil_mode = false;
    L.padding.value = {1, 1};
    // count_include_pad: windows clipped to the padded input, every divisor 4.
    CHECK(test::equal(pool2d(x, L), tensor({1, 1, 2, 2}, {0.25, 1.25, 2.75, 7.0})));
}

TEST_CASE("absurd sizes are refused before anything is allocated", "[conv][limits]") {
    CHECK_THROWS_WITH(make_tensor(1 << 20, 1 << 10, 1, 1, "the input"), Catch::Contains("2^28"));
    Layer L = conv_layer(3, 1, 0, 1);
    L.kind = LayerKind::ConvTranspose2d;
    L.stride = {1 << 20, 1 << 20};
    L.output_padding = {0, 0};
    ConvWeights w = ones_weight(3);
    CHECK_THROWS_AS(conv_transpose2d(Tensor4::from_shape({1, 1, 4000, 4000}), w, L), UserError);
}

TEST_CASE("weights of the wrong shape are named in the refusal", "[conv][validation]") {
    Layer L = conv_layer(3, 1, 1, 1);
    CHECK_THROWS_WITH(conv2d(Tensor4::from_shape({1, 1, 5, 5}), ones_weight(2), L),
                      Catch::Contains("weight has shape [1, 1, 2, 2]") && Catch::Contains("[1, 1, 3, 3]"));
}
