#pragma once
/// \file stack_edit.hpp
/// The rules for editing a session's layer stack, shared by the app's controls, its
/// code panel, session files and the tests: what a new layer of each kind starts as,
/// what changes with a layer's kind, how channels flow.
#include <cstddef>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/nn/layer.hpp"
#include "core/nn/rf.hpp"
#include "core/anim/session.hpp"

namespace convscope {

// default_layer(kind, channels), the layer the stack editor adds, is in core/nn/layer.hpp.

/// Turn `layer` into `kind`, keeping what the new kind accepts: a ConvTranspose2d takes
/// explicit padding and zeros padding mode only; output_padding is ConvTranspose2d only.
void change_layer_kind(Layer& layer, LayerKind kind);

/// Channels flowing into layer `index` (the input's, then each convolution's output;
/// pools keep them). `index` past the end: the stack's output channels.
std::int64_t channels_before(const Session& s, std::size_t index);

/// The input's channel count follows the first layer when it is a convolution (it
/// must equal that layer's in_channels).
void sync_input_channels(Session& s);

/// Insert default_layer(kind) after the selected layer and select it (frame 0).
void insert_layer_after_selected(Session& s, LayerKind kind);
/// Remove the selected layer (not the last one left); select its successor, else the new last.
void remove_selected_layer(Session& s);
/// Swap the selected layer with its neighbour (`up`: the one before) and keep it selected.
/// False when there is no such neighbour.
bool move_selected_layer(Session& s, bool up);
/// Select layer `index` (clamped) to edit and animate, from its first frame.
void select_layer(Session& s, std::int64_t index);

/// The stack was replaced by other code: the session no longer is its preset.
/// "seed-dilated" becomes "seed-dilated-edited" (a file-name-safe name for exports and
/// titles); an unnamed session becomes "custom".
std::string edited_preset_name(const std::string& preset);

/// True when `a` and `b` compute the same numbers: the same layers, input size, what the
/// input and the kernels hold (taps, seed, picture). What is animated and how it is
/// drawn (layer, channels, pass, view, granularity, frame, style, theme) does not count:
/// changing it leaves a preset the preset.
bool computes_the_same(const Session& a, const Session& b);

/// The shape after each layer of `layers` run on an input of `input_shape` (N, C, H, W):
/// what `print(x.shape)` shows after each layer of the nn.Sequential; the last is the
/// model's output. UserError naming the layer where the stack is refused.
std::vector<std::array<std::int64_t, 4>> stack_output_shapes(const std::vector<Layer>& layers,
                                                             const std::array<std::int64_t, 4>& input_shape);

}  // namespace convscope
