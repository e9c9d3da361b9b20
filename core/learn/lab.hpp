#pragma once
/// \file lab.hpp
/// The upsampling lab (issue 12): a picture scaled down by 2 is the input, the picture
/// itself the target, and several small upsamplers learn to restore it side by side
/// (Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016).
///
/// Every model is PyTorch code a student can type; it starts from PyTorch's default
/// initialisation with the lab's seed (torch.manual_seed(seed) before building it, in
/// float64) and is trained by the core's Trainer, exactly as torch.optim would.
///
/// A model is a plain layer stack (nn.Upsample, nn.PixelShuffle and the convolutions
/// alike): the Trainer runs it whole, as `convscope train` does.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <xtensor/xtensor.hpp>

#include "core/nn/conv.hpp"
#include "core/learn/optim.hpp"
#include "core/base/picture.hpp"
#include "core/learn/spectrum.hpp"
#include "core/learn/train.hpp"

namespace convscope {

/// One upsampler of the lab.
struct LabModelSpec {
    std::string name;   ///< short label: "ConvTranspose2d k=3 s=2"
    std::string code;   ///< the whole model as PyTorch code (shown, exported, read back)
    std::vector<Layer> layers;  ///< `code` read (the stack the Trainer runs)
    bool icnr = false;          ///< ICNR initialisation of the conv before a final PixelShuffle
};

/// Reads a model typed as PyTorch code (any stack the core reads); UserError (CodeError
/// with a column where it can) for code it cannot read or a model without weights.
/// `icnr` is kept only for a model ending in a conv followed by PixelShuffle(r > 1).
LabModelSpec make_lab_model(const std::string& name, const std::string& code, bool icnr = false);

struct LabSettings {
    std::string preset = "lab-upsampling";
    std::string image_path;          ///< empty: the shipped assets/landscape.png
    std::int64_t size = 128;         ///< the target's longer side (even; the input is half)
    std::uint32_t seed = 1;          ///< torch.manual_seed before each model is built
    OptimizerSettings optimizer = [] {
        OptimizerSettings o;
        o.kind = OptimizerSettings::Kind::Adam;
        o.lr = 0.01;
        return o;
    }();
    LossKind loss = LossKind::Mse;
    bool icnr = true;                ///< ICNR for the pixel-shuffle model (else PyTorch's default)
    std::string custom_code;         ///< a sixth model typed by the user (empty: none)
    std::int64_t snapshot_every = 5; ///< steps between snapshots
};

/// The lab presets: lab-upsampling (one 2x upsampling, six models),
/// lab-upsampling-stacked (two stacked 2x layers: checkerboards at two frequencies) and
/// lab-upsampling-damped (the same with a final stride-1 conv: damped, not gone).
bool is_lab_preset(const std::string& name);
const std::vector<std::string>& lab_preset_names();
/// Total upsampling factor of a lab preset (2 or 4).
std::int64_t lab_upsampling_factor(const std::string& preset);
/// The models of a preset for pictures of `channels` channels.
std::vector<LabModelSpec> lab_models(const LabSettings& settings, std::int64_t channels);

/// For a strided transposed convolution: which taps feed each output phase. Output cell
/// o = i*s - p + t*d receives tap t exactly when (t*d - p) mod s == o mod s, so the s^2
/// phases (a, b) of the output each see their own sub-kernel; when k is not a multiple
/// of s the sub-kernels have different sizes (sums), and the output alternates: the
/// checkerboard. Returns per phase (a*s + b) a kH x kW mask (1: the tap feeds it).
std::vector<xt::xtensor<int, 2>> phase_masks(const Layer& layer);

/// The overlap map of a transposed convolution on an in_h x in_w input: for each output
/// cell, how many kernel taps land on it. Input cell i sends tap t to output
/// o = i*s - p + t*d (per axis, 0 <= o < out), so the count is the product of the two
/// axes' counts. k=3 s=2 p=1 gives the 1 / 2 / 4 pattern of the checkerboard; k=4 s=2
/// p=1 gives 4 everywhere inside (1 and 2 at the border).
xt::xtensor<int, 2> overlap_counts(const Layer& layer, std::int64_t in_h, std::int64_t in_w);

/// One overlap map per strided ConvTranspose2d of `layers` (applied to `input_shape`),
/// with the index of its layer.
struct LayerOverlap {
    std::size_t layer = 0;
    xt::xtensor<int, 2> counts;
};
std::vector<LayerOverlap> model_overlaps(const std::vector<Layer>& layers, const std::vector<std::int64_t>& input_shape);
/// For a model without a strided transposed layer: what it does instead, e.g.
/// "no transposed layer: resize + Conv2d k=3, every output cell gets 9 taps".
std::string overlap_note(const std::vector<Layer>& layers);

/// Bins on each side of a stride frequency that the lab's checkerboard score counts
/// (checkerboard_score's window). A trained transposed convolution multiplies the picture
/// by a period-s pattern, which moves copies of the picture's spectrum, not a single
/// line, to the stride's frequencies: their energy sits around those bins, not only on
/// them. Measured after 200 Adam steps (lr 0.01) on the shipped picture at 128x128:
/// window 0 scores k3s2 1.0e-4, below nearest + conv's 1.3e-4; window 2 scores k3s2
/// 1.6e-2, k4s2 2.5e-3, nearest 7.1e-4, bilinear 3.9e-4, ICNR 5.8e-4 (23x to 42x).
inline constexpr std::int64_t kLabScoreWindow = 2;

/// The numbers of one model at one moment.
struct LabModelSnapshot {
    std::string name;
    std::string code;
    Tensor4 output;                    ///< 1 x C x H x W, the target's shape
    xt::xtensor<double, 2> error;      ///< |output - target| averaged over the channels
    xt::xtensor<double, 2> spectrum;   ///< log power spectrum of the output's channel mean
    double loss = 0;                   ///< the loss with the snapshot's parameters
    double psnr = 0;                   ///< 10 log10(1 / MSE), pixel values in [0, 1]
    CheckerboardScore score;           ///< at the lab's total stride, kLabScoreWindow bins wide
    std::int64_t steps = 0;            ///< updates this model has done (stops when it diverges)
    /// Why this model stopped training ("" while it trains), e.g. "model 'ConvTranspose2d
    /// k=3 s=2' diverged at step 86 (loss inf): lower the learning rate".
    std::string diverged;
    std::vector<Layer> layers;         ///< the trained layers
    std::vector<ConvWeights> parameters;  ///< their learned parameters
    std::vector<double> losses;        ///< loss before each update so far
    std::vector<double> scores;        ///< checkerboard score at each snapshot so far
};

struct LabSnapshot {
    std::int64_t step = 0;             ///< updates done
    std::int64_t stride = 2;           ///< the checkerboard score's period
    double target_score = 0;           ///< the target picture's own checkerboard score
    std::vector<std::int64_t> score_steps;  ///< the step of each entry of `scores`
    Tensor4 input, target;
    std::vector<LabModelSnapshot> models;
    std::string optimizer;             ///< "Adam lr=0.01"
    std::string picture_note;          ///< what was done to the picture ("" if nothing)
};

/// A lab as a session saves it (session format version 2): what defines it and every
/// model's learned parameters. The loss curves are not saved: after reopening they start
/// at the saved step.
struct LabSave {
    LabSettings settings;
    std::int64_t steps = 0;
    std::vector<std::vector<ConvWeights>> parameters;  ///< per model, per layer with weights
};
nlohmann::json lab_save_to_json(const LabSave& save);
/// Every field checked (UserError naming it); the parameters' shapes are checked when
/// the lab is restored.
LabSave lab_save_from_json(const nlohmann::json& j);

/// Trains every model of a lab step by step. Not thread-safe by itself: LabRunner owns
/// one on its worker thread.
class Lab {
public:
    /// Reads the picture (UserError naming it if refused), scales it and builds the models.
    explicit Lab(const LabSettings& settings);
    /// The same, on a picture already read (the app's drag and drop).
    Lab(const LabSettings& settings, const Picture& picture);

    /// One update of every model still training. A model whose loss becomes NaN or
    /// infinite stops there (divergence(m) says so in words); the others go on.
    void step();
    std::int64_t steps_done() const { return steps_; }
    /// Why model m stopped ("" while it trains).
    const std::string& divergence(std::size_t m) const { return diverged_[m]; }
    /// True when no model trains any more (every one diverged).
    bool all_diverged() const;
    /// The current state of every model (computes outputs, errors, spectra, scores).
    LabSnapshot snapshot();
    /// Change the optimizer (and learning rate) from the next step: each model's
    /// optimizer starts afresh (Adam's moments reset) from its current parameters.
    void set_optimizer(const OptimizerSettings& optimizer);
    /// What a session saves.
    LabSave save() const;
    /// Continue from a save of the same configuration: its parameters (checked against
    /// the models' shapes, UserError otherwise) and step count; optimizers start afresh.
    void restore(const LabSave& save);

    const LabSettings& settings() const { return settings_; }
    const std::vector<LabModelSpec>& models() const { return specs_; }
    const Tensor4& input() const { return input_; }
    const Tensor4& target() const { return target_; }
    /// The parameters each model started from.
    const std::vector<std::vector<ConvWeights>>& initial_parameters() const { return initial_; }
    /// The current parameters of model m.
    const std::vector<ConvWeights>& parameters(std::size_t m) const { return trainers_[m]->parameters(); }
    const std::vector<double>& losses(std::size_t m) const { return losses_[m]; }

private:
    void build(const Picture& picture);

    LabSettings settings_;
    std::string picture_note_;
    double target_score_ = -1;  ///< computed at the first snapshot (the target does not change)
    std::vector<LabModelSpec> specs_;
    Tensor4 input_, target_;
    std::vector<std::unique_ptr<Trainer>> trainers_;
    std::vector<std::vector<ConvWeights>> initial_;
    std::vector<std::vector<double>> losses_;
    std::vector<std::vector<double>> scores_;
    std::vector<std::int64_t> score_steps_;
    std::vector<std::string> diverged_;          ///< per model: why it stopped ("" : training)
    std::vector<std::int64_t> model_steps_;      ///< per model: updates done
    std::int64_t steps_ = 0;
};

/// A lab trained on a worker thread while a UI reads the last snapshot. Every method
/// is called from the UI thread; the worker only steps the lab and publishes snapshots.
class LabRunner {
public:
    explicit LabRunner(std::unique_ptr<Lab> lab);
    ~LabRunner();
    LabRunner(const LabRunner&) = delete;
    LabRunner& operator=(const LabRunner&) = delete;

    void play();
    /// Train until `step` updates are done, then pause (and publish that step's
    /// snapshot): a lab slide trains live up to its steps' end and holds there.
    void play_until(std::int64_t step);
    void pause();
    bool playing() const { return playing_; }
    /// One step (while paused), then a snapshot.
    void step_once();
    /// Replace the lab (reset, new picture, new settings); keeps playing if it was.
    void replace(std::unique_ptr<Lab> lab);
    void set_optimizer(const OptimizerSettings& optimizer);
    /// The lab as a session saves it (taken between two steps).
    LabSave save() const;
    /// The last published snapshot (never null after construction).
    std::shared_ptr<const LabSnapshot> snapshot() const;
    /// The error that stopped training ("" while none): anything the worker caught (a
    /// model's divergence is not one: it is in the snapshot, and the others go on).
    std::string error() const;
    /// Steps per second over the last second of training (0 while paused).
    double steps_per_second() const { return rate_; }

private:
    void run();
    /// The worker stops training and publishes why.
    void stop_with(const std::string& message);

    mutable std::mutex mutex_;            ///< the lab and pending_steps_ (held during a step)
    std::condition_variable wake_;
    std::unique_ptr<Lab> lab_;
    mutable std::mutex published_mutex_;  ///< snapshot_ and error_ (held only to copy them)
    std::shared_ptr<const LabSnapshot> snapshot_;
    std::string error_;
    std::atomic<bool> playing_{false};
    std::atomic<bool> quit_{false};
    std::atomic<double> rate_{0};
    std::int64_t pending_steps_ = 0;      ///< under mutex_
    std::int64_t stop_at_ = -1;           ///< under mutex_: the step play_until stops at (-1: none)
    std::thread worker_;
};

/// PSNR in dB of `output` against `target` (pixel values in [0, 1]): 10 log10(1 / MSE);
/// 99 for an exact match; NaN when the output holds a NaN or an infinity.
double psnr(const Tensor4& output, const Tensor4& target);

/// Writes the lab's tensors as .npy files (xtensor's xnpy) into `folder`: input.npy,
/// target.npy, and per model m and parametric layer l m<m>_l<l>_{weight,bias}[_init].npy;
/// plus losses.json (every model's losses) and the PyTorch script lab_models.py that
/// rebuilds the models from them, and scores.json (lab_scores_json). Returns the files written.
std::vector<std::string> export_lab_weights(Lab& lab, const std::string& folder);
/// The lab's scores after its last step, as `--weights DIR` writes them to scores.json:
/// {"picture_score": X, "models": [{"name": N, "checkerboard_score": X, "psnr_db": X,
/// "loss": X}]} (a diverged model's values that are not numbers are null).
nlohmann::json lab_scores_json(const LabSnapshot& snapshot);
/// The runnable PyTorch script (deterministic text for a given lab configuration).
std::string lab_pytorch_script(const Lab& lab);

}  // namespace convscope
