// libFuzzer target: every scene builder (the canvas frame in both styles, the pipeline,
// the channels view, the lab and the dilation context) on tensors that hold what a
// diverged model or a hostile session can hold: NaN, +-inf, +-1e308, denormals. The
// fuzz bytes choose the preset, the style and the values of the input picture, the
// custom kernel and the lab's and the dilation context's maps. Nothing that draws may
// read a non-number as a number (the sanitizer build fails on a NaN cast to an int), and
// every colour a scene holds is a colour (finite components).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/base/errors.hpp"
#include "core/learn/lab.hpp"
#include "core/scene/animation_scene.hpp"
#include "core/scene/dilation_context.hpp"
#include "core/scene/scene_channels.hpp"
#include "core/scene/scene_lab.hpp"
#include "core/scene/scene_pipeline.hpp"

using namespace convscope;

namespace {

/// Reads the fuzz bytes as values, most of them the ones that break drawing code.
class Values {
public:
    Values(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
    double value() {
        static const double special[] = {std::numeric_limits<double>::quiet_NaN(),
                                         std::numeric_limits<double>::infinity(),
                                         -std::numeric_limits<double>::infinity(),
                                         1e308, -1e308, 4.9e-324, -1e-310, 1e-39, 0.0, 1.0, -1.0, 0.5, 3e38, -7.25};
        const std::uint8_t b = byte();
        if (b < 200) return special[b % (sizeof special / sizeof special[0])];
        double raw = 0;  // any bit pattern
        std::uint8_t bytes[8];
        for (std::uint8_t& x : bytes) x = byte();
        std::memcpy(&raw, bytes, sizeof raw);
        return raw;
    }
    void fill(double* out, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) out[i] = value();
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

void check_colour(const Color& c) {
    if (!std::isfinite(c.r) || !std::isfinite(c.g) || !std::isfinite(c.b) || !std::isfinite(c.a)) std::abort();
}

/// Every colour of a scene, every heat-map cell's colour included, is finite; no text
/// prints a NaN as "nan" (the scene's words are "NaN").
void check_scene(const Scene& s) {
    for (const SceneHeatmap& h : s.heatmaps)
        for (std::int64_t r = 0; r < h.rows; ++r)
            for (std::int64_t c = 0; c < h.cols; ++c) check_colour(h.cell_color(r, c));
    for (const SceneRect& r : s.rects) check_colour(r.fill);
    for (const SceneText& t : s.texts)
        if (t.text.find("nan") != std::string::npos || t.text.find("-nan") != std::string::npos) std::abort();
    if (!std::isfinite(s.width) || !std::isfinite(s.height)) std::abort();
}

void session_views(Values& v) {
    static const char* presets[] = {"arith-no-padding", "arith-strides", "arith-t-no-padding", "arith-full-padding"};
    Session s = session_from_preset(presets[v.byte() % 4]);
    s.style = v.byte() % 2 ? SceneStyle::Schematic : SceneStyle::Values;
    // The input: a picture whose pixels are the fuzz values.
    auto picture = std::make_shared<Picture>();
    picture->channels = s.input_shape[1];
    picture->height = s.input_shape[2];
    picture->width = s.input_shape[3];
    picture->data.resize(std::size_t(picture->channels * picture->height * picture->width));
    for (float& x : picture->data) x = float(v.value());
    s.input = InputPattern::Image;
    s.image_path = "fuzz.png";
    s.image = picture;
    // The animated layer's kernel.
    const Layer& L = s.layers[std::size_t(s.layer_index)];
    s.kernel = KernelPattern::Custom;
    s.custom_kernel.resize(std::size_t(L.kernel.h * L.kernel.w));
    v.fill(s.custom_kernel.data(), s.custom_kernel.size());
    const Animation animation(s);
    SceneOptions options;
    options.style = s.style;
    options.dark = v.byte() % 2;
    const std::int64_t frame = std::int64_t(v.byte()) % std::max<std::int64_t>(1, animation.frame_count());
    check_scene(animation_scene(animation, frame, options));
    const PipelineData pipeline(s);
    check_scene(build_pipeline_scene(s, pipeline, animation, frame, options));
    const ChannelsData channels(animation);
    check_scene(build_channels_scene(animation, channels, frame, options).scene);
}

void lab_view(Values& v) {
    static const std::unique_ptr<Lab> lab = [] {
        LabSettings settings;
        settings.size = 8;
        auto l = std::make_unique<Lab>(settings);
        l->step();
        return l;
    }();
    LabSnapshot snap = lab->snapshot();
    snap.target_score = v.value();
    for (LabModelSnapshot& m : snap.models) {
        v.fill(m.output.data(), std::min<std::size_t>(m.output.size(), 64));
        v.fill(m.error.data(), std::min<std::size_t>(m.error.size(), 64));
        v.fill(m.spectrum.data(), std::min<std::size_t>(m.spectrum.size(), 64));
        m.psnr = v.value();
        m.loss = v.value();
        m.score.score = v.value();
        m.losses = {v.value(), v.value(), v.value()};
        m.scores = {v.value(), v.value()};
        if (!m.parameters.empty()) v.fill(m.parameters[0].weight.data(), m.parameters[0].weight.size());
        if (v.byte() % 2) m.diverged = "model '" + m.name + "' diverged at step 2 (loss NaN): lower the learning rate";
    }
    LabSceneOptions options;
    options.dark = v.byte() % 2;
    options.log_steps = v.byte() % 2;
    check_scene(build_lab_scene(snap, options));
    (void)lab_scores_json(snap).dump();
}

void context_view(Values& v) {
    static const DilationContext base = compute_dilation_context("", ContextKernel::Sobel);
    DilationContext c = base;
    v.fill(c.weights.weight.data(), c.weights.weight.size());
    for (Tensor4& map : c.maps) v.fill(map.data(), std::min<std::size_t>(map.size(), 256));
    ContextSceneOptions options;
    options.dark = v.byte() % 2;
    check_scene(build_dilation_context_scene(c, options));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Values v(data, size);
    try {
        switch (v.byte() % 3) {
            case 0: session_views(v); break;
            case 1: lab_view(v); break;
            case 2: context_view(v); break;
        }
    } catch (const UserError&) {
        // A value a layer refuses is refused in words; that is fine here.
    }
    return 0;
}
