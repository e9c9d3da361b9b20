// Sessions: the document saved and reopened; patterns of inputs and kernels.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "core/scene/animation_scene.hpp"
#include "core/base/files.hpp"
#include "core/io/json_io.hpp"
#include "core/anim/presets.hpp"
#include "core/anim/session.hpp"
#include "helpers.hpp"

using namespace convscope;
namespace fs = std::filesystem;

TEST_CASE("a saved session reopens with every field as it was", "[session]") {
    Session s = session_from_preset("seed-combined");
    s.layer_index = 1;
    s.seed = 42;
    s.input = InputPattern::Impulse;
    s.kernel = KernelPattern::Custom;
    s.custom_kernel = {1, -2, 3, 0.5};
    s.out_channel = 2;
    s.in_channel = 7;
    s.view = TransposedView::AsConvolution;
    s.granularity = Granularity::Cell;
    s.frame = 17;
    s.dark = true;
    const std::string path = (fs::temp_directory_path() / ("session_" + std::to_string(::getpid()) + ".json")).string();
    save_session(s, path);
    const Session t = load_session(path);
    fs::remove(path);
    CHECK(t.preset == "seed-combined");
    CHECK(t.input_shape == s.input_shape);
    CHECK(t.layers == s.layers);
    CHECK(t.layer_index == 1);
    CHECK(t.seed == 42);
    CHECK(t.input == InputPattern::Impulse);
    CHECK(t.kernel == KernelPattern::Custom);
    CHECK(t.custom_kernel == s.custom_kernel);
    CHECK(t.out_channel == 2);
    CHECK(t.in_channel == 7);
    CHECK(t.view == TransposedView::AsConvolution);
    CHECK(t.granularity.has_value());
    CHECK(*t.granularity == Granularity::Cell);
    CHECK(t.frame == 17);
    CHECK(t.dark);
}

TEST_CASE("broken, foreign and future session files are refused with the reason", "[session][errors]") {
    using nlohmann::json;
    const json good = session_to_json(session_from_preset("seed-dilated"));
    struct Case {
        std::string what;
        json doc;
        std::string message;
    };
    auto with = [&](const char* key, json value) {
        json j = good;
        j[key] = std::move(value);
        return j;
    };
    auto without = [&](const char* key) {
        json j = good;
        j.erase(key);
        return j;
    };
    const std::vector<Case> cases = {
        {"not an object", json::array(), "the session must be a JSON object"},
        {"no version", without("convscope_session"), "not a ConvScope session"},
        {"a newer version", with("convscope_session", 99), "newer than this ConvScope reads"},
        {"no layers", with("layers", json::array()), "layers must be a non-empty list"},
        {"an unknown op", with("layers", json::parse(R"([{"op": "conv3d", "kernel_size": 3}])")), "conv3d"},
        {"a negative size", with("input_shape", json::parse("[1, 3, -64, 64]")), "has a size below 1"},
        {"an exploding size", with("input_shape", json::parse("[65536, 65536, 65536, 65536]")), "2^28"},
        {"a layer index outside", with("layer_index", 5), "layer_index 5 is outside"},
        {"an unknown input pattern", with("input", "noise"), "input 'noise' is unknown"},
        {"an unknown kernel pattern", with("kernel", "gabor"), "kernel 'gabor' is unknown"},
        {"custom taps of the wrong count", with("kernel", "custom"), "custom_kernel must list"},
        {"an unknown view", with("view", "sideways"), "view 'sideways' is unknown"},
        {"an unknown granularity", with("granularity", "pixel"), "granularity 'pixel' is unknown"},
        {"a seed out of range", with("seed", -1), "seed -1 must be in"},
        {"a string for a number", with("frame", "ten"), "frame must be a whole number"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        try {
            session_from_json(c.doc);
            FAIL("not refused");
        } catch (const UserError& e) {
            CHECK_THAT(e.what(), Catch::Contains(c.message));
        }
    }
}

TEST_CASE("a number too large for a double is refused as invalid JSON, not a crash", "[session][errors][fuzz]") {
    // Found by fuzz_case_json: nlohmann throws out_of_range, not parse_error, for it.
    CHECK_THROWS_AS(parse_json_text(R"({"data": [0.1506E459796211915]})", "input"), UserError);
    CHECK_THROWS_WITH(parse_json_text("[1e999999]", "'x.json'"), Catch::Contains("'x.json' is not valid JSON (number overflow"));
}

TEST_CASE("a truncated session file is refused, and a failed save keeps the old file", "[session][files]") {
    const std::string dir = (fs::temp_directory_path() / ("sessions_" + std::to_string(::getpid()))).string();
    fs::create_directories(dir);
    const std::string path = dir + "/s.json";
    const Session s = session_from_preset("seed-upconv");
    save_session(s, path);
    const std::string whole = read_file(path, 1 << 20);
    write_file_atomically(path, whole.substr(0, whole.size() / 2));
    CHECK_THROWS_WITH(load_session(path), Catch::Contains("is not valid JSON"));
    save_session(s, path);
    CHECK_THROWS_WITH(save_session(s, dir), Catch::Contains("is a directory"));
    CHECK(read_file(path, 1 << 20) == whole);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
    CHECK(files == 1);  // no temporary left over
    fs::remove_all(dir);
}

TEST_CASE("input patterns hold what their names say", "[session][patterns]") {
    Session s = session_from_preset("arith-same-padding");  // 1x1x5x5
    s.input = InputPattern::Ramp;
    CHECK(test::equal(make_input(s), test::tensor({1, 1, 5, 5}, {0, 1, 2, 3, 4, 1, 2, 3, 4, 5, 2, 3, 4, 5, 6, 3, 4, 5, 6, 7, 4, 5, 6, 7, 8})));
    s.input = InputPattern::Impulse;
    CHECK(test::equal(make_input(s), test::tensor({1, 1, 5, 5}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
    s.input = InputPattern::Checkerboard;
    CHECK(test::equal(make_input(s), test::tensor({1, 1, 5, 5}, {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0})));
    s.input = InputPattern::Picture;
    s.input_shape = {1, 1, 32, 32};
    const Tensor4 pic = make_input(s);
    CHECK(pic(0, 0, 0, 0) == 0.0);   // black corner
    CHECK(pic(0, 0, 16, 4) == 1.0);  // white face
}

TEST_CASE("an impulse through an identity, box, Sobel or Laplacian kernel gives the kernel back", "[session][patterns]") {
    // conv2d of a centred impulse with padding 1 puts the flipped kernel around the
    // centre: out(2 + i, 2 + j) = w(1 - i, 1 - j).
    Session s = session_from_preset("arith-same-padding");
    s.input = InputPattern::Impulse;
    s.layers[0].bias = false;
    struct Case {
        KernelPattern pattern;
        std::vector<double> kernel;
    };
    const double b = 1.0 / 9;
    const Case c = GENERATE_COPY(Case{KernelPattern::Identity, {0, 0, 0, 0, 1, 0, 0, 0, 0}},
                                 Case{KernelPattern::Box, {b, b, b, b, b, b, b, b, b}},
                                 Case{KernelPattern::Sobel, {-1, 0, 1, -2, 0, 2, -1, 0, 1}},
                                 Case{KernelPattern::Laplacian, {0, 1, 0, 1, -4, 1, 0, 1, 0}});
    s.kernel = c.pattern;
    const LayerData d = make_layer_data(s);
    const Tensor4 y = conv2d(d.input, d.weights, d.layer);
    for (int i = -1; i <= 1; ++i)
        for (int j = -1; j <= 1; ++j) CHECK(y(0, 0, 2 + i, 2 + j) == c.kernel[std::size_t((1 - i) * 3 + (1 - j))]);
}

TEST_CASE("per-channel granularity steps through the output channels", "[session][timeline]") {
    Session s = session_from_preset("seed-upconv");
    s.granularity = Granularity::Channel;
    const Animation a(s);
    REQUIRE(a.frame_count() == 3);
    SceneOptions opt;
    const Scene first = animation_scene(a, 0, opt), last = animation_scene(a, 2, opt);
    auto has = [](const Scene& sc, const std::string& t) {
        return std::any_of(sc.texts.begin(), sc.texts.end(), [&](const SceneText& x) { return x.text == t; });
    };
    CHECK(has(first, "output (channel 0 of 3)"));
    CHECK(has(last, "output (channel 2 of 3)"));
}

TEST_CASE("every preset opens, and the guide's figures have the guide's sizes", "[session][presets]") {
    for (const Preset& p : builtin_presets()) {
        INFO(p.name);
        CHECK_NOTHROW(Animation(session_from_preset(p.name)));
    }
    struct Figure {
        const char* preset;
        std::int64_t in, out;
    };
    const Figure f = GENERATE(Figure{"arith-no-padding", 4, 2}, Figure{"arith-arbitrary-padding", 5, 6},
                              Figure{"arith-same-padding", 5, 5}, Figure{"arith-full-padding", 5, 7},
                              Figure{"arith-strides", 5, 2}, Figure{"arith-padding-strides", 5, 3},
                              Figure{"arith-padding-strides-odd", 6, 3}, Figure{"arith-t-no-padding", 2, 4},
                              Figure{"arith-t-arbitrary-padding", 6, 5}, Figure{"arith-t-same-padding", 5, 5},
                              Figure{"arith-t-full-padding", 7, 5}, Figure{"arith-t-strides", 2, 5},
                              Figure{"arith-t-padding-strides", 3, 5}, Figure{"arith-t-padding-strides-odd", 3, 6},
                              Figure{"arith-dilation", 7, 3});
    INFO(f.preset);
    const Animation animation(session_from_preset(f.preset));
    const LayerGeometry& g = animation.engine().geometry();
    CHECK(g.h().in == f.in);
    CHECK(g.w().in == f.in);
    CHECK(g.h().out == f.out);
    CHECK(g.w().out == f.out);
}

TEST_CASE("the receptive-field stacks open on their last layer, the seeds on their first", "[session][presets]") {
    const auto name = GENERATE(as<std::string>{}, "gridding", "hybrid-dilation", "wavenet");
    const Session s = session_from_preset(name);
    CHECK(s.layer_index == std::int64_t(s.layers.size()) - 1);
    CHECK(session_from_preset("seed-combined").layer_index == 0);
}

TEST_CASE("the upsampling presets open with their layers' sizes, and bilinear steps read four weighted sources",
          "[session][presets]") {
    struct Upsampling {
        const char* preset;
        std::int64_t in, out;  ///< input side, the stack's output side
    };
    const Upsampling u = GENERATE(Upsampling{"resize-conv", 4, 8}, Upsampling{"bilinear-upsample", 3, 6}, Upsampling{"subpixel", 4, 8});
    INFO(u.preset);
    const Session s = session_from_preset(u.preset);
    const std::vector<Tensor4> maps = stack_activations(s);
    CHECK(maps.front().shape()[2] == std::size_t(u.in));
    CHECK(maps.back().shape()[1] == 1);
    CHECK(maps.back().shape()[2] == std::size_t(u.out));
    CHECK(maps.back().shape()[3] == std::size_t(u.out));
    for (std::int64_t layer = 0; layer < std::int64_t(s.layers.size()); ++layer) {  // every layer animates
        Session t = s;
        t.layer_index = layer;
        const Animation a(t);
        CHECK(a.frame_count() > 0);
        const StepEngine& e = a.engine();
        const Plane replayed = e.partial_output(e.step_count());
        const Tensor4& y = maps[std::size_t(layer + 1)];
        for (std::size_t r = 0; r < replayed.shape()[0]; ++r)
            for (std::size_t c = 0; c < replayed.shape()[1]; ++c) CHECK(replayed(r, c) == Approx(y(0, 0, r, c)).margin(1e-12));
    }
    if (std::string(u.preset) == "bilinear-upsample") {
        // Output (1, 1) samples source (1 + 0.5) / 2 - 0.5 = 0.25 on both axes: cells 0 and 1
        // weighted 0.75 and 0.25, so the four sources carry 0.5625, 0.1875, 0.1875, 0.0625.
        const StepEngine e(s.layers[0], maps[0], ConvWeights{});
        const GatherStep step = e.gather_step(1 * 6 + 1);
        std::map<std::pair<std::int64_t, std::int64_t>, double> weight;
        for (const GatherTap& t : step.taps) weight[{t.src_y, t.src_x}] += t.weight;
        const std::map<std::pair<std::int64_t, std::int64_t>, double> expected = {
            {{0, 0}, 0.5625}, {{0, 1}, 0.1875}, {{1, 0}, 0.1875}, {{1, 1}, 0.0625}};
        CHECK(weight == expected);
    }
}
