// The Quiz panel (View > Quiz): a question of one of the four kinds on the figure on
// screen or on a fresh exercise from the worksheet's generator, answered by typing (the
// shape, the field's size, cells as row,col pairs), in a grid of boxes (the output's
// values) or by clicking input cells; Check grades it at once and shows why on the
// quiz's figure: the output filled in with the wrong cells marked, the field lit, the
// cells read highlighted (missed in green, not read in red), with one sentence.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/panels/panels.hpp"

namespace convscope::gui {

namespace {

const char* const kKindLabels[] = {"output shape", "output values", "receptive field size", "cells read"};

const ImU32 kGridLine = IM_COL32(120, 120, 120, 255);
const ImU32 kLit = IM_COL32(250, 210, 80, 150);       // the field
const ImU32 kRead = IM_COL32(240, 150, 30, 220);      // a cell read
const ImU32 kClicked = IM_COL32(70, 130, 230, 200);   // a cell the student gave
const ImU32 kWrong = IM_COL32(230, 50, 50, 255);
const ImU32 kMissed = IM_COL32(40, 170, 60, 255);
const ImU32 kAsked = IM_COL32(40, 90, 220, 255);

std::string cell_number(double v) {
    if (v == std::floor(v) && std::abs(v) < 1e6) return std::to_string(std::int64_t(v));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

bool contains(const std::vector<Cell>& cells, const Cell& c) { return std::find(cells.begin(), cells.end(), c) != cells.end(); }

/// What a grid paints in cell (r, c): fill, outline, text.
struct CellLook {
    ImU32 fill = 0, outline = 0;
    std::string text;
    ImU32 corner = 0;  ///< a small square in the top-left corner (a cell the student gave, once checked)
};

/// A grid of `rows` x `cols` cells of side `side` at the cursor, painted by `look`;
/// returns the cell clicked, if any.
template <typename Look>
std::optional<Cell> draw_grid(const char* id, std::int64_t rows, std::int64_t cols, float side, Look&& look) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size(float(cols) * side, float(rows) * side);
    ImGui::InvisibleButton(id, ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
    std::optional<Cell> clicked;
    if (ImGui::IsItemClicked()) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const std::int64_t r = std::int64_t((m.y - origin.y) / side), c = std::int64_t((m.x - origin.x) / side);
        if (r >= 0 && r < rows && c >= 0 && c < cols) clicked = Cell{r, c};
    }
    const bool with_text = side >= ImGui::GetFontSize() * 1.2f;
    // A big map (the figure on screen may be 64 x 64): one frame, no line per cell.
    const bool cell_lines = side >= 12;
    if (!cell_lines) draw->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), kGridLine);
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) {
            const ImVec2 a(origin.x + float(c) * side, origin.y + float(r) * side), b(a.x + side, a.y + side);
            const CellLook l = look(Cell{r, c});
            if (l.fill) draw->AddRectFilled(a, b, l.fill);
            if (cell_lines) draw->AddRect(a, b, kGridLine);
            if (l.corner) draw->AddRectFilled(ImVec2(a.x + 2, a.y + 2), ImVec2(a.x + 2 + side / 4, a.y + 2 + side / 4), l.corner);
            if (l.outline) draw->AddRect(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), l.outline, 0, 0, std::max(2.0f, side / 10));
            if (with_text && !l.text.empty()) {
                const ImVec2 t = ImGui::CalcTextSize(l.text.c_str());
                draw->AddText(ImVec2(a.x + (side - t.x) / 2, a.y + (side - t.y) / 2), ImGui::GetColorU32(ImGuiCol_Text), l.text.c_str());
            }
        }
    return clicked;
}

float cell_side(std::int64_t rows, std::int64_t cols, float width) {
    const float big = ImGui::GetFontSize() * 2.0f;
    return std::clamp(width / float(std::max<std::int64_t>(cols, 1)), 3.0f, big) * (rows > 0 ? 1.0f : 0.0f);
}

void input_figure(QuizState& quiz, float width) {
    const QuizQuestion& q = *quiz.question;
    const auto& s = q.input.shape();
    const bool field = q.kind == QuestionKind::RfSize || q.kind == QuestionKind::CellsRead;
    const bool shown = quiz.result && quiz.result->understood;
    const auto& n = q.answer.input_shape;
    ImGui::PushTextWrapPos(0);
    ImGui::Text("input x, shape [%lld, %lld, %lld, %lld]%s", (long long)n[0], (long long)n[1], (long long)n[2], (long long)n[3],
                q.kind == QuestionKind::CellsRead && !shown ? ": click the cells read" : "");
    ImGui::PopTextWrapPos();
    const float side = cell_side(std::int64_t(s[2]), std::int64_t(s[3]), width);
    const std::optional<Cell> click = draw_grid("input", std::int64_t(s[2]), std::int64_t(s[3]), side, [&](const Cell& c) {
        CellLook l;
        l.text = cell_number(q.input(0, 0, std::size_t(c[0]), std::size_t(c[1])));
        const bool in_box = c[0] >= q.field_rows[0] && c[0] <= q.field_rows[1] && c[1] >= q.field_cols[0] && c[1] <= q.field_cols[1];
        if (field && shown && in_box) l.fill = kLit;
        if (field && shown && contains(q.answer.cells, c)) l.fill = kRead;
        // Before Check a given cell is filled; after it, the fill says read or not and a corner says given.
        if (contains(quiz.response.clicked, c)) {
            if (shown) l.corner = kClicked;
            else l.fill = kClicked;
        }
        if (shown && contains(quiz.result->missed, c)) l.outline = kMissed;
        if (shown && contains(quiz.result->extra, c)) l.outline = kWrong;
        return l;
    });
    if (field && shown) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled(q.kind == QuestionKind::CellsRead
                                ? "orange: read by the output cell; blue corner: your cells; green frame: missed; red frame: not read"
                                : "yellow: the field's box; orange: the cells it reads");
        ImGui::PopTextWrapPos();
    }
    if (click && q.kind == QuestionKind::CellsRead) toggle_quiz_cell(quiz, *click);
    if (quiz_takes_canvas_clicks(quiz)) ImGui::TextDisabled("or click them on the canvas's input");
}

void output_figure(QuizState& quiz, float width) {
    const QuizQuestion& q = *quiz.question;
    const bool shown = quiz.result && quiz.result->understood;
    if (q.kind == QuestionKind::OutputShape && !shown) return;  // the grid would give the shape away
    const auto& s = q.output.shape();
    ImGui::Text("output y (%zu x %zu)", s[2], s[3]);
    const bool values = shown || (q.kind != QuestionKind::OutputValues && q.kind != QuestionKind::OutputShape);
    draw_grid("output", std::int64_t(s[2]), std::int64_t(s[3]), cell_side(std::int64_t(s[2]), std::int64_t(s[3]), width), [&](const Cell& c) {
        CellLook l;
        if (values) l.text = cell_number(q.output(0, 0, std::size_t(c[0]), std::size_t(c[1])));
        if (q.kind == QuestionKind::RfSize || q.kind == QuestionKind::CellsRead) {
            if (c == q.answer.cell) l.outline = kAsked;
        }
        if (shown && contains(quiz.result->wrong, c)) {
            l.fill = IM_COL32(230, 50, 50, 90);
            l.outline = kWrong;
        }
        return l;
    });
}

void kernel_figure(const QuizQuestion& q) {
    if (!q.kernel) return;
    const auto& s = q.kernel->shape();
    ImGui::Text("kernel w%s", q.bias ? ("  bias " + cell_number(*q.bias)).c_str() : "  (no bias)");
    draw_grid("kernel", std::int64_t(s[2]), std::int64_t(s[3]), ImGui::GetFontSize() * 2.0f, [&](const Cell& c) {
        return CellLook{IM_COL32(200, 200, 200, 60), 0, cell_number((*q.kernel)(0, 0, std::size_t(c[0]), std::size_t(c[1])))};
    });
}

void answer_fields(QuizState& quiz) {
    const QuizQuestion& q = *quiz.question;
    QuizResponse& r = quiz.response;
    bool enter = false;
    if (q.kind == QuestionKind::OutputValues) {
        const auto& s = q.output.shape();
        ImGui::TextUnformatted("your output, cell by cell:");
        const float box = ImGui::CalcTextSize("-00.0").x + ImGui::GetStyle().FramePadding.x * 2;
        for (std::size_t i = 0; i < r.values.size(); ++i) {
            if (i % s[3] != 0) ImGui::SameLine();
            ImGui::PushID(int(i));
            ImGui::SetNextItemWidth(box);
            if (ImGui::InputText("##v", &r.values[i], ImGuiInputTextFlags_CharsScientific)) quiz.result.reset();
            ImGui::PopID();
        }
    } else {
        const char* hint = q.kind == QuestionKind::OutputShape ? "N, C, H, W   e.g. 1, 1, 4, 4"
                           : q.kind == QuestionKind::RfSize    ? "rows x cols   e.g. 5 x 5"
                                                               : "row,col pairs   e.g. 0,1 0,3 (or click)";
        ImGui::SetNextItemWidth(-(ImGui::CalcTextSize("your answer").x + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::GetStyle().WindowPadding.x));
        if (ImGui::InputTextWithHint("your answer", hint, &r.text)) quiz.result.reset();
        enter = ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
    }
    if (ImGui::Button("Check") || enter) check_answer(quiz);
    if (q.kind == QuestionKind::CellsRead && !r.clicked.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%zu cells clicked", r.clicked.size());
        ImGui::SameLine();
        if (ImGui::SmallButton("clear")) {
            r.clicked.clear();
            quiz.result.reset();
        }
    }
}

void result_line(const QuizState& quiz) {
    if (!quiz.result) return;
    const Grade& g = *quiz.result;
    const ImVec4 colour = !g.understood ? ImVec4(0.95f, 0.6f, 0.1f, 1) : g.correct ? ImVec4(0.2f, 0.7f, 0.3f, 1) : ImVec4(1, 0.35f, 0.35f, 1);
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(colour, "%s", g.message.c_str());
    ImGui::PopTextWrapPos();
}

void question_controls(AppState& state, QuizState& quiz) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    ImGui::Combo("kind", &quiz.kind, kKindLabels, kQuizKinds);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("about");
    ImGui::SameLine();
    if (ImGui::RadioButton("a fresh exercise", !quiz.on_figure)) quiz.on_figure = false;
    // The second choice beside the first where it fits (not at a projector's text size).
    const ImGuiStyle& style = ImGui::GetStyle();
    const float second = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize("the figure on screen").x;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const bool fits = ImGui::GetItemRectMax().x + style.ItemSpacing.x + second <= right;
    const float indent = ImGui::CalcTextSize("about").x + style.ItemSpacing.x;
    if (fits) ImGui::SameLine();
    else ImGui::Indent(indent);
    if (ImGui::RadioButton("the figure on screen", quiz.on_figure)) quiz.on_figure = true;
    if (!fits) ImGui::Unindent(indent);
    if (ImGui::Button("New question")) new_question(quiz, drawn_session(state));
    if (!quiz.on_figure) {
        ImGui::SameLine();
        int seed = int(quiz.seed);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        if (ImGui::InputInt("seed", &seed) && seed >= 0) {
            quiz.seed = std::uint64_t(seed);
            quiz.index = 0;
        }
    }
    if (!quiz.error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", quiz.error.c_str());
        ImGui::PopTextWrapPos();
    }
}

}  // namespace

void draw_quiz_panel(AppState& state) {
    QuizState& quiz = state.quiz;
    if (!quiz.show) return;
    // Docked on its tile (the right column, under the Deck panel when both are open:
    // layout.cpp), like the other panels: it never covers the canvas.
    if (!ImGui::Begin("Quiz", &quiz.show, kTiledPanelFlags)) {
        ImGui::End();
        return;
    }
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) state.typing_panel_focused = true;  // shortcuts wait
    question_controls(state, quiz);
    ImGui::Separator();
    if (!quiz.question) {
        ImGui::TextDisabled("Choose a kind and press New question.");
        ImGui::End();
        return;
    }
    const QuizQuestion& q = *quiz.question;
    ImGui::TextDisabled("%s:", q.source.c_str());
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(q.code.c_str());
    ImGui::Text("%s", question_prompt(q.kind, q.answer.cell).c_str());
    ImGui::PopTextWrapPos();
    answer_fields(quiz);
    result_line(quiz);
    ImGui::Separator();
    const float avail = ImGui::GetContentRegionAvail().x;
    input_figure(quiz, avail);
    kernel_figure(q);
    output_figure(quiz, avail);
    ImGui::End();
}

}  // namespace convscope::gui
