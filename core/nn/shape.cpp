#include "core/nn/shape.hpp"

#include <sstream>
#include <stdexcept>

#include "core/base/errors.hpp"

namespace convscope {

namespace {

using std::to_string;

/// Python-style floor division for a possibly negative numerator, positive divisor.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && (a < 0)) --q;
    return q;
}
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

std::string axis_size_text(std::int64_t h, std::int64_t w) { return to_string(h) + "x" + to_string(w); }

/// "2*2" for symmetric padding, "1 + 2" when 'same' splits it unevenly.
std::string padding_terms(const AxisGeometry& g) {
    if (g.pad_before == g.pad_after) return to_string(2) + "*" + to_string(g.pad_before);
    return to_string(g.pad_before) + " + " + to_string(g.pad_after);
}

void fill_conv_axis(AxisGeometry& g, const char* name, bool ceil_mode, bool pool) {
    // All inputs are at most kMaxGeometry (2^20) apart from `in` (checked by the caller
    // to be at most 2^28), so these products and sums cannot overflow int64.
    const std::int64_t numerator = g.padded() - g.dilation * (g.kernel - 1) - 1;
    std::int64_t out = (ceil_mode ? ceil_div(numerator, g.stride) : floor_div(numerator, g.stride)) + 1;
    if (pool && ceil_mode && (out - 1) * g.stride >= g.in + g.pad_before) --out;
    g.out = out;
    std::ostringstream f;
    f << name << "_out = " << (ceil_mode ? "ceil" : "floor") << "((" << g.in << " + "
      << padding_terms(g) << " - " << g.dilation << "*(" << g.kernel << "-1) - 1) / " << g.stride
      << ") + 1";
    if (pool && ceil_mode && numerator >= 0 &&
        ceil_div(numerator, g.stride) + 1 != out)
        f << " - 1 (the last window would start in the padding)";
    f << " = " << out;
    g.formula = f.str();
}

void fill_transposed_axis(AxisGeometry& g, const char* name) {
    // (H - 1)*s - 2*p + d*(k-1) + output_padding + 1   (torch.nn.ConvTranspose2d docs)
    const std::int64_t full = checked_add(
        checked_mul(g.in - 1, g.stride, "the transposed output size"),
        g.dilation * (g.kernel - 1) + g.output_padding + 1, "the transposed output size");
    g.out = full - 2 * g.pad_before;
    std::ostringstream f;
    f << name << "_out = (" << g.in << " - 1)*" << g.stride << " - 2*" << g.pad_before << " + "
      << g.dilation << "*(" << g.kernel << "-1) + " << g.output_padding << " + 1 = " << g.out;
    g.formula = f.str();
}

AxisGeometry make_axis(const Layer& L, int a, std::int64_t in) {
    AxisGeometry g;
    g.in = in;
    g.kernel = L.kernel[a];
    g.stride = L.stride[a];
    g.dilation = L.kind == LayerKind::AvgPool2d ? 1 : L.dilation[a];
    g.output_padding = L.kind == LayerKind::ConvTranspose2d ? L.output_padding[a] : 0;
    switch (L.padding.kind) {
        case PaddingKind::Explicit:
            g.pad_before = g.pad_after = L.padding.value[a];
            break;
        case PaddingKind::Valid:
            break;
        case PaddingKind::Same: {
            // PyTorch splits the total d*(k-1) with the smaller half first (top/left).
            const std::int64_t total = g.dilation * (g.kernel - 1);
            g.pad_before = total / 2;
            g.pad_after = total - total / 2;
            break;
        }
    }
    return g;
}

}  // namespace

namespace {

const char* const kAxisNames[2] = {"H", "W"};

/// Upsample, pixel (un)shuffle and the activations: no window, the output size is a
/// product, a quotient or the input's.
LayerGeometry resolve_cellwise(const Layer& L, const std::int64_t in_sizes[2]) {
    LayerGeometry geo;
    for (int a = 0; a < 2; ++a) {
        AxisGeometry& g = geo.axis[a];
        g.in = in_sizes[a];
        std::ostringstream f;
        f << kAxisNames[a] << "_out = ";
        switch (L.kind) {
            case LayerKind::Upsample:
                if (L.size) {
                    g.out = (*L.size)[a];
                    f << "size[" << a << "] = " << g.out;
                } else {
                    // F.interpolate: floor(float(in) * scale_factor) (ATen truncates the double).
                    const double odim = double(g.in) * (*L.scale_factor)[std::size_t(a)];
                    if (!(odim < double(kMaxTensorElements) + 1))
                        throw ParameterError("scale_factor", std::string("scale_factor ") +
                                                                 scale_factor_text(*L.scale_factor) + " on a " +
                                                                 axis_size_text(in_sizes[0], in_sizes[1]) +
                                                                 " input gives more than 2^28 cells per side");
                    g.out = std::int64_t(odim);
                    f << "floor(" << g.in << " * " << python_float((*L.scale_factor)[std::size_t(a)]) << ") = " << g.out;
                }
                break;
            case LayerKind::PixelShuffle:
                g.out = g.in * L.shuffle_factor;  // at most 2^28 * 2^10
                f << g.in << " * " << L.shuffle_factor << " = " << g.out;
                break;
            case LayerKind::PixelUnshuffle:
                if (g.in % L.shuffle_factor != 0)
                    throw ParameterError("downscale_factor", std::string("pixel_unshuffle expects ") +
                                                                 (a == 0 ? "height" : "width") +
                                                                 " to be divisible by downscale_factor, but input.size(" +
                                                                 (a == 0 ? "-2" : "-1") + ")=" + to_string(g.in) +
                                                                 " is not divisible by " + to_string(L.shuffle_factor));
                g.out = g.in / L.shuffle_factor;
                f << g.in << " / " << L.shuffle_factor << " = " << g.out;
                break;
            case LayerKind::ReLU:
            case LayerKind::LeakyReLU:
            case LayerKind::Tanh:
            case LayerKind::Sigmoid:
                g.out = g.in;
                f << kAxisNames[a] << " = " << g.out << " (elementwise)";
                break;
            case LayerKind::Conv2d:
            case LayerKind::ConvTranspose2d:
            case LayerKind::MaxPool2d:
            case LayerKind::AvgPool2d: throw std::logic_error("resolve_cellwise was given a windowed layer");
        }
        g.formula = f.str();
    }
    const AxisGeometry& gh = geo.axis[0];
    const AxisGeometry& gw = geo.axis[1];
    if (gh.out < 1 || gw.out < 1)
        throw ParameterError(L.size ? "size" : "scale_factor",
                             "Input and output sizes should be greater than 0, but got input (H: " + to_string(gh.in) +
                                 ", W: " + to_string(gw.in) + ") output (H: " + to_string(gh.out) + ", W: " +
                                 to_string(gw.out) + ")");
    if (gh.out > kMaxTensorElements || gw.out > kMaxTensorElements)
        throw UserError("output size " + axis_size_text(gh.out, gw.out) + " exceeds the limit of 2^28 per side");
    return geo;
}

}  // namespace

LayerGeometry resolve_spatial(const Layer& L, std::int64_t h, std::int64_t w) {
    validate_layer(L);
    const std::int64_t in_sizes[2] = {h, w};
    for (std::int64_t v : in_sizes)
        if (v < 1 || v > kMaxTensorElements)
            throw UserError("input size " + axis_size_text(h, w) +
                            " is not allowed: each side must be between 1 and 2^28");
    if (!has_window(L.kind)) return resolve_cellwise(L, in_sizes);

    LayerGeometry geo;
    for (int a = 0; a < 2; ++a) geo.axis[a] = make_axis(L, a, in_sizes[a]);
    const AxisGeometry& gh = geo.axis[0];
    const AxisGeometry& gw = geo.axis[1];

    if (L.kind == LayerKind::Conv2d && L.padding_mode == PaddingMode::Reflect) {
        for (int a = 0; a < 2; ++a) {
            const AxisGeometry& g = geo.axis[a];
            if (g.pad_before >= g.in || g.pad_after >= g.in)
                throw ParameterError("padding", "padding " + to_string(std::max(g.pad_before, g.pad_after)) +
                                " with padding_mode='reflect' must be smaller than the input " +
                                (a == 0 ? "height " : "width ") + to_string(g.in));
        }
    }
    if (L.kind == LayerKind::Conv2d && L.padding_mode == PaddingMode::Circular) {
        for (int a = 0; a < 2; ++a) {
            const AxisGeometry& g = geo.axis[a];
            if (g.pad_before > g.in || g.pad_after > g.in)
                throw ParameterError("padding", "padding " + to_string(std::max(g.pad_before, g.pad_after)) +
                                " with padding_mode='circular' must not exceed the input " +
                                (a == 0 ? "height " : "width ") + to_string(g.in) +
                                " (it would wrap around more than once)");
        }
    }

    if (L.kind == LayerKind::Conv2d) {
        if (gh.span() > gh.padded() || gw.span() > gw.padded()) {
            std::string msg;
            if (L.dilation != Pair{1, 1})
                msg = "dilation " + (L.dilation.h == L.dilation.w ? to_string(L.dilation.h)
                                         : "(" + to_string(L.dilation.h) + ", " + to_string(L.dilation.w) + ")") +
                      " makes the " + axis_size_text(gh.kernel, gw.kernel) + " kernel span " +
                      axis_size_text(gh.span(), gw.span()) + ", larger than the padded input " +
                      axis_size_text(gh.padded(), gw.padded());
            else
                msg = "the " + axis_size_text(gh.kernel, gw.kernel) +
                      " kernel is larger than the padded input " +
                      axis_size_text(gh.padded(), gw.padded());
            throw ParameterError(L.dilation != Pair{1, 1} ? "dilation" : "kernel_size", msg);
        }
    }

    for (int a = 0; a < 2; ++a) {
        AxisGeometry& g = geo.axis[a];
        switch (L.kind) {
            case LayerKind::Conv2d: fill_conv_axis(g, kAxisNames[a], false, false); break;
            case LayerKind::ConvTranspose2d: fill_transposed_axis(g, kAxisNames[a]); break;
            case LayerKind::MaxPool2d:
            case LayerKind::AvgPool2d: fill_conv_axis(g, kAxisNames[a], L.ceil_mode, true); break;
            case LayerKind::Upsample:
            case LayerKind::PixelShuffle:
            case LayerKind::PixelUnshuffle:
            case LayerKind::ReLU:
            case LayerKind::LeakyReLU:
            case LayerKind::Tanh:
            case LayerKind::Sigmoid: throw std::logic_error("a cellwise layer reached the window arithmetic");
        }
    }
    if (gh.out < 1 || gw.out < 1)
        throw ParameterError("kernel_size", std::string(class_name(L.kind)) + " on a " + axis_size_text(gh.in, gw.in) +
                        " input gives a " + axis_size_text(gh.out, gw.out) +
                        " output: the output size must be at least 1 (" +
                        (gh.out < 1 ? gh.formula : gw.formula) + ")");
    if (gh.out > kMaxTensorElements || gw.out > kMaxTensorElements)
        throw UserError("output size " + axis_size_text(gh.out, gw.out) + " exceeds the limit of 2^28 per side");
    return geo;
}

LayerGeometry resolve_layer(const Layer& L, std::int64_t n, std::int64_t c, std::int64_t h,
                            std::int64_t w) {
    // An empty batch (N = 0) is PyTorch's too: every layer here takes it, and gives N = 0.
    if (n < 0 || c < 1)
        throw UserError("input shape " + to_string(n) + "x" + to_string(c) + "x" + to_string(h) + "x" + to_string(w) +
                        " is not allowed: " + (n < 0 ? "the batch N must be at least 0" : "every size but the batch N must be at least 1"));
    LayerGeometry geo = resolve_spatial(L, h, w);
    geo.batch = n;
    geo.in_channels = c;
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
            if (c != L.in_channels)
                throw ParameterError("in_channels", "the input has " + to_string(c) + " channels but in_channels is " +
                                to_string(L.in_channels));
            break;
        case LayerKind::PixelShuffle: {
            const std::int64_t r2 = L.shuffle_factor * L.shuffle_factor;
            if (c % r2 != 0)
                throw ParameterError("upscale_factor",
                                     "pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
                                     "square of upscale_factor, but input.size(-3)=" + to_string(c) +
                                         " is not divisible by " + to_string(r2));
            geo.channel_formula = "C_out = " + to_string(c) + " / " + to_string(L.shuffle_factor) + "^2 = " + to_string(c / r2);
            break;
        }
        case LayerKind::PixelUnshuffle:
            geo.channel_formula = "C_out = " + to_string(c) + " * " + to_string(L.shuffle_factor) + "^2 = " +
                                  to_string(channels_after(L, c));
            break;
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d:
        case LayerKind::Upsample:
        case LayerKind::ReLU:
        case LayerKind::LeakyReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;  // each channel on its own
    }
    geo.out_channels = channels_after(L, c);
    checked_elements(n, c, h, w, "the input");
    checked_elements(n, geo.out_channels, geo.h().out, geo.w().out, "the output");
    return geo;
}

std::string shape_list_text(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + to_string(shape[i]);
    return s + "]";
}

std::string torch_size_text(const std::vector<std::int64_t>& shape) {
    std::string s = "torch.Size([";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += to_string(shape[i]);
    }
    return s + "])";
}

}  // namespace convscope
