// The channels view: which slabs and blocks light at a step, the weight-shape text, the
// group colours, and the whole tensor in every export format.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <regex>

#include <unistd.h>

#include "app/export/exporter.hpp"
#include "app/export/figure.hpp"
#include "app/logic/app_state.hpp"
#include "app/logic/documents.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/nn/layer.hpp"
#include "core/nn/resample.hpp"
#include "core/scene/scene_channels.hpp"
#include "core/scene/scene_theme.hpp"
#include "core/anim/session.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::count_of;
namespace fs = std::filesystem;

namespace {

bool same(const Color& a, const Color& b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

/// Cells of the heat maps of one role.
std::int64_t cells_of(const Scene& sc, RectRole role) {
    std::int64_t n = 0;
    for (const SceneHeatmap& h : sc.heatmaps)
        if (h.role == role) n += h.rows * h.cols;
    return n;
}

std::int64_t maps_of(const Scene& sc, RectRole role) {
    std::int64_t n = 0;
    for (const SceneHeatmap& h : sc.heatmaps) n += h.role == role;
    return n;
}

/// seed-dilated with its output at `out` channels in `groups` groups, one frame per cell.
Session grouped_seed(std::int64_t out, std::int64_t groups, std::int64_t out_channel) {
    Session s = session_from_preset("seed-dilated");
    s.layers[0].out_channels = out;
    s.layers[0].groups = groups;
    s.out_channel = out_channel;
    s.granularity = Granularity::Cell;
    return s;
}

/// The frame that shows output cell (r, c) at cell granularity.
std::int64_t cell_frame(std::int64_t r, std::int64_t c, std::int64_t cols) { return r * cols + c; }

std::set<std::string> attribute_values(const std::string& svg, const std::string& cls, const std::string& attribute) {
    std::set<std::string> values;
    const std::regex re("class=\"" + cls + "\"[^>]* " + attribute + "=\"(-?[0-9]+)\"");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) values.insert((*it)[1]);
    return values;
}

}  // namespace

TEST_CASE("the seed's channels view: one output value reads 27 inputs across the three input slabs", "[channels]") {
    const Session s = grouped_seed(16, 1, 4);
    const Animation a(s);
    const ChannelsData data(a);
    SceneOptions opt;
    const ChannelsScene cs = build_channels_scene(a, data, cell_frame(20, 30, 64), opt);
    CHECK(cs.input_slabs.size() == 3);
    CHECK(cs.output_slabs.size() == 16);
    CHECK(cs.filter_blocks.size() == 16);
    CHECK(cs.input_lit == std::vector<bool>{true, true, true});
    CHECK(cs.active_output == 4);
    for (std::size_t f = 0; f < 16; ++f) {
        CHECK(cs.filter_lit[f] == (f == 4));
        CHECK(cs.output_lit[f] == (f == 4));
    }
    CHECK(cs.lit_taps == 27);
    CHECK(cs.weight_text == "weight [16, 3, 3, 3]");
    CHECK(cs.layout_text == "= [C_out, C_in/groups, kH, kW]");
    CHECK(cs.arithmetic.find("output channel 4, cell (20, 30) = bias") == 0);
    CHECK(cs.arithmetic.find("27 products over 3 input channels (3 x 9 taps)") != std::string::npos);
    // The three partial sums add up to the output value PyTorch's conv gives.
    const double expected = data.output(0, 4, 20, 30);
    CHECK(cs.arithmetic.find("= " + sum_term_text(expected)) != std::string::npos);
    // ... as written, too: the bias and the partial sums, two decimals each, add up to the
    // total written to within their rounding (two significant digits did not: -2.7 + -0.62
    // + -4.6 = -7.8).
    {
        const std::string terms = cs.arithmetic.substr(cs.arithmetic.find("taps): bias ") + 12);
        double sum = std::stod(terms), written = 0;
        for (std::size_t at = terms.find(" + c"); at != std::string::npos; at = terms.find(" + c", at + 1))
            sum += std::stod(terms.substr(terms.find(' ', at + 4) + 1));
        written = std::stod(terms.substr(terms.rfind("= ") + 2));
        CHECK(std::abs(sum - written) <= 0.005 * 4 + 1e-9);
        CHECK(terms.find('.') != std::string::npos);
    }
    // Every slab and block is drawn: 3 input slabs, 16 x 3 x 3 x 3 kernel cells, 16 output slabs.
    CHECK(maps_of(cs.scene, RectRole::InputCell) == 3);
    CHECK(cells_of(cs.scene, RectRole::InputCell) == 3 * 64 * 64);
    CHECK(cells_of(cs.scene, RectRole::KernelCell) == 432);
    CHECK(maps_of(cs.scene, RectRole::OutputCell) == 16);
    // The slabs are spread so that no two input slabs have the same corner, and the
    // output slab being computed is drawn last among the outputs (in front).
    CHECK(cs.input_slabs[1].x > cs.input_slabs[0].x);
    CHECK(cs.input_slabs[1].y < cs.input_slabs[0].y);
    std::int64_t last_output = -1;
    for (const SceneHeatmap& h : cs.scene.heatmaps)
        if (h.role == RectRole::OutputCell) last_output = h.channel;
    CHECK(last_output == 4);
}

TEST_CASE("tap by tap, the taps light on every input slab in turn and the caption names the weight's four indices", "[channels]") {
    Session s = grouped_seed(16, 1, 0);
    s.granularity = Granularity::Tap;
    const Animation a(s);
    const ChannelsData data(a);
    const std::int64_t step = cell_frame(10, 10, 64);
    const std::int64_t taps = GENERATE(1, 9, 10, 14, 26);
    const ChannelsScene cs = build_channels_scene(a, data, step * 27 + taps - 1, SceneOptions{});
    CHECK(cs.lit_taps == taps);
    // Tap 10 is the first of input channel 1: w[0, 1, 0, 0].
    if (taps == 10) CHECK(cs.arithmetic.find("tap 10/27: x[c=1](8, 8)") != std::string::npos);
    if (taps == 10) CHECK(cs.arithmetic.find("w[0, 1, 0, 0]") != std::string::npos);
}

TEST_CASE("groups=3 on 3 -> 6: each filter reads one input slab, coloured as its group", "[channels][groups]") {
    const std::int64_t out_channel = GENERATE(0, 1, 2, 3, 4, 5);
    const Session s = grouped_seed(6, 3, out_channel);
    const Animation a(s);
    const ChannelsData data(a);
    const ChannelsScene cs = build_channels_scene(a, data, cell_frame(32, 32, 64), SceneOptions{});
    const std::int64_t group = out_channel / 2;
    for (std::int64_t ci = 0; ci < 3; ++ci) CHECK(cs.input_lit[std::size_t(ci)] == (ci == group));
    CHECK(cs.lit_taps == 9);
    CHECK(cs.weight_text == "weight [6, 1, 3, 3]");
    CHECK(cs.arithmetic.find("9 products over 1 input channel (1 x 9 taps)") != std::string::npos);
    // Three independent pairs: input slab g, filters 2g and 2g+1, output slabs 2g and 2g+1 share a colour.
    for (std::int64_t f = 0; f < 6; ++f) {
        CHECK(same(cs.filter_colors[std::size_t(f)], cs.input_colors[std::size_t(f / 2)]));
        CHECK(same(cs.output_colors[std::size_t(f)], cs.input_colors[std::size_t(f / 2)]));
    }
    CHECK_FALSE(same(cs.input_colors[0], cs.input_colors[1]));
    CHECK_FALSE(same(cs.input_colors[1], cs.input_colors[2]));
    CHECK_FALSE(same(cs.input_colors[0], cs.input_colors[2]));
    // 6 filters of 1 x 3 x 3.
    CHECK(cells_of(cs.scene, RectRole::KernelCell) == 54);
}

TEST_CASE("a depthwise convolution: one slab per filter", "[channels][groups]") {
    const std::int64_t out_channel = GENERATE(0, 1, 2);
    const Session s = grouped_seed(3, 3, out_channel);
    const Animation a(s);
    const ChannelsScene cs = build_channels_scene(a, ChannelsData(a), cell_frame(5, 7, 64), SceneOptions{});
    for (std::int64_t ci = 0; ci < 3; ++ci) CHECK(cs.input_lit[std::size_t(ci)] == (ci == out_channel));
    CHECK(cs.weight_text == "weight [3, 1, 3, 3]");
    CHECK(group_color(0, 3).r != group_color(1, 3).r);
    // With one group every slab has one colour.
    CHECK(same(group_color(0, 1), group_color(5, 1)));
}

TEST_CASE("the seed's up-convolution: each input slab stamps through its block, weight [16, 3, 2, 2]", "[channels][transposed]") {
    Session s = session_from_preset("seed-upconv");
    s.granularity = Granularity::Cell;
    s.out_channel = 1;
    const Animation a(s);
    const ChannelsData data(a);
    const ChannelsScene cs = build_channels_scene(a, data, 5 * 32 + 9, SceneOptions{});
    CHECK(cs.weight_text == "weight [16, 3, 2, 2]");
    CHECK(cs.layout_text == "= [C_in, C_out/groups, kH, kW]");
    CHECK(cs.input_slabs.size() == 16);
    CHECK(cs.output_slabs.size() == 3);
    CHECK(cs.filter_blocks.size() == 16);  // one block per input channel
    for (bool lit : cs.input_lit) CHECK(lit);
    for (bool lit : cs.filter_lit) CHECK(lit);
    CHECK(cs.lit_taps == 16);  // input cell (5, 9) on each of the 16 slabs
    CHECK(cs.arithmetic.find("input cell (5, 9) of 16 input channels") == 0);
    CHECK(cs.arithmetic.find("w[c, 1, :, :]") != std::string::npos);
    CHECK(cells_of(cs.scene, RectRole::KernelCell) == 16 * 3 * 2 * 2);
}

TEST_CASE("the projection's angle and depth move the slabs, within limits", "[channels]") {
    const Session s = grouped_seed(16, 1, 0);
    const Animation a(s);
    const ChannelsData data(a);
    const ChannelsScene up = build_channels_scene(a, data, 0, SceneOptions{}, ChannelsProjection{30, 1});
    const ChannelsScene down = build_channels_scene(a, data, 0, SceneOptions{}, ChannelsProjection{-30, 1});
    const ChannelsScene flat = build_channels_scene(a, data, 0, SceneOptions{}, ChannelsProjection{0, 1});
    CHECK(up.input_slabs[1].y < up.input_slabs[0].y);
    CHECK(down.input_slabs[1].y > down.input_slabs[0].y);
    CHECK(flat.input_slabs[1].y == flat.input_slabs[0].y);
    const ChannelsScene beyond = build_channels_scene(a, data, 0, SceneOptions{}, ChannelsProjection{400, 40});
    const ChannelsScene limit = build_channels_scene(a, data, 0, SceneOptions{}, ChannelsProjection{kChannelsMaxAngle, kChannelsMaxDepth});
    CHECK(beyond.input_slabs[2].x == limit.input_slabs[2].x);
    CHECK(beyond.input_slabs[2].y == limit.input_slabs[2].y);
}

TEST_CASE("export with --view channels: the SVG holds 3 input slabs, 16 filters of 3x3x3 and 16 output slabs", "[channels][export][svg]") {
    const fs::path dir = fs::temp_directory_path() / ("convscope_channels_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    exporting::ExportRequest req;
    req.channels_view = true;
    req.format = exporting::Format::Svg;
    req.out = (dir / "channels.svg").string();
    req.step = 2000;
    req.granularity = Granularity::Cell;
    exporting::run_export(session_from_preset("seed-dilated"), req);
    const std::string svg = read_file(req.out, 1 << 28);
    CHECK(count_of(svg, "class=\"cell kernel\"") == 432);
    CHECK(attribute_values(svg, "cell kernel", "data-filter").size() == 16);
    CHECK(attribute_values(svg, "cell kernel", "data-channel") == std::set<std::string>{"0", "1", "2"});
    CHECK(attribute_values(svg, "cell input", "data-channel") == std::set<std::string>{"0", "1", "2"});
    CHECK(attribute_values(svg, "cell output", "data-channel").size() == 16);
    CHECK(count_of(svg, "class=\"cell input\"") == 3 * 64 * 64);
    CHECK(count_of(svg, "class=\"cell output\"") == 16 * 64 * 64);
    CHECK(svg.find(">weight [16, 3, 3, 3]<") != std::string::npos);
    CHECK(svg.find("27 products over 3 input channels") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("export with --view channels in every format, with no display", "[channels][export]") {
    const fs::path dir = fs::temp_directory_path() / ("convscope_channels_formats_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto format = GENERATE(exporting::Format::Png, exporting::Format::Pdf, exporting::Format::Svg, exporting::Format::Gif,
                                 exporting::Format::Mp4);
    const std::string preset = GENERATE(std::string("seed-dilated"), std::string("seed-upconv"));
    exporting::ExportRequest req;
    req.channels_view = true;
    req.format = format;
    req.out = (dir / (preset + "." + exporting::format_name(format))).string();
    if (format == exporting::Format::Gif || format == exporting::Format::Mp4) exporting::parse_step_range("0:2", req);
    const exporting::ExportResult r = exporting::run_export(session_from_preset(preset), req);
    const std::string bytes = read_file(req.out, 1 << 28);
    CHECK(r.width > 1000);
    switch (format) {
        case exporting::Format::Png: CHECK(bytes.rfind("\x89PNG", 0) == 0); break;
        case exporting::Format::Pdf: CHECK(bytes.rfind("%PDF", 0) == 0); break;
        case exporting::Format::Svg: CHECK(bytes.find("</svg>") != std::string::npos); break;
        case exporting::Format::Gif: CHECK(bytes.rfind("GIF89a", 0) == 0); CHECK(r.frames == 3); break;
        case exporting::Format::Mp4: CHECK(bytes.find("ftyp") == 4); CHECK(r.frames == 3); break;
    }
    fs::remove_all(dir);
}

TEST_CASE("export with --view channels and --all-layers together is refused", "[channels][export][errors]") {
    exporting::ExportRequest req;
    req.channels_view = true;
    req.all_layers = true;
    req.out = "never.png";
    CHECK_THROWS_AS(exporting::run_export(session_from_preset("seed-combined"), req), UserError);
    CHECK_FALSE(fs::exists("never.png"));
}

TEST_CASE("the app's channels view: cached per frame, turned by a drag, a click on a slab computes its channel", "[channels][app]") {
    gui::AppState state;
    gui::load_preset(state, "seed-dilated");
    state.playing = false;
    state.channels.enabled = true;
    const ChannelsScene* first = &gui::current_channels_scene(state, 1200, 700);
    const GridPlacement front = first->input_slabs[1];
    CHECK(&gui::current_channels_scene(state, 1200, 700) == first);
    CHECK(gui::current_channels_scene(state, 1200, 700).input_slabs[1].x == front.x);

    // A drag down lowers the channel axis: the back slabs come down.
    gui::orbit_channels(state.channels.projection, 0, 60);
    CHECK(state.channels.projection.angle_deg < 30);
    CHECK(gui::current_channels_scene(state, 1200, 700).input_slabs[1].y > front.y);
    gui::orbit_channels(state.channels.projection, 0, 100000);
    CHECK(state.channels.projection.angle_deg == kChannelsMinAngle);
    gui::reset_channels_view(state.channels);
    CHECK(gui::current_channels_scene(state, 1200, 700).input_slabs[1].y == front.y);

    // Output slab 7's top-right corner shows behind the slabs in front of it.
    const ChannelsScene& cs = gui::current_channels_scene(state, 1200, 700);
    const GridPlacement s7 = cs.output_slabs[7];
    const gui::ChannelsHit hit = gui::channels_hit(cs, s7.x + s7.cell * float(s7.cols) - 1, s7.y + 1);
    CHECK(hit.kind == gui::ChannelsHit::Kind::Output);
    CHECK(hit.index == 7);
    CHECK(hit.row == 0);
    CHECK(hit.col == 63);
    REQUIRE(gui::select_from_hit(state, hit));
    gui::rebuild(state, true);
    CHECK(state.animation->engine().out_channel() == 7);
    CHECK(gui::current_channels_scene(state, 1200, 700).active_output == 7);
    CHECK_FALSE(gui::select_from_hit(state, hit));  // already computed
    // A filter block of the bank selects its output channel too.
    const GridPlacement f3 = gui::current_channels_scene(state, 1200, 700).filter_blocks[3];
    const gui::ChannelsHit filter = gui::channels_hit(gui::current_channels_scene(state, 1200, 700), f3.x + 1, f3.y + 1);
    CHECK(filter.kind == gui::ChannelsHit::Kind::Filter);
    CHECK(filter.index == 3);
}

TEST_CASE("on screen, cells hidden by a slab in front are left out; the slabs in front stay whole", "[channels]") {
    const Session s = grouped_seed(16, 1, 6);
    const Animation a(s);
    const ChannelsData data(a);
    ChannelsProjection culled;
    culled.cull_hidden_cells = true;
    const ChannelsScene all = build_channels_scene(a, data, 100, SceneOptions{});
    const ChannelsScene seen = build_channels_scene(a, data, 100, SceneOptions{}, culled);
    CHECK(cells_of(all.scene, RectRole::OutputCell) == 16 * 64 * 64);
    CHECK(cells_of(seen.scene, RectRole::OutputCell) < 16 * 64 * 64 / 3);
    auto cells_of_channel = [](const Scene& sc, RectRole role, std::int64_t channel) {
        std::int64_t n = 0;
        for (const SceneHeatmap& h : sc.heatmaps)
            if (h.role == role && h.channel == channel) n += h.rows * h.cols;
        return n;
    };
    CHECK(cells_of_channel(seen.scene, RectRole::OutputCell, 6) == 64 * 64);  // the active slab, drawn last
    CHECK(cells_of_channel(seen.scene, RectRole::OutputCell, 0) == 64 * 64);  // the front slab
    CHECK(cells_of_channel(seen.scene, RectRole::InputCell, 0) == 64 * 64);
    // A hidden slab keeps its visible band: its top-right cell is still drawn.
    bool corner = false;
    for (const SceneHeatmap& h : seen.scene.heatmaps)
        if (h.role == RectRole::OutputCell && h.channel == 3 && h.row0 == 0 && h.col0 + h.cols == 64) corner = true;
    CHECK(corner);
    CHECK(cells_of_channel(seen.scene, RectRole::OutputCell, 3) > 0);
    CHECK(cells_of_channel(seen.scene, RectRole::OutputCell, 3) < 64 * 64);
    // A channel not computed yet is only its outline on screen; exports fill it.
    CHECK(cells_of_channel(seen.scene, RectRole::OutputCell, 9) == 0);
    CHECK(cells_of_channel(all.scene, RectRole::OutputCell, 9) == 64 * 64);
    // The bank: filter 6 whole (3 x 3x3), the 15 faded filters by their front slice (15 x 3x3).
    CHECK(cells_of(all.scene, RectRole::KernelCell) == 432);
    CHECK(cells_of(seen.scene, RectRole::KernelCell) == 27 + 15 * 9);
}

namespace {

/// A session animating nn.PixelShuffle(r) (up) or nn.PixelUnshuffle(r) on C = 2 channels
/// of 3x3 blocks, every output cell a frame, output channel `out_channel`.
Session shuffle_session(bool up, std::int64_t r, std::int64_t out_channel) {
    Session s = session_from_preset("subpixel");
    const std::int64_t C = 2;
    s.layers = {default_layer(up ? LayerKind::PixelShuffle : LayerKind::PixelUnshuffle, up ? C * r * r : C)};
    s.layers[0].shuffle_factor = r;
    s.input_shape = up ? std::array<std::int64_t, 4>{1, C * r * r, 3, 3} : std::array<std::int64_t, 4>{1, C, 3 * r, 3 * r};
    s.layer_index = 0;
    s.out_channel = out_channel;
    s.granularity = Granularity::Cell;
    return s;
}

}  // namespace

TEST_CASE("PixelShuffle(r) in the channels view: each step moves in[c*r*r + i*r + j, h, w] to out[c, h*r+i, w*r+j], as pixel_shuffle does",
          "[channels][shuffle]") {
    const std::int64_t r = GENERATE(2, 3);
    const std::int64_t c = GENERATE(0, 1);
    const Session s = shuffle_session(true, r, c);
    const Animation a(s);
    const ChannelsData data(a);
    const Tensor4& x = a.engine().input();
    const Tensor4 y = pixel_shuffle(x, a.engine().layer());
    REQUIRE(data.output.shape() == y.shape());
    const std::int64_t side = 3 * r;
    for (std::int64_t oy = 0; oy < side; ++oy)
        for (std::int64_t ox = 0; ox < side; ++ox) {
            const ChannelsScene cs = build_channels_scene(a, data, cell_frame(oy, ox, side), SceneOptions{});
            const std::int64_t i = oy % r, j = ox % r, h = oy / r, w = ox / r;
            CHECK(cs.move.out_channel == c);
            CHECK(cs.move.out_y == oy);
            CHECK(cs.move.out_x == ox);
            CHECK(cs.move.in_channel == c * r * r + i * r + j);
            CHECK(cs.move.in_y == h);
            CHECK(cs.move.in_x == w);
            CHECK(y(0, c, oy, ox) == x(0, cs.move.in_channel, cs.move.in_y, cs.move.in_x));
            CHECK(cs.lit_taps == 1);
        }
    // The r^2 input slabs of channel c light, the others stay faded; one output slab lights.
    const ChannelsScene cs = build_channels_scene(a, data, cell_frame(r + 1, 1, side), SceneOptions{});
    REQUIRE(cs.input_slabs.size() == std::size_t(2 * r * r));
    REQUIRE(cs.output_slabs.size() == 2);
    for (std::int64_t k = 0; k < 2 * r * r; ++k) CHECK(cs.input_lit[std::size_t(k)] == (k / (r * r) == c));
    CHECK(cs.output_lit == std::vector<bool>{c == 0, c == 1});
    // The output slabs are r times the input slabs' side; one colour per output channel and its r^2 inputs.
    CHECK(cs.output_slabs[0].rows == 3 * r);
    CHECK(cs.input_slabs[0].rows == 3);
    CHECK(cs.output_slabs[0].cell == cs.input_slabs[0].cell);
    CHECK(same(cs.input_colors[std::size_t(c * r * r + r * r - 1)], cs.output_colors[std::size_t(c)]));
    CHECK_FALSE(same(cs.output_colors[0], cs.output_colors[1]));
    CHECK(cs.shuffle_map.rows == r);
    CHECK(cs.shuffle_map.cols == r);
    CHECK(cells_of(cs.scene, RectRole::KernelCell) == 0);
}

TEST_CASE("the PixelShuffle caption gives the index rule with the step's numbers", "[channels][shuffle]") {
    const Animation a(shuffle_session(true, 2, 1));
    const ChannelsData data(a);
    // Output cell (3, 4) of channel 1: h = 1, i = 1, w = 2, j = 0 -> input channel 1*4 + 1*2 + 0 = 6, cell (1, 2).
    const ChannelsScene cs = build_channels_scene(a, data, cell_frame(3, 4, 6), SceneOptions{});
    const std::string value = number_text(a.engine().input()(0, 6, 1, 2));
    CHECK(cs.arithmetic ==
          "out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w]:  out[1, 3, 4] = out[1, 1*2+1, 2*2+0] = in[1*2*2 + 1*2 + 0, 1, 2] = in[6, 1, 2] = " +
              value);
    CHECK(cs.weight_text.empty());
}

TEST_CASE("PixelUnshuffle(r) in the channels view is the inverse: in[c, h*r+i, w*r+j] moves to out[c*r*r + i*r + j, h, w]",
          "[channels][shuffle]") {
    const std::int64_t r = GENERATE(2, 3);
    const std::int64_t co = GENERATE_COPY(0, r * r - 1, r * r + 1);
    const Session s = shuffle_session(false, r, co);
    const Animation a(s);
    const ChannelsData data(a);
    const Tensor4& x = a.engine().input();
    const Tensor4 y = pixel_shuffle(x, a.engine().layer());
    REQUIRE(data.output.shape() == y.shape());
    const std::int64_t c = co / (r * r), i = (co % (r * r)) / r, j = co % r;
    for (std::int64_t h = 0; h < 3; ++h)
        for (std::int64_t w = 0; w < 3; ++w) {
            const ChannelsScene cs = build_channels_scene(a, data, cell_frame(h, w, 3), SceneOptions{});
            CHECK(cs.move.in_channel == c);
            CHECK(cs.move.in_y == h * r + i);
            CHECK(cs.move.in_x == w * r + j);
            CHECK(cs.move.out_channel == co);
            CHECK(cs.move.out_y == h);
            CHECK(cs.move.out_x == w);
            CHECK(y(0, co, h, w) == x(0, c, h * r + i, w * r + j));
        }
    const ChannelsScene cs = build_channels_scene(a, data, cell_frame(2, 1, 3), SceneOptions{});
    CHECK(cs.input_lit == std::vector<bool>{c == 0, c == 1});
    for (std::int64_t k = 0; k < 2 * r * r; ++k) CHECK(cs.output_lit[std::size_t(k)] == (k == co));
    if (r == 2 && co == 3)
        CHECK(cs.arithmetic.find("out[c*r*r + i*r + j, h, w] = in[c, h*r+i, w*r+j]:  out[3, 2, 1] = out[0*2*2 + 1*2 + 1, 2, 1] = "
                                 "in[0, 2*2+1, 1*2+1] = in[0, 5, 3] = ") == 0);
}

TEST_CASE("the subpixel preset's PixelShuffle exports in the channels view in every format, SVG cells naming their channel",
          "[channels][shuffle][export]") {
    const fs::path dir = fs::temp_directory_path() / ("convscope_channels_shuffle_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    Session s = session_from_preset("subpixel");
    s.layer_index = 1;
    const auto format = GENERATE(exporting::Format::Png, exporting::Format::Pdf, exporting::Format::Svg, exporting::Format::Gif);
    exporting::ExportRequest req;
    req.channels_view = true;
    req.format = format;
    req.out = (dir / (std::string("subpixel.") + exporting::format_name(format))).string();
    req.granularity = Granularity::Cell;
    if (format == exporting::Format::Gif) exporting::parse_step_range("0:3", req);
    else req.step = 5;
    const exporting::ExportResult r = exporting::run_export(s, req);
    const std::string bytes = read_file(req.out, 1 << 28);
    switch (format) {
        case exporting::Format::Png: CHECK(bytes.rfind("\x89PNG", 0) == 0); break;
        case exporting::Format::Pdf: CHECK(bytes.rfind("%PDF", 0) == 0); break;
        case exporting::Format::Svg:
            // 4 input slabs of 4x4 (the convolution's 4 channels) and 1 output slab of 8x8.
            CHECK(attribute_values(bytes, "cell input", "data-channel") == std::set<std::string>{"0", "1", "2", "3"});
            CHECK(count_of(bytes, "class=\"cell input\"") >= 4 * 4 * 4);
            CHECK(attribute_values(bytes, "cell output", "data-channel") == std::set<std::string>{"0"});
            CHECK(count_of(bytes, "class=\"cell output\"") >= 8 * 8);
            CHECK(bytes.find("PixelShuffle(2): no weights") != std::string::npos);
            CHECK(bytes.find("out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w]:  out[0, 0, 5]") != std::string::npos);
            break;
        case exporting::Format::Gif: CHECK(bytes.rfind("GIF89a", 0) == 0); CHECK(r.frames == 4); break;
        case exporting::Format::Mp4: break;
    }
    fs::remove_all(dir);
}
