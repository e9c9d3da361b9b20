// Worksheets: exercises drawn from a seed, the same seed the same sheet, and every
// answer in the key equal to what PyTorch's operators (our golden-checked ones) give.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "app/export/worksheet_export.hpp"
#include "core/lecture/worksheet.hpp"
#include "core/nn/conv.hpp"
#include "core/nn/shape.hpp"
#include "helpers.hpp"

using namespace convscope;
using convscope::test::slurp;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::vector<QuestionKind> kAll(std::begin(kAllQuestionKinds), std::end(kAllQuestionKinds));

Tensor4 run(const Exercise& e, const Tensor4& x, const ConvWeights& w) {
    return e.layer.kind == LayerKind::Conv2d ? conv2d(x, w, e.layer) : conv_transpose2d(x, w, e.layer);
}

/// The input cells output cell `cell` reads, found by the operator itself: an impulse at
/// (r, c) through all-ones weights and no bias reaches the cell exactly when it is read.
std::vector<std::array<std::int64_t, 2>> cells_read_by_impulses(const Exercise& e, const std::array<std::int64_t, 2>& cell) {
    ConvWeights ones;
    ones.weight = e.weights.weight;
    for (double& v : ones.weight) v = 1;
    Layer no_bias = e.layer;
    no_bias.bias = false;
    Exercise plain = e;
    plain.layer = no_bias;
    std::vector<std::array<std::int64_t, 2>> cells;
    const auto& s = e.input.shape();
    for (std::size_t r = 0; r < s[2]; ++r)
        for (std::size_t c = 0; c < s[3]; ++c) {
            Tensor4 impulse = Tensor4::from_shape(s);
            impulse.fill(0);
            impulse(0, 0, r, c) = 1;
            if (run(plain, impulse, ones)(0, 0, std::size_t(cell[0]), std::size_t(cell[1])) != 0) cells.push_back({std::int64_t(r), std::int64_t(c)});
        }
    return cells;
}

}  // namespace

TEST_CASE("the worksheet's generator is SplitMix64 with unbiased whole numbers", "[worksheet]") {
    WorksheetRandom rng(0);
    // SplitMix64's published first outputs for seed 0.
    CHECK(rng.next() == 0xE220A8397B1DCDAFull);
    CHECK(rng.next() == 0x6E789E6AA1B965F4ull);
    WorksheetRandom dice(7);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 400; ++i) {
        const std::int64_t v = dice.uniform(-1, 2);
        CHECK(v >= -1);
        CHECK(v <= 2);
        seen.insert(v);
    }
    CHECK(seen.size() == 4);
}

TEST_CASE("every worksheet answer equals the operators' own result", "[worksheet][questions]") {
    const std::uint64_t seed = GENERATE(1, 2, 3, 42, 2026);
    const std::vector<Exercise> sheet = make_worksheet(seed, 24, kAll);
    REQUIRE(sheet.size() == 24);
    std::set<QuestionKind> kinds;
    bool transposed = false, strided = false, dilated = false, output_padded = false;
    for (const Exercise& e : sheet) {
        INFO("seed " << seed << ": " << e.code);
        kinds.insert(e.kind);
        transposed |= e.layer.kind == LayerKind::ConvTranspose2d;
        strided |= e.layer.stride.h > 1;
        dilated |= e.layer.dilation.h > 1;
        output_padded |= e.layer.output_padding.h > 0;
        for (double v : e.input) CHECK((v >= 0 && v <= 3 && v == std::floor(v)));
        for (double v : e.weights.weight) CHECK((v >= -1 && v <= 2 && v == std::floor(v)));
        const Tensor4 y = run(e, e.input, e.weights);
        const std::vector<std::int64_t> ys = shape_of(y);
        CHECK(std::vector<std::int64_t>(e.answer.output_shape.begin(), e.answer.output_shape.end()) == ys);
        CHECK(ys[2] <= kMaxExerciseOutputSide);
        CHECK(ys[3] <= kMaxExerciseOutputSide);
        switch (e.kind) {
            case QuestionKind::OutputShape: break;
            case QuestionKind::OutputValues: CHECK(test::equal(e.answer.values, y)); break;
            case QuestionKind::CellsRead: CHECK(e.answer.cells == cells_read_by_impulses(e, e.answer.cell)); break;
            case QuestionKind::RfSize: {
                const auto cells = cells_read_by_impulses(e, e.answer.cell);
                std::int64_t r0 = 99, r1 = -1, c0 = 99, c1 = -1;
                for (const auto& c : cells) r0 = std::min(r0, c[0]), r1 = std::max(r1, c[0]), c0 = std::min(c0, c[1]), c1 = std::max(c1, c[1]);
                CHECK(e.answer.rf_size == std::array<std::int64_t, 2>{cells.empty() ? 0 : r1 - r0 + 1, cells.empty() ? 0 : c1 - c0 + 1});
                break;
            }
        }
    }
    CHECK(kinds.size() == 4);
    CHECK(transposed);
    CHECK(strided);
    CHECK(dilated);
    CHECK(output_padded);
}

TEST_CASE("the answer key holds the code, the tensors and the answer of every question", "[worksheet]") {
    const std::vector<Exercise> sheet = make_worksheet(5, 12, kAll);
    const json key = worksheet_key(sheet);
    REQUIRE(key.at("questions").size() == 12);
    for (std::size_t i = 0; i < sheet.size(); ++i) {
        const json& q = key["questions"][i];
        CHECK(q.at("kind") == question_kind_name(sheet[i].kind));
        CHECK(q.at("code").get<std::string>().rfind("nn.Conv", 0) == 0);
        CHECK(q.at("input").at("shape").size() == 4);
        CHECK(q.at("weight").at("shape") == json({1, 1, sheet[i].layer.kernel.h, sheet[i].layer.kernel.w}));
        CHECK(q.at("bias").is_null() == !sheet[i].layer.bias);
        CHECK(q.at("answer") == answer_to_json(sheet[i].answer));
        const bool cell_kind = sheet[i].kind == QuestionKind::RfSize || sheet[i].kind == QuestionKind::CellsRead;
        CHECK(q.contains("cell") == cell_kind);
        CHECK(q.contains("input_shape") == (sheet[i].kind != QuestionKind::OutputValues));
    }
    CHECK(parse_question_kinds("rf_size,output_shape") == std::vector<QuestionKind>{QuestionKind::RfSize, QuestionKind::OutputShape});
    CHECK_THROWS_AS(parse_question_kinds("rf_size,guess"), UserError);
    CHECK_THROWS_AS(make_worksheet(1, 0, kAll), UserError);
    CHECK_THROWS_AS(make_worksheet(1, 201, kAll), UserError);
}

TEST_CASE("convscope worksheet writes the same bytes for the same seed", "[worksheet][cli]") {
    const fs::path dir = fs::temp_directory_path() / ("convscope_worksheet_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto make = [&](const std::string& tag, int seed) {
        return test::run_cli("worksheet --seed " + std::to_string(seed) + " --count 5 --out '" + (dir / (tag + ".pdf")).string() +
                             "' --answers '" + (dir / (tag + ".json")).string() + "'");
    };
    REQUIRE(make("a", 9).status == 0);
    REQUIRE(make("b", 9).status == 0);
    REQUIRE(make("c", 10).status == 0);
    CHECK(slurp(dir / "a.pdf") == slurp(dir / "b.pdf"));
    CHECK(slurp(dir / "a.json") == slurp(dir / "b.json"));
    CHECK(slurp(dir / "a.json") != slurp(dir / "c.json"));
    const json key = json::parse(slurp(dir / "a.json"));
    CHECK(key.at("questions").size() == 5);
    const test::RunResult bad = test::run_cli("worksheet --count 3 --kinds output_shape,everything --out '" + (dir / "d.pdf").string() + "'");
    CHECK(bad.status >= 1);
    CHECK_THAT(bad.err, Catch::StartsWith("error: --kinds 'everything' is unknown"));
    CHECK_FALSE(fs::exists(dir / "d.pdf"));
    fs::remove_all(dir);
}

TEST_CASE("a worksheet's question page gives nothing away: no step's taps, no output colour bar, the PyTorch line on the page", "[worksheet]") {
    const QuestionKind kind = GENERATE(QuestionKind::CellsRead, QuestionKind::OutputValues, QuestionKind::OutputShape);
    const std::vector<Exercise> sheet = make_worksheet(7, 4, {kind});
    for (std::size_t i = 0; i < sheet.size(); ++i) {
        const Exercise& e = sheet[i];
        INFO("exercise " << i + 1 << ": " << e.code);
        const Scene page = exporting::exercise_page(e, i, false);
        for (const SceneRect& r : page.rects) {
            CHECK(r.state == TapState::None);
            CHECK(r.role != RectRole::Window);
            CHECK(r.role != RectRole::Connector);
        }
        bool code_line = false;
        // An output_shape question prints no grid size ("padded to 6x6" beside a 3x3 kernel is the answer).
        for (const SceneText& t : page.texts) {
            CHECK(t.text.find("final range") == std::string::npos);
            if (kind == QuestionKind::OutputShape) {
                CHECK(t.text.find("padded to") == std::string::npos);
                CHECK(t.text.find("cropped to") == std::string::npos);
                CHECK(t.text.find("padded:") == std::string::npos);
            }
            if (t.text == e.code) code_line = true;
            // The title and every line fit the page (DejaVu Sans: about 0.6 em a character).
            CHECK(t.x + 0.55f * t.size * float(t.text.size()) <= page.width + 1);
        }
        CHECK(code_line);
        // The key's page lights what a cells_read question asked, and only there.
        if (kind == QuestionKind::CellsRead) {
            const Scene key = exporting::exercise_page(e, i, true);
            CHECK(key.rects.size() > page.rects.size());
        }
    }
}

namespace {

/// Pages of a PDF: its "/Type /Page" objects (not "/Type /Pages").
std::size_t pdf_page_count(const std::string& pdf) {
    const std::regex page("/Type\\s*/Page[^s]");
    return std::size_t(std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

/// Every page's /MediaBox [0 0 w h], as "w h".
std::vector<std::string> pdf_media_boxes(const std::string& pdf) {
    const std::regex box("/MediaBox\\s*\\[\\s*0\\s+0\\s+([0-9.]+)\\s+([0-9.]+)\\s*\\]");
    std::vector<std::string> boxes;
    for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), box); it != std::sregex_iterator(); ++it)
        boxes.push_back((*it)[1].str() + " " + (*it)[2].str());
    return boxes;
}

bool have_tool(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

}  // namespace

TEST_CASE("the worksheet prints on A4 portrait: a title and name line first, two exercises a page where they fit, the key from its own page",
          "[worksheet][cli][print]") {
    const fs::path dir = fs::temp_directory_path() / ("convscope_worksheet_a4_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path out = dir / "sheet.pdf";
    const test::RunResult r = test::run_cli("worksheet --seed 1 --count 6 --out '" + out.string() + "'");
    REQUIRE(r.status == 0);
    const std::string pdf = slurp(out);
    const std::size_t pages = pdf_page_count(pdf);
    // The lecturer's sheet was 12 pages (a page an exercise, then a page an answer).
    CHECK(pages >= 2);
    CHECK(pages < 12);
    const std::vector<std::string> boxes = pdf_media_boxes(pdf);
    CHECK(boxes.size() == pages);
    for (const std::string& b : boxes) CHECK(b == "595 842");
    CHECK_THAT(r.out, Catch::Contains(std::to_string(pages) + " pages"));
    // Every page is the sheet: the exercises and the key share the pages they need.
    const std::vector<Scene> scenes = exporting::worksheet_pages(make_worksheet(1, 6, kAll), 1);
    CHECK(scenes.size() == pages);
    for (const Scene& s : scenes)
        for (const SceneText& t : s.texts) {
            INFO(t.text);
            CHECK(t.x >= 0);
            CHECK(t.y >= 0);
            CHECK(t.x + 0.55f * t.size * float(t.text.size()) <= s.width + 1);
            CHECK(t.y + t.size <= s.height);
        }
    if (have_tool("pdftotext")) {
        const fs::path txt = dir / "sheet.txt";
        REQUIRE(std::system(("pdftotext -layout '" + out.string() + "' '" + txt.string() + "'").c_str()) == 0);
        const std::string words = slurp(txt);
        CHECK_THAT(words, Catch::Contains("Convolution arithmetic: worksheet, seed 1"));
        CHECK_THAT(words, Catch::Contains("Name: ____"));
        CHECK_THAT(words, Catch::Contains("Answer key"));
        // The key starts on a page of its own: no exercise on the page it begins.
        const std::size_t key = words.find("Answer key");
        const std::size_t page_break = words.rfind('\f', key);
        REQUIRE(page_break != std::string::npos);
        CHECK(words.find("Exercise ", page_break) > key);
        CHECK(words.find("Answer 1") > key);
        // Counts read as words: "1 input cell", never "1 input cells".
        CHECK_FALSE(std::regex_search(words, std::regex("(^|[^x] )1 input cells")));
    }
    fs::remove_all(dir);
}

TEST_CASE("the --ops option limits the worksheet to the operators named; an unknown one is refused in words", "[worksheet][cli]") {
    const std::uint64_t seed = GENERATE(1, 2, 3, 42);
    for (const char* name : {"conv_transpose2d", "conv2d"}) {
        const std::vector<Exercise> sheet = make_worksheet(seed, 20, kAll, parse_worksheet_ops(name));
        const LayerKind want = std::string(name) == "conv2d" ? LayerKind::Conv2d : LayerKind::ConvTranspose2d;
        for (const Exercise& e : sheet) {
            INFO(name << ": " << e.code);
            CHECK(e.layer.kind == want);
            CHECK(e.code.rfind(want == LayerKind::Conv2d ? "nn.Conv2d(" : "nn.ConvTranspose2d(", 0) == 0);
        }
    }
    // Both operators, named or not, give the sheet the seed always gave.
    const json both = worksheet_key(make_worksheet(seed, 8, kAll, parse_worksheet_ops("conv_transpose2d,conv2d")));
    CHECK(both == worksheet_key(make_worksheet(seed, 8, kAll)));
    CHECK_THROWS_AS(parse_worksheet_ops("conv3d"), UserError);
    CHECK_THROWS_AS(parse_worksheet_ops(""), UserError);

    const fs::path dir = fs::temp_directory_path() / ("convscope_worksheet_ops_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const test::RunResult r =
        test::run_cli("worksheet --seed 4 --count 6 --ops conv_transpose2d --out '" + (dir / "t.pdf").string() + "' --answers '" + (dir / "t.json").string() + "'");
    REQUIRE(r.status == 0);
    const json key = json::parse(slurp(dir / "t.json"));
    for (const json& q : key.at("questions")) CHECK(q.at("code").get<std::string>().rfind("nn.ConvTranspose2d(", 0) == 0);
    const test::RunResult bad = test::run_cli("worksheet --ops conv2d,pool --out '" + (dir / "u.pdf").string() + "'");
    CHECK(bad.status >= 1);
    CHECK(bad.status <= 127);
    CHECK_THAT(bad.err, Catch::StartsWith("error: --ops 'pool' is unknown"));
    CHECK_FALSE(fs::exists(dir / "u.pdf"));
    const test::RunResult help = test::run_cli("worksheet --help");
    CHECK_THAT(help.out, Catch::Contains("--ops"));
    fs::remove_all(dir);
}

TEST_CASE("a receptive-field question says that padding does not count, so an edge cell's 3 x 2 is not read as 3 x 3", "[worksheet][questions]") {
    // nn.Conv2d(1, 1, 3, padding=1) on 4x4: output cell (2, 0) reads rows 1..3 and columns -1..1, of which 0..1 are input.
    CHECK_THAT(question_prompt(QuestionKind::RfSize, {2, 0}), Catch::Contains("padding does not count"));
    Session s = session_from_json({{"convscope_session", 2}, {"input_shape", {1, 1, 4, 4}}, {"layers", {{{"op", "conv2d"}, {"kernel_size", 3}, {"padding", 1}}}}});
    const Answer a = compute_answer(s, 1, Question{QuestionKind::RfSize, std::array<std::int64_t, 2>{2, 0}, ""});
    CHECK(a.rf_size == std::array<std::int64_t, 2>{3, 2});
}
