// Building a deck in the app: a slide captured from the view keeps every field of it,
// a saved deck reads back exactly (draft and reader), slides reorder and delete, and a
// deck that would not read back, or an unwritable path, is refused in words.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "core/anim/presets.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/io/json_io.hpp"
#include "core/lecture/deck_draft.hpp"

using namespace convscope;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct ScratchFolder {
    fs::path root = fs::temp_directory_path() / ("convscope_deck_draft_" + std::to_string(::getpid()));
    ScratchFolder() { fs::create_directories(root); }
    ~ScratchFolder() { fs::remove_all(root); }
};

SlideDraft titled(const std::string& title) {
    SlideDraft s;
    s.title = title;
    s.preset = "seed-dilated";
    return s;
}

std::vector<std::string> titles(const DeckDraft& deck) {
    std::vector<std::string> t;
    for (const SlideDraft& s : deck.slides) t.push_back(s.title);
    return t;
}

}  // namespace

TEST_CASE("a slide captured from an unedited preset names the preset and every view field", "[deck][draft]") {
    ViewCapture c;
    c.session = session_from_preset("seed-upconv");
    c.session.style = SceneStyle::Schematic;
    c.session.layer_index = 0;
    c.session.view = TransposedView::AsConvolution;
    c.session.pass = Pass::Backward;
    c.session.granularity = Granularity::Cell;
    c.session.frame = 7;
    c.view = SlideView::ReceptiveField;
    c.session_is_preset = true;
    const SlideDraft d = capture_slide(c);
    CHECK(d.preset == "seed-upconv");
    CHECK_FALSE(d.session);
    CHECK(d.view == SlideView::ReceptiveField);
    CHECK(d.style == "schematic");
    CHECK(d.layer == 0);
    CHECK(d.transposed_view == "convolution");
    CHECK(d.pass == "backward");
    CHECK(d.granularity == "cell");
    CHECK(d.first_step == 0);
    CHECK(d.last_step == 7);
    CHECK(d.image.empty());
    // The deck reader makes the same view of it.
    const Slide read = resolve_slide(d);
    CHECK(read.session.style == SceneStyle::Schematic);
    CHECK(read.session.view == TransposedView::AsConvolution);
    CHECK(read.session.pass == Pass::Backward);
    CHECK(read.session.granularity == Granularity::Cell);
    CHECK(read.view == SlideView::ReceptiveField);
    CHECK(read.last_step == 7);
}

TEST_CASE("a slide captured from an edited session holds the session itself", "[deck][draft]") {
    ViewCapture c;
    c.session = session_from_preset("seed-dilated");
    c.session.seed = 99;  // other numbers: no longer the preset
    c.session_is_preset = true;
    const SlideDraft d = capture_slide(c);
    CHECK(d.preset.empty());
    REQUIRE(d.session);
    CHECK(d.session->at("seed") == 99);
    CHECK(resolve_slide(d).session.seed == 99);
    c.session_is_preset = false;
    c.session.seed = session_from_preset("seed-dilated").seed;
    CHECK(capture_slide(c).session);  // a session file that happens to equal the preset stays a session
}

TEST_CASE("a slide captured on a picture names the picture, not a session with one inside", "[deck][draft]") {
    ViewCapture c;
    c.session = session_from_preset("seed-dilated");
    const std::string picture = fs::canonical(asset_path("landscape.png")).string();
    use_picture(c.session, picture);
    c.session_is_preset = true;
    SlideDraft d = capture_slide(c);
    CHECK(d.preset == "seed-dilated");  // only the picture differs, and the slide's image sets it
    CHECK(d.image == picture);
    c.session.seed = 5;
    d = capture_slide(c);
    REQUIRE(d.session);
    CHECK_FALSE(d.session->contains("image"));
    CHECK(d.image == picture);
    const Slide read = resolve_slide(d);
    CHECK(read.session.input == InputPattern::Image);
    CHECK(read.session.seed == 5);
}

TEST_CASE("a saved deck reads back as the same draft and as the deck the reader makes", "[deck][draft][roundtrip]") {
    ScratchFolder scratch;
    const fs::path picture = scratch.root / "photo.png";
    fs::copy_file(asset_path("landscape.png"), picture);
    DeckDraft deck;
    deck.title = "Dilated convolution, week 3";
    SlideDraft a = titled("The course's layer");
    a.style = "perspective";
    a.first_step = 0;
    a.last_step = 40;
    a.notes = "Ask: how far apart are the taps?\nThen show the field.";
    SlideDraft b;
    b.title = "What shape comes out?";
    b.session = session_to_json(session_from_preset("seed-upconv"));
    b.hide.output = b.hide.shape = true;
    b.question = Question{QuestionKind::OutputShape, std::nullopt, ""};
    b.image = fs::canonical(picture).string();
    SlideDraft c = titled("Its receptive field");
    c.preset = "gridding";
    c.view = SlideView::ReceptiveField;
    c.layer = 1;
    c.granularity = "auto";
    c.question = Question{QuestionKind::CellsRead, std::array<std::int64_t, 2>{1, 2}, "Which cells?"};
    deck.slides = {a, b, c};
    const std::string path = (scratch.root / "week3.json").string();
    save_deck_draft(deck, path);

    const json written = parse_json_text(read_file(path, kMaxDeckBytes), "deck");
    CHECK(written.at("slides").at(1).at("image") == "photo.png");  // relative to the deck
    const DeckDraft again = load_deck_draft(path);
    CHECK(again.title == deck.title);
    REQUIRE(again.slides.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(again.slides[i] == deck.slides[i]);
    const Deck read = load_deck(path);
    CHECK(read.slides[0].session.style == SceneStyle::Perspective);
    CHECK(read.slides[0].last_step == 40);
    CHECK(read.slides[1].hide.shape);
    CHECK(read.slides[1].session.input == InputPattern::Image);
    CHECK(read.slides[2].question->cell == std::array<std::int64_t, 2>{1, 2});
    // Saving the read-back draft writes the same bytes.
    const std::string path2 = (scratch.root / "week3b.json").string();
    save_deck_draft(again, path2);
    CHECK(read_file(path, kMaxDeckBytes) == read_file(path2, kMaxDeckBytes));
}

TEST_CASE("the shipped decks read back exactly as drafts", "[deck][draft][roundtrip]") {
    const std::string name = GENERATE(as<std::string>{}, "dilated.json", "transposed.json");
    const std::string path = asset_path("decks/" + name);
    const json original = parse_json_text(read_file(path, kMaxDeckBytes), name);
    const DeckDraft draft = load_deck_draft(path);
    const json written = deck_draft_to_json(draft, fs::path(path).parent_path().string());
    REQUIRE(written.at("slides").size() == original.at("slides").size());
    for (std::size_t i = 0; i < written.at("slides").size(); ++i) {
        json want = original.at("slides").at(i);
        if (!want.contains("title")) want["title"] = "";
        CHECK(written.at("slides").at(i) == want);
    }
}

TEST_CASE("slides move up, down and to any place, and delete, the others keeping their order", "[deck][draft][edit]") {
    DeckDraft deck;
    for (const char* t : {"a", "b", "c", "d"}) deck.slides.push_back(titled(t));
    move_slide(deck, 2, 1);  // "c" up
    CHECK(titles(deck) == std::vector<std::string>{"a", "c", "b", "d"});
    move_slide(deck, 0, 3);  // "a" dragged to the end
    CHECK(titles(deck) == std::vector<std::string>{"c", "b", "d", "a"});
    move_slide(deck, 1, 1);
    CHECK(titles(deck) == std::vector<std::string>{"c", "b", "d", "a"});
    delete_slide(deck, 2);
    CHECK(titles(deck) == std::vector<std::string>{"c", "b", "a"});
    CHECK(insert_slide(deck, titled("e"), 0) == 1);
    CHECK(insert_slide(deck, titled("f"), 99) == 4);
    CHECK(titles(deck) == std::vector<std::string>{"c", "e", "b", "a", "f"});
    CHECK_THROWS_AS(move_slide(deck, 5, 0), UserError);
    CHECK_THROWS_AS(delete_slide(deck, 5), UserError);
    CHECK(deck.slides.size() == 5);
}

TEST_CASE("a deck that cannot be written or would not read back is refused in words and nothing is written", "[deck][draft]") {
    ScratchFolder scratch;
    DeckDraft deck;
    deck.slides.push_back(titled("one"));
    CHECK_THROWS_WITH(save_deck_draft(deck, (scratch.root / "missing" / "d.json").string()), Catch::Contains("does not exist"));
    DeckDraft empty;
    CHECK_THROWS_WITH(save_deck_draft(empty, (scratch.root / "d.json").string()), Catch::Contains("no slides"));
    deck.slides[0].image = fs::canonical(asset_path("landscape.png")).string();  // outside the deck's folder
    CHECK_THROWS_WITH(save_deck_draft(deck, (scratch.root / "d.json").string()),
                      Catch::Contains("slide 1") && Catch::Contains("outside the deck's folder"));
    deck.slides[0].image.clear();
    deck.slides[0].layer = 9;  // the preset has 1 layer: the reader would refuse it
    CHECK_THROWS_WITH(save_deck_draft(deck, (scratch.root / "d.json").string()), Catch::Contains("slide 1: key 'layer'"));
    CHECK_FALSE(fs::exists(scratch.root / "d.json"));
}

TEST_CASE("a hostile deck opened for editing is refused with the slide and the key", "[deck][draft]") {
    ScratchFolder scratch;
    const fs::path path = scratch.root / "bad.json";
    std::ofstream(path) << R"({"format": "convscope-deck", "version": 1, "slides": [{"preset": "seed-dilated"}, )"
                        << R"({"preset": "seed-dilated", "session": "../../etc/passwd"}]})";
    CHECK_THROWS_WITH(load_deck_draft(path.string()), Catch::Contains("slide 2"));
    std::ofstream(path) << R"({"format": "convscope-deck", "version": 1, "slides": [{"preset": "seed-dilated", "image": "../x.png"}]})";
    CHECK_THROWS_WITH(load_deck_draft(path.string()), Catch::Contains("slide 1: key 'image'"));
}

TEST_CASE("a lab slide captured from the app trains as far as the lab on screen had trained", "[deck][draft]") {
    ViewCapture c;
    c.session = session_from_preset("lab-upsampling");
    c.session_is_preset = true;
    c.view = SlideView::Lab;
    c.session.frame = 0;  // the lab has no animation frames: its steps are training steps
    c.lab_steps = 119;
    SlideDraft d = capture_slide(c);
    CHECK(d.first_step == 0);
    CHECK(d.last_step == 119);
    CHECK(resolve_slide(d).last_step == 119);
    c.lab_steps = 0;  // not trained yet: the lab slide's own default (trained), not step 0
    d = capture_slide(c);
    CHECK_FALSE(d.first_step);
    CHECK_FALSE(d.last_step);
    c.lab_steps = 1000000;
    CHECK(capture_slide(c).last_step == kMaxLabSlideSteps);
}

TEST_CASE("a lab slide captured from a lab changed on screen keeps its settings, not its picture path or weights", "[deck][draft]") {
    ViewCapture c;
    c.session = session_from_preset("lab-upsampling");
    c.session_is_preset = true;
    c.view = SlideView::Lab;
    LabSettings lab;
    lab.custom_code = "nn.ConvTranspose2d(3, 3, 6, stride=2, padding=2)";  // a sixth model typed in the app
    lab.optimizer.kind = OptimizerSettings::Kind::Sgd;
    lab.optimizer.lr = 0.05;
    lab.image_path = "/home/teacher/private/photo.png";
    c.session.lab = std::make_shared<const LabSave>(LabSave{lab, 0, {}});
    const SlideDraft d = capture_slide(c);
    CHECK(d.preset.empty());
    REQUIRE(d.session);
    REQUIRE(d.session->contains("lab"));
    const json& saved = d.session->at("lab");
    CHECK(saved["custom_model"] == lab.custom_code);
    CHECK(saved["optimizer"] == "sgd");
    CHECK(saved["image"] == "");
    CHECK_FALSE(saved.contains("parameters"));
    const Slide slide = resolve_slide(d);
    REQUIRE(slide.session.lab);
    CHECK(slide.session.lab->settings.custom_code == lab.custom_code);
    CHECK(slide.session.lab->settings.optimizer.lr == 0.05);
    // The lab as its preset opens it is the preset.
    c.session.lab = std::make_shared<const LabSave>(LabSave{LabSettings{}, 0, {}});
    CHECK(capture_slide(c).preset == "lab-upsampling");
}

