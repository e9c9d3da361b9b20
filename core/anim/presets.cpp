#include "core/anim/presets.hpp"

#include "core/base/errors.hpp"
#include "core/io/pycode.hpp"

namespace convscope {

namespace {

Preset make(const char* name, const char* title, std::array<std::int64_t, 4> shape, const char* code) {
    const std::string n = name;
    // The seeds and the guide's figures open as slides.
    const bool slide = n.rfind("seed-", 0) == 0 || n.rfind("arith-", 0) == 0 || n == "same-even-k4";
    return {name, title, shape, parse_pytorch_code(code), slide ? SceneStyle::Schematic : SceneStyle::Values};
}

}  // namespace

const std::vector<Preset>& builtin_presets() {
    static const std::vector<Preset> presets = {
        make("seed-dilated", "The course's dilated convolution: 3 -> 16 channels, k=3, d=2, p=2 on 64x64", {1, 3, 64, 64},
             "nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)"),
        make("seed-upconv", "The course's up-convolution: 16 -> 3 channels, k=2, s=2, 32x32 -> 64x64", {1, 16, 32, 32},
             "nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2)"),
        make("seed-combined", "The dilated layer followed by the up-convolution, on 64x64", {1, 3, 64, 64},
             "nn.Sequential(nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2), nn.ConvTranspose2d(16, 3, kernel_size=2, stride=2))"),
        // Dumoulin & Visin, "A guide to convolution arithmetic for deep learning": its
        // seven convolution figures, their seven transposed counterparts, and dilation.
        make("arith-no-padding", "Guide: no padding, unit strides (4x4 -> 2x2)", {1, 1, 4, 4}, "nn.Conv2d(1, 1, 3)"),
        make("arith-arbitrary-padding", "Guide: arbitrary padding, unit strides (5x5, k=4, p=2 -> 6x6)", {1, 1, 5, 5},
             "nn.Conv2d(1, 1, 4, padding=2)"),
        make("arith-same-padding", "Guide: half (same) padding (5x5 -> 5x5)", {1, 1, 5, 5}, "nn.Conv2d(1, 1, 3, padding=1)"),
        make("arith-full-padding", "Guide: full padding (5x5, p=2 -> 7x7)", {1, 1, 5, 5}, "nn.Conv2d(1, 1, 3, padding=2)"),
        make("arith-strides", "Guide: no padding, stride 2 (5x5 -> 2x2)", {1, 1, 5, 5}, "nn.Conv2d(1, 1, 3, stride=2)"),
        make("arith-padding-strides", "Guide: padding 1, stride 2 (5x5 -> 3x3)", {1, 1, 5, 5}, "nn.Conv2d(1, 1, 3, stride=2, padding=1)"),
        make("arith-padding-strides-odd", "Guide: padding 1, stride 2, odd fit (6x6 -> 3x3)", {1, 1, 6, 6},
             "nn.Conv2d(1, 1, 3, stride=2, padding=1)"),
        make("arith-t-no-padding", "Guide, transposed: no padding, unit strides (2x2 -> 4x4)", {1, 1, 2, 2}, "nn.ConvTranspose2d(1, 1, 3)"),
        make("arith-t-arbitrary-padding", "Guide, transposed: arbitrary padding (6x6, k=4, p=2 -> 5x5)", {1, 1, 6, 6},
             "nn.ConvTranspose2d(1, 1, 4, padding=2)"),
        make("arith-t-same-padding", "Guide, transposed: half (same) padding (5x5 -> 5x5)", {1, 1, 5, 5},
             "nn.ConvTranspose2d(1, 1, 3, padding=1)"),
        make("arith-t-full-padding", "Guide, transposed: full padding (7x7, p=2 -> 5x5)", {1, 1, 7, 7},
             "nn.ConvTranspose2d(1, 1, 3, padding=2)"),
        make("arith-t-strides", "Guide, transposed: no padding, stride 2 (2x2 -> 5x5)", {1, 1, 2, 2},
             "nn.ConvTranspose2d(1, 1, 3, stride=2)"),
        make("arith-t-padding-strides", "Guide, transposed: padding 1, stride 2 (3x3 -> 5x5)", {1, 1, 3, 3},
             "nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)"),
        make("arith-t-padding-strides-odd", "Guide, transposed: padding 1, stride 2, output_padding 1 (3x3 -> 6x6)", {1, 1, 3, 3},
             "nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)"),
        make("arith-dilation", "Guide: dilation 2 (7x7 -> 3x3)", {1, 1, 7, 7}, "nn.Conv2d(1, 1, 3, dilation=2)"),
        // Receptive-field stacks.
        make("gridding", "Gridding: three dilation-2 layers leave holes in the receptive field (compare hybrid-dilation)",
             {1, 1, 32, 32},
             "nn.Sequential(nn.Conv2d(1, 1, 3, dilation=2, padding=2), nn.Conv2d(1, 1, 3, dilation=2, padding=2), "
             "nn.Conv2d(1, 1, 3, dilation=2, padding=2))"),
        make("hybrid-dilation", "Hybrid dilation 1, 2, 3: the same depth covers every cell (compare gridding)", {1, 1, 32, 32},
             "nn.Sequential(nn.Conv2d(1, 1, 3, dilation=1, padding=1), nn.Conv2d(1, 1, 3, dilation=2, padding=2), "
             "nn.Conv2d(1, 1, 3, dilation=3, padding=3))"),
        make("wavenet", "WaveNet-like dilations 1, 2, 4, 8: the receptive field doubles per layer (31x31)", {1, 1, 64, 64},
             "nn.Sequential(nn.Conv2d(1, 1, 3, dilation=1, padding=1), nn.Conv2d(1, 1, 3, dilation=2, padding=2), "
             "nn.Conv2d(1, 1, 3, dilation=4, padding=4), nn.Conv2d(1, 1, 3, dilation=8, padding=8))"),
        // One edge or blur kernel on a real picture at dilation 1, 2, 4 (core/scene/dilation_context.hpp
        // draws the view; the canvas animates the dilation-2 layer).
        make("dilation-context", "Dilation captures a larger context: one 3x3 kernel (edges or blur) at dilation 1, 2 and 4 on a picture",
             {1, 1, 64, 64}, "nn.Conv2d(1, 1, 3, dilation=2, padding=2, bias=False)"),
        // Transposed-convolution artefacts.
        make("checkerboard-k3s2", "Checkerboard: k=3, s=2 overlaps unevenly (compare even-k4s2)", {1, 1, 4, 4},
             "nn.ConvTranspose2d(1, 1, 3, stride=2)"),
        make("even-k4s2", "k=4, s=2, p=1: every inside output gets the same 4 taps, no checkerboard (compare checkerboard-k3s2)", {1, 1, 4, 4},
             "nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)"),
        // Padding lessons: what a reflect pad copies, and how 'same' splits an even kernel.
        make("reflect-padding", "Reflect padding: the border cells are copies of the cells inside (edge not repeated)", {1, 1, 6, 6},
             "nn.Conv2d(1, 1, 3, padding=2, padding_mode='reflect')"),
        make("same-even-k4", "padding='same' with k=4: 1 cell before, 2 after, so the output keeps 6x6", {1, 1, 6, 6},
             "nn.Conv2d(1, 1, 4, padding='same')"),
        // Learnable upsampling without the checkerboard: resize then convolve, bilinear
        // interpolation's four weighted sources, and the sub-pixel convolution.
        make("resize-conv", "Resize-convolution: nearest upsampling x2, then a 3x3 convolution (no uneven overlap; compare checkerboard-k3s2)",
             {1, 1, 4, 4}, "nn.Sequential(nn.Upsample(scale_factor=2, mode='nearest'), nn.Conv2d(1, 1, 3, padding=1))"),
        make("bilinear-upsample", "Bilinear upsampling x2, align_corners=False: each output cell mixes four source cells (3x3 -> 6x6)",
             {1, 1, 3, 3}, "nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)"),
        make("subpixel", "Sub-pixel convolution: a 3x3 convolution to 4 channels, then PixelShuffle(2) puts them in 2x2 blocks (4x4 -> 8x8)",
             {1, 1, 4, 4}, "nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.PixelShuffle(2))"),
        make("encoder-decoder", "Encoder-decoder: two stride-2 convolutions down (64 -> 16), two k=4 s=2 up-convolutions back",
             {1, 3, 64, 64},
             "nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.Conv2d(16, 32, 3, stride=2, padding=1), "
             "nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), nn.ConvTranspose2d(16, 3, 4, stride=2, padding=1))"),
        // The upsampling lab (core/learn/lab.hpp trains them; the stack here is its first model,
        // which the canvas animates).
        make("lab-upsampling", "Upsampling lab: five upsamplers learn to restore a picture scaled down by 2, side by side",
             {1, 3, 64, 64}, "nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1, output_padding=1)"),
        make("lab-upsampling-stacked", "Upsampling lab, two stacked 2x layers: checkerboards at two frequencies",
             {1, 3, 32, 32},
             "nn.Sequential(nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1, output_padding=1), "
             "nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1, output_padding=1))"),
        make("lab-upsampling-damped", "Upsampling lab, stacked 2x layers with a final stride-1 conv: damped, not gone",
             {1, 3, 32, 32},
             "nn.Sequential(nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1, output_padding=1), "
             "nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1, output_padding=1), nn.Conv2d(3, 3, 3, padding=1))"),
    };
    return presets;
}

const Preset& find_preset(const std::string& name) {
    std::string names;
    for (const Preset& p : builtin_presets()) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw UserError("preset '" + name + "' does not exist; the presets are " + names);
}

}  // namespace convscope
