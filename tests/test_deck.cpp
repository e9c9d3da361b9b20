// Lecture decks: the reader refuses hostile decks naming the slide and the key, keeps
// every file inside the deck's folder, and the questions' answers are the core's.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "core/base/errors.hpp"
#include "core/io/json_io.hpp"
#include "core/lecture/deck.hpp"
#include "core/lecture/questions.hpp"
#include "core/nn/conv.hpp"
#include "core/nn/rf.hpp"
#include "core/scene/text_metrics.hpp"
#include "helpers.hpp"

using namespace convscope;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json deck_with(const json& slide) { return {{"format", "convscope-deck"}, {"version", 1}, {"title", "t"}, {"slides", json::array({slide})}}; }

std::string refusal(const json& deck, const std::string& folder = "") {
    try {
        deck_from_json(deck, folder);
    } catch (const UserError& e) {
        return e.what();
    }
    return "";
}

/// A scratch folder holding a deck's files, removed at the end.
struct Scratch {
    fs::path root = fs::temp_directory_path() / ("convscope_deck_" + std::to_string(::getpid()));
    Scratch() { fs::create_directories(root / "deck"); }
    ~Scratch() { fs::remove_all(root); }
    void write(const fs::path& rel, const std::string& text) const { std::ofstream(root / rel) << text; }
};

/// ramp input (r + c) into nn.Conv2d(1, 1, 3, ...) with integer taps: exact in float64.
json integer_session(const json& layer, int h, int w, const std::vector<int>& taps) {
    return {{"convscope_session", 2}, {"input_shape", {1, 1, h, w}}, {"layers", json::array({layer})},
            {"input", "ramp"}, {"kernel", "custom"}, {"custom_kernel", taps}};
}

}  // namespace

TEST_CASE("a deck names its slides' presets and sessions and what each shows", "[deck]") {
    const json deck = {{"format", "convscope-deck"}, {"version", 1}, {"title", "Dilated convolution"},
                       {"slides", {{{"title", "The course's layer"}, {"preset", "seed-dilated"}, {"style", "schematic"},
                                    {"steps", "0:40"}, {"notes", "Ask: how far apart are the taps?"}},
                                   {{"title", "Its receptive field"}, {"preset", "gridding"}, {"view", "receptive-field"},
                                    {"question", {{"kind", "rf_size"}}}},
                                   {{"session", integer_session({{"op", "conv2d"}, {"kernel_size", 3}}, 4, 4, {1, 0, 0, 0, 1, 0, 0, 0, 1})},
                                    {"hide", {"output"}}, {"question", {{"kind", "output_values"}}}}}}};
    const Deck d = deck_from_json(deck, "");
    REQUIRE(d.slides.size() == 3);
    CHECK(d.title == "Dilated convolution");
    CHECK(d.slides[0].preset == "seed-dilated");
    CHECK(d.slides[0].session.style == SceneStyle::Schematic);
    CHECK(*d.slides[0].first_step == 0);
    CHECK(*d.slides[0].last_step == 40);
    CHECK(d.slides[1].view == SlideView::ReceptiveField);
    CHECK(d.slides[1].question->kind == QuestionKind::RfSize);
    CHECK(slide_layer_count(d.slides[1]) == 3);
    CHECK(d.slides[2].hide.output);
    CHECK_FALSE(d.slides[2].hide.shape);
}

TEST_CASE("a hostile slide is refused with the slide's number and the key", "[deck][hostile]") {
    const json good = {{"preset", "seed-dilated"}};
    auto with = [&](const std::string& key, const json& value) {
        json s = good;
        s[key] = value;
        return deck_with(s);
    };
    CHECK(refusal(with("hide", {"everything"})).rfind("slide 1: key 'hide': ", 0) == 0);
    CHECK(refusal(with("hide", "output")).rfind("slide 1: key 'hide': ", 0) == 0);
    CHECK(refusal(with("colour", "red")).rfind("slide 1: key 'colour': ", 0) == 0);
    CHECK(refusal(with("view", "3d")).rfind("slide 1: key 'view': ", 0) == 0);
    CHECK(refusal(with("layer", 7)).rfind("slide 1: key 'layer': ", 0) == 0);
    CHECK(refusal(with("steps", "9:2")).rfind("slide 1: key 'steps': ", 0) == 0);
    CHECK(refusal(with("style", 3)).rfind("slide 1: key 'style': ", 0) == 0);
    CHECK(refusal(with("title", std::string(5000, 'x'))).rfind("slide 1: key 'title': ", 0) == 0);
    CHECK(refusal(with("question", {{"kind", "guess"}})).rfind("slide 1: key 'question': ", 0) == 0);
    CHECK(refusal(with("question", {{"kind", "rf_size"}, {"cell", {-1, 0}}})).rfind("slide 1: key 'question': ", 0) == 0);
    // A question the view answers on its own (the stack and the channels print every size).
    for (const char* view : {"pipeline", "channels"}) {
        json s = good;
        s["view"] = view;
        s["question"] = {{"kind", "output_shape"}};
        CHECK(refusal(deck_with(s)).rfind("slide 1: key 'question': an output_shape question on the " + std::string(view), 0) == 0);
    }
    CHECK(refusal(with("session", json::object())).rfind("slide 1: key 'preset': ", 0) == 0);  // both named
    CHECK(refusal(deck_with({{"title", "nothing"}})).rfind("slide 1: key 'preset': ", 0) == 0);
    CHECK(refusal(deck_with({{"preset", "no-such"}})).rfind("slide 1: key 'preset': ", 0) == 0);
    json third = deck_with(good);
    third["slides"].push_back(good);
    third["slides"].push_back({{"preset", "seed-dilated"}, {"hide", {"values"}}});
    CHECK(refusal(third).rfind("slide 3: key 'hide': ", 0) == 0);
    // The deck's own keys.
    json deck = deck_with(good);
    deck["version"] = 2;
    CHECK(refusal(deck).rfind("key 'version': ", 0) == 0);
    deck = deck_with(good);
    deck["theme"] = "dark";
    CHECK(refusal(deck).rfind("key 'theme': ", 0) == 0);
    deck = deck_with(good);
    deck["slides"] = json::array();
    CHECK(refusal(deck).rfind("key 'slides': ", 0) == 0);
    CHECK(refusal(json::array()) != "");
    // A session naming a picture anywhere on the disk is refused: pictures come from the deck's folder.
    json s = integer_session({{"op", "conv2d"}, {"kernel_size", 3}}, 4, 4, {1, 0, 0, 0, 1, 0, 0, 0, 1});
    s["input"] = "image";
    s["image"] = "/etc/hostname";
    CHECK(refusal(deck_with({{"session", s}})).rfind("slide 1: key 'session': ", 0) == 0);
}

TEST_CASE("a deck's session files stay inside its folder, links included", "[deck][hostile]") {
    Scratch scratch;
    const json session = integer_session({{"op", "conv2d"}, {"kernel_size", 3}}, 5, 5, {0, 0, 0, 0, 1, 0, 0, 0, 0});
    scratch.write("deck/inside.json", session.dump());
    scratch.write("outside.json", session.dump());
    fs::create_directories(scratch.root / "deck/sub");
    scratch.write("deck/sub/nested.json", session.dump());
    fs::create_symlink(scratch.root / "outside.json", scratch.root / "deck/link.json");
    const std::string folder = (scratch.root / "deck").string();
    CHECK(deck_from_json(deck_with({{"session", "inside.json"}}), folder).slides[0].session.input_shape[2] == 5);
    CHECK(deck_from_json(deck_with({{"session", "sub/../sub/nested.json"}}), folder).slides[0].session.input_shape[3] == 5);
    CHECK(refusal(deck_with({{"session", "../outside.json"}}), folder).find("leaves the deck's folder") != std::string::npos);
    CHECK(refusal(deck_with({{"session", "sub/../../outside.json"}}), folder).find("leaves the deck's folder") != std::string::npos);
    CHECK(refusal(deck_with({{"session", (scratch.root / "deck/inside.json").string()}}), folder).find("is absolute") != std::string::npos);
    CHECK(refusal(deck_with({{"session", "link.json"}}), folder).find("leads out of the deck's folder") != std::string::npos);
    CHECK(refusal(deck_with({{"session", "missing.json"}}), folder).rfind("slide 1: key 'session': ", 0) == 0);
    CHECK(refusal(deck_with({{"session", "sub"}}), folder).find("is not a file") != std::string::npos);
    // load_deck resolves against the deck file's own folder, and refuses a huge file before reading it.
    scratch.write("deck/deck.json", deck_with({{"session", "inside.json"}}).dump());
    CHECK(load_deck((scratch.root / "deck/deck.json").string()).slides.size() == 1);
    scratch.write("deck/huge.json", std::string(kMaxDeckBytes + 1, ' '));
    CHECK_THROWS_AS(load_deck((scratch.root / "deck/huge.json").string()), UserError);
}

TEST_CASE("output_shape is the shape the core's layers give, through the layers the slide shows", "[deck][questions]") {
    const Deck d = deck_from_json(
        {{"format", "convscope-deck"}, {"version", 1},
         {"slides", {{{"preset", "seed-dilated"}, {"question", {{"kind", "output_shape"}}}},
                     {{"preset", "seed-combined"}, {"question", {{"kind", "output_shape"}}}},
                     {{"preset", "seed-combined"}, {"layer", 0}, {"question", {{"kind", "output_shape"}}}},
                     {{"preset", "subpixel"}, {"layer", 1}, {"question", {{"kind", "output_shape"}}}},
                     {{"preset", "arith-t-padding-strides-odd"}, {"question", {{"kind", "output_shape"}}}}}}},
        "");
    using Shape = std::array<std::int64_t, 4>;
    CHECK(slide_answer(d.slides[0]).output_shape == Shape{1, 16, 64, 64});
    CHECK(slide_answer(d.slides[1]).output_shape == Shape{1, 3, 128, 128});
    CHECK(slide_answer(d.slides[2]).output_shape == Shape{1, 16, 64, 64});
    CHECK(slide_answer(d.slides[3]).output_shape == Shape{1, 1, 8, 8});
    CHECK(slide_answer(d.slides[4]).output_shape == Shape{1, 1, 6, 6});
    CHECK(answer_to_json(slide_answer(d.slides[4])) == json({1, 1, 6, 6}));
    // The same as running the layers.
    const Tensor4 y = stack_activations(d.slides[1].session).back();
    CHECK(shape_of(y) == std::vector<std::int64_t>{1, 3, 128, 128});
}

TEST_CASE("rf_size and cells_read are the receptive-field engine's", "[deck][questions]") {
    Session wavenet = session_from_preset("wavenet");
    const Answer rf = compute_answer(wavenet, 4, Question{QuestionKind::RfSize, std::nullopt, ""});
    CHECK(rf.cell == std::array<std::int64_t, 2>{31, 31});
    CHECK(rf.rf_size == std::array<std::int64_t, 2>{31, 31});  // 1 + 2*(1+2+4+8)
    CHECK(compute_answer(wavenet, 2, Question{QuestionKind::RfSize, std::nullopt, ""}).rf_size == std::array<std::int64_t, 2>{7, 7});
    // The dilated seed layer reads 9 cells two apart around its output cell.
    const Answer read = compute_answer(session_from_preset("seed-dilated"), 1, Question{QuestionKind::CellsRead, std::array<std::int64_t, 2>{10, 20}, ""});
    std::vector<std::array<std::int64_t, 2>> expected;
    for (std::int64_t r : {8, 10, 12})
        for (std::int64_t c : {18, 20, 22}) expected.push_back({r, c});
    CHECK(read.cells == expected);
    CHECK(read.rf_size == std::array<std::int64_t, 2>{5, 5});
    // At the corner the padding is not an input cell.
    const Answer corner = compute_answer(session_from_preset("seed-dilated"), 1, Question{QuestionKind::CellsRead, std::array<std::int64_t, 2>{0, 0}, ""});
    CHECK(corner.cells == std::vector<std::array<std::int64_t, 2>>{{0, 0}, {0, 2}, {2, 0}, {2, 2}});
    // Gridding: three dilation-2 layers read only even offsets; the engine's map agrees cell by cell.
    Session gridding = session_from_preset("gridding");
    const Answer holes = compute_answer(gridding, 3, Question{QuestionKind::CellsRead, std::nullopt, ""});
    const RfResult engine = compute_receptive_field(session_rf_stack(gridding, 2, holes.cell[0], holes.cell[1]));
    std::size_t reached = 0;
    for (const std::int64_t v : engine.exact_map()) reached += v > 0;
    CHECK(holes.cells.size() == reached);
    CHECK(holes.cells.size() == 7 * 7);
    CHECK(holes.rf_size == std::array<std::int64_t, 2>{13, 13});
    CHECK_THROWS_AS(compute_answer(gridding, 3, Question{QuestionKind::RfSize, std::array<std::int64_t, 2>{99, 0}, ""}), UserError);
}

TEST_CASE("an output_shape slide hides the output's size whatever its \"hide\" says", "[deck][questions][hide]") {
    const json slide = {{"preset", "even-k4s2"}, {"hide", {"output"}}, {"question", {{"kind", "output_shape"}}}};
    const Slide s = deck_from_json(deck_with(slide), "").slides.at(0);
    CHECK(s.hide.shape);
    CHECK(s.hide.output);
    const Slide plain = deck_from_json(deck_with({{"preset", "even-k4s2"}}), "").slides.at(0);
    CHECK_FALSE(plain.hide.shape);
}

TEST_CASE("a question page says what the figure does not show: the input's size, the layers a field goes through",
          "[deck][questions]") {
    auto context = [](const json& slide) {
        const Slide s = deck_from_json(deck_with(slide), "").slides.at(0);
        return question_context(s, slide_answer(s));
    };
    CHECK(context({{"preset", "seed-dilated"}, {"hide", {"shape"}}, {"question", {{"kind", "output_shape"}}}}) ==
          "The input is [1, 3, 64, 64].");
    // One kind, kernel and stride: the dilations listed; the size does not depend on padding.
    CHECK(context({{"preset", "wavenet"}, {"view", "receptive-field"}, {"question", {{"kind", "rf_size"}}}}) ==
          "4 layers: Conv2d k=3, dilation 1, 2, 4, 8.");
    CHECK(context({{"preset", "seed-dilated"}, {"view", "receptive-field"}, {"question", {{"kind", "rf_size"}}}}) == "Layer: Conv2d k=3 d=2.");
    // Which cells are read depends on the padding too.
    CHECK(context({{"preset", "even-k4s2"}, {"question", {{"kind", "cells_read"}, {"cell", {3, 3}}}}}) == "Layer: ConvTranspose2d k=4 s=2 p=1; (0, 0) is top left.");
    CHECK(context({{"preset", "gridding"}, {"view", "receptive-field"}, {"question", {{"kind", "cells_read"}}}}) ==
          "3 layers, each Conv2d k=3 p=2 d=2.");
    CHECK(context({{"preset", "seed-combined"}, {"view", "receptive-field"}, {"question", {{"kind", "rf_size"}}}}) ==
          "2 layers: Conv2d k=3 d=2 -> ConvTranspose2d k=2 s=2.");
    CHECK(context({{"style", "values"}, {"session", integer_session({{"op", "conv2d"}, {"kernel_size", 3}}, 4, 4, {1, 0, 0, 0, 1, 0, 0, 0, 1})},
                   {"question", {{"kind", "output_values"}}}}) == "");
}

TEST_CASE("output_values by hand equal the core's convolutions on integer data, exactly", "[deck][questions]") {
    // ramp 4x4 (cell r, c holds r + c) through nn.Conv2d(1, 1, 3) with the taps 1 0 0 / 0 1 0 / 0 0 1 (bias 0):
    // out(r, c) = (r + c) + (r + c + 2) + (r + c + 4) = 3(r + c) + 6.
    Session s = session_from_json(integer_session({{"op", "conv2d"}, {"kernel_size", 3}}, 4, 4, {1, 0, 0, 0, 1, 0, 0, 0, 1}));
    const Answer a = compute_answer(s, 1, Question{QuestionKind::OutputValues, std::nullopt, ""});
    CHECK(test::equal(a.values, test::tensor({1, 1, 2, 2}, {6, 9, 9, 12})));
    // Right-aligned columns in the pages' proportional typeface: "9" is "12" less one digit
    // (two spaces), after three spaces between the columns.
    CHECK(answer_lines(a) == std::vector<std::string>{"6     9", "9   12"});
    for (const std::string& line : answer_lines(a)) CHECK(dejavu_advance_em(line) == Approx(dejavu_advance_em("9   12")).margin(0.01));
    // A transposed layer with stride, padding and output_padding, against conv_transpose2d itself.
    const json t = {{"op", "conv_transpose2d"}, {"kernel_size", 3}, {"stride", 2}, {"padding", 1}, {"output_padding", 1}};
    Session up = session_from_json(integer_session(t, 2, 3, {1, 2, -1, 0, 1, 0, 2, -1, 1}));
    const Answer b = compute_answer(up, 1, Question{QuestionKind::OutputValues, std::nullopt, ""});
    Layer L = layer_from_json("conv_transpose2d", t, "layer");
    ConvWeights w;
    w.weight = test::tensor({1, 1, 3, 3}, {1, 2, -1, 0, 1, 0, 2, -1, 1});
    w.has_bias = true;
    w.bias = xt::zeros<double>({1});
    const Tensor4 expected = conv_transpose2d(test::tensor({1, 1, 2, 3}, {0, 1, 2, 1, 2, 3}), w, L);
    CHECK(shape_of(b.values) == std::vector<std::int64_t>{1, 1, 4, 6});
    CHECK(test::equal(b.values, expected));
    CHECK(answer_to_json(b)["shape"] == json({1, 1, 4, 6}));
    // Too many cells to compute by hand.
    CHECK_THROWS_AS(compute_answer(session_from_preset("seed-dilated"), 1, Question{QuestionKind::OutputValues, std::nullopt, ""}), UserError);
}
