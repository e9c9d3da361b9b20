// A question never shows its answer before it is revealed: on every shipped slide with a
// question and on worksheet exercises over many seeds, the question's page has no text
// with the answer, no cropped ring, and (size hidden) nothing drawn where the output
// is; the answer page still shows it all. And the colour bars' end values stay apart.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>

#include <catch2/catch.hpp>

#include "app/export/deck_export.hpp"
#include "app/export/worksheet_export.hpp"
#include "core/anim/session.hpp"
#include "core/base/files.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/lecture/deck.hpp"
#include "core/lecture/worksheet.hpp"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

struct Box {
    float x0 = 1, y0 = 1, x1 = 0, y1 = 0;  ///< empty until a point is added
    bool empty() const { return x1 < x0; }
    void add(float x, float y, float w = 0, float h = 0) {
        if (empty()) *this = Box{x, y, x + w, y + h};
        else *this = Box{std::min(x0, x), std::min(y0, y), std::max(x1, x + w), std::max(y1, y + h)};
    }
    /// Strictly inside, 1 px in from the edge: a neighbour touching the border is not in.
    bool holds(float x, float y) const { return !empty() && x > x0 + 1 && y > y0 + 1 && x < x1 - 1 && y < y1 - 1; }
    bool meets(float x, float y, float w, float h) const { return !empty() && x < x1 - 1 && y < y1 - 1 && x + w > x0 + 1 && y + h > y0 + 1; }
};

/// Where the answer page draws the output of map `layer`: its grid with the cropped ring
/// of the uncropped output around it, and each magnified copy.
std::vector<Box> output_extent(const Scene& answer, std::int64_t layer) {
    Box grid;
    std::vector<Box> boxes;
    for (const SceneHeatmap& h : answer.heatmaps) {
        if (h.layer != layer) continue;
        if (h.role == RectRole::OutputCell) grid.add(h.x, h.y, h.cell * float(h.cols), h.cell * float(h.rows));
        if (h.role == RectRole::Inset) boxes.emplace_back().add(h.x, h.y, h.cell * float(h.cols), h.cell * float(h.rows));
    }
    for (const SceneRect& r : answer.rects)
        if (r.role == RectRole::CroppedCell) grid.add(r.x, r.y, r.w, r.h);
    boxes.push_back(grid);
    return boxes;
}

std::size_t cropped_cells(const Scene& sc) {
    return std::size_t(std::count_if(sc.rects.begin(), sc.rects.end(), [](const SceneRect& r) { return r.role == RectRole::CroppedCell; }) +
                       std::count_if(sc.polygons.begin(), sc.polygons.end(), [](const ScenePolygon& p) { return p.role == RectRole::CroppedCell; }));
}

/// Nothing of `question` lies where `answer` draws the output (size hidden).
void check_nothing_on_output(const Scene& question, const std::vector<Box>& boxes) {
    for (const Box& out : boxes) {
        REQUIRE_FALSE(out.empty());
        for (const SceneHeatmap& h : question.heatmaps) CHECK_FALSE(out.meets(h.x, h.y, h.cell * float(h.cols), h.cell * float(h.rows)));
        for (const SceneRect& r : question.rects) CHECK_FALSE(out.meets(r.x, r.y, r.w, r.h));
        for (const SceneLine& l : question.lines) {
            CHECK_FALSE(out.holds(l.x0, l.y0));
            CHECK_FALSE(out.holds(l.x1, l.y1));
        }
        for (const ScenePolygon& p : question.polygons)
            for (int i = 0; i < p.count; ++i) CHECK_FALSE(out.holds(p.points[std::size_t(i)][0], p.points[std::size_t(i)][1]));
        for (const SceneText& t : question.texts) {
            INFO(t.text);
            CHECK_FALSE(out.holds(t.x, t.y));
        }
    }
}

bool is_count(const std::string& s) { return std::regex_match(s, std::regex("x[0-9]+|[0-9]+/[0-9]+")); }

}  // namespace

TEST_CASE("no shipped slide's question page shows its answer: no size, no cropped ring, nothing where the output is, no count on the asked cell",
          "[deck][export][hide]") {
    std::size_t checked = 0, shape_hidden = 0, rings = 0;
    for (const fs::directory_entry& file : fs::directory_iterator(fs::path(asset_path("decks")))) {
        if (file.path().extension() != ".json") continue;
        const Deck deck = load_deck(file.path().string());
        for (std::size_t i = 0; i < deck.slides.size(); ++i) {
            const Slide& slide = deck.slides[i];
            if (!slide.question) continue;
            INFO(file.path().filename().string() << " slide " << i + 1 << ": " << slide.title);
            const exporting::SlidePages pages = exporting::slide_pages(deck, i);
            REQUIRE(pages.answer);
            REQUIRE(pages.answer_page);
            ++checked;
            const Answer& a = *pages.answer;
            const std::string size = std::to_string(a.output_shape[2]) + "x" + std::to_string(a.output_shape[3]);
            const std::int64_t map = slide.session.layer_index + 1;
            if (slide.question->kind == QuestionKind::OutputShape) {
                for (const SceneText& t : pages.page.texts) {
                    INFO(t.text);
                    CHECK(t.text.find(size) == std::string::npos);
                    CHECK(t.text.find("torch.Size") == std::string::npos);
                    CHECK(t.text.rfind("magnified: output", 0) == std::string::npos);
                }
            }
            if (slide.hide.shape) {
                ++shape_hidden;
                CHECK(cropped_cells(pages.page) == 0);
                rings += cropped_cells(*pages.answer_page) > 0;
                check_nothing_on_output(pages.page, output_extent(*pages.answer_page, map));
            }
            if (slide.question->kind == QuestionKind::CellsRead && slide.view == SlideView::Canvas) {
                for (const SceneText& t : pages.page.texts) CHECK_FALSE((t.centered && is_count(t.text)));
            }
        }
    }
    CHECK(checked >= 16);
    CHECK(shape_hidden >= 6);
    CHECK(rings >= 2);  // the padded transposed slides: the answer shows the ring the question hides
}

TEST_CASE("a cells_read question on a scatter view writes no landed counts until its answer", "[deck][export][hide]") {
    const Deck deck = load_deck(asset_path("decks/transposed.json"));
    std::size_t scatter_questions = 0;
    for (std::size_t i = 0; i < deck.slides.size(); ++i) {
        const Slide& slide = deck.slides[i];
        if (!slide.question || slide.question->kind != QuestionKind::CellsRead) continue;
        INFO("slide " << i + 1 << ": " << slide.title);
        const exporting::SlidePages pages = exporting::slide_pages(deck, i);
        auto counts = [](const Scene& sc) {
            return std::count_if(sc.texts.begin(), sc.texts.end(), [](const SceneText& t) { return t.centered && is_count(t.text); });
        };
        CHECK(counts(pages.page) == 0);
        scatter_questions += counts(*pages.answer_page) > 0;
    }
    CHECK(scatter_questions >= 2);  // the checkerboard slides: the answer brings the x1/x2/x4 back
}

TEST_CASE("a worksheet's output_shape exercise shows no cropped ring and nothing where the output is; its key does", "[worksheet][hide]") {
    const std::uint64_t seed = GENERATE(range(1, 41));
    const std::vector<Exercise> sheet = make_worksheet(seed, 6, {QuestionKind::OutputShape});
    for (std::size_t i = 0; i < sheet.size(); ++i) {
        const Exercise& e = sheet[i];
        INFO("seed " << seed << " exercise " << i + 1 << ": " << e.code);
        const Scene page = exporting::exercise_page(e, i, false);
        const Scene key = exporting::exercise_page(e, i, true);
        const std::string size = std::to_string(e.answer.output_shape[2]) + "x" + std::to_string(e.answer.output_shape[3]);
        CHECK(cropped_cells(page) == 0);
        if (e.layer.kind == LayerKind::ConvTranspose2d && e.layer.padding.value.h > 0) CHECK(cropped_cells(key) > 0);
        for (const SceneText& t : page.texts) {
            INFO(t.text);
            if (t.text.rfind("input ", 0) == 0) continue;  // the input's shape is given (a padded conv keeps it)
            CHECK(t.text.find(size) == std::string::npos);
            CHECK(t.text.find("torch.Size") == std::string::npos);
        }
        check_nothing_on_output(page, output_extent(key, 1));
    }
}

TEST_CASE("the input's and the output's colour bars never overlap: their end values stay apart at any width", "[scene][legend]") {
    const auto preset = GENERATE(as<std::string>{}, "arith-t-strides", "arith-no-padding", "checkerboard-k3s2", "seed-dilated");
    const float width = GENERATE(360.0f, 440.0f, 520.0f, 640.0f, 900.0f, 1200.0f);
    INFO(preset << " at " << width << " px");
    const Animation a(session_from_preset(preset));
    SceneOptions options;
    options.width = width;
    options.height = 640;
    const Scene sc = animation_scene(a, a.frame_count() - 1, options);
    // The bars: their segments are Legend rects 10 px tall on one row; the end values
    // are the texts 13 px under them.
    float bar_y = -1;
    for (const SceneRect& r : sc.rects)
        if (r.role == RectRole::Legend && r.h == 10) bar_y = r.y;
    REQUIRE(bar_y >= 0);
    std::vector<std::pair<float, float>> spans;  // [x0, x1) of each label on the row
    for (const SceneText& t : sc.texts)
        if (!t.centered && std::abs(t.y - (bar_y + 13)) < 0.5f) spans.push_back({t.x, t.x + 0.55f * t.size * float(t.text.size())});
    CHECK(spans.size() == 4);  // lo and hi of both bars
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) CHECK(spans[i - 1].second + 4 <= spans[i].first);
}
