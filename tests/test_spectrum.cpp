// The checkerboard score: energy at the stride's frequencies, relative to all but the
// mean. Pure patterns give exact scores; at initialisation a k=3 s=2 transposed
// convolution of a smooth picture scores high and a resize-then-convolve one near zero.
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "core/nn/conv.hpp"
#include "core/learn/spectrum.hpp"

using namespace convscope;

namespace {

/// A smooth picture: a wide Gaussian blob plus a slow ramp, in [0, 1].
Tensor4 smooth_picture(std::size_t h, std::size_t w) {
    Tensor4 x = Tensor4::from_shape({1, 1, h, w});
    for (std::size_t r = 0; r < h; ++r)
        for (std::size_t c = 0; c < w; ++c) {
            const double dy = (double(r) - 0.4 * double(h)) / (0.25 * double(h));
            const double dx = (double(c) - 0.55 * double(w)) / (0.3 * double(w));
            x(0, 0, r, c) = 0.7 * std::exp(-(dx * dx + dy * dy)) + 0.3 * double(r + c) / double(h + w);
        }
    return x;
}

/// PyTorch's default initialisation bound for a layer of fan-in `fan_in`: U(-b, b),
/// b = 1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)).
ConvWeights random_weights(std::size_t c0, std::size_t c1, std::size_t k, double fan_in, unsigned seed) {
    std::mt19937_64 rng(seed);
    const double b = 1.0 / std::sqrt(fan_in);
    std::uniform_real_distribution<double> u(-b, b);
    ConvWeights w;
    w.weight = Tensor4::from_shape({c0, c1, k, k});
    for (double& v : w.weight) v = u(rng);
    w.bias = Tensor1::from_shape({1});
    w.bias(0) = u(rng);
    w.has_bias = true;
    return w;
}

}  // namespace

TEST_CASE("a constant output has no checkerboard, a pure one scores 1", "[spectrum]") {
    Tensor4 flat = Tensor4::from_shape({1, 2, 8, 8});
    flat.fill(0.5);
    CHECK(checkerboard_score(flat, 2, 2).score == 0.0);

    Tensor4 board = Tensor4::from_shape({1, 1, 8, 8});
    for (std::size_t r = 0; r < 8; ++r)
        for (std::size_t c = 0; c < 8; ++c) board(0, 0, r, c) = ((r + c) % 2) ? 1.0 : 0.0;
    const CheckerboardScore s = checkerboard_score(board, 2, 2, 0);
    CHECK(s.score == Approx(1.0));
    CHECK(s.total_energy == Approx(64.0 * 64.0 / 4.0));  // |sum of +-1/2 over 64 cells|^2 at (4, 4)

    // Stripes of period 2 along the columns: also a stride-2 frequency (0, W/2).
    Tensor4 stripes = board;
    for (std::size_t r = 0; r < 8; ++r)
        for (std::size_t c = 0; c < 8; ++c) stripes(0, 0, r, c) = double(c % 2);
    CHECK(checkerboard_score(stripes, 2, 2, 0).score == Approx(1.0));
    // ... but not a stride-3 one.
    CHECK(checkerboard_score(stripes, 3, 3, 0).score == Approx(0.0).margin(1e-12));
}

TEST_CASE("a smooth picture keeps almost no energy at the stride's frequencies", "[spectrum]") {
    CHECK(checkerboard_score(smooth_picture(64, 64), 2, 2).score < 0.01);
}

TEST_CASE("at initialisation a k=3 s=2 transposed convolution scores high, resize then convolve near zero",
          "[spectrum][checkerboard]") {
    const Tensor4 x = smooth_picture(32, 32);
    const unsigned seed = GENERATE(1u, 2u, 3u, 4u, 5u);

    Layer up;  // nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)
    up.kind = LayerKind::ConvTranspose2d;
    up.kernel = {3, 3};
    up.stride = {2, 2};
    up.padding.value = {1, 1};
    up.output_padding = {1, 1};
    // PyTorch's fan_in of a ConvTranspose2d weight [C_in, C_out, k, k] is C_out * k * k.
    const Tensor4 transposed = conv_transpose2d(x, random_weights(1, 1, 3, 9.0, seed), up);
    REQUIRE(transposed.shape()[2] == 64);

    // nn.Upsample(scale_factor=2, mode='nearest') then nn.Conv2d(1, 1, 3, padding=1)
    Tensor4 nearest = Tensor4::from_shape({1, 1, 64, 64});
    for (std::size_t r = 0; r < 64; ++r)
        for (std::size_t c = 0; c < 64; ++c) nearest(0, 0, r, c) = x(0, 0, r / 2, c / 2);
    Layer conv;
    conv.kernel = {3, 3};
    conv.padding.value = {1, 1};
    const Tensor4 resized = conv2d(nearest, random_weights(1, 1, 3, 9.0, seed), conv);

    const double k3s2 = checkerboard_score(transposed, 2, 2).score;
    const double resize_conv = checkerboard_score(resized, 2, 2).score;
    INFO("seed " << seed << ": k3s2 " << k3s2 << ", resize-conv " << resize_conv);
    CHECK(k3s2 > 0.1);
    CHECK(resize_conv < 0.01);
    CHECK(k3s2 > 20 * resize_conv);
}

TEST_CASE("the drawn spectrum has the zero frequency in the centre", "[spectrum]") {
    xt::xtensor<double, 2> stripes = xt::zeros<double>({4, 4});
    for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t c = 0; c < 4; ++c) stripes(r, c) = double(c % 2);
    const auto spectrum = log_power_spectrum(stripes);
    // (0, W/2) moves to (H/2, 0); the mean was removed, so the centre is 0.
    CHECK(spectrum(2, 0) == Approx(std::log1p(64.0)));  // |sum of +-1/2 over 16 cells|^2 = 8^2
    CHECK(spectrum(2, 2) == Approx(0.0).margin(1e-12));
}
