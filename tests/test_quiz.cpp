// The Quiz panel's grading: the core's answer typed back is right, a changed one is
// wrong with the cells marked, and malformed text gets a message saying how to write
// the answer (never a crash); every sentence carries its formula with the numbers.
#include <catch2/catch.hpp>

#include "app/logic/quiz.hpp"
#include "core/anim/presets.hpp"
#include "core/base/errors.hpp"

using namespace convscope;
using namespace convscope::gui;

namespace {

/// A 5x5 ramp through nn.Conv2d(1, 1, 3, stride=2, padding=1): a 3x3 output.
Session strided_session() {
    Session s;
    s.input_shape = {1, 1, 5, 5};
    Layer L;
    L.kernel = {3, 3};
    L.stride = {2, 2};
    L.padding.value = {1, 1};
    s.layers = {L};
    s.input = InputPattern::Ramp;
    s.kernel = KernelPattern::Ones;
    return s;
}

std::string numbers_of(const std::vector<Cell>& cells) {
    std::string t;
    for (const Cell& c : cells) t += std::to_string(c[0]) + "," + std::to_string(c[1]) + " ";
    return t;
}

QuizResponse values_response(const QuizQuestion& q) {
    QuizResponse r;
    for (double v : q.output) r.values.push_back(std::to_string(v));
    return r;
}

}  // namespace

TEST_CASE("the output's shape typed as the core computes it is right, with the formula and its numbers", "[quiz][shape]") {
    const QuizQuestion q = question_on_session(strided_session(), QuestionKind::OutputShape);
    CHECK(q.answer.output_shape == std::array<std::int64_t, 4>{1, 1, 3, 3});
    QuizResponse r;
    r.text = "1, 1, 3, 3";
    Grade g = grade(q, r);
    CHECK(g.understood);
    CHECK(g.correct);
    CHECK_THAT(g.message, Catch::StartsWith("Right: [1, 1, 3, 3]") && Catch::Contains("floor((5 + ") && Catch::Contains("/ 2) + 1 = 3, and W_out alike"));
    r.text = "torch.Size([1, 1, 3, 3])";
    CHECK(grade(q, r).correct);
    r.text = "1,1,4,4";
    g = grade(q, r);
    CHECK(g.understood);
    CHECK_FALSE(g.correct);
    CHECK_THAT(g.message, Catch::StartsWith("Not quite: the output is [1, 1, 3, 3]"));
}

TEST_CASE("malformed answers get a message saying how to write them, never a crash", "[quiz][malformed]") {
    const std::string text = GENERATE(as<std::string>{}, "", "abc", "1,1,3", "1,1,3,3,3", "1.5,1,3,3", "99999999999999999999,1,1,1",
                                      "- , -", "1;1;3;3;", std::string(30000, '1'));
    const QuizQuestion shape = question_on_session(strided_session(), QuestionKind::OutputShape);
    QuizResponse r;
    r.text = text;
    const Grade g = grade(shape, r);
    if (text != "1;1;3;3;") {
        CHECK_FALSE(g.understood);
        CHECK_FALSE(g.correct);
        CHECK_THAT(g.message, Catch::Contains("N, C, H, W"));
    } else {
        CHECK(g.correct);  // semicolons separate as well as commas
    }
    const QuizQuestion rf = question_on_session(strided_session(), QuestionKind::RfSize);
    if (text != "- , -" && text != "") {
        const Grade gr = grade(rf, r);
        CHECK_FALSE(gr.correct);
    }
}

TEST_CASE("the receptive field's size is graded against the core's, lit rows and columns named", "[quiz][rf]") {
    Session s = session_from_preset("seed-dilated");
    const QuizQuestion q = question_on_session(s, QuestionKind::RfSize);
    QuizResponse r;
    r.text = std::to_string(q.answer.rf_size[0]) + " x " + std::to_string(q.answer.rf_size[1]);
    Grade g = grade(q, r);
    CHECK(g.correct);
    CHECK_THAT(g.message, Catch::Contains("d(k-1)+1 = 2*(3-1)+1 = 5"));
    CHECK(q.answer.rf_size == std::array<std::int64_t, 2>{5, 5});  // an interior cell of a 3x3 kernel, dilation 2
    CHECK(q.answer.cells.size() == 9);  // the field's cells are lit too
    r.text = "3x3";
    g = grade(q, r);
    CHECK(g.understood);
    CHECK_FALSE(g.correct);
    r.text = "5";
    CHECK_FALSE(grade(q, r).understood);
}

TEST_CASE("cells read are graded as a set, from clicks and typed pairs, missed and extra cells marked", "[quiz][cells]") {
    const QuizQuestion q = question_from_exercise(7, 0, QuestionKind::CellsRead);
    REQUIRE_FALSE(q.answer.cells.empty());
    QuizResponse r;
    r.clicked = q.answer.cells;
    CHECK(grade(q, r).correct);
    r.clicked.clear();
    r.text = numbers_of(q.answer.cells);
    CHECK(grade(q, r).correct);
    // Half clicked, half typed: the same set.
    const std::size_t half = q.answer.cells.size() / 2;
    r.clicked.assign(q.answer.cells.begin(), q.answer.cells.begin() + std::ptrdiff_t(half));
    r.text = numbers_of(std::vector<Cell>(q.answer.cells.begin() + std::ptrdiff_t(half), q.answer.cells.end()));
    CHECK(grade(q, r).correct);
    // One missed and one that is not read.
    r.clicked.assign(q.answer.cells.begin() + 1, q.answer.cells.end());
    r.text = "99,99";
    const Grade g = grade(q, r);
    CHECK(g.understood);
    CHECK_FALSE(g.correct);
    CHECK(g.missed == std::vector<Cell>{q.answer.cells.front()});
    CHECK(g.extra == std::vector<Cell>{Cell{99, 99}});
    CHECK_THAT(g.message, Catch::StartsWith("Not quite: 1 missed"));
    r = QuizResponse{};
    CHECK_FALSE(grade(q, r).understood);
    r.text = "1,2,3";
    CHECK_FALSE(grade(q, r).understood);
}

TEST_CASE("output values are graded cell by cell, the wrong ones marked and the first one given", "[quiz][values]") {
    const std::uint64_t seed = GENERATE(1u, 2u, 3u, 11u);
    const QuizQuestion q = question_from_exercise(seed, 2, QuestionKind::OutputValues);
    QuizResponse r = values_response(q);
    CHECK(grade(q, r).correct);
    r.values[0] = std::to_string(q.output(0, 0, 0, 0) + 1);
    const Grade g = grade(q, r);
    CHECK_FALSE(g.correct);
    CHECK(g.wrong == std::vector<Cell>{Cell{0, 0}});
    CHECK_THAT(g.message, Catch::Contains("1 of ") && Catch::Contains("cell (0, 0) is"));
    r.values[0] = "";
    CHECK_THAT(grade(q, r).message, Catch::Contains("Cell (0, 0) is empty"));
    r.values[0] = "3 apples";
    CHECK_THAT(grade(q, r).message, Catch::Contains("'3 apples' is not a number"));
    r.values[0] = "nan";
    CHECK_FALSE(grade(q, r).understood);
    r.values.pop_back();
    CHECK_THAT(grade(q, r).message, Catch::Contains("Fill in all"));
}

TEST_CASE("the same seed and index give the same exercise; the figure's values question refuses many planes", "[quiz]") {
    const QuizQuestion a = question_from_exercise(42, 3, QuestionKind::OutputValues);
    const QuizQuestion b = question_from_exercise(42, 3, QuestionKind::OutputValues);
    CHECK(a.code == b.code);
    CHECK(std::equal(a.output.begin(), a.output.end(), b.output.begin(), b.output.end()));
    CHECK(a.source == "exercise 4 of seed 42");
    Session big = session_from_preset("seed-dilated");  // 16 output channels, 64 x 64
    CHECK_THROWS_AS(question_on_session(big, QuestionKind::OutputValues), UserError);
}

TEST_CASE("a cells-read question about the figure's one layer takes input cells clicked on the canvas", "[quiz][cells]") {
    QuizState quiz;
    quiz.show = true;
    quiz.on_figure = true;
    quiz.kind = 3;  // cells read
    new_question(quiz, strided_session());
    REQUIRE(quiz.question);
    CHECK(quiz.error.empty());
    CHECK(quiz_takes_canvas_clicks(quiz));
    for (const Cell& c : quiz.question->answer.cells) toggle_quiz_cell(quiz, c);
    toggle_quiz_cell(quiz, Cell{0, 0});
    toggle_quiz_cell(quiz, Cell{0, 0});   // clicked twice: taken back
    toggle_quiz_cell(quiz, Cell{5, 0});   // outside the 5 x 5 input: ignored
    toggle_quiz_cell(quiz, Cell{-1, 2});
    CHECK(quiz.response.clicked.size() == quiz.question->answer.cells.size());
    check_answer(quiz);
    REQUIRE(quiz.result);
    CHECK(quiz.result->correct);
    CHECK_FALSE(quiz_takes_canvas_clicks(quiz));  // checked: the canvas is the canvas again
    quiz.on_figure = false;
    new_question(quiz, strided_session());
    CHECK_FALSE(quiz_takes_canvas_clicks(quiz));  // an exercise is clicked on the quiz's own figure
}
