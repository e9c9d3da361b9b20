// The backward pass as a session: grad_input animated as the transposed op of
// grad_output with the same weights, replayed against autograd's answer.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/scene/animation_scene.hpp"
#include "core/nn/conv_kernels.hpp"
#include "core/base/errors.hpp"
#include "core/anim/presets.hpp"
#include "core/io/pycode.hpp"
#include "core/anim/session.hpp"

using namespace convscope;

namespace {

Session backward_session(const char* code, std::array<std::int64_t, 4> shape) {
    Session s;
    s.layers = parse_pytorch_code(code);
    s.input_shape = shape;
    s.seed = 5;
    s.pass = Pass::Backward;
    return s;
}

}  // namespace

TEST_CASE("replaying every backward step gives autograd's grad_input", "[session][backward]") {
    const auto [code, shape] = GENERATE(table<const char*, std::array<std::int64_t, 4>>({
        {"nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)", {1, 3, 7, 6}},  // seed-dilated, small
        {"nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2)", {1, 16, 3, 4}},     // seed-upconv, small
        {"nn.Conv2d(2, 3, 3, stride=2, padding=1)", {1, 2, 6, 7}},                 // output_padding needed
        {"nn.Conv2d(4, 2, 3, groups=2, padding=1, bias=False)", {1, 4, 5, 5}},
    }));
    CAPTURE(code);
    const Session s = backward_session(code, shape);
    const Animation a(s);
    REQUIRE(a.backward());
    const LayerData d = make_layer_data(s);  // the same weights the animation uses
    const ConvGradients g = conv_backward(d.layer, d.input, d.weights, a.grad_output());
    REQUIRE(a.timeline().channels == shape[1]);
    for (std::int64_t c = 0; c < shape[1]; ++c) {
        const StepEngine& e = a.engine_for(c);
        const Plane replayed = e.partial_output(e.step_count());
        REQUIRE(std::int64_t(replayed.shape()[0]) == shape[2]);
        REQUIRE(std::int64_t(replayed.shape()[1]) == shape[3]);
        for (std::int64_t r = 0; r < shape[2]; ++r)
            for (std::int64_t col = 0; col < shape[3]; ++col)
                REQUIRE(replayed(r, col) == Approx(g.input(0, c, r, col)).margin(1e-12));
    }
}

TEST_CASE("the backward caption names the transposed op of the forward layer", "[session][backward]") {
    struct Case {
        const char* preset;
        std::array<std::int64_t, 4> shape;
        const char* caption;
        bool scatters;  ///< a conv2d's input gradient is a transposed op: it scatters
    };
    const Case k = GENERATE(
        Case{"seed-dilated", {1, 3, 8, 8},
             "grad_input = ConvTranspose2d(16, 3, k=3, s=1, p=2, d=2) of grad_output (random, seed 1) with the same weights: "
             "the transpose of this Conv2d",
             true},
        Case{"seed-upconv", {1, 16, 3, 3},
             "grad_input = Conv2d(3, 16, k=2, s=2, p=0, d=1) of grad_output (random, seed 1) with the same weights: "
             "the transpose of this ConvTranspose2d",
             false});
    Session s = session_from_preset(k.preset);
    s.input_shape = k.shape;
    s.pass = Pass::Backward;
    const Animation a(s);
    CHECK(a.backward_caption() == k.caption);
    const Scene sc = animation_scene(a, 0, SceneOptions{});
    const std::string caption = k.caption, colon = ": the transpose";
    const std::string first = caption.substr(0, caption.find(colon)), second = caption.substr(caption.find(colon) + 2);
    for (const std::string& line : {first, second})
        CHECK(std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& t) { return t.text == line; }));
    CHECK(a.engine().is_scatter() == k.scatters);
    s.pass = Pass::Forward;
    CHECK(Animation(s).backward_caption().empty());
}

TEST_CASE("the pass is saved in the session and defaults to forward", "[session][backward]") {
    Session s = session_from_preset("seed-dilated");
    s.pass = Pass::Backward;
    nlohmann::json j = session_to_json(s);
    CHECK(j.at("pass") == "backward");
    CHECK(session_from_json(j).pass == Pass::Backward);
    j.erase("pass");
    CHECK(session_from_json(j).pass == Pass::Forward);
    j["pass"] = "sideways";
    CHECK_THROWS_WITH(session_from_json(j), Catch::Contains("pass 'sideways' is unknown"));
}

TEST_CASE("a layer without a transposed op refuses the backward view", "[session][backward]") {
    Session s = session_from_preset("reflect-padding");
    s.pass = Pass::Backward;
    CHECK_THROWS_AS(Animation(s), UserError);
    CHECK_THROWS_WITH(Animation(s), Catch::Contains("padding_mode 'reflect'"));
    Session p = backward_session("nn.MaxPool2d(2)", {1, 1, 4, 4});
    CHECK_THROWS_WITH(Animation(p), Catch::Contains("not a convolution"));
}
