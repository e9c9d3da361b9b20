// Output-size arithmetic and the refusals that name parameter, value and rule.
#include <catch2/catch.hpp>

#include "core/nn/layer_ops.hpp"
#include "core/nn/conv.hpp"
#include "core/base/errors.hpp"
#include "core/nn/shape.hpp"
#include "helpers.hpp"

using namespace convscope;

TEST_CASE("the seed dilated layer keeps 64x64 and shows its arithmetic", "[shape][seed]") {
    Layer L;
    L.in_channels = 3;
    L.out_channels = 16;
    L.padding.value = {2, 2};
    L.dilation = {2, 2};
    const LayerGeometry g = resolve_layer(L, 1, 3, 64, 64);
    CHECK(g.h().out == 64);
    CHECK(g.h().formula == "H_out = floor((64 + 2*2 - 2*(3-1) - 1) / 1) + 1 = 64");
    CHECK(g.w().formula == "W_out = floor((64 + 2*2 - 2*(3-1) - 1) / 1) + 1 = 64");
    CHECK(torch_size_text({1, g.out_channels, g.h().out, g.w().out}) == "torch.Size([1, 16, 64, 64])");
}

TEST_CASE("the seed up-convolution doubles 32 to 64", "[shape][seed]") {
    Layer L;
    L.kind = LayerKind::ConvTranspose2d;
    L.in_channels = 16;
    L.out_channels = 3;
    L.kernel = {2, 2};
    L.stride = {2, 2};
    const LayerGeometry g = resolve_layer(L, 1, 16, 32, 32);
    CHECK(g.h().out == 64);
    CHECK(g.h().formula == "H_out = (32 - 1)*2 - 2*0 + 1*(2-1) + 0 + 1 = 64");
}

TEST_CASE("the shape formula predicts the size the convolution produces", "[shape][property]") {
    const auto k = GENERATE(1, 2, 3, 5);
    const auto s = GENERATE(1, 2, 3);
    const auto p = GENERATE(0, 1, 2);
    const auto d = GENERATE(1, 2, 3);
    const auto transposed = GENERATE(false, true);
    Layer L;
    L.kind = transposed ? LayerKind::ConvTranspose2d : LayerKind::Conv2d;
    L.kernel = {k, k + 1};
    L.stride = {s, s};
    L.padding.value = {p, p};
    L.dilation = {d, d};
    L.bias = false;
    const std::size_t H = 7, W = 6;
    ConvWeights w;
    w.weight = Tensor4::from_shape({1, 1, std::size_t(k), std::size_t(k + 1)});
    w.weight.fill(1);
    const Tensor4 x = test::small_integers({1, 1, H, W}, 3);
    LayerGeometry g;
    try {
        g = resolve_layer(L, 1, 1, H, W);
    } catch (const UserError&) {
        CHECK_THROWS_AS(apply_layer(x, w, L), UserError);  // refused the same way
        return;
    }
    const Tensor4 y = apply_layer(x, w, L);
    CHECK(shape_of(y) == std::vector<std::int64_t>{1, 1, g.h().out, g.w().out});
}

TEST_CASE("refusals name the parameter, the value and the rule", "[shape][validation]") {
    Layer L;
    SECTION("a dilated kernel wider than the padded input") {
        L.dilation = {3, 3};
        CHECK_THROWS_WITH(resolve_layer(L, 1, 1, 5, 5),
                          "dilation 3 makes the 3x3 kernel span 7x7, larger than the padded input 5x5");
    }
    SECTION("'same' with a stride") {
        L.padding.kind = PaddingKind::Same;
        L.stride = {2, 2};
        CHECK_THROWS_WITH(resolve_layer(L, 1, 1, 8, 8), Catch::Contains("padding='same'") && Catch::Contains("stride 2"));
    }
    SECTION("output_padding not smaller than stride or dilation") {
        L.kind = LayerKind::ConvTranspose2d;
        L.stride = {2, 2};
        L.output_padding = {2, 2};
        CHECK_THROWS_WITH(resolve_layer(L, 1, 1, 3, 3), Catch::Contains("output_padding 2") && Catch::Contains("stride 2"));
    }
    SECTION("output_padding below the dilation is allowed even at the stride") {
        L.kind = LayerKind::ConvTranspose2d;
        L.stride = {1, 1};
        L.dilation = {2, 2};
        L.output_padding = {1, 1};
        CHECK(resolve_layer(L, 1, 1, 3, 3).h().out == 3 - 1 + 4 + 1 + 1);
    }
    SECTION("reflect padding as large as the input") {
        L.padding.value = {3, 3};
        L.padding_mode = PaddingMode::Reflect;
        CHECK_THROWS_WITH(resolve_layer(L, 1, 1, 3, 3), Catch::Contains("reflect") && Catch::Contains("input height 3"));
    }
    SECTION("groups that do not divide the channels") {
        L.in_channels = 3;
        L.out_channels = 4;
        L.groups = 2;
        CHECK_THROWS_WITH(resolve_layer(L, 1, 3, 5, 5), "in_channels 3 must be divisible by groups 2");
    }
    SECTION("zero or negative stride, dilation and padding") {
        const auto which = GENERATE(0, 1, 2);
        if (which == 0) L.stride = {0, 1};
        if (which == 1) L.dilation = {1, -1};
        if (which == 2) L.padding.value = {-1, 0};
        CHECK_THROWS_AS(resolve_layer(L, 1, 1, 5, 5), UserError);
    }
    SECTION("a transposed output below one cell") {
        L.kind = LayerKind::ConvTranspose2d;
        L.kernel = {1, 1};
        L.padding.value = {1, 1};
        CHECK_THROWS_WITH(resolve_layer(L, 1, 1, 1, 1), Catch::Contains("-1x-1") && Catch::Contains("at least 1"));
    }
    SECTION("the wrong number of input channels") {
        L.in_channels = 3;
        CHECK_THROWS_WITH(resolve_layer(L, 1, 4, 8, 8), "the input has 4 channels but in_channels is 3");
    }
    SECTION("geometry beyond the limits") {
        L.kernel = {1 << 21, 1};
        CHECK_THROWS_WITH(resolve_layer(L, 1, 1, 8, 8), Catch::Contains("exceeds the limit"));
    }
}

TEST_CASE("max pooling with ceil_mode drops a window that would start in the padding", "[shape][pool]") {
    Layer L;
    L.kind = LayerKind::MaxPool2d;
    L.kernel = {2, 2};
    L.stride = {2, 2};
    L.padding.value = {1, 1};
    L.ceil_mode = true;
    // ceil((5 + 2 - 1 - 1)/2) + 1 = 4, but window 3 would start at 6 >= 5 + 1: 3.
    CHECK(resolve_layer(L, 1, 1, 5, 5).h().out == 3);
    L.padding.value = {0, 0};
    CHECK(resolve_layer(L, 1, 1, 5, 5).h().out == 3);
}
