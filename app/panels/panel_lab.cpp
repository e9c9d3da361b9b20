// The upsampling lab's panel: train / pause / step / reset, the optimizer and learning
// rate, the preset and the picture; then the lab's scene (core/scene/scene_lab.cpp) from the
// worker's last snapshot: every model's output, error map, spectrum, kernels and phase
// sub-kernels, and the loss and checkerboard charts. Pictures are textures.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "app/logic/app_lab.hpp"
#include "app/render/draw_scene.hpp"
#include "app/panels/panels.hpp"
#include "core/scene/scene_lab.hpp"

namespace convscope::gui {

namespace {

void draw_controls(AppState& state) {
    LabRunner& lab = *state.lab;
    if (lab.playing()) {
        if (ImGui::Button("Pause")) lab_pause(state);
    } else if (ImGui::Button("Train")) {
        lab_train(state);
    }
    ImGui::SameLine();
    if (ImGui::Button("Step")) lab_step(state);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("One update of every model (pauses training)");
    ImGui::SameLine();
    if (ImGui::Button("Reset")) reset_lab(state);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Every model back to its initial weights (PyTorch's default initialisation, seed %u)",
                                                  state.lab_settings.seed);
    ImGui::SameLine();
    const OptimizerSettings& opt = state.lab_settings.optimizer;
    int kind = opt.kind == OptimizerSettings::Kind::Adam ? 0 : 1;
    ImGui::SetNextItemWidth(90);
    bool changed = ImGui::Combo("##optimizer", &kind, "Adam\0SGD\0");
    ImGui::SameLine();
    float lr = float(opt.lr);
    ImGui::SetNextItemWidth(140);
    // Ctrl+click types a value beyond the slider's range (up to 10: set_lab_optimizer's rule).
    changed |= ImGui::SliderFloat("lr", &lr, 1e-4f, 1.0f, "%.4g", ImGuiSliderFlags_Logarithmic);
    if (changed) set_lab_optimizer(state, kind == 0 ? OptimizerSettings::Kind::Adam : OptimizerSettings::Kind::Sgd, lr);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Takes effect at the next step; the optimizer's state (Adam's moments) starts afresh. "
                          "SGD has momentum 0.9. Ctrl+click to type a rate (above 0, at most 10).");
    ImGui::SameLine();
    ImGui::Checkbox("log steps", &state.lab_log_steps);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The charts' step axis on a log scale: the early drop gets room");
    ImGui::SameLine();
    const std::string preset = state.lab_settings.preset;
    ImGui::SetNextItemWidth(200);
    if (ImGui::BeginCombo("##labpreset", preset.c_str())) {
        for (const std::string& name : lab_preset_names())
            if (ImGui::Selectable(name.c_str(), name == preset) && name != preset) load_preset(state, name);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Button("Open picture...") && !choose_file(state, AppState::ChooserPurpose::OpenPicture))
        state.show_picture_dialog = true;
    const auto snap = lab.snapshot();
    ImGui::Text("step %lld   %.1f steps/s   %s", static_cast<long long>(snap->step), lab.steps_per_second(),
                snap->optimizer.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("(checkerboard score?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextUnformatted(checkerboard_score_definition());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    // A sixth model typed as PyTorch code (nn.Upsample first and nn.PixelShuffle last
    // are allowed around the layers with weights).
    if (state.lab_code_text.empty() && !state.lab_settings.custom_code.empty()) state.lab_code_text = state.lab_settings.custom_code;
    char code[512];
    std::snprintf(code, sizeof code, "%s", state.lab_code_text.c_str());
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - 240);
    if (ImGui::InputTextWithHint("##labcode", "your model, e.g. nn.ConvTranspose2d(3, 3, 6, stride=2, padding=2)", code, sizeof code))
        state.lab_code_text = code;
    ImGui::SameLine();
    if (ImGui::Button("Add model")) {
        const std::string before = state.lab_settings.custom_code;
        state.lab_settings.custom_code = state.lab_code_text;
        if (!reset_lab(state)) state.lab_settings.custom_code = before;  // refused: the lab stays, lab_message says why
    }
    ImGui::SameLine();
    if (ImGui::Button("Remove") && !state.lab_settings.custom_code.empty()) {
        state.lab_settings.custom_code.clear();
        reset_lab(state);
    }
    const std::string error = lab.error();
    if (!error.empty()) ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", error.c_str());
    for (const LabModelSnapshot& m : snap->models)  // a model that stopped, in words (the others go on)
        if (!m.diverged.empty()) ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "%s", m.diverged.c_str());
    // The same once on stderr: a log (and the e2e test) sees it too.
    for (const std::string& note : new_lab_notes(state)) std::fprintf(stderr, "note: %s\n", note.c_str());
    if (!state.lab_message.empty()) ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "error: %s", state.lab_message.c_str());
    if (!state.picture_message.empty()) {
        if (state.picture_message_is_error) {  // wrapped: a long path must not run off the dialog
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.3f, 0.3f, 1));
            ImGui::TextWrapped("error: %s", state.picture_message.c_str());
            ImGui::PopStyleColor();
        }
        else
            ImGui::TextDisabled("%s", state.picture_message.c_str());
    }
}

/// The lab's scene in the first layout that fits the panel: 2 screen pixels per picture
/// pixel, classic then compact, then 1 pixel, classic then compact (never in between: the
/// checkerboard would be resampled). When none fits (a sixth model in a small window),
/// the compact one at 1 pixel, which scrolls.
Scene fitting_lab_scene(const LabSnapshot& snap, bool dark, bool log_steps, ImVec2 room) {
    LabSceneOptions options;
    options.dark = dark;
    options.log_steps = log_steps;
    room.x -= 8;  // the child window's border
    Scene scene;
    for (const float cell : {2.0f, 1.0f})
        for (const bool compact : {false, true}) {
            options.picture_cell = cell;
            options.compact = compact;
            scene = build_lab_scene(snap, options);
            if (scene.width <= room.x && scene.height <= room.y) return scene;
        }
    return scene;
}

}  // namespace

void draw_lab_panel(AppState& state, render::PictureTextures& pictures) {
    ImGui::Begin("Upsampling lab", nullptr, kTiledPanelFlags);
    if (!state.lab) {
        ImGui::End();
        return;
    }
    draw_controls(state);
    ImGui::Separator();
    const auto snap = state.lab->snapshot();
    // The scene is rebuilt only for a new snapshot (a snapshot is immutable once published).
    // At most ten rebuilds a second while training: each one re-uploads every picture.
    const double now = ImGui::GetTime();
    const bool due = now - state.lab_scene_time >= 0.1 || !state.lab->playing();
    if ((state.lab_scene_source != snap && due) || state.lab_scene_dark != state.session.dark ||
        state.lab_scene_log_steps != state.lab_log_steps) {
        state.lab_scene_time = now;
        state.lab_scene = fitting_lab_scene(*snap, state.session.dark, state.lab_log_steps, ImGui::GetContentRegionAvail());
        // Rectangles, lines and text over the pictures (not a copy of their pixels).
        state.lab_overlay = Scene{};
        state.lab_overlay.rects = state.lab_scene.rects;
        state.lab_overlay.lines = state.lab_scene.lines;
        state.lab_overlay.texts = state.lab_scene.texts;
        state.lab_scene_source = snap;
        state.lab_scene_dark = state.session.dark;
        state.lab_scene_log_steps = state.lab_log_steps;
        ++state.lab_scene_version;
    }
    const Scene& scene = state.lab_scene;
    ImGui::BeginChild("lab scene", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    const ImVec2 origin = draw_picture_scene(scene, state.lab_overlay, state.lab_scene_version, pictures);
    // The charts' definition where they are.
    for (const SceneText& t : scene.texts)
        if (t.text.rfind("checkerboard score", 0) == 0) {
            const ImVec2 m = ImGui::GetIO().MousePos;
            if (m.x >= origin.x + t.x && m.y >= origin.y + t.y && m.y < origin.y + t.y + 150 && m.x < origin.x + scene.width &&
                ImGui::IsWindowHovered()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
                ImGui::TextUnformatted(checkerboard_score_definition());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
        }
    ImGui::EndChild();
    ImGui::End();
}

ImVec2 draw_picture_scene(const Scene& scene, const Scene& overlay, std::uint64_t version, render::PictureTextures& pictures) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < scene.heatmaps.size(); ++i) {
        const SceneHeatmap& h = scene.heatmaps[i];
        const ImVec2 a(origin.x + h.x, origin.y + h.y);
        const ImVec2 b(a.x + h.cell * float(h.cols), a.y + h.cell * float(h.rows));
        list->AddImage(pictures.texture(i, h, version), a, b);
    }
    draw_scene(list, overlay, origin, nullptr);
    ImGui::Dummy(ImVec2(scene.width, scene.height));
    return origin;
}

void draw_picture_dialog(AppState& state) {
    if (!state.show_picture_dialog) return;
    ImGui::SetNextWindowSize(ImVec2(520, 0), ImGuiCond_Appearing);
    if (ImGui::Begin("Open picture", &state.show_picture_dialog, ImGuiWindowFlags_NoCollapse)) {
        ImGui::TextWrapped("PNG, JPEG, BMP, PGM/PPM or a GIF's first frame. You can also drop a picture on the window.");
        char buf[1024];
        std::snprintf(buf, sizeof buf, "%s", state.picture_dialog_path.c_str());
        ImGui::SetNextItemWidth(-1);
        if (ImGui::InputText("##picture", buf, sizeof buf)) state.picture_dialog_path = buf;
        if (ImGui::Button("Open") && open_picture(state, state.picture_dialog_path)) state.show_picture_dialog = false;
        if (state.picture_message_is_error) {  // wrapped: a long path must not run off the dialog
            ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.3f, 0.3f, 1));
            ImGui::TextWrapped("error: %s", state.picture_message.c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::End();
}

}  // namespace convscope::gui
