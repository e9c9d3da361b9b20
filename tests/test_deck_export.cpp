// Decks exported whole: the shipped decks load, every slide builds and every question
// is answered; the PDF has a page per slide and per answer, with the words on them; a
// refused deck writes nothing; the same deck gives the same PNG and SVG bytes.
#include <filesystem>
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>

#include "app/export/deck_export.hpp"
#include "app/export/worksheet_export.hpp"
#include "core/base/files.hpp"
#include "core/lecture/deck.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::slurp;
namespace fs = std::filesystem;

namespace {

/// Pages of a PDF: its "/Type /Page" objects (not "/Type /Pages").
std::size_t pdf_pages(const std::string& pdf) {
    const std::regex page("/Type\\s*/Page[^s]");
    return std::size_t(std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

struct ExportScratch {
    fs::path root = fs::temp_directory_path() / ("convscope_deck_export_" + std::to_string(::getpid()));
    ExportScratch() { fs::create_directories(root); }
    ~ExportScratch() { fs::remove_all(root); }
};

std::size_t questions(const Deck& d) {
    return std::size_t(std::count_if(d.slides.begin(), d.slides.end(), [](const Slide& s) { return s.question.has_value(); }));
}

}  // namespace

TEST_CASE("the shipped decks load, every slide builds and every question is answered", "[deck][export]") {
    const auto name = GENERATE(as<std::string>{}, "dilated", "transposed");
    INFO(name);
    const Deck deck = load_deck(asset_path("decks/" + name + ".json"));
    CHECK(deck.slides.size() >= 10);
    CHECK(deck.slides.size() <= 15);
    CHECK(questions(deck) >= 8);
    for (std::size_t i = 0; i < deck.slides.size(); ++i) {
        INFO("slide " << i + 1);
        const exporting::SlidePages pages = exporting::slide_pages(deck, i);
        CHECK(pages.page.width >= 960);
        CHECK(pages.page.height >= 540);
        CHECK(pages.answer.has_value() == deck.slides[i].question.has_value());
        CHECK(pages.answer_page.has_value() == deck.slides[i].question.has_value());
        if (pages.answer) CHECK_FALSE(answer_lines(*pages.answer).empty());
    }
}

TEST_CASE("no shipped slide tells its output_shape answer before it is asked: not its title, not its page", "[deck][export][hide]") {
    const auto name = GENERATE(as<std::string>{}, "dilated", "transposed");
    const Deck deck = load_deck(asset_path("decks/" + name + ".json"));
    for (std::size_t i = 0; i < deck.slides.size(); ++i) {
        const Slide& slide = deck.slides[i];
        if (!slide.question || slide.question->kind != QuestionKind::OutputShape) continue;
        INFO(name << " slide " << i + 1 << ": " << slide.title);
        const exporting::SlidePages pages = exporting::slide_pages(deck, i);
        REQUIRE(pages.answer);
        const auto& shape = pages.answer->output_shape;
        const std::string size = std::to_string(shape[2]) + "x" + std::to_string(shape[3]);
        const std::string spaced = std::to_string(shape[2]) + " x " + std::to_string(shape[3]);
        for (const SceneText& t : pages.page.texts) {
            INFO(t.text);
            CHECK(t.text.find(size) == std::string::npos);
            CHECK(t.text.find(spaced) == std::string::npos);
        }
    }
}

TEST_CASE("a deck exports to one PDF: a page per slide, its answer on the next", "[deck][export][pdf]") {
    ExportScratch scratch;
    const auto name = GENERATE(as<std::string>{}, "dilated", "transposed");
    const Deck deck = load_deck(asset_path("decks/" + name + ".json"));
    const fs::path out = scratch.root / (name + ".pdf");
    const exporting::ExportResult r = exporting::run_deck_export(deck, {exporting::Format::Pdf, out.string(), 1, 8});
    const std::size_t expected = deck.slides.size() + questions(deck);
    CHECK(std::size_t(r.frames) == expected);
    CHECK(pdf_pages(slurp(out)) == expected);
    if (have("pdftotext")) {
        const test::RunResult text = {};
        (void)text;
        const std::string txt = (scratch.root / (name + ".txt")).string();
        REQUIRE(std::system(("pdftotext -layout '" + out.string() + "' '" + txt + "'").c_str()) == 0);
        const std::string words = slurp(txt);
        CHECK(words.find(deck.slides[0].title.substr(0, 20)) != std::string::npos);
        CHECK(words.find("Answer: ") != std::string::npos);
        if (name == "dilated") CHECK(words.find("31 x 31 input cells") != std::string::npos);  // WaveNet's field
        if (name == "transposed") CHECK(words.find("torch.Size([1, 3, 64, 64])") != std::string::npos);  // the seed upconv
    }
}

TEST_CASE("a deck exports to a folder of one PNG or SVG per slide, the same bytes every time", "[deck][export]") {
    ExportScratch scratch;
    const Deck deck = deck_from_json(
        {{"format", "convscope-deck"}, {"version", 1}, {"title", "small"},
         {"slides", {{{"preset", "arith-dilation"}, {"style", "schematic"}, {"question", {{"kind", "cells_read"}}}},
                     {{"preset", "arith-t-strides"}, {"transposed_view", "convolution"}, {"hide", {"shape"}}}}}},
        "");
    const auto format = GENERATE(exporting::Format::Png, exporting::Format::Svg);
    const std::string ext = exporting::format_name(format);
    const fs::path a = scratch.root / ("a_" + ext), b = scratch.root / ("b_" + ext);
    CHECK(exporting::run_deck_export(deck, {format, a.string(), 1, 8}).frames == 2);
    exporting::run_deck_export(deck, {format, b.string(), 1, 8});
    for (const char* file : {"slide_01.", "slide_02."}) {
        INFO(file << ext);
        REQUIRE(fs::is_regular_file(a / (file + ext)));
        CHECK(slurp(a / (file + ext)) == slurp(b / (file + ext)));
    }
    CHECK(std::distance(fs::directory_iterator(a), fs::directory_iterator()) == 2);
    // An existing folder with something in it is not written over.
    CHECK_THROWS_AS(exporting::run_deck_export(deck, {format, a.string(), 1, 8}), UserError);
}

TEST_CASE("a deck refused on its last slide writes nothing", "[deck][export][hostile]") {
    ExportScratch scratch;
    // The third slide's steps run past its animation: found only when the slide is built.
    const Deck deck = deck_from_json({{"format", "convscope-deck"}, {"version", 1},
                                      {"slides", {{{"preset", "arith-dilation"}}, {{"preset", "arith-strides"}},
                                                  {{"preset", "arith-no-padding"}, {"steps", "0:500"}}}}},
                                     "");
    for (const auto format : {exporting::Format::Pdf, exporting::Format::Png, exporting::Format::Svg}) {
        const fs::path out = scratch.root / (std::string("refused.") + exporting::format_name(format));
        try {
            exporting::run_deck_export(deck, {format, out.string(), 1, 8});
            FAIL("the deck was not refused");
        } catch (const UserError& e) {
            CHECK_THAT(e.what(), Catch::StartsWith("slide 3: key 'steps': "));
        }
    }
    CHECK(fs::is_empty(scratch.root));  // no file, no folder, no temporary left behind
}

TEST_CASE("convscope export --deck refuses hostile decks with the slide and key, writing nothing", "[deck][cli][hostile]") {
    ExportScratch scratch;
    const fs::path deck = scratch.root / "deck.json";
    std::ofstream(deck) << R"({"format": "convscope-deck", "version": 1, "slides": [{"preset": "seed-dilated"}, {"preset": "seed-dilated"},
        {"preset": "seed-dilated", "hide": ["everything"]}]})";
    const fs::path out = scratch.root / "deck.pdf";
    const test::RunResult r = test::run_cli("export --deck '" + deck.string() + "' --format pdf --out '" + out.string() + "'");
    CHECK(r.status >= 1);
    CHECK(r.status <= 127);
    CHECK_THAT(r.err, Catch::StartsWith("error: slide 3: key 'hide': "));
    CHECK_FALSE(fs::exists(out));
    std::ofstream(deck) << R"({"format": "convscope-deck", "version": 1, "slides": [{"session": "../../etc/passwd"}]})";
    const test::RunResult escape = test::run_cli("export --deck '" + deck.string() + "' --format png --out '" + (scratch.root / "f").string() + "'");
    CHECK_THAT(escape.err, Catch::StartsWith("error: slide 1: key 'session': ") && Catch::Contains("leaves the deck's folder"));
    CHECK_FALSE(fs::exists(scratch.root / "f"));
    // --deck excludes --preset.
    CHECK(test::run_cli("export --deck '" + deck.string() + "' --preset seed-dilated --format pdf --out '" + out.string() + "'").status >= 1);
}

TEST_CASE("convscope export --deck writes the shipped deck as a PDF", "[deck][cli]") {
    ExportScratch scratch;
    const fs::path out = scratch.root / "dilated.pdf";
    const test::RunResult r = test::run_cli("export --deck '" + asset_path("decks/dilated.json") + "' --format pdf --out '" + out.string() + "'");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("pages for 12 slides"));
    CHECK(fs::file_size(out) > 1000);
}

TEST_CASE("a lab slide trains the lab it names: a model typed into the app is on the slide, the settings' picture path is not read",
          "[deck][export][lab]") {
    const nlohmann::json deck = {
        {"format", "convscope-deck"},
        {"version", 1},
        {"slides", {{{"title", "lab"}, {"view", "lab"}, {"steps", "0:5"},
                     {"session", {{"convscope_session", 2}, {"preset", "lab-upsampling"}, {"input_shape", {1, 1, 4, 4}},
                                  {"layers", {{{"op", "conv2d"}, {"kernel_size", 3}}}},
                                  {"lab", {{"preset", "lab-upsampling"}, {"image", "/no/such/picture.png"},
                                           {"custom_model", "nn.ConvTranspose2d(3, 3, 6, stride=2, padding=2)"}}}}}}}}};
    const Slide slide = deck_from_json(deck, "").slides.at(0);
    REQUIRE(slide.session.lab);
    const Scene figure = exporting::slide_frame_figure(slide, 0);
    CHECK(std::any_of(figure.texts.begin(), figure.texts.end(), [](const SceneText& t) { return t.text.find("custom") != std::string::npos; }));
}
