#include "core/nn/layer_ops.hpp"
#include "core/anim/session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <unistd.h>

#include "core/anim/backward_view.hpp"
#include "core/nn/conv.hpp"
#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/base/wording.hpp"
#include "core/io/json_fields.hpp"
#include "core/io/json_io.hpp"
#include "core/learn/lab.hpp"
#include "core/anim/presets.hpp"
#include "core/nn/tap_geometry.hpp"

namespace convscope {

using nlohmann::json;
using std::int64_t;

const char* input_pattern_name(InputPattern p) {
    switch (p) {
        case InputPattern::Random: return "random";
        case InputPattern::Ones: return "ones";
        case InputPattern::Ramp: return "ramp";
        case InputPattern::Impulse: return "impulse";
        case InputPattern::Checkerboard: return "checkerboard";
        case InputPattern::Picture: return "picture";
        case InputPattern::Image: return "image";
        case InputPattern::Integers: return "integers";
    }
    return "?";
}

const char* kernel_pattern_name(KernelPattern p) {
    switch (p) {
        case KernelPattern::Random: return "random";
        case KernelPattern::Identity: return "identity";
        case KernelPattern::Box: return "box";
        case KernelPattern::Sobel: return "sobel";
        case KernelPattern::Laplacian: return "laplacian";
        case KernelPattern::Custom: return "custom";
        case KernelPattern::Ones: return "ones";
        case KernelPattern::Integers: return "integers";
    }
    return "?";
}

const char* input_pattern_help(InputPattern p) {
    switch (p) {
        case InputPattern::Random: return "Normal random values (two decimals), from the seed";
        case InputPattern::Ones: return "Every cell 1: the output counts how many real cells each window covers";
        case InputPattern::Ramp: return "Cell (r, c) holds r + c: smooth, so a gradient kernel gives a constant";
        case InputPattern::Impulse: return "A single 1 in the centre: the output shows the (flipped) kernel, or its stamp";
        case InputPattern::Checkerboard: return "Alternating 0 and 1: shows what stride and dilation skip";
        case InputPattern::Picture: return "A small picture (assets/picture.pgm) resampled to the input size";
        case InputPattern::Image: return "A picture file you opened (PNG, JPEG, BMP, PGM/PPM, GIF): RGB gives 3 channels, grey 1";
        case InputPattern::Integers: return "Whole numbers 0..3, from the seed: every product and sum can be checked by hand";
    }
    return "";
}

const char* kernel_pattern_help(KernelPattern p) {
    switch (p) {
        case KernelPattern::Random: return "Normal random weights (two decimals), from the seed";
        case KernelPattern::Identity: return "1 at the centre tap, 0 elsewhere: the output copies the input";
        case KernelPattern::Box: return "Every tap 1/(kH*kW): a blur, the average of the window";
        case KernelPattern::Sobel: return "Horizontal gradient (binomial smoothing x central difference): finds vertical edges";
        case KernelPattern::Laplacian: return "Centre minus its four neighbours: finds spots and edges in every direction";
        case KernelPattern::Custom: return "Your own taps, edited one by one in the kernel editor";
        case KernelPattern::Ones: return "Every tap 1: the output is the plain sum of the window (with ones in, it counts the real cells read)";
        case KernelPattern::Integers: return "Whole numbers -1..2, from the seed: every product and sum can be checked by hand";
    }
    return "";
}

namespace {

template <typename Enum, int Count>
Enum parse_enum(const json& j, const std::string& field, const char* (*name)(Enum)) {
    const std::string s = want_string(j, field);
    std::string names;
    for (int i = 0; i < Count; ++i) {
        if (s == name(Enum(i))) return Enum(i);
        names += std::string(i ? ", " : "") + name(Enum(i));
    }
    throw UserError(field + " '" + s.substr(0, 40) + "' is unknown: expected one of " + names);
}

double two_decimals(double v) { return std::round(v * 100.0) / 100.0; }

/// Whole numbers lo..hi from the seed (the generator's raw output modulo the count, the
/// same on every platform, unlike the standard distributions).
void fill_integers(Tensor4& t, std::mt19937_64& rng, int64_t lo, int64_t hi) {
    for (double& v : t) v = double(lo + int64_t(rng() % std::uint64_t(hi - lo + 1)));
}

void fill_random(Tensor4& t, std::mt19937_64& rng) {
    std::normal_distribution<double> dist(0.0, 1.0);
    for (double& v : t) v = two_decimals(dist(rng));  // two decimals: readable cells
}

/// The shipped picture (plain PGM, "P2"), as rows of values in [0, 1].
std::vector<std::vector<double>> load_picture() {
    const std::string path = asset_path("picture.pgm");
    std::istringstream in(read_file(path, 1 << 20));
    std::string magic;
    int64_t w = 0, h = 0, maxval = 0;
    in >> magic >> w >> h >> maxval;
    if (!in || magic != "P2" || w < 1 || h < 1 || w > 4096 || h > 4096 || maxval < 1 || maxval > 65535)
        throw UserError("'" + path + "' is not a plain PGM picture (P2, at most 4096x4096)");
    std::vector<std::vector<double>> rows(static_cast<std::size_t>(h), std::vector<double>(static_cast<std::size_t>(w)));
    for (auto& row : rows)
        for (double& v : row) {
            int64_t p = -1;
            in >> p;
            if (!in || p < 0 || p > maxval) throw UserError("'" + path + "' ends early or has a value above its maximum");
            v = double(p) / double(maxval);
        }
    return rows;
}

/// One kH x kW kernel of a named pattern (the same for every channel pair).
std::vector<double> pattern_kernel(KernelPattern p, int64_t kH, int64_t kW) {
    std::vector<double> k(std::size_t(kH * kW), 0.0);
    const int64_t cy = (kH - 1) / 2, cx = (kW - 1) / 2;
    auto at = [&](int64_t y, int64_t x) -> double& { return k[std::size_t(y * kW + x)]; };
    switch (p) {
        case KernelPattern::Identity: at(cy, cx) = 1; break;
        case KernelPattern::Box:
            for (double& v : k) v = 1.0 / double(kH * kW);
            break;
        case KernelPattern::Ones:
            for (double& v : k) v = 1.0;
            break;
        case KernelPattern::Sobel: {
            // Sobel's 3x3 is [1 2 1]^T x [-1 0 1]: binomial smoothing down the rows times a
            // central difference across the columns; the same rule for any size.
            for (int64_t y = 0; y < kH; ++y) {
                double binom = 1;  // C(kH-1, y)
                for (int64_t i = 0; i < y; ++i) binom = binom * double(kH - 1 - i) / double(i + 1);
                for (int64_t x = 0; x < kW; ++x) at(y, x) = binom * (double(x) - double(kW - 1) / 2.0);
            }
            break;
        }
        case KernelPattern::Laplacian: {
            // The 5-point stencil: each 4-neighbour of the centre 1, the centre minus their count.
            int64_t n = 0;
            const int64_t dy[4] = {-1, 1, 0, 0}, dx[4] = {0, 0, -1, 1};
            for (int i = 0; i < 4; ++i) {
                const int64_t y = cy + dy[i], x = cx + dx[i];
                if (y >= 0 && y < kH && x >= 0 && x < kW) {
                    at(y, x) = 1;
                    ++n;
                }
            }
            at(cy, cx) = -double(n);
            break;
        }
        case KernelPattern::Random:
        case KernelPattern::Integers:
        case KernelPattern::Custom: break;  // filled by the caller
    }
    return k;
}

ConvWeights make_weights(const Session& s, const Layer& L, bool animated, std::mt19937_64& rng) {
    ConvWeights w;
    const auto shape = weight_shape(L);
    w.weight = make_tensor(shape[0], shape[1], shape[2], shape[3], "the weight");
    const KernelPattern p = s.kernel == KernelPattern::Custom && !animated ? KernelPattern::Random : s.kernel;
    if (p == KernelPattern::Random) {
        fill_random(w.weight, rng);
    } else if (p == KernelPattern::Integers) {
        fill_integers(w.weight, rng, -1, 2);
    } else {
        std::vector<double> k = p == KernelPattern::Custom ? s.custom_kernel : pattern_kernel(p, L.kernel.h, L.kernel.w);
        k.resize(std::size_t(L.kernel.h * L.kernel.w), 0.0);
        const std::size_t taps = k.size();
        for (std::size_t i = 0; i < w.weight.size(); ++i) w.weight.data()[i] = k[i % taps];
    }
    w.has_bias = L.bias;
    if (L.bias) w.bias = xt::zeros<double>({std::size_t(L.out_channels)});
    return w;
}

}  // namespace

Session session_from_preset(const std::string& name) {
    const Preset& p = find_preset(name);
    Session s;
    s.preset = p.name;
    s.input_shape = p.input_shape;
    s.layers = p.layers;
    s.style = p.style;
    // The receptive-field stacks open on their last layer: hovering its output shows the
    // field through the whole stack (the holes of gridding are the point).
    if (p.name == "gridding" || p.name == "hybrid-dilation" || p.name == "wavenet")
        s.layer_index = std::int64_t(s.layers.size()) - 1;
    // The guide's figures and the small teaching maps hold whole numbers (inputs 0..3,
    // weights -1..2), so a student can check every product and sum by hand.
    const bool small = p.input_shape[2] * p.input_shape[3] <= 64 && p.name.rfind("lab-", 0) != 0;
    if (p.name.rfind("arith-", 0) == 0 || small) {
        s.input = InputPattern::Integers;
        s.kernel = KernelPattern::Integers;
    }
    return s;
}

json session_to_json(const Session& s) {
    json j;
    j["convscope_session"] = kSessionVersion;
    j["preset"] = s.preset;
    j["input_shape"] = s.input_shape;
    j["layers"] = json::array();
    for (const Layer& L : s.layers) j["layers"].push_back(layer_to_json(L));
    j["layer_index"] = s.layer_index;
    j["seed"] = s.seed;
    j["input"] = input_pattern_name(s.input);
    j["kernel"] = kernel_pattern_name(s.kernel);
    if (s.kernel == KernelPattern::Custom) j["custom_kernel"] = s.custom_kernel;
    j["in_channel"] = s.in_channel;
    j["out_channel"] = s.out_channel;
    j["view"] = s.view == TransposedView::Scatter ? "scatter" : "convolution";
    j["granularity"] = s.granularity ? granularity_name(*s.granularity) : "auto";
    j["frame"] = s.frame;
    j["theme"] = s.dark ? "dark" : "light";
    if (s.input == InputPattern::Image) {
        j["image"] = s.image_path;
        j["image_max_side"] = s.image_max_side;
    }
    j["style"] = scene_style_name(s.style);
    if (s.lab) j["lab"] = lab_save_to_json(*s.lab);
    j["pass"] = pass_name(s.pass);
    return j;
}

Session session_from_json(const json& j) {
    want_object(j, "the session");
    if (!j.contains("convscope_session"))
        throw UserError("the file is not a ConvScope session (no \"convscope_session\" version field)");
    const int64_t version = want_int(j.at("convscope_session"), "convscope_session");
    if (version < 1) throw UserError("convscope_session version " + std::to_string(version) + " is not a valid version");
    if (version > kSessionVersion)
        throw UserError("the session has version " + std::to_string(version) + ", newer than this ConvScope reads (" +
                        std::to_string(kSessionVersion) + "); update ConvScope to open it");
    Session s;
    auto has = [&](const char* k) { return j.contains(k) && !j.at(k).is_null(); };
    if (has("preset")) s.preset = want_string(j.at("preset"), "preset").substr(0, 200);
    if (!has("input_shape")) throw UserError("input_shape is missing");
    const json& shape = j.at("input_shape");
    if (!shape.is_array() || shape.size() != 4)
        throw UserError("input_shape must be [N, C, H, W], got " + shape.dump().substr(0, 60));
    for (std::size_t i = 0; i < 4; ++i) {
        s.input_shape[i] = want_int(shape[i], "input_shape");
        if (s.input_shape[i] < 1) throw UserError("input_shape " + shape.dump() + " has a size below 1");
    }
    checked_elements(s.input_shape[0], s.input_shape[1], s.input_shape[2], s.input_shape[3], "the input");
    if (!has("layers") || !j.at("layers").is_array() || j.at("layers").empty())
        throw UserError("layers must be a non-empty list of layers");
    if (j.at("layers").size() > 128) throw UserError("layers has " + std::to_string(j.at("layers").size()) + " layers (limit 128)");
    for (std::size_t i = 0; i < j.at("layers").size(); ++i) {
        const json& l = j.at("layers")[i];
        const std::string where = "layers[" + std::to_string(i) + "]";
        want_object(l, where);
        if (!l.contains("op")) throw UserError(where + ".op is missing");
        s.layers.push_back(layer_from_json(want_string(l.at("op"), where + ".op"), l, where));
    }
    if (has("layer_index")) s.layer_index = want_int(j.at("layer_index"), "layer_index");
    if (s.layer_index < 0 || s.layer_index >= int64_t(s.layers.size()))
        throw UserError("layer_index " + std::to_string(s.layer_index) + " is outside the " +
                        counted(int64_t(s.layers.size()), "layer"));
    if (has("seed")) {
        const int64_t seed = want_int(j.at("seed"), "seed");
        if (seed < 0 || seed > int64_t(UINT32_MAX)) throw UserError("seed " + std::to_string(seed) + " must be in 0..4294967295");
        s.seed = std::uint32_t(seed);
    }
    if (has("input")) s.input = parse_enum<InputPattern, kInputPatternCount>(j.at("input"), "input", input_pattern_name);
    if (has("kernel")) s.kernel = parse_enum<KernelPattern, kKernelPatternCount>(j.at("kernel"), "kernel", kernel_pattern_name);
    if (s.kernel == KernelPattern::Custom) {
        const Layer& L = s.layers[std::size_t(s.layer_index)];
        if (!has("custom_kernel") || !j.at("custom_kernel").is_array())
            throw UserError("custom_kernel must list the kernel's taps when kernel is 'custom'");
        const json& k = j.at("custom_kernel");
        if (int64_t(k.size()) != L.kernel.h * L.kernel.w)
            throw UserError("custom_kernel has " + std::to_string(k.size()) + " taps but the " + std::to_string(L.kernel.h) +
                            "x" + std::to_string(L.kernel.w) + " kernel needs " + std::to_string(L.kernel.h * L.kernel.w));
        for (const json& v : k) {
            if (!v.is_number() || !std::isfinite(v.get<double>())) throw UserError("custom_kernel holds a value that is not a number");
            s.custom_kernel.push_back(v.get<double>());
        }
    }
    if (has("in_channel")) s.in_channel = want_int(j.at("in_channel"), "in_channel");
    if (has("out_channel")) s.out_channel = want_int(j.at("out_channel"), "out_channel");
    if (s.in_channel < 0 || s.out_channel < 0) throw UserError("in_channel and out_channel must not be negative");
    if (has("view")) {
        const std::string v = want_string(j.at("view"), "view");
        if (v == "scatter") s.view = TransposedView::Scatter;
        else if (v == "convolution") s.view = TransposedView::AsConvolution;
        else throw UserError("view '" + v.substr(0, 40) + "' is unknown: expected scatter or convolution");
    }
    if (has("granularity")) {
        const std::string g = want_string(j.at("granularity"), "granularity");
        if (g != "auto") s.granularity = parse_granularity(g);
    }
    if (has("frame")) s.frame = std::max<int64_t>(0, want_int(j.at("frame"), "frame"));
    if (has("theme")) {
        const std::string t = want_string(j.at("theme"), "theme");
        if (t != "dark" && t != "light") throw UserError("theme '" + t.substr(0, 40) + "' is unknown: expected dark or light");
        s.dark = t == "dark";
    }
    if (has("image_max_side")) {
        s.image_max_side = want_int(j.at("image_max_side"), "image_max_side");
        if (s.image_max_side < 1 || s.image_max_side > kMaxImageSide)
            throw UserError("image_max_side " + std::to_string(s.image_max_side) + " must be in 1.." +
                            std::to_string(kMaxImageSide));
    }
    if (s.input == InputPattern::Image) {
        if (!has("image")) throw UserError("input is 'image' but the session names no picture file (\"image\")");
        s.image_path = want_string(j.at("image"), "image");
        std::string note;
        s.image = std::make_shared<const Picture>(fit_picture(read_picture(s.image_path), s.image_max_side, &note));
        s.image_note = note;
    }
    if (has("style")) s.style = parse_scene_style(want_string(j.at("style"), "style"));
    if (version >= 2 && has("lab")) s.lab = std::make_shared<const LabSave>(lab_save_from_json(j.at("lab")));
    if (has("pass")) {
        const std::string p = want_string(j.at("pass"), "pass");
        if (p == "forward") s.pass = Pass::Forward;
        else if (p == "backward") s.pass = Pass::Backward;
        else throw UserError("pass '" + p.substr(0, 40) + "' is unknown: expected forward or backward");
    }
    return s;
}

std::string use_picture(Session& s, const std::string& path) {
    if (s.image_max_side < 1 || s.image_max_side > kMaxImageSide)
        throw UserError("image_max_side " + std::to_string(s.image_max_side) + " must be in 1.." + std::to_string(kMaxImageSide));
    std::string scaled;
    auto picture = std::make_shared<const Picture>(fit_picture(read_picture(path), s.image_max_side, &scaled));
    // Channels: what the first layer with weights reads, if the stack starts with one.
    std::int64_t channels = picture->channels;
    if (!s.layers.empty() && s.layers.front().is_conv()) channels = s.layers.front().in_channels;
    std::string converted;
    (void)picture_to_tensor(*picture, channels, &converted);  // the same conversion make_input makes
    s.input_shape = {1, channels, picture->height, picture->width};
    s.input = InputPattern::Image;
    s.image_path = path;
    s.image = std::move(picture);
    s.image_note = !scaled.empty() && !converted.empty() ? scaled + "; " + converted : scaled + converted;
    return s.image_note;
}

void save_session(const Session& s, const std::string& path) {
    write_file_atomically(path, session_to_json(s).dump(2) + "\n");
}

Session load_session(const std::string& path) {
    return session_from_json(parse_json_text(read_file(path, kMaxSessionBytes), "'" + path + "'"));
}

Tensor4 make_input(const Session& s) {
    const auto& sh = s.input_shape;
    Tensor4 x = make_tensor(sh[0], sh[1], sh[2], sh[3], "the input");
    const int64_t H = sh[2], W = sh[3];
    if (s.input == InputPattern::Random || s.input == InputPattern::Integers) {
        std::mt19937_64 rng(s.seed);
        if (s.input == InputPattern::Integers) fill_integers(x, rng, 0, 3);
        else fill_random(x, rng);
        return x;
    }
    if (s.input == InputPattern::Image) {
        if (!s.image) throw UserError("the input is a picture file, but no picture is open");
        // The user may have changed the input size since: resample the picture to it.
        const Picture resized = (s.image->height == H && s.image->width == W) ? *s.image : resize_area(*s.image, H, W);
        const Tensor4 one = picture_to_tensor(resized, sh[1]);
        for (int64_t n = 0; n < sh[0]; ++n)
            for (int64_t ch = 0; ch < sh[1]; ++ch) std::copy(&one(0, ch, 0, 0), &one(0, ch, 0, 0) + H * W, &x(n, ch, 0, 0));
        return x;
    }
    std::vector<std::vector<double>> picture;
    if (s.input == InputPattern::Picture) picture = load_picture();
    std::vector<double> plane(std::size_t(H * W));
    for (int64_t r = 0; r < H; ++r)
        for (int64_t c = 0; c < W; ++c) {
            double v = 0;
            switch (s.input) {
                case InputPattern::Ones: v = 1; break;
                case InputPattern::Ramp: v = double(r + c); break;
                case InputPattern::Impulse: v = (r == H / 2 && c == W / 2) ? 1 : 0; break;
                case InputPattern::Checkerboard: v = double((r + c) % 2); break;
                case InputPattern::Picture: {
                    // nearest neighbour, sampling at cell centres
                    const std::size_t py = std::size_t((2 * r + 1) * int64_t(picture.size()) / (2 * H));
                    const std::size_t px = std::size_t((2 * c + 1) * int64_t(picture[0].size()) / (2 * W));
                    v = two_decimals(picture[py][px]);
                    break;
                }
                case InputPattern::Random:
                case InputPattern::Integers:
                case InputPattern::Image: break;  // returned above
            }
            plane[std::size_t(r * W + c)] = v;
        }
    for (int64_t n = 0; n < sh[0]; ++n)
        for (int64_t ch = 0; ch < sh[1]; ++ch) std::copy(plane.begin(), plane.end(), &x(n, ch, 0, 0));
    return x;
}

namespace {

/// A Python string literal of `text` (single quotes, backslashes and quotes escaped).
std::string python_string(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\\' || c == '\'') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "'";
}

/// The lines that load the session's picture file at its input size.
std::vector<std::string> picture_input_code(const Session& s) {
    const auto& sh = s.input_shape;
    const std::int64_t file_channels = s.image ? s.image->channels : 3;
    // make_input: 1 channel takes the luma (PIL's convert('L') is the same BT.601 mix);
    // otherwise the picture's own channels, repeated in turn to fill C.
    const bool grey = sh[1] == 1 || file_channels == 1;
    const std::int64_t k = grey ? 1 : 3;
    std::vector<std::string> lines = {"from PIL import Image", "import torch", "import torch.nn.functional as F",
                                      "import torchvision.transforms.functional as TF"};
    lines.push_back("img = Image.open(" + python_string(s.image_path) + ").convert('" + (grey ? "L" : "RGB") + "')");
    lines.push_back("x = TF.to_tensor(img).unsqueeze(0)  # 1x" + std::to_string(k) + "xHxW, values 0..1");
    lines.push_back("# each cell the mean of the pixels it covers:");
    lines.push_back("x = F.interpolate(x, size=(" + std::to_string(sh[2]) + ", " + std::to_string(sh[3]) + "), mode='area')");
    if (sh[1] != k)
        lines.push_back("x = x[:, torch.arange(" + std::to_string(sh[1]) + ") % " + std::to_string(k) + "]  # channels repeated in turn");
    if (sh[0] != 1) lines.push_back("x = x.repeat(" + std::to_string(sh[0]) + ", 1, 1, 1)");
    return lines;
}

}  // namespace

std::vector<std::string> input_code(const Session& s) {
    const auto& sh = s.input_shape;
    const std::string dims = std::to_string(sh[0]) + ", " + std::to_string(sh[1]) + ", " + std::to_string(sh[2]) + ", " +
                             std::to_string(sh[3]);
    // Every cell of every channel alike: one plane, broadcast (expand) to the shape.
    const std::string plane_to_shape = ".double().expand(" + dims + ")";
    const std::string rows_plus_cols = "(torch.arange(" + std::to_string(sh[2]) + ")[:, None] + torch.arange(" + std::to_string(sh[3]) + "))";
    switch (s.input) {
        case InputPattern::Image:
            if (!s.image_path.empty()) return picture_input_code(s);
            break;
        case InputPattern::Ones: return {"x = torch.ones(" + dims + ")"};
        case InputPattern::Ramp: return {"x = " + rows_plus_cols + plane_to_shape + "  # x[.., r, c] = r + c"};
        case InputPattern::Checkerboard: return {"x = (" + rows_plus_cols + " % 2)" + plane_to_shape};
        case InputPattern::Impulse:
            return {"x = torch.zeros(" + dims + ")",
                    "x[..., " + std::to_string(sh[2] / 2) + ", " + std::to_string(sh[3] / 2) + "] = 1"};
        case InputPattern::Picture:
            return {"# ConvScope's built-in picture (no file):", "x = torch.rand(" + dims + ")  # stands in for it"};
        case InputPattern::Integers:
            return {"x = torch.randint(0, 4, (" + dims + ")).double()  # whole numbers 0..3 (ConvScope draws its own)"};
        case InputPattern::Random: break;
    }
    return {"x = torch.randn(" + dims + ")"};
}

LayerData make_layer_data(const Session& s) {
    if (s.layers.empty()) throw UserError("the session has no layers");
    const int64_t idx = std::clamp<int64_t>(s.layer_index, 0, int64_t(s.layers.size()) - 1);
    std::mt19937_64 rng(std::uint64_t(s.seed) * 0x9E3779B97F4A7C15ull + 1);  // weights: a stream apart from the input's
    Tensor4 x = make_input(s);
    for (int64_t i = 0; i < idx; ++i) {
        const Layer& L = s.layers[std::size_t(i)];
        x = apply_layer(x, L.is_conv() ? make_weights(s, L, false, rng) : ConvWeights{}, L);
    }
    const Layer& L = s.layers[std::size_t(idx)];
    // The step engine says which kinds it animates (convolutions and pools).
    ConvWeights w = has_weights(L.kind) ? make_weights(s, L, true, rng) : ConvWeights{};
    return {L, std::move(x), std::move(w)};
}

std::vector<Tensor4> stack_activations(const Session& s) {
    if (s.layers.empty()) throw UserError("the session has no layers");
    const int64_t animated = std::clamp<int64_t>(s.layer_index, 0, int64_t(s.layers.size()) - 1);
    std::mt19937_64 rng(std::uint64_t(s.seed) * 0x9E3779B97F4A7C15ull + 1);  // as make_layer_data
    std::vector<Tensor4> maps;
    maps.reserve(s.layers.size() + 1);
    maps.push_back(make_input(s));
    for (int64_t i = 0; i < int64_t(s.layers.size()); ++i) {
        const Layer& L = s.layers[std::size_t(i)];
        const ConvWeights w = L.is_conv() ? make_weights(s, L, i == animated, rng) : ConvWeights{};
        maps.push_back(apply_layer(maps.back(), w, L));
    }
    return maps;
}

LayerData stack_layer_data(const Session& s, int64_t layer) {
    if (s.layers.empty()) throw UserError("the session has no layers");
    const int64_t last = std::clamp<int64_t>(layer, 0, int64_t(s.layers.size()) - 1);
    const int64_t animated = std::clamp<int64_t>(s.layer_index, 0, int64_t(s.layers.size()) - 1);
    std::mt19937_64 rng(std::uint64_t(s.seed) * 0x9E3779B97F4A7C15ull + 1);  // as make_layer_data
    Tensor4 x = make_input(s);
    for (int64_t i = 0;; ++i) {
        const Layer& L = s.layers[std::size_t(i)];
        ConvWeights w = L.is_conv() ? make_weights(s, L, i == animated, rng) : ConvWeights{};
        if (i == last) return {L, std::move(x), std::move(w)};
        x = apply_layer(x, w, L);
    }
}

RfStack session_rf_stack(const Session& s, int64_t layer, int64_t row, int64_t col) {
    RfStack st;
    st.input_size = {s.input_shape[2], s.input_shape[3]};
    const int64_t last = std::clamp<int64_t>(layer, 0, int64_t(s.layers.size()) - 1);
    st.layers.assign(s.layers.begin(), s.layers.begin() + last + 1);
    st.output_cell = {row, col};
    return st;
}

const char* pass_name(Pass p) { return p == Pass::Backward ? "backward" : "forward"; }

namespace {

/// Where the backward caption splits into the scene's caption and the line under it.


/// "ConvTranspose2d(16, 3, k=3, s=1, p=2, d=2)": the layer in the caption's words.
std::string op_signature(const Layer& L) {
    auto pair = [](const char* key, std::int64_t h, std::int64_t w) {
        return std::string(", ") + key + "=" + (h == w ? std::to_string(h) : "(" + std::to_string(h) + ", " + std::to_string(w) + ")");
    };
    std::string t = std::string(class_name(L.kind)) + "(" + std::to_string(L.in_channels) + ", " + std::to_string(L.out_channels);
    t += pair("k", L.kernel.h, L.kernel.w) + pair("s", L.stride.h, L.stride.w) +
         pair("p", L.padding.value.h, L.padding.value.w) + pair("d", L.dilation.h, L.dilation.w);
    if (L.output_padding.h || L.output_padding.w) t += pair("output_padding", L.output_padding.h, L.output_padding.w);
    if (L.groups != 1) t += ", groups=" + std::to_string(L.groups);
    return t + ")";
}

}  // namespace

Animation::Animation(const Session& s)
    : data_(make_layer_data(s)), layer_index_(std::clamp<int64_t>(s.layer_index, 0, int64_t(s.layers.size()) - 1)), view_(s.view) {
    if (s.pass == Pass::Backward) {
        // grad_input = (the transposed op)(grad_output) with the same weights; the bias
        // has no part in it (the gradient is linear in grad_output).
        const auto& xs = data_.input.shape();
        const Layer gradient_layer = input_gradient_layer(data_.layer, int64_t(xs[2]), int64_t(xs[3]));
        const LayerGeometry geo = resolve_layer(data_.layer, int64_t(xs[0]), int64_t(xs[1]), int64_t(xs[2]), int64_t(xs[3]));
        Tensor4 grad_output = make_tensor(geo.batch, geo.out_channels, geo.h().out, geo.w().out, "grad_output");
        std::mt19937_64 rng(std::uint64_t(s.seed) * 0x2545F4914F6CDD1Dull + 7);  // a stream apart from input and weights
        fill_random(grad_output, rng);
        backward_caption_ = "grad_input = " + op_signature(gradient_layer) + " of grad_output (random, seed " +
                            std::to_string(s.seed) + ") with the same weights" + Animation::kTransposeOf + class_name(data_.layer.kind);
        ConvWeights same;
        same.weight = data_.weights.weight;
        forward_ = std::move(data_);
        data_ = {gradient_layer, std::move(grad_output), std::move(same)};
        backward_ = true;
    }
    const int64_t channels = channels_after(data_.layer, int64_t(data_.input.shape()[1]));
    out_channel_ = std::clamp<int64_t>(s.out_channel, 0, channels - 1);
    const StepEngine& e = engine_for(out_channel_);
    timeline_.steps = e.step_count();
    timeline_.taps_per_step = e.taps_per_step();
    timeline_.row_length = e.step_row_length();
    timeline_.channels = channels;
    timeline_.channel = out_channel_;
    timeline_.granularity = s.granularity ? *s.granularity : auto_granularity(timeline_.steps, timeline_.taps_per_step, timeline_.row_length);
    // The scatter view of a padded transposed layer ends with the crop: the taps that
    // landed on the ring around the output are thrown away.
    if (e.is_scatter()) {
        const auto& g = e.geometry();
        auto crops = [](const AxisGeometry& a) { return a.pad_before > 0 || (a.in - 1) * a.stride - a.pad_before + a.span() > a.out; };
        timeline_.crop_act = crops(g.h()) || crops(g.w());
    }
}

const StepEngine& Animation::engine_for(int64_t out_channel) const {
    out_channel = std::clamp<int64_t>(out_channel, 0, channels_after(data_.layer, int64_t(data_.input.shape()[1])) - 1);
    auto& slot = engines_[out_channel];
    if (!slot && backward_) {
        const auto& xs = forward_.input.shape();
        slot = std::make_unique<StepEngine>(input_gradient_steps(forward_.layer, {int64_t(xs[0]), int64_t(xs[1]), int64_t(xs[2]), int64_t(xs[3])},
                                                                 forward_.weights, data_.input, 0, out_channel));
    }
    if (!slot) slot = std::make_unique<StepEngine>(data_.layer, data_.input, data_.weights, 0, out_channel, view_);
    return *slot;
}

std::array<double, 2> Animation::output_range(int64_t out_channel) const {
    if (!final_output_) final_output_ = apply_layer(data_.input, data_.weights, data_.layer);
    const Tensor4& y = *final_output_;
    out_channel = std::clamp<int64_t>(out_channel, 0, int64_t(y.shape()[1]) - 1);
    const double* p = &y(0, out_channel, 0, 0);
    const auto [lo, hi] = std::minmax_element(p, p + y.shape()[2] * y.shape()[3]);
    return {*lo, *hi};
}

}  // namespace convscope
