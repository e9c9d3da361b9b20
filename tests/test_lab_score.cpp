// The lab's checkerboard score (kLabScoreWindow bins around the stride's frequencies)
// on pictures whose answer is known, and after training on the shipped picture: it must
// say what the eye sees (k=3 s=2's checkerboard far above the resize-convs').
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "core/learn/lab.hpp"
#include "core/learn/spectrum.hpp"

using namespace convscope;

namespace {

constexpr std::size_t kSide = 128;

/// A smooth picture: a soft blob on a gentle ramp, values in [0, 1].
double smooth(std::size_t r, std::size_t c) {
    const double y = double(r) / kSide - 0.4, x = double(c) / kSide - 0.6;
    return 0.3 + 0.2 * double(r + c) / (2 * kSide) + 0.4 * std::exp(-(x * x + y * y) / 0.05);
}

Tensor4 picture(double (*f)(std::size_t, std::size_t)) {
    Tensor4 t = make_tensor(1, 1, kSide, kSide, "picture");
    for (std::size_t r = 0; r < kSide; ++r)
        for (std::size_t c = 0; c < kSide; ++c) t(0, 0, r, c) = f(r, c);
    return t;
}

double score(const Tensor4& t) { return checkerboard_score(t, 2, 2, kLabScoreWindow).score; }

}  // namespace

TEST_CASE("the checkerboard score of a pure checkerboard is 1", "[lab][spectrum]") {
    CHECK(score(picture([](std::size_t r, std::size_t c) { return double((r + c) % 2); })) == Approx(1.0));
}

TEST_CASE("a smooth picture multiplied by a period-2 pattern scores high, the picture alone low", "[lab][spectrum]") {
    // What a trained k=3 s=2 transposed convolution makes: the picture times a gain that
    // alternates between output phases (here 1 +- 0.1 by rows and columns).
    const double modulated = score(picture([](std::size_t r, std::size_t c) {
        return smooth(r, c) * (1 + 0.1 * (r % 2 ? 1 : -1)) * (1 + 0.1 * (c % 2 ? 1 : -1));
    }));
    const double plain = score(picture(smooth));
    CAPTURE(modulated, plain);
    CHECK(modulated > 0.3);
    CHECK(plain < 1e-3);
    CHECK(modulated > 1000 * plain);
}

TEST_CASE("white noise scores the band's share of the spectrum", "[lab][spectrum]") {
    // The band: per axis 5 bins around H/2 and 5 around 0 (window 2); the union of
    // (near H/2 on one axis, either on the other) is 5*10 + 10*5 - 5*5 = 75 bins of the
    // 128*128 - 1 that are not the mean: 75 / 16383 = 0.00458.
    std::mt19937 random(7);
    std::normal_distribution<double> normal;
    double sum = 0;
    constexpr int kTrials = 8;
    for (int trial = 0; trial < kTrials; ++trial) {
        Tensor4 t = make_tensor(1, 1, kSide, kSide, "noise");
        for (double& v : t) v = normal(random);
        sum += score(t);
    }
    CHECK(sum / kTrials == Approx(75.0 / 16383.0).epsilon(0.1));
}

TEST_CASE("after 200 Adam steps on the shipped picture k=3 s=2 scores at least 10x every resize-conv", "[lab][spectrum][slow]") {
    LabSettings s;  // 128x128 from assets/landscape.png, Adam lr 0.01, seed 1
    Lab lab(s);
    for (int k = 0; k < 200; ++k) lab.step();
    const LabSnapshot snap = lab.snapshot();
    REQUIRE(snap.models.size() == 5);
    const double k3 = snap.models[0].score.score, k4 = snap.models[1].score.score, nearest = snap.models[2].score.score,
                 bilinear = snap.models[3].score.score, icnr = snap.models[4].score.score;
    CAPTURE(k3, k4, nearest, bilinear, icnr, snap.target_score);
    WARN("scores after 200 steps: k3s2 " << k3 << ", k4s2 " << k4 << ", nearest " << nearest << ", bilinear " << bilinear
                                        << ", ICNR " << icnr << ", picture " << snap.target_score);
    // The score before (window 0: exactly the stride's frequencies), for the record.
    std::string before;
    for (const LabModelSnapshot& m : snap.models) before += " " + std::to_string(checkerboard_score(m.output, 2, 2, 0).score);
    WARN("window 0 scores (k3s2 k4s2 nearest bilinear ICNR):" << before);
    CHECK(k3 > 10 * nearest);
    CHECK(k3 > 10 * bilinear);
    CHECK(k3 > 10 * icnr);
    CHECK(k3 > k4);
}
