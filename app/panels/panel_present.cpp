// The presenter: the deck's page full screen (laid out for the screen, at the projector's size),
// the keys of a presenter's remote, a small slide counter, and with P the presenter's
// corner (the notes, the next slide, the clock).
#include <algorithm>
#include <cmath>
#include <ctime>

#include "app/panels/panels.hpp"
#include "app/logic/presenter_window.hpp"
#include "app/render/draw_scene.hpp"
#include "core/lecture/slide_page.hpp"

namespace convscope::gui {

namespace {

/// The keys of this frame, in the order a remote or a keyboard sends them.
void handle_presenter_keys(AppState& state, double now) {
    Presenter& keys = state.slide_show->keys();
    // No key repeat: a remote's button held a moment too long must not skip a slide.
    auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), false); };
    if (pressed(ImGuiKey_PageDown) || pressed(ImGuiKey_RightArrow) || pressed(ImGuiKey_Space) || ImGui::IsMouseClicked(0))
        keys.press(PresenterKey::Next);
    if (pressed(ImGuiKey_PageUp) || pressed(ImGuiKey_LeftArrow)) keys.press(PresenterKey::Back);
    if (pressed(ImGuiKey_Home)) keys.press(PresenterKey::First);
    if (pressed(ImGuiKey_End)) keys.press(PresenterKey::Last);
    if (pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeyPadEnter)) keys.press(PresenterKey::Enter);
    if (pressed(ImGuiKey_Escape)) keys.press(PresenterKey::Leave);
    for (ImWchar c : ImGui::GetIO().InputQueueCharacters) {
        if (c >= '0' && c <= '9') keys.press(PresenterKey::Digit, int(c - '0'));
        else if (c == 'b' || c == 'B') keys.press(PresenterKey::Blank);
        else if (c == 'p' || c == 'P') state.presenter_view = !state.presenter_view;
        else if (c == 'r' || c == 'R') state.present_started = now;  // the clock's elapsed time from 0
    }
}

/// The presenter's corner (P): this slide's notes, the next slide's title, the clock.
/// Drawn over the page's bottom-left, on a dark panel, at the normal text size.
void draw_presenter_corner(AppState& state, ImDrawList* list, ImVec2 screen, double now) {
    SlideShow& show = *state.slide_show;
    const float pad = ImGui::GetFontSize() * 0.6f;
    const float width = std::min(screen.x * 0.42f, ImGui::GetFontSize() * 40);
    std::vector<std::pair<ImU32, std::string>> lines;
    const ImU32 ink = IM_COL32(235, 235, 240, 255), soft = IM_COL32(170, 170, 180, 255);
    lines.push_back({soft, wall_clock_now() + "   elapsed " + elapsed_text(now - state.present_started)});
    const std::string next = show.next_title();
    lines.push_back({soft, next.empty() ? "next: (the last slide)" : "next: " + next});
    const std::string& notes = show.slide().notes;
    lines.push_back({ink, notes.empty() ? "(no notes)" : notes});
    float height = pad;
    std::vector<float> heights;
    for (const auto& l : lines) {
        heights.push_back(ImGui::CalcTextSize(l.second.c_str(), nullptr, false, width - 2 * pad).y);
        height += heights.back() + pad * 0.5f;
    }
    const ImVec2 corner(pad, screen.y - height - pad * 2);
    // Opaque: at 90 % the question under it showed through the notes.
    list->AddRectFilled(corner, ImVec2(corner.x + width, screen.y - pad), IM_COL32(20, 20, 26, 255), pad * 0.5f);
    float y = corner.y + pad;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        list->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(corner.x + pad, y), lines[i].first, lines[i].second.c_str(), nullptr,
                      width - 2 * pad);
        y += heights[i] + pad * 0.5f;
    }
}

bool has_pictures(const Scene& page) {
    return std::any_of(page.heatmaps.begin(), page.heatmaps.end(), [](const SceneHeatmap& h) { return !h.colors.empty(); });
}

}  // namespace

void draw_slide_page(ImDrawList* list, const Scene& page, ImVec2 origin, std::uint64_t version, render::HeatmapRenderer* heatmaps,
                     render::PictureTextures& pictures, std::size_t first_slot) {
    if (!has_pictures(page)) {
        draw_scene(list, page, origin, heatmaps);
        return;
    }
    // A page with pictures (the lab's, the dilation context's photo): every heat map as a
    // texture, uploaded once per page, then the rest of the page over them.
    for (std::size_t i = 0; i < page.heatmaps.size(); ++i) {
        const SceneHeatmap& h = page.heatmaps[i];
        const ImVec2 a(origin.x + h.x, origin.y + h.y);
        list->AddImage(pictures.texture(first_slot + i, h, version), a, ImVec2(a.x + h.cell * float(h.cols), a.y + h.cell * float(h.rows)));
    }
    Scene overlay = page;
    overlay.heatmaps.clear();
    draw_scene(list, overlay, origin, nullptr);
}

void draw_presenter(AppState& state, render::HeatmapRenderer* heatmaps, render::PictureTextures& pictures, double now) {
    SlideShow& show = *state.slide_show;
    if (state.present_started < 0) state.present_started = now;
    handle_presenter_keys(state, now);
    if (show.keys().leave) return;  // the frame loop closes the presenter (or the app)
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    begin_full_screen_page("Presenter");
    ImDrawList* list = ImGui::GetWindowDrawList();
    // The screen is cleared to the page's colour (black while blank) by the frame loop
    // (presenter_clear_color): a full-screen rectangle here doubled a frame's time under
    // a software rasterizer.
    if (!show.keys().blank) {
        const Scene& page = show.fitted_page(screen.x, screen.y).scene;  // the screen's size: drawn from its corner
        draw_slide_page(list, page, ImVec2(0, 0), show.fitted_version(), heatmaps, pictures);
        // The counter: small and grey in the bottom-right corner ("3 / 13", "go to 7" while typed).
        const std::string counter = show.keys().status();
        const float size = ImGui::GetFontSize();
        const ImVec2 extent = ImGui::CalcTextSize(counter.c_str());
        list->AddText(ImGui::GetFont(), size, ImVec2(screen.x - extent.x - size, screen.y - extent.y - size * 0.6f), IM_COL32(128, 128, 136, 200),
                      counter.c_str());
        if (state.presenter_view) draw_presenter_corner(state, list, screen, now);
    }
    end_full_screen_page();
}

Color presenter_clear_color(AppState& state) {
    SlideShow& show = *state.slide_show;
    if (show.keys().blank) return Color{0, 0, 0, 1};
    return show.background();
}

}  // namespace convscope::gui
