// Export: format, steps, scale, frame rate, caption, path; runs on its own thread with
// a progress bar and Cancel, so the window never freezes. Same code as `convscope export`.
#include <algorithm>
#include <climits>
#include <filesystem>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/panels/panels.hpp"

namespace convscope::gui {

namespace {

using exporting::Format;

void start_export(AppState& state) {
    exporting::ExportRequest req = state.export_request;
    req.first.reset();
    req.last.reset();
    req.step.reset();
    req.channels_view = state.channels.enabled;  // the export draws what the canvas shows
    if (req.channels_view) req.all_layers = false;
    const bool animation = req.format == Format::Gif || req.format == Format::Mp4;
    if (animation || req.all_steps) {
        req.first = state.export_first;
        req.last = state.export_last < 0 ? last_frame(state) : std::int64_t(state.export_last);
    } else {
        req.step = state.session.frame;  // a still is the frame on screen
    }
    state.export_message = "exporting...";
    state.export_message_is_error = false;
    state.export_job = std::make_unique<ExportJob>(drawn_session(state), std::move(req));  // what is on screen
}

}  // namespace

void draw_export_panel(AppState& state) {
    // A finished job reports once, whether or not the panel is open.
    if (state.export_job && state.export_job->finished()) {
        state.export_message = state.export_job->message();
        state.export_message_is_error = state.export_job->failed();
        state.export_job.reset();
    }
    if (!state.show_export) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 2), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30, 0), ImGuiCond_Appearing);
    if (!ImGui::Begin("Export", &state.show_export, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    exporting::ExportRequest& req = state.export_request;
    if (req.out.empty()) req.out = default_export_path(state, req.format);
    int format = int(req.format);
    const char* formats[] = {"PNG (one frame)", "GIF (animation)", "MP4 (animation, H.264)", "SVG (vector, one frame)",
                             "PDF (vector, one frame)"};
    if (ImGui::Combo("format", &format, formats, 5)) {
        req.format = Format(format);
        if (!req.all_steps) req.out = with_format_extension(req.out, req.format);  // x.png never holds a GIF
    }
    const bool animation = req.format == Format::Gif || req.format == Format::Mp4;
    const int last = int(std::min<std::int64_t>(last_frame(state), INT_MAX));
    if (!animation) {
        if (ImGui::Checkbox("every step (a folder of numbered files)", &req.all_steps))  // a folder has no extension
            req.out = req.all_steps ? std::filesystem::path(req.out).replace_extension().string()
                                    : with_format_extension(req.out, req.format);
        if (!req.all_steps)  // counted from 1 like the timeline; the command line's --step counts from 0
            ImGui::TextDisabled("the frame on screen: frame %lld of %lld (--step %lld)", static_cast<long long>(state.session.frame + 1),
                                static_cast<long long>(last_frame(state) + 1), static_cast<long long>(state.session.frame));
    }
    if (animation || req.all_steps) {
        if (state.export_last < 0 || state.export_last > last) state.export_last = last;
        state.export_first = std::clamp(state.export_first, 0, state.export_last);
        ImGui::SliderInt("first step", &state.export_first, 0, last);
        ImGui::SliderInt("last step", &state.export_last, 0, last);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Steps follow the timeline's granularity (now %s)",
                                                      state.animation ? granularity_name(state.animation->timeline().granularity) : "?");
    }
    if (animation) {
        float fps = float(req.fps);
        if (ImGui::SliderFloat("frames/s", &fps, 1, 30, "%.0f")) req.fps = fps;
    }
    if (req.format != Format::Svg && req.format != Format::Pdf) {
        int scale = req.scale >= 4 ? 2 : req.scale >= 2 ? 1 : 0;
        const char* scales[] = {"1x (screen)", "2x (slides)", "4x (print)"};
        if (ImGui::Combo("scale", &scale, scales, 3)) req.scale = double(1 << scale);
    }
    ImGui::Checkbox("PyTorch line in the caption", &req.show_code);
    ImGui::Checkbox("step arithmetic in the caption", &req.show_arithmetic);
    if (state.desktop_chooser) {
        if (ImGui::Button("Choose...")) choose_file(state, AppState::ChooserPurpose::ExportPath);
        ImGui::SameLine();
    }
    ImGui::InputText("path", &req.out);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("File to write (a folder for every step); written whole or not at all");

    if (state.export_job) {
        ImGui::ProgressBar(state.export_job->fraction());
        if (ImGui::Button("Cancel")) state.export_job->cancel();
    } else if (ImGui::Button("Export")) {
        start_export(state);
    }
    if (!state.export_message.empty()) {
        if (state.export_message_is_error) ImGui::TextColored(ImVec4(0.9f, 0.25f, 0.25f, 1), "error: %s", state.export_message.c_str());
        else ImGui::TextWrapped("%s", state.export_message.c_str());
    }
    ImGui::End();
}

}  // namespace convscope::gui
