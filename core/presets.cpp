#include "core/presets.hpp"

#include "core/errors.hpp"
#include "core/pycode.hpp"

namespace convscope {

namespace {

Preset make(const char* name, const char* title, std::array<std::int64_t, 4> shape, const char* code) {
    return {name, title, shape, parse_pytorch_code(code)};
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
        make("arith-no-padding", "Conv arithmetic guide: no padding, unit strides (4x4 -> 2x2)", {1, 1, 4, 4}, "nn.Conv2d(1, 1, 3)"),
        make("arith-same-padding", "Conv arithmetic guide: half (same) padding (5x5 -> 5x5)", {1, 1, 5, 5}, "nn.Conv2d(1, 1, 3, padding=1)"),
        make("arith-strides", "Conv arithmetic guide: padding 1, stride 2 (5x5 -> 3x3)", {1, 1, 5, 5}, "nn.Conv2d(1, 1, 3, stride=2, padding=1)"),
        make("arith-dilation", "Conv arithmetic guide: dilation 2 (7x7 -> 3x3)", {1, 1, 7, 7}, "nn.Conv2d(1, 1, 3, dilation=2)"),
        make("arith-transposed", "Conv arithmetic guide: transposed, stride 2 (2x2 -> 5x5)", {1, 1, 2, 2}, "nn.ConvTranspose2d(1, 1, 3, stride=2)"),
        make("checkerboard-k3s2", "Checkerboard: k=3, s=2 overlaps unevenly", {1, 1, 4, 4}, "nn.ConvTranspose2d(1, 1, 3, stride=2)"),
        make("even-k4s2", "k=4, s=2: every output gets the same number of taps", {1, 1, 4, 4}, "nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)"),
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
