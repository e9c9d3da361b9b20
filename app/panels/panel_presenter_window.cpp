// The presenter window: what the lecturer reads on the laptop while the deck fills the
// projector. A header ("3 / 13", the slide's title, the wall clock and the time since the
// start with its Reset), this slide as the audience sees it and the next page side by
// side, then the notes in large type. Its keys go to the audience window (window.cpp),
// so the slide show's keys (panel_present.cpp) work from here as from there.
#include <algorithm>

#include "app/logic/presenter_window.hpp"
#include "app/panels/panels.hpp"
#include "app/render/draw_scene.hpp"

namespace convscope::gui {

namespace {

const ImU32 kDeskInk = IM_COL32(238, 238, 242, 255), kDeskSoft = IM_COL32(160, 162, 172, 255);
const ImU32 kDeskFrame = IM_COL32(90, 92, 104, 255), kDeskWarn = IM_COL32(200, 60, 50, 255);

/// The sizes of the presenter window's text, from its height: read at arm's length on a
/// laptop (the notes 1/28 of the height: 29 px on 800 rows, 39 on 1080; the clock 1/14).
struct DeskType {
    float unit, notes, label, clock;
    explicit DeskType(float height)
        : unit(std::max(12.0f, height / 40)),
          notes(std::clamp(height / 28, 20.0f, 56.0f)),
          label(std::clamp(height / 36, 16.0f, 40.0f)),
          clock(std::clamp(height / 14, 28.0f, 80.0f)) {}
};

/// Text at the size of the atlas's font nearest `size` (the atlas is sampled unfiltered:
/// a font drawn larger than it was rasterized has jagged edges; draw_scene.hpp).
void desk_text(ImDrawList* list, float size, ImVec2 at, ImU32 colour, const std::string& text) {
    ImFont* font = scene_font(size);
    list->AddText(font, font->FontSize, at, colour, text.c_str());
}

ImVec2 desk_text_size(float size, const std::string& text) {
    ImFont* font = scene_font(size);
    return font->CalcTextSizeA(font->FontSize, 1e9f, 0, text.c_str());
}

/// A page at the top of its box (x, y, w, h), centred across it, in a thin frame; `over`
/// ("blanked", "the end") on black instead when given.
void draw_page_box(ImDrawList* list, const Scene* page, ImVec4 box, std::uint64_t version, render::HeatmapRenderer* heatmaps,
                   render::PictureTextures& pictures, std::size_t first_slot, const std::string& over, const DeskType& type) {
    ImVec2 a(box.x, box.y), b(box.x + box.z, box.y + box.w);
    if (page) {
        a = ImVec2(box.x + (box.z - page->width) / 2, box.y);
        b = ImVec2(a.x + page->width, a.y + page->height);
        const Color& bg = page->background;
        list->AddRectFilled(a, b, ImGui::ColorConvertFloat4ToU32(ImVec4(bg.r, bg.g, bg.b, 1)));
        list->PushClipRect(a, b, true);
        draw_slide_page(list, *page, a, version, heatmaps, pictures, first_slot);
        list->PopClipRect();
    }
    if (!over.empty()) {
        list->AddRectFilled(a, b, IM_COL32(0, 0, 0, 255));
        const ImVec2 extent = desk_text_size(type.label, over);
        desk_text(list, type.label, ImVec2((a.x + b.x - extent.x) / 2, (a.y + b.y - extent.y) / 2), kDeskSoft, over);
    }
    list->AddRect(a, b, kDeskFrame, 0, 0, 1.0f);
}

/// The header: "3 / 13" and the title on the left, the wall clock and the elapsed time
/// (with Reset) on the right. Returns its height.
float draw_desk_header(AppState& state, ImDrawList* list, const DeskType& type, float width, double now) {
    SlideShow& show = *state.slide_show;
    const float pad = type.unit;
    desk_text(list, type.clock, ImVec2(pad, pad), kDeskInk, show.keys().status());
    const float counter = desk_text_size(type.clock, show.keys().status()).x;
    const std::string clock = wall_clock_now();
    const float clock_width = desk_text_size(type.clock, "00:00:00").x;
    desk_text(list, type.clock, ImVec2(width - pad - clock_width, pad), kDeskInk, clock);
    const std::string elapsed = "elapsed " + elapsed_text(now - state.present_started);
    const float elapsed_y = pad + type.clock * 1.1f;
    const float elapsed_x = width - pad - desk_text_size(type.label * 1.3f, elapsed).x;  // right-aligned under the clock
    desk_text(list, type.label * 1.3f, ImVec2(elapsed_x, elapsed_y), kDeskInk, elapsed);
    // The title between them, cut to the room there is.
    const float title_x = pad * 2 + counter, title_room = width - clock_width - title_x - pad * 2;  // the clock's row
    list->PushClipRect(ImVec2(title_x, 0), ImVec2(title_x + std::max(0.0f, title_room), type.clock * 3), true);
    desk_text(list, type.label * 1.3f, ImVec2(title_x, pad + (type.clock - type.label * 1.3f) / 2), kDeskSoft, show.title_of(show.keys().slide));
    list->PopClipRect();
    // Reset: the elapsed time from 0 (R does the same from either window).
    ImGui::PushFont(scene_font(type.label));
    const float button_x = elapsed_x - ImGui::CalcTextSize("Reset").x - ImGui::GetStyle().FramePadding.x * 2 - pad;
    ImGui::SetCursorScreenPos(ImVec2(button_x, elapsed_y + type.label * 0.15f - ImGui::GetStyle().FramePadding.y));
    if (ImGui::Button("Reset")) state.present_started = now;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the elapsed time from 0 (R)");
    ImGui::PopFont();
    return elapsed_y + type.label * 1.7f;
}

}  // namespace

void draw_presenter_window(AppState& state, PresenterDesk& desk, render::HeatmapRenderer* heatmaps, render::PictureTextures& pictures,
                           double now) {
    SlideShow& show = *state.slide_show;
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    const DeskType type(screen.y);
    const float pad = type.unit;
    begin_full_screen_page("Presenter window");
    ImDrawList* list = ImGui::GetWindowDrawList();
    float y = draw_desk_header(state, list, type, screen.x, now);
    if (show.keys().blank) {  // the projector is black (B); any key brings it back
        const std::string warning = "audience screen blanked (B or any key shows it again)";
        list->AddRectFilled(ImVec2(pad, y), ImVec2(screen.x - pad, y + type.label * 1.6f), kDeskWarn, pad * 0.3f);
        desk_text(list, type.label, ImVec2(pad * 1.6f, y + type.label * 0.3f), kDeskInk, warning);
    }
    y += type.label * 1.8f;
    // This slide (as the audience sees it) and the next page, side by side, under their labels.
    const float pages_height = std::max(pad * 4, (screen.y - y) * 0.55f - type.label * 1.5f);
    const float room = screen.x - pad * 3;
    const ImVec4 now_box(pad, y + type.label * 1.4f, room * 0.56f, pages_height);
    const ImVec4 next_box(pad * 2 + room * 0.56f, now_box.y, room * 0.44f, pages_height * 0.8f);
    desk_text(list, type.label, ImVec2(now_box.x, y), kDeskSoft, show.keys().revealed ? "now: the answer" : "now");
    const NextPage next = next_page(show.keys(), show.next_title());
    list->PushClipRect(ImVec2(next_box.x, y), ImVec2(screen.x, y + type.label * 1.4f), true);
    desk_text(list, type.label, ImVec2(next_box.x, y), next.answer ? kDeskInk : kDeskSoft, next.label);
    list->PopClipRect();
    const Scene* current = desk.current_page(show, now_box.z, now_box.w);
    draw_page_box(list, current, now_box, desk.current_version(), heatmaps, pictures, 0, show.keys().blank ? "blanked" : "", type);
    // The next page's pictures in slots of their own: the two pages' never evict each other.
    const Scene* upcoming = desk.next_page_scene(show, next_box.z, next_box.w);
    draw_page_box(list, upcoming, next_box, desk.next_version(), heatmaps, pictures, 512, upcoming ? "" : "the end", type);
    // The notes, large, wrapped to the window; scrolled with the wheel when they are long.
    y = now_box.y + pages_height + pad;
    ImGui::SetCursorScreenPos(ImVec2(pad, y));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad * 0.5f, pad * 0.3f));
    ImGui::BeginChild("notes", ImVec2(screen.x - pad * 2, std::max(pad, screen.y - y - pad * 0.5f - type.unit)), false);
    ImGui::PushFont(scene_font(type.notes));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kDeskInk));
    const std::string& notes = show.slide().notes;
    ImGui::TextWrapped("%s", notes.empty() ? "(no notes for this slide)" : notes.c_str());
    if (!show.answer_text().empty() && show.keys().revealed) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kDeskSoft));
        for (const std::string& line : show.answer_text()) ImGui::TextWrapped("%s", line.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    const std::string keys = "PageDown/Space next   PageUp back   a number and Enter jumps   B blank   R reset the clock   Escape ends";
    desk_text(list, type.unit * 0.8f, ImVec2(pad, screen.y - type.unit * 1.05f), kDeskFrame, keys);
    end_full_screen_page();
}

}  // namespace convscope::gui
