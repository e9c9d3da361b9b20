// Worksheets: exercises drawn from a seed, the same seed the same sheet, and every
// answer in the key equal to what PyTorch's operators (our golden-checked ones) give.
#include <filesystem>
#include <fstream>
#include <set>

#include <catch2/catch.hpp>

#include "app/export/worksheet_export.hpp"
#include "core/lecture/worksheet.hpp"
#include "core/nn/conv.hpp"
#include "core/nn/shape.hpp"
#include "helpers.hpp"

using namespace convscope;
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

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
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
        for (const SceneText& t : page.texts) {
            CHECK(t.text.find("final range") == std::string::npos);
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
