// Parameters: preset, which layer, every parameter of the animated layer, the input
// and kernel patterns. Sliders clamp to sensible ranges; Ctrl+click types any value,
// and a value the core refuses shows in red while the last valid picture stays.
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "app/panels/panels.hpp"
#include "core/anim/presets.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/tap_geometry.hpp"
#include "core/anim/stack_edit.hpp"

namespace convscope::gui {

namespace {

void tooltip(const char* text) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

/// The panel's controls. Each one that changes remembers itself as the control being
/// edited, and a refusal of the resulting configuration is shown in red right under
/// that control (the last valid picture stays on the canvas meanwhile).
class Controls {
public:
    explicit Controls(AppState& state) : state_(state) {}

    /// Record `changed` for control `label` and show the error under it if it is the culprit.
    bool note(const char* label, bool changed) {
        if (changed) state_.error_control = label;
        if (!state_.error.empty() && state_.error_control == label && !error_shown_) {
            ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(230, 50, 50, 255));
            ImGui::TextWrapped("error: %s", state_.error.c_str());
            ImGui::PopStyleColor();
            error_shown_ = true;
        }
        return changed;
    }
    bool error_shown() const { return error_shown_; }

    /// A slider over one int64 (ImGui works in int); Ctrl+click types any value.
    bool slider(const char* label, std::int64_t& value, int lo, int hi, const char* help) {
        return note(label, raw_slider(label, value, lo, hi, help));
    }

    /// Square by default; unticking "square" edits height and width apart.
    bool pair_slider(const char* label, Pair& p, int lo, int hi, const char* help) {
        ImGui::PushID(label);
        bool changed = false;
        if (p.h == p.w) {
            changed = raw_slider(label, p.h, lo, hi, help);
            if (changed) p.w = p.h;
        } else {
            ImGui::PushItemWidth(ImGui::CalcItemWidth() / 2 - ImGui::GetStyle().ItemInnerSpacing.x);
            changed |= raw_slider("##h", p.h, lo, hi, help);
            ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
            changed |= raw_slider(label, p.w, lo, hi, help);
            ImGui::PopItemWidth();
        }
        ImGui::SameLine();
        bool square = p.h == p.w;
        if (ImGui::Checkbox("##square", &square)) {
            if (square) p.w = p.h;
            else p.w = p.h == hi ? p.h - 1 : p.h + 1;  // make them differ so both sliders show
            changed = true;
        }
        tooltip("square (same value for height and width); untick to set them apart");
        ImGui::PopID();
        return note(label, changed);
    }

    bool checkbox(const char* label, bool& value, const char* help) {
        const bool changed = ImGui::Checkbox(label, &value);
        tooltip(help);
        return note(label, changed);
    }

private:
    static bool raw_slider(const char* label, std::int64_t& value, int lo, int hi, const char* help) {
        int v = int(std::clamp<std::int64_t>(value, -(1 << 30), 1 << 30));
        const bool changed = ImGui::SliderInt(label, &v, lo, hi);
        tooltip(help);
        if (changed) value = v;
        return changed;
    }

    AppState& state_;
    bool error_shown_ = false;
};

/// A small button on the current line, or on a new one when `new_row` or when it would
/// not fit whole in the panel (labels were clipped: "+ avg po").
bool flow_button(const char* label, bool new_row) {
    const float width = ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (!new_row && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right) ImGui::SameLine();
    return ImGui::SmallButton(label);
}

/// The layers without a kernel window: upsampling, pixel (un)shuffle, activations.
bool resampling_controls(Controls& c, Layer& L) {
    ImGui::TextWrapped("%s", to_pytorch_code(L).c_str());
    bool changed = false;
    switch (L.kind) {
        case LayerKind::Upsample: {
            int mode = int(L.upsample_mode);
            const char* modes[] = {"nearest", "bilinear"};
            if (c.note("mode", ImGui::Combo("mode", &mode, modes, 2))) {
                L.upsample_mode = UpsampleMode(mode);
                if (L.upsample_mode == UpsampleMode::Nearest) L.align_corners.reset();  // PyTorch refuses it for nearest
                changed = true;
            }
            tooltip("nearest: each output cell copies its one source cell; bilinear: it mixes the four nearest source "
                    "cells with weights from the fractional source position");
            if (L.size) {
                ImGui::TextDisabled("size=(%lld, %lld): edit it in the PyTorch code panel", (long long)L.size->h, (long long)L.size->w);
            } else {
                std::array<double, 2> f = L.scale_factor.value_or(std::array<double, 2>{2.0, 2.0});
                float factor = float(f[0]);
                const bool factor_changed = ImGui::SliderFloat("scale_factor", &factor, 0.5f, 4.0f, "%.2f");
                tooltip("H_out = floor(H_in * scale_factor); Ctrl+click types any value (fractional factors too)");
                if (c.note("scale_factor", factor_changed)) {
                    const double f2 = std::round(double(factor) * 100.0) / 100.0;  // the slider's float, as typed: 1.5, not 1.5000000596
                    L.scale_factor = std::array<double, 2>{f2, f2};
                    changed = true;
                }
            }
            if (L.upsample_mode == UpsampleMode::Bilinear) {
                bool corners = L.align_corners.value_or(false);
                if (c.checkbox("align_corners", corners,
                               "True: the corner cells of input and output are aligned (source = o * (H_in - 1) / (H_out - 1)); "
                               "False: cell centres scale (source = (o + 0.5) / scale - 0.5)")) {
                    L.align_corners = corners;
                    changed = true;
                }
            }
            break;
        }
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle:
            changed |= c.slider("factor", L.shuffle_factor, 1, 4,
                                L.kind == LayerKind::PixelShuffle ? "upscale_factor r: r*r channels become one channel of r x r blocks"
                                                                  : "downscale_factor r: each r x r block becomes r*r channels");
            break;
        case LayerKind::LeakyReLU: {
            float slope = float(L.negative_slope);
            const bool slope_changed = ImGui::SliderFloat("negative_slope", &slope, 0.0f, 1.0f, "%.3f");
            tooltip("LeakyReLU(x) = x for x >= 0, negative_slope * x below 0");
            if (c.note("negative_slope", slope_changed)) {
                L.negative_slope = std::round(double(slope) * 1000.0) / 1000.0;
                changed = true;
            }
            break;
        }
        case LayerKind::ReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: ImGui::TextDisabled("no parameters: the function is applied cell by cell"); break;
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: break;  // layer_controls: windows of taps
    }
    return changed;
}

bool layer_controls(Controls& c, Session& s) {
    Layer& L = s.layers[std::size_t(s.layer_index)];
    if (!has_window(L.kind)) return resampling_controls(c, L);
    bool changed = false;
    int kind = L.kind == LayerKind::ConvTranspose2d ? 1 : 0;
    if (L.is_conv()) {
        bool kind_changed = ImGui::RadioButton("Conv2d", &kind, 0);
        ImGui::SameLine();
        kind_changed |= ImGui::RadioButton("ConvTranspose2d", &kind, 1);
        if (c.note("kind", kind_changed)) {
            change_layer_kind(L, kind ? LayerKind::ConvTranspose2d : LayerKind::Conv2d);
            changed = true;
        }
    }
    const bool transposed = L.kind == LayerKind::ConvTranspose2d;
    if (L.is_conv()) {
        if (c.slider("in_channels", L.in_channels, 1, 64, "Input channels C_in of this layer")) {
            sync_input_channels(s);
            changed = true;
        }
        changed |= c.slider("out_channels", L.out_channels, 1, 64, "Output channels C_out: one kernel stack per output channel");
        changed |= c.slider("groups", L.groups, 1, int(std::max<std::int64_t>(1, L.in_channels)),
                          "groups g: output channel co sees only the input channels of its group (C_in/g of them); "
                          "g = C_in is a depthwise convolution");
    }
    changed |= c.pair_slider("kernel", L.kernel, 1, 7, "Kernel size k: taps per axis");
    changed |= c.pair_slider("stride", L.stride, 1, 4, transposed ? "Stride s: input cells land s output cells apart (upsampling)"
                                                               : "Stride s: the window moves s input cells per output cell");
    if (!transposed && L.kind == LayerKind::Conv2d) {
        int pk = int(L.padding.kind);
        const char* kinds[] = {"numbers", "'same'", "'valid'"};
        if (c.note("padding kind", ImGui::Combo("padding kind", &pk, kinds, 3))) {
            L.padding.kind = PaddingKind(pk);
            changed = true;
        }
        tooltip("'same' pads so the output has the input's size (stride 1 only; odd totals put the extra cell "
                "bottom/right); 'valid' is no padding");
    }
    if (L.padding.kind == PaddingKind::Explicit)
        changed |= c.pair_slider("padding", L.padding.value, 0, 6, transposed ? "Padding p crops p cells from each border of the output"
                                                                           : "Padding p adds p cells around the input");
    changed |= c.pair_slider("dilation", L.dilation, 1, 6, "Dilation d spreads the taps d cells apart: the kernel spans d*(k-1)+1 cells");
    if (transposed)
        changed |= c.pair_slider("output_padding", L.output_padding, 0, 3,
                               "Extra rows/columns at the bottom/right of the output (must be below stride or dilation)");
    if (L.kind == LayerKind::Conv2d) {
        int mode = int(L.padding_mode);
        const char* modes[] = {"zeros", "reflect", "replicate", "circular"};
        if (c.note("padding_mode", ImGui::Combo("padding_mode", &mode, modes, 4))) {
            L.padding_mode = PaddingMode(mode);
            changed = true;
        }
        tooltip("What padding cells hold: zeros, a mirror of the edge (reflect), the edge repeated (replicate), "
                "or the opposite side (circular). Non-zero modes show the copied cell faintly.");
    }
    if (L.is_pool()) {
        changed |= c.checkbox("ceil_mode", L.ceil_mode, "ceil_mode=True rounds the output size up: a last, partial window is kept");
    }
    if (L.is_conv()) {
        changed |= c.checkbox("bias", L.bias, "bias=True adds one number per output channel (0 here, so the sums stay readable)");
    }
    return changed;
}

std::string layer_summary(const Layer& L) {
    if (!has_window(L.kind)) return to_pytorch_code(L);
    auto pair = [](const Pair& p) { return p.h == p.w ? std::to_string(p.h) : std::to_string(p.h) + "x" + std::to_string(p.w); };
    std::string t = std::string(class_name(L.kind)) + " k" + pair(L.kernel) + " s" + pair(L.stride);
    if (L.padding.kind == PaddingKind::Same) t += " p'same'";
    else if (L.padding.kind == PaddingKind::Valid) t += " p'valid'";
    else t += " p" + pair(L.padding.value);
    if (L.dilation != Pair{1, 1}) t += " d" + pair(L.dilation);
    if (L.is_conv()) t += "  " + std::to_string(L.in_channels) + "->" + std::to_string(L.out_channels);
    return t;
}

/// The layer stack: pick the layer to edit and animate, add, remove, reorder.
bool stack_controls(Controls& c, Session& s) {
    bool changed = false;
    for (std::size_t i = 0; i < s.layers.size(); ++i) {
        ImGui::PushID(int(i));
        const std::string label = std::to_string(i) + ": " + layer_summary(s.layers[i]);
        if (ImGui::Selectable(label.c_str(), std::int64_t(i) == s.layer_index)) {
            select_layer(s, std::int64_t(i));
            changed = true;
        }
        ImGui::PopID();
    }
    tooltip("Click a layer to edit and animate it; its input is the output of the layers above");
    auto insert = [&](LayerKind kind) {
        insert_layer_after_selected(s, kind);
        changed = true;
    };
    struct AddButton {
        const char* label;
        LayerKind kind;
        const char* help;
        bool new_row;  ///< starts a row of buttons (windows, resampling, activations)
    };
    static constexpr AddButton kAddButtons[] = {
        {"+ conv", LayerKind::Conv2d, "Add a Conv2d (k=3, padding 1) after the selected layer", true},
        {"+ transposed", LayerKind::ConvTranspose2d, "Add a ConvTranspose2d (k=2, stride 2: doubles the size) after the selected layer", false},
        {"+ max pool", LayerKind::MaxPool2d, "Add a MaxPool2d (k=2, stride 2: halves the size) after the selected layer", false},
        {"+ avg pool", LayerKind::AvgPool2d, "Add an AvgPool2d (k=2, stride 2) after the selected layer", false},
        {"+ upsample", LayerKind::Upsample, "Add an nn.Upsample(scale_factor=2, mode='nearest') after the selected layer", true},
        {"+ pixel shuffle", LayerKind::PixelShuffle,
         "Add an nn.PixelShuffle(2): 4 channels become one channel of 2x2 blocks (the channels must be a multiple of 4)", false},
        {"+ pixel unshuffle", LayerKind::PixelUnshuffle, "Add an nn.PixelUnshuffle(2): each 2x2 block becomes 4 channels", false},
        {"+ relu", LayerKind::ReLU, "Add an nn.ReLU: max(0, x) cell by cell", true},
        {"+ leaky relu", LayerKind::LeakyReLU, "Add an nn.LeakyReLU(0.01): x, or slope * x below 0", false},
        {"+ tanh", LayerKind::Tanh, "Add an nn.Tanh cell by cell", false},
        {"+ sigmoid", LayerKind::Sigmoid, "Add an nn.Sigmoid: 1 / (1 + exp(-x)) cell by cell", false},
    };
    if (s.layers.size() < 32) {
        for (const AddButton& b : kAddButtons) {
            if (flow_button(b.label, b.new_row)) insert(b.kind);
            tooltip(b.help);
        }
    }
    if (s.layers.size() > 1) {
        // Always all three (greyed where they cannot act): a button that comes and goes moves
        // the ones after it, and the line must end here, before the next header.
        if (flow_button("remove", true)) {
            remove_selected_layer(s);
            changed = true;
        }
        tooltip("Remove the selected layer");
        ImGui::BeginDisabled(s.layer_index == 0);
        if (flow_button("move up", false)) changed |= move_selected_layer(s, true);
        ImGui::EndDisabled();
        tooltip("Swap the selected layer with the one above it");
        ImGui::BeginDisabled(std::size_t(s.layer_index) + 1 >= s.layers.size());
        if (flow_button("move down", false)) changed |= move_selected_layer(s, false);
        ImGui::EndDisabled();
        tooltip("Swap the selected layer with the one below it");
    }
    return c.note("stack", changed);
}

bool pattern_controls(Controls& c, AppState& state) {
    Session& s = state.session;
    bool changed = false;
    int input = int(s.input);
    if (ImGui::BeginCombo("input holds", input_pattern_name(s.input))) {
        for (int i = 0; i < kInputPatternCount; ++i) {
            if (ImGui::Selectable(input_pattern_name(InputPattern(i)), i == input)) {
                s.input = InputPattern(i);
                changed = true;
            }
            tooltip(input_pattern_help(InputPattern(i)));
        }
        ImGui::EndCombo();
    }
    tooltip(input_pattern_help(s.input));
    const bool input_changed = c.note("input holds", changed);
    if (ImGui::BeginCombo("kernel holds", kernel_pattern_name(s.kernel))) {
        for (int i = 0; i < kKernelPatternCount; ++i) {
            if (ImGui::Selectable(kernel_pattern_name(KernelPattern(i)), i == int(s.kernel))) {
                if (KernelPattern(i) == KernelPattern::Custom && state.animation) {
                    // Start editing from the kernel on screen.
                    const StepEngine& e = state.animation->engine();
                    const Layer& L = e.layer();
                    const std::int64_t ci = s.in_channel;  // the filter is the engine's output channel
                    s.custom_kernel.clear();
                    for (std::int64_t ky = 0; ky < L.kernel.h; ++ky)
                        for (std::int64_t kx = 0; kx < L.kernel.w; ++kx)
                            s.custom_kernel.push_back(e.kernel_weight(ci, ky, kx));
                }
                s.kernel = KernelPattern(i);
                changed = true;
            }
            tooltip(kernel_pattern_help(KernelPattern(i)));
        }
        ImGui::EndCombo();
    }
    tooltip(kernel_pattern_help(s.kernel));
    const bool kernel_changed = changed && !input_changed;
    if (s.kernel == KernelPattern::Custom) {
        const Layer& L = s.layers[std::size_t(s.layer_index)];
        s.custom_kernel.resize(std::size_t(std::max<std::int64_t>(0, L.kernel.h * L.kernel.w)), 0.0);
        ImGui::TextDisabled("edit the taps (every channel pair uses them):");
        bool taps_changed = false;
        const float w = ImGui::GetFontSize() * 3.2f;
        for (std::int64_t ky = 0; ky < L.kernel.h && ky < 16; ++ky)
            for (std::int64_t kx = 0; kx < L.kernel.w && kx < 16; ++kx) {
                if (kx > 0) ImGui::SameLine();
                ImGui::PushID(int(ky * 16 + kx));
                ImGui::SetNextItemWidth(w);
                taps_changed |= ImGui::InputDouble("##tap", &s.custom_kernel[std::size_t(ky * L.kernel.w + kx)], 0, 0, "%.3g");
                ImGui::PopID();
            }
        changed |= c.note("taps", taps_changed);
    }
    c.note("kernel holds", kernel_changed);
    if (s.input == InputPattern::Random || s.kernel == KernelPattern::Random || s.input == InputPattern::Integers ||
        s.kernel == KernelPattern::Integers) {
        int seed = int(s.seed);
        if (c.note("seed", ImGui::InputInt("seed", &seed))) {
            s.seed = std::uint32_t(std::max(0, seed));
            changed = true;
        }
        tooltip("Seed of the random values: the same seed gives the same numbers");
    }
    return changed;
}

/// The built-in configurations; picking one loads it.
void preset_combo(AppState& state) {
    Session& s = state.session;
    if (ImGui::BeginCombo("preset", s.preset.c_str())) {
        for (const Preset& p : builtin_presets()) {
            if (ImGui::Selectable(p.name.c_str(), p.name == s.preset)) {
                try {
                    load_preset(state, p.name);
                } catch (const UserError& e) {
                    state.error = e.what();
                    state.error_control = "preset";
                }
            }
            tooltip(p.title.c_str());
        }
        ImGui::EndCombo();
    }
    tooltip("Built-in configurations: the course's seeds and the convolution-arithmetic guide's figures");
}

/// Forward or backward (convolutions, or a session already in the backward pass).
bool pass_controls(Controls& c, Session& s) {
    int pass = int(s.pass);
    bool pass_changed = ImGui::RadioButton("forward", &pass, 0);
    ImGui::SameLine();
    pass_changed |= ImGui::RadioButton("backward (grad_input)", &pass, 1);
    tooltip("backward: the gradient of the input, grad_input, is the transposed op of grad_output with the same "
            "weights (a Conv2d's is a ConvTranspose2d, and the other way round): that is why \"transposed\" "
            "convolution has its name. grad_output is seeded random. The weight gradient is the correlation of "
            "the input with grad_output: grad_W[co, ci, ky, kx] = sum over cells of x(tap) * grad_output(cell).");
    if (c.note("pass", pass_changed)) {
        s.pass = Pass(pass);
        return true;
    }
    return false;
}

/// Which channels of a convolution are computed and drawn (in the backward pass: of grad_input and grad_output).
bool channel_controls(Controls& c, Session& s, const Layer& L) {
    bool changed = false;
    if (s.pass == Pass::Backward) {
        changed |= c.slider("grad_input channel", s.out_channel, 0, int(L.in_channels) - 1,
                          "Which channel of grad_input (an input channel of the layer) is computed");
        changed |= c.slider("grad_output channel", s.in_channel, 0, int(L.out_channels) - 1,
                          "Which channel of grad_output (an output channel of the layer) is drawn with its taps");
        return changed;
    }
    changed |= c.slider("output channel", s.out_channel, 0, int(L.out_channels) - 1, "Which output channel is computed");
    changed |= c.slider("input channel", s.in_channel, 0, int(L.in_channels) - 1,
                      "Which input channel's grid and taps are drawn (the sums run over all channels of the group)");
    if (L.groups > 1) {
        const std::int64_t cgi = L.in_channels / L.groups, g = s.out_channel / std::max<std::int64_t>(1, L.out_channels / L.groups);
        ImGui::TextDisabled("output channel %lld is in group %lld: it sees input channels %lld..%lld",
                            (long long)s.out_channel, (long long)g, (long long)(g * cgi), (long long)(g * cgi + cgi - 1));
    }
    return changed;
}

/// The "Show" section: the pass, the channels, a transposed convolution's two views.
bool show_controls(Controls& c, Session& s) {
    bool changed = false;
    const Layer& L = s.layers[std::size_t(s.layer_index)];
    if (L.is_conv() || s.pass == Pass::Backward) changed |= pass_controls(c, s);
    if (L.is_conv()) changed |= channel_controls(c, s, L);
    if (L.kind == LayerKind::ConvTranspose2d && s.pass == Pass::Forward) {
        int view = int(s.view);
        const char* views[] = {"scatter (stamp the kernel)", "as a convolution (zeros inserted)"};
        if (ImGui::Combo("view", &view, views, 2)) {
            s.view = TransposedView(view);
            changed = true;
        }
        tooltip("The same numbers two ways: each input cell stamps value x kernel onto the output, or zeros are "
                "inserted between input cells and a flipped kernel slides over them");
    }
    return changed;
}

/// Under the controls: "computing...", an error no control shown caused, the output-size formulas.
void parameters_footer(const AppState& state, const Controls& c) {
    if (rebuilding(state)) ImGui::TextDisabled("computing...");
    if (!state.error.empty() && !c.error_shown()) {  // not caused by a control shown above
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(230, 50, 50, 255));
        ImGui::TextWrapped("error: %s", state.error.c_str());
        ImGui::PopStyleColor();
    }
    if (state.animation) {
        ImGui::Separator();
        const LayerGeometry& g = state.animation->engine().geometry();
        if (state.canvas_hide.shape) {
            ImGui::TextWrapped("H_out and W_out: to work out (the canvas's output menu shows them)");
            return;
        }
        ImGui::TextWrapped("%s", g.h().formula.c_str());
        ImGui::TextWrapped("%s", g.w().formula.c_str());
    }
}

}  // namespace

void draw_parameters_panel(AppState& state) {
    ImGui::Begin("Parameters", nullptr, kTiledPanelFlags);
    // Every label whole: the controls take the width the longest label (and a pair
    // slider's "square" box after its label) leave (ImGui's default, 65 % of the panel,
    // clipped "padding_mode" in a narrow column).
    const ImGuiStyle& style = ImGui::GetStyle();
    const float label_room = std::max(ImGui::CalcTextSize("grad_output channel").x,
                                      ImGui::CalcTextSize("output_padding").x + style.ItemSpacing.x + ImGui::GetFrameHeight()) +
                             style.ItemInnerSpacing.x + 2;
    ImGui::PushItemWidth(-label_room);
    Session& s = state.session;
    preset_combo(state);
    if (state.lab || state.context_view) {
        // The lab and the dilation-context view have their own controls; the layer's
        // parameters below drive the canvas, which they replace: shown here they would
        // change nothing on screen.
        ImGui::TextWrapped("%s", state.lab ? "The upsampling lab's controls are above its charts: Train/Pause, Step, Reset, "
                                             "optimizer, learning rate, models. Pick another preset to return to the canvas."
                                           : "The dilation-context view's kernel and picture are chosen above it. Pick another "
                                             "preset to return to the canvas.");
        ImGui::PopItemWidth();
        ImGui::End();
        return;
    }
    bool changed = false;
    if (s.layers.size() > 1) {
        int idx = int(s.layer_index);
        if (ImGui::SliderInt("layer", &idx, 0, int(s.layers.size()) - 1, "layer %d")) {
            select_layer(s, idx);
            changed = true;
        }
        tooltip("Which layer of the stack is animated; its input is the previous layers' output");
    }
    Controls c(state);
    if (ImGui::CollapsingHeader("Stack")) changed |= stack_controls(c, s);
    if (ImGui::CollapsingHeader("Layer", ImGuiTreeNodeFlags_DefaultOpen)) changed |= layer_controls(c, s);
    if (ImGui::CollapsingHeader("Input and kernel", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (s.layer_index == 0) {
            changed |= c.slider("input H", s.input_shape[2], 1, 128, "Height of the input feature map");
            changed |= c.slider("input W", s.input_shape[3], 1, 128, "Width of the input feature map");
        }
        changed |= pattern_controls(c, state);
    }
    if (ImGui::CollapsingHeader("Show", ImGuiTreeNodeFlags_DefaultOpen)) changed |= show_controls(c, s);
    if (changed) {
        rebuild(state);
        state.code_text = generated_code(state);
    }
    parameters_footer(state, c);
    ImGui::PopItemWidth();
    ImGui::End();
}

}  // namespace convscope::gui
