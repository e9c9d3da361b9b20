// Editing a layer stack: new layers per kind, kind changes, channels flowing through,
// the shapes print() shows after each layer, and the transposed-overlap map.
#include <catch2/catch.hpp>

#include "core/scene/overlap_map.hpp"
#include "core/base/errors.hpp"
#include "core/nn/layer.hpp"
#include "core/anim/stack_edit.hpp"

using namespace convscope;
using Shape = std::array<std::int64_t, 4>;

namespace {

Session stack_of(std::vector<Layer> layers, Shape input) {
    Session s;
    s.layers = std::move(layers);
    s.input_shape = input;
    return s;
}

Layer conv(std::int64_t in, std::int64_t out) {
    Layer L;
    L.in_channels = in;
    L.out_channels = out;
    return L;
}

}  // namespace

TEST_CASE("a new layer of each kind keeps, doubles or halves the size and keeps the channels", "[stack_edit]") {
    const auto [kind, expected] = GENERATE(table<LayerKind, Shape>({{LayerKind::Conv2d, {1, 4, 8, 8}},
                                                                     {LayerKind::ConvTranspose2d, {1, 4, 16, 16}},
                                                                     {LayerKind::MaxPool2d, {1, 4, 4, 4}},
                                                                     {LayerKind::AvgPool2d, {1, 4, 4, 4}}}));
    const Layer L = default_layer(kind, 4);
    CHECK(L.kind == kind);
    CHECK_NOTHROW(validate_layer(L));
    const auto shapes = stack_output_shapes({L}, {1, 4, 8, 8});
    REQUIRE(shapes.size() == 1);
    CHECK(shapes[0] == expected);
}

TEST_CASE("turning a Conv2d into a ConvTranspose2d drops what only Conv2d accepts, and back", "[stack_edit]") {
    Layer L = conv(2, 2);
    L.padding.kind = PaddingKind::Same;
    L.padding_mode = PaddingMode::Reflect;
    change_layer_kind(L, LayerKind::ConvTranspose2d);
    CHECK(L.kind == LayerKind::ConvTranspose2d);
    CHECK(L.padding.kind == PaddingKind::Explicit);
    CHECK(L.padding_mode == PaddingMode::Zeros);
    CHECK_NOTHROW(validate_layer(L));

    L.stride = {2, 2};
    L.output_padding = {1, 1};
    CHECK_NOTHROW(validate_layer(L));
    change_layer_kind(L, LayerKind::Conv2d);
    CHECK(L.output_padding == Pair{0, 0});
    CHECK_NOTHROW(validate_layer(L));
}

TEST_CASE("channels flow from the input through each convolution, and pools keep them", "[stack_edit]") {
    Layer pool = default_layer(LayerKind::MaxPool2d, 0);
    const Session s = stack_of({conv(3, 16), pool, conv(16, 5)}, {1, 3, 32, 32});
    CHECK(channels_before(s, 0) == 3);
    CHECK(channels_before(s, 1) == 16);
    CHECK(channels_before(s, 2) == 16);
    CHECK(channels_before(s, 3) == 5);
    CHECK(channels_before(s, 99) == 5);
}

TEST_CASE("the input's channels follow a first convolution, not a first pool", "[stack_edit]") {
    Session s = stack_of({conv(7, 2)}, {1, 3, 8, 8});
    sync_input_channels(s);
    CHECK(s.input_shape == Shape{1, 7, 8, 8});
    Session p = stack_of({default_layer(LayerKind::AvgPool2d, 0), conv(3, 2)}, {1, 3, 8, 8});
    sync_input_channels(p);
    CHECK(p.input_shape == Shape{1, 3, 8, 8});
}

TEST_CASE("inserting, moving and removing layers keeps the selection on the edited layer", "[stack_edit]") {
    Session s = stack_of({conv(3, 16)}, {1, 3, 64, 64});
    s.frame = 12;
    insert_layer_after_selected(s, LayerKind::ConvTranspose2d);
    REQUIRE(s.layers.size() == 2);
    CHECK(s.layer_index == 1);
    CHECK(s.frame == 0);
    CHECK(s.layers[1].kind == LayerKind::ConvTranspose2d);
    CHECK(s.layers[1].in_channels == 16);
    // k=3 without padding: 64 -> 62; then doubled.
    CHECK(stack_output_shapes(s.layers, s.input_shape).back() == Shape{1, 16, 124, 124});

    CHECK_FALSE(move_selected_layer(s, false));  // already last
    CHECK(move_selected_layer(s, true));
    CHECK(s.layer_index == 0);
    CHECK(s.layers[0].kind == LayerKind::ConvTranspose2d);
    CHECK(s.input_shape[1] == 16);  // the first layer now takes 16 channels
    CHECK_FALSE(move_selected_layer(s, true));

    remove_selected_layer(s);
    REQUIRE(s.layers.size() == 1);
    CHECK(s.layer_index == 0);
    CHECK(s.layers[0].kind == LayerKind::Conv2d);
    CHECK(s.input_shape[1] == 3);
    remove_selected_layer(s);  // the last layer stays
    CHECK(s.layers.size() == 1);
}

TEST_CASE("selecting a layer clamps to the stack and starts from the first frame", "[stack_edit]") {
    Session s = stack_of({conv(1, 1), conv(1, 1)}, {1, 1, 8, 8});
    s.frame = 5;
    select_layer(s, 7);
    CHECK(s.layer_index == 1);
    CHECK(s.frame == 0);
    select_layer(s, -3);
    CHECK(s.layer_index == 0);
}

TEST_CASE("a preset whose stack was replaced by code says so in its name", "[stack_edit]") {
    CHECK(edited_preset_name("seed-dilated") == "seed-dilated-edited");
    CHECK(edited_preset_name("seed-dilated-edited") == "seed-dilated-edited");
    CHECK(edited_preset_name("") == "custom");
    CHECK(edited_preset_name("custom") == "custom");
}

TEST_CASE("the shapes after each layer of the course's combined model end in torch.Size([1, 3, 128, 128])", "[stack_edit]") {
    Layer up = default_layer(LayerKind::ConvTranspose2d, 16);
    up.out_channels = 3;
    Layer dilated = conv(3, 16);
    dilated.dilation = {2, 2};
    dilated.padding.value = {2, 2};
    const auto shapes = stack_output_shapes({dilated, up}, {1, 3, 64, 64});
    REQUIRE(shapes.size() == 2);
    CHECK(shapes[0] == Shape{1, 16, 64, 64});
    CHECK(shapes[1] == Shape{1, 3, 128, 128});
}

TEST_CASE("a stack refused at its second layer names that layer", "[stack_edit]") {
    Layer wide = conv(1, 1);
    wide.dilation = {10, 10};
    try {
        stack_output_shapes({conv(1, 1), wide}, {1, 1, 8, 8});
        FAIL("a 19-cell dilated kernel on a 6x6 map was accepted");
    } catch (const UserError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("layer 1 (Conv2d): "));
    }
}

TEST_CASE("the overlap map of a transposed layer counts the taps landing on each output cell", "[stack_edit]") {
    Layer t = default_layer(LayerKind::ConvTranspose2d, 1);
    SECTION("k=3, s=2 overlaps unevenly: the checkerboard") {
        t.kernel = {3, 3};
        // Input cell i lands on outputs 2i..2i+2: per axis [1, 1, 2, 1, 2, 1, 2, 1, 1].
        const OverlapMap o = overlap_map(stack_of({t}, {1, 1, 4, 4}), 0, 10.0f);
        CHECK(o.map.rows == 9);
        CHECK(o.map.cols == 9);
        CHECK(o.map.cell == 10.0f);
        const std::vector<float> row0 = {1, 1, 2, 1, 2, 1, 2, 1, 1}, row2 = {2, 2, 4, 2, 4, 2, 4, 2, 2};
        CHECK(std::vector<float>(o.map.values.begin(), o.map.values.begin() + 9) == row0);
        CHECK(std::vector<float>(o.map.values.begin() + 18, o.map.values.begin() + 27) == row2);
        CHECK(o.summary.min == 1);
        CHECK(o.summary.max == 4);
        CHECK(o.summary.checkerboard());
        CHECK(o.map.lo == 1.0f);
        CHECK(o.map.hi == 4.0f);
    }
    SECTION("k=4, s=2 overlaps evenly inside") {
        t.kernel = {4, 4};
        // Input cell i lands on outputs 2i..2i+3: per axis [1, 1, 2, 2, 2, 2, 1, 1].
        const OverlapMap o = overlap_map(stack_of({t}, {1, 1, 3, 3}), 0, 1.0f);
        CHECK(o.map.rows == 8);
        CHECK(o.map.values[std::size_t(3 * 8 + 3)] == 4.0f);
        CHECK(o.map.values[0] == 1.0f);
        CHECK(o.summary.interior_min == 4);
        CHECK(o.summary.interior_max == 4);
        CHECK_FALSE(o.summary.checkerboard());
    }
}
