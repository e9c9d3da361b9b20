#pragma once
/// \file session.hpp
/// A session: everything that defines what ConvScope shows (layers, input, what flows
/// through them, the view, the granularity, the frame), saved as versioned JSON so a
/// lecture can be reopened where it was left, and exported from a script. The
/// Animation built from a session is what the app and the exporters both draw.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/picture.hpp"
#include "core/nn/rf.hpp"
#include "core/anim/scene_style.hpp"
#include "core/anim/steps.hpp"
#include "core/anim/timeline.hpp"

namespace convscope {

/// What the input feature map holds (every channel alike, except random).
/// `Image` is a picture file the user opened (`--image`, File > Open picture).
enum class InputPattern { Random, Ones, Ramp, Impulse, Checkerboard, Picture, Image, Integers };
/// What every kernel of the convolution layers holds.
enum class KernelPattern { Random, Identity, Box, Sobel, Laplacian, Custom, Ones, Integers };

const char* input_pattern_name(InputPattern p);
const char* kernel_pattern_name(KernelPattern p);
/// One line for a tooltip or --help: what the pattern is and what it shows.
const char* input_pattern_help(InputPattern p);
const char* kernel_pattern_help(KernelPattern p);
inline constexpr int kInputPatternCount = 8;
inline constexpr int kKernelPatternCount = 8;

/// Which pass of the animated layer is shown: the forward pass, or the backward pass of
/// its input, grad_input = the transposed op of grad_output with the same weights
/// (core/anim/backward_view.hpp; convolutions only).
enum class Pass { Forward, Backward };
const char* pass_name(Pass p);

/// Version written by this build; older versions are read, newer ones refused.
/// 2: adds the optional "lab" (the upsampling lab with its learned weights).
inline constexpr int kSessionVersion = 2;
/// Largest session file read (a session is a few KiB).
inline constexpr std::size_t kMaxSessionBytes = std::size_t{4} << 20;

struct LabSave;  // core/learn/lab.hpp

struct Session {
    std::string preset;                            ///< where it started (shown, not used)
    std::array<std::int64_t, 4> input_shape{1, 1, 5, 5};  ///< N, C, H, W
    std::vector<Layer> layers;
    std::int64_t layer_index = 0;                  ///< the layer being animated
    std::uint32_t seed = 1;                        ///< random inputs and weights
    InputPattern input = InputPattern::Random;
    KernelPattern kernel = KernelPattern::Random;
    /// KernelPattern::Custom: the animated layer's kH*kW taps, row-major, used for
    /// every (output, input) channel pair of that layer.
    std::vector<double> custom_kernel;
    std::int64_t in_channel = 0;                   ///< input channel drawn
    std::int64_t out_channel = 0;                  ///< output channel computed
    TransposedView view = TransposedView::Scatter;
    std::optional<Granularity> granularity;        ///< empty: auto
    std::int64_t frame = 0;
    bool dark = false;  ///< light by default: figures go on slides and paper
    /// InputPattern::Image: the picture file (saved), and the picture itself, read when
    /// the session is opened or the picture chosen and scaled down so that neither side
    /// exceeds image_max_side (not saved: the path is). The input's H x W follow it.
    std::string image_path;
    std::int64_t image_max_side = 128;
    std::shared_ptr<const Picture> image;
    /// What was done to that picture to make it the input (scaled down, converted), in
    /// words for the canvas; not saved (reading the file again says it again).
    std::string image_note;
    SceneStyle style = SceneStyle::Values;  ///< how frames are painted (presets say which)
    /// The upsampling lab with its learned weights (core/learn/lab.hpp), when one is open.
    std::shared_ptr<const LabSave> lab;
    Pass pass = Pass::Forward;  ///< saved as "pass"; missing: forward
};

/// Largest image_max_side accepted (a 1024x1024 map is already slow to animate).
inline constexpr std::int64_t kMaxImageSide = 1024;

/// Make the picture at `path` the session's input: read it (UserError naming the file
/// for anything that is not a readable picture, before anything is allocated for it),
/// scale it down to image_max_side, and set the input shape to 1 x C x h x w, C being
/// what the first layer takes (the picture's own channels before a layer without
/// weights). Returns what was done to the picture for the user ("" when nothing):
/// scaled down, converted to grey, repeated into more channels.
std::string use_picture(Session& s, const std::string& path);

/// The session a preset opens on (UserError for an unknown name).
Session session_from_preset(const std::string& name);

nlohmann::json session_to_json(const Session& s);
/// Every field checked; UserError naming the field. Missing optional fields take the
/// defaults; a newer `version` is refused with a message saying so.
Session session_from_json(const nlohmann::json& j);
/// Atomic (temporary file + rename).
void save_session(const Session& s, const std::string& path);
Session load_session(const std::string& path);

/// The animated layer's input (the session's input run through the layers before
/// it) and weights, filled as the session says.
struct LayerData {
    Layer layer;
    Tensor4 input;
    ConvWeights weights;
};
LayerData make_layer_data(const Session& s);

/// The session's input tensor of shape input_shape (before any layer).
Tensor4 make_input(const Session& s);
/// Python that makes (or, for the random and built-in inputs, stands in for) that input
/// as `x`, one statement or comment a line, for the code panel: a picture file is
/// loaded by name with PIL, made a tensor in [0, 1] and averaged down to the size used
/// (F.interpolate mode='area'), its channels converted as make_input does.
std::vector<std::string> input_code(const Session& s);

/// Every feature map of the stack: [0] the input, [i + 1] the output of layer i, with
/// the weights make_layer_data uses (the same random stream, in the same order).
std::vector<Tensor4> stack_activations(const Session& s);

/// Layer `layer` of the stack as the session computes it, whichever layer is animated:
/// its input (the session's input run through the layers before it) and its weights,
/// drawn from the same random stream as make_layer_data and stack_activations.
LayerData stack_layer_data(const Session& s, std::int64_t layer);

/// The receptive-field stack of output cell (row, col) of layer `layer`: the session's
/// layers up to and including it, on the session's input size.
RfStack session_rf_stack(const Session& s, std::int64_t layer, std::int64_t row, std::int64_t col);

/// A session turned into frames: step engines (one per output channel, built on
/// demand) and the timeline. Throws UserError for a configuration the core refuses.
class Animation {
public:
    explicit Animation(const Session& s);

    const Timeline& timeline() const { return timeline_; }
    std::int64_t frame_count() const { return timeline_.frame_count(); }
    /// The frame a single still draws when none is asked for: the engine's
    /// representative step (an interior cell, part-way through), at the timeline's
    /// granularity.
    std::int64_t representative_frame() const { return timeline_.frame_of_step(engine().representative_step()); }
    /// The engine of the session's output channel.
    const StepEngine& engine() const { return engine_for(out_channel_); }
    const StepEngine& engine_for(std::int64_t out_channel) const;
    /// The lowest and highest value of the finished output channel.
    std::array<double, 2> output_range(std::int64_t out_channel) const;
    std::int64_t layer_index() const { return layer_index_; }
    /// Pass::Backward: what is animated, "grad_input = ConvTranspose2d(16, 3, k=3, s=1,
    /// p=2, d=2) of grad_output (...) with the same weights: the transpose of this
    /// Conv2d"; empty in the forward pass. Scenes carry it as their caption.
    const std::string& backward_caption() const { return backward_caption_; }
    bool backward() const { return backward_; }
    /// The backward caption's two halves, split where the sentence names the transposed
    /// layer ("... with the same weights" and "the transpose of this Conv2d").
    static constexpr const char* kTransposeOf = ": the transpose of this ";
    /// Pass::Backward: the gradient the steps transpose (what the engines take as input).
    const Tensor4& grad_output() const { return data_.input; }

private:
    /// In the backward pass data_ holds what the steps run: the input-gradient layer,
    /// grad_output as its input and the forward layer's weights without bias;
    /// forward_ keeps the forward layer, its input and weights.
    LayerData data_;
    bool backward_ = false;
    LayerData forward_;
    std::string backward_caption_;
    std::int64_t layer_index_ = 0;
    mutable std::optional<Tensor4> final_output_;  ///< the animated layer's whole output, once
    TransposedView view_;
    std::int64_t out_channel_ = 0;
    Timeline timeline_;
    mutable std::map<std::int64_t, std::unique_ptr<StepEngine>> engines_;
};

}  // namespace convscope
