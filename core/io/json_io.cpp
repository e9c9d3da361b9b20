#include "core/io/json_io.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/base/errors.hpp"
#include "core/base/files.hpp"
#include "core/io/json_fields.hpp"

namespace convscope {

using nlohmann::json;
using std::int64_t;

namespace {

std::string type_name(const json& j) { return j.type_name(); }

}  // namespace

int64_t want_int(const json& j, const std::string& field) {
    if (j.is_number_integer()) return j.get<int64_t>();
    if (j.is_number_unsigned()) {
        const auto v = j.get<std::uint64_t>();
        if (v > std::uint64_t(INT64_MAX)) throw UserError(field + " " + j.dump() + " is too large");
        return int64_t(v);
    }
    if (j.is_number_float()) {
        const double d = j.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15) return int64_t(d);
    }
    throw UserError(field + " must be a whole number, got " + j.dump().substr(0, 60));
}

Pair want_pair(const json& j, const std::string& field) {
    if (j.is_number()) {
        const int64_t v = want_int(j, field);
        return {v, v};
    }
    if (j.is_array() && j.size() == 2) return {want_int(j[0], field), want_int(j[1], field)};
    if (j.is_array() && j.size() == 1) {
        const int64_t v = want_int(j[0], field);
        return {v, v};
    }
    throw UserError(field + " must be a number or a pair [h, w], got " + j.dump().substr(0, 60));
}

bool want_bool(const json& j, const std::string& field) {
    if (!j.is_boolean()) throw UserError(field + " must be true or false, got " + j.dump().substr(0, 60));
    return j.get<bool>();
}

std::string want_string(const json& j, const std::string& field) {
    if (!j.is_string()) throw UserError(field + " must be a string, got " + j.dump().substr(0, 60));
    return j.get<std::string>();
}

const json& want_object(const json& j, const std::string& field) {
    if (!j.is_object()) throw UserError(field + " must be a JSON object, got " + type_name(j));
    return j;
}

namespace {

/// The sizes of `where.shape`, each at least 1; with `batch_may_be_empty` the first may
/// be 0 (an empty batch, which PyTorch's layers take).
std::vector<int64_t> read_shape(const json& j, std::size_t dims, const std::string& where, bool batch_may_be_empty = false) {
    want_object(j, where);
    if (!j.contains("shape")) throw UserError(where + ".shape is missing");
    const json& s = j.at("shape");
    if (!s.is_array() || s.size() != dims)
        throw UserError(where + ".shape must be a list of " + std::to_string(dims) + " sizes, got " + s.dump().substr(0, 60));
    std::vector<int64_t> shape;
    for (const json& v : s) {
        const int64_t n = want_int(v, where + ".shape");
        if (n == 0 && batch_may_be_empty && shape.empty()) {
            shape.push_back(0);
            continue;
        }
        if (n < 1)
            throw UserError(where + ".shape " + s.dump() + " has a size below 1" +
                            (batch_may_be_empty && !shape.empty() ? " (only the batch, N, may be 0)" : ""));
        shape.push_back(n);
    }
    return shape;
}

void read_data(const json& j, std::size_t expected, double* out, const std::string& where) {
    if (!j.contains("data")) throw UserError(where + ".data is missing");
    const json& d = j.at("data");
    if (!d.is_array()) throw UserError(where + ".data must be a list of numbers");
    if (d.size() != expected)
        throw UserError(where + ".data has " + std::to_string(d.size()) + " numbers but its shape needs " +
                        std::to_string(expected));
    std::size_t i = 0;
    for (const json& v : d) {
        if (!v.is_number()) throw UserError(where + ".data[" + std::to_string(i) + "] is not a number");
        out[i++] = v.get<double>();
    }
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& what) {
    // nlohmann's parser recurses: refuse absurd nesting before it can exhaust the stack.
    int depth = 0, max_depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') max_depth = std::max(max_depth, ++depth);
        else if (c == ']' || c == '}') --depth;
    }
    if (max_depth > 64) throw UserError(what + " is nested " + std::to_string(max_depth) + " levels deep (limit 64)");
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        // parse_error, and also out_of_range for a number beyond double (found by fuzzing:
        // "1E459796211915" made nlohmann throw a type the reader did not catch).
        std::string msg = e.what();
        const auto p = msg.find("] ");
        throw UserError(what + " is not valid JSON (" + (p == std::string::npos ? msg : msg.substr(p + 2)) + ")");
    }
}

json read_json_file(const std::string& path) {
    return parse_json_text(read_file(path, kMaxJsonBytes), "'" + path + "'");
}

namespace {

/// A JSON number (integer or not) as a double.
double want_number(const json& j, const std::string& field) {
    if (!j.is_number()) throw UserError(field + " must be a number, got " + j.dump().substr(0, 60));
    return j.get<double>();
}

/// nn.Upsample's scale_factor: a number or a pair [h, w] of numbers.
std::array<double, 2> want_scale_pair(const json& j, const std::string& field) {
    if (j.is_number()) return {j.get<double>(), j.get<double>()};
    if (j.is_array() && j.size() == 2 && j[0].is_number() && j[1].is_number()) return {j[0].get<double>(), j[1].get<double>()};
    throw ParameterError("scale_factor", field + " must be a number or a pair [h, w] of numbers, got " + j.dump().substr(0, 60));
}

/// The window parameters of convolutions and pools.
void read_window_fields(Layer& L, const json& p, const std::string& w) {
    auto has = [&](const char* k) { return p.contains(k) && !p.at(k).is_null(); };
    if (!has("kernel_size")) throw UserError(w + "kernel_size is missing");
    L.kernel = want_pair(p.at("kernel_size"), w + "kernel_size");
    if (L.is_pool()) L.stride = L.kernel;
    if (has("in_channels")) L.in_channels = want_int(p.at("in_channels"), w + "in_channels");
    if (has("out_channels")) L.out_channels = want_int(p.at("out_channels"), w + "out_channels");
    if (has("stride")) L.stride = want_pair(p.at("stride"), w + "stride");
    if (has("dilation")) L.dilation = want_pair(p.at("dilation"), w + "dilation");
    if (has("output_padding")) L.output_padding = want_pair(p.at("output_padding"), w + "output_padding");
    if (has("groups")) L.groups = want_int(p.at("groups"), w + "groups");
    if (has("bias")) L.bias = want_bool(p.at("bias"), w + "bias");
    if (has("ceil_mode")) L.ceil_mode = want_bool(p.at("ceil_mode"), w + "ceil_mode");
    if (has("count_include_pad")) L.count_include_pad = want_bool(p.at("count_include_pad"), w + "count_include_pad");
    if (has("padding_mode")) L.padding_mode = parse_padding_mode(want_string(p.at("padding_mode"), w + "padding_mode"));
    if (has("padding")) {
        const json& pad = p.at("padding");
        if (pad.is_string()) {
            const std::string s = pad.get<std::string>();
            if (s == "same") L.padding.kind = PaddingKind::Same;
            else if (s == "valid") L.padding.kind = PaddingKind::Valid;
            else throw UserError(w + "padding '" + s.substr(0, 40) + "' is unknown: use a number, a pair, \"same\" or \"valid\"");
        } else {
            L.padding.value = want_pair(pad, w + "padding");
        }
    }
}

}  // namespace

Layer layer_from_json(const std::string& op, const json& p, const std::string& where) {
    want_object(p, where);
    Layer L;
    L.kind = parse_op_name(op);
    auto has = [&](const char* k) { return p.contains(k) && !p.at(k).is_null(); };
    const std::string w = where.empty() ? "" : where + ".";
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: read_window_fields(L, p, w); break;
        case LayerKind::Upsample:
            if (has("mode")) L.upsample_mode = parse_upsample_mode(want_string(p.at("mode"), w + "mode"));
            if (has("scale_factor")) L.scale_factor = want_scale_pair(p.at("scale_factor"), w + "scale_factor");
            if (has("size")) L.size = want_pair(p.at("size"), w + "size");
            if (has("align_corners")) L.align_corners = want_bool(p.at("align_corners"), w + "align_corners");
            if (has("recompute_scale_factor"))
                L.recompute_scale_factor = want_bool(p.at("recompute_scale_factor"), w + "recompute_scale_factor");
            break;
        case LayerKind::PixelShuffle:
            if (!has("upscale_factor")) throw UserError(w + "upscale_factor is missing");
            L.shuffle_factor = want_int(p.at("upscale_factor"), w + "upscale_factor");
            break;
        case LayerKind::PixelUnshuffle:
            if (!has("downscale_factor")) throw UserError(w + "downscale_factor is missing");
            L.shuffle_factor = want_int(p.at("downscale_factor"), w + "downscale_factor");
            break;
        case LayerKind::LeakyReLU:
            if (has("negative_slope")) L.negative_slope = want_number(p.at("negative_slope"), w + "negative_slope");
            break;
        case LayerKind::ReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    if (has("name")) L.name = want_string(p.at("name"), w + "name").substr(0, 64);
    return L;
}

json layer_to_json(const Layer& L) {
    json j;
    j["op"] = op_name(L.kind);
    auto pair = [](const Pair& p) { return json::array({p.h, p.w}); };
    auto window = [&] {
        j["kernel_size"] = pair(L.kernel);
        j["stride"] = pair(L.stride);
        if (L.padding.kind == PaddingKind::Same) j["padding"] = "same";
        else if (L.padding.kind == PaddingKind::Valid) j["padding"] = "valid";
        else j["padding"] = pair(L.padding.value);
        j["dilation"] = pair(L.dilation);
    };
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
            j["in_channels"] = L.in_channels;
            j["out_channels"] = L.out_channels;
            window();
            if (L.kind == LayerKind::ConvTranspose2d) j["output_padding"] = pair(L.output_padding);
            j["groups"] = L.groups;
            j["bias"] = L.bias;
            j["padding_mode"] = padding_mode_name(L.padding_mode);
            break;
        case LayerKind::MaxPool2d:
            window();
            j["ceil_mode"] = L.ceil_mode;
            break;
        case LayerKind::AvgPool2d:
            window();
            j["ceil_mode"] = L.ceil_mode;
            j["count_include_pad"] = L.count_include_pad;
            break;
        case LayerKind::Upsample:
            j["mode"] = upsample_mode_name(L.upsample_mode);
            if (L.scale_factor) j["scale_factor"] = json::array({(*L.scale_factor)[0], (*L.scale_factor)[1]});
            if (L.size) j["size"] = pair(*L.size);
            if (L.align_corners) j["align_corners"] = *L.align_corners;
            if (L.recompute_scale_factor) j["recompute_scale_factor"] = true;
            break;
        case LayerKind::PixelShuffle: j["upscale_factor"] = L.shuffle_factor; break;
        case LayerKind::PixelUnshuffle: j["downscale_factor"] = L.shuffle_factor; break;
        case LayerKind::LeakyReLU: j["negative_slope"] = L.negative_slope; break;
        case LayerKind::ReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    if (!L.name.empty()) j["name"] = L.name;
    return j;
}

namespace {

/// The data must hold as many numbers as the shape says, checked before allocating:
/// a small file claiming a 2^28-element shape is refused without touching 2 GiB.
void check_data_count(const json& j, std::int64_t expected, const std::string& where) {
    if (!j.contains("data")) throw UserError(where + ".data is missing");
    const json& d = j.at("data");
    if (!d.is_array()) throw UserError(where + ".data must be a list of numbers");
    if (std::int64_t(d.size()) != expected)
        throw UserError(where + ".data has " + std::to_string(d.size()) + " numbers but its shape needs " + std::to_string(expected));
}

}  // namespace

Tensor4 tensor_from_json(const json& j, const std::string& where, bool batch_may_be_empty) {
    const auto s = read_shape(j, 4, where, batch_may_be_empty);
    check_data_count(j, checked_elements(s[0], s[1], s[2], s[3], where), where);
    Tensor4 t = make_tensor(s[0], s[1], s[2], s[3], where.c_str());
    read_data(j, t.size(), t.data(), where);
    return t;
}

Tensor1 vector_from_json(const json& j, const std::string& where) {
    const auto s = read_shape(j, 1, where);
    check_data_count(j, checked_elements(s[0], 1, 1, 1, where), where);
    Tensor1 t = Tensor1::from_shape({std::size_t(s[0])});
    read_data(j, t.size(), t.data(), where);
    return t;
}

ConvCase case_from_json(const json& j) {
    want_object(j, "the case");
    ConvCase c;
    if (j.contains("name") && j.at("name").is_string()) c.name = j.at("name").get<std::string>();
    if (!j.contains("op")) throw UserError("op is missing");
    const std::string op = want_string(j.at("op"), "op");
    const LayerKind kind = parse_op_name(op);
    if (!j.contains("params")) throw UserError("params is missing");
    c.layer = layer_from_json(op, j.at("params"), "params");
    if (!j.contains("input")) throw UserError("input is missing");
    c.input = tensor_from_json(j.at("input"), "input", true);
    if (!has_weights(kind)) {
        for (const char* k : {"weight", "bias"})
            if (j.contains(k) && !j.at(k).is_null())
                throw UserError(std::string(k) + " is given but " + op + " has no parameters (remove it or make it null)");
        if (j.contains("expected") && j.at("expected").is_object()) c.expected = tensor_from_json(j.at("expected"), "expected", true);
        if (j.contains("error") && j.at("error").is_string()) c.error = j.at("error").get<std::string>();
        return c;
    }
    if (!j.contains("weight")) throw UserError("weight is missing");
    c.weights.weight = tensor_from_json(j.at("weight"), "weight");
    if (j.contains("bias") && !j.at("bias").is_null()) {
        c.weights.bias = vector_from_json(j.at("bias"), "bias");
        c.weights.has_bias = true;
    }
    // A case without "bias" in params takes it from whether a bias tensor is given.
    const json& p = j.at("params");
    if (!p.contains("bias") || p.at("bias").is_null()) c.layer.bias = c.weights.has_bias;
    if (j.contains("expected") && j.at("expected").is_object()) c.expected = tensor_from_json(j.at("expected"), "expected", true);
    if (j.contains("error") && j.at("error").is_string()) c.error = j.at("error").get<std::string>();
    return c;
}

RfStack rf_stack_from_json(const json& j) {
    want_object(j, "the stack");
    RfStack st;
    auto read_pair = [&](const char* key) {
        if (!j.contains(key)) throw UserError(std::string(key) + " is missing");
        const json& v = j.at(key);
        if (!v.is_array() || v.size() != 2) throw UserError(std::string(key) + " must be a pair [row, col], got " + v.dump().substr(0, 60));
        return std::array<int64_t, 2>{want_int(v[0], key), want_int(v[1], key)};
    };
    st.input_size = read_pair("input_size");
    st.output_cell = read_pair("output_cell");
    if (!j.contains("layers") || !j.at("layers").is_array()) throw UserError("layers must be a list of layers");
    const json& layers = j.at("layers");
    if (layers.size() > kMaxRfLayers)
        throw UserError("the stack has " + std::to_string(layers.size()) + " layers, above the limit of " + std::to_string(kMaxRfLayers));
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string where = "layers[" + std::to_string(i) + "]";
        const json& l = layers[i];
        want_object(l, where);
        if (!l.contains("op")) throw UserError(where + ".op is missing");
        st.layers.push_back(layer_from_json(want_string(l.at("op"), where + ".op"), l, where));
    }
    return st;
}

namespace {

/// An integral value as an integer, otherwise the shortest of %.15g.
void append_number(std::string& out, double v) {
    char buf[40];
    int n;
    if (std::floor(v) == v && std::fabs(v) < 9.0e15)
        n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    else
        n = std::snprintf(buf, sizeof buf, "%.15g", v);
    out.append(buf, std::size_t(n));
}

void append_pair(std::string& out, const char* key, double a, double b) {
    out += "\"";
    out += key;
    out += "\": [";
    append_number(out, a);
    out += ", ";
    append_number(out, b);
    out += "]";
}

}  // namespace

std::string rf_result_to_json_text(const RfStack& stack, const RfResult& res) {
    std::string out = "{";
    append_pair(out, "output_cell", double(stack.output_cell[0]), double(stack.output_cell[1]));
    out += ",\n\"paths\": [";
    const bool exact = res.fits_int64();
    const int64_t H = stack.input_size[0], W = stack.input_size[1];
    out.reserve(out.size() + std::size_t(H * W * 3));
    char buf[48];
    const std::vector<int64_t> exact_map = exact ? res.exact_map() : std::vector<int64_t>{};
    const std::vector<double> approx_map = exact ? std::vector<double>{} : res.approx_map();
    for (int64_t r = 0; r < H; ++r) {
        out += r ? ",\n[" : "\n[";
        for (int64_t c = 0; c < W; ++c) {
            if (c) out += ",";
            const std::size_t i = std::size_t(r * W + c);
            const int n = exact ? std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(exact_map[i]))
                                : std::snprintf(buf, sizeof buf, "%.15g", approx_map[i]);
            out.append(buf, std::size_t(n));
        }
        out += "]";
    }
    out += "],\n\"layers\": [";
    for (std::size_t l = 0; l < res.summary.size(); ++l) {
        const RfSummary& s = res.summary[l];
        out += l ? ",\n{" : "\n{";
        append_pair(out, "output_size", double(s.output_size[0]), double(s.output_size[1]));
        out += ", ";
        append_pair(out, "rf_size", s.rf_size[0], s.rf_size[1]);
        out += ", ";
        append_pair(out, "effective_stride", s.effective_stride[0], s.effective_stride[1]);
        out += ", ";
        append_pair(out, "effective_padding", s.effective_padding[0], s.effective_padding[1]);
        out += "}";
    }
    return out + "]}";
}

namespace {

/// `{"shape": [...], "data": [...]}` of any row-major tensor.
std::string tensor_json(const std::vector<int64_t>& s, const double* data, std::size_t count) {
    std::string out = "{\"shape\": [";
    for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    out += "], \"data\": [";
    out.reserve(out.size() + count * 25);
    char buf[40];
    for (std::size_t i = 0; i < count; ++i) {
        const double v = data[i];
        if (!std::isfinite(v)) throw UserError("the output holds a non-finite value at flat index " + std::to_string(i) + " (the input values are too large)");
        const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
        if (i) out += ", ";
        out.append(buf, std::size_t(n));
    }
    return out + "]}";
}

}  // namespace

std::string tensor_to_json_text(const Tensor4& t) { return tensor_json(shape_of(t), t.data(), t.size()); }

std::string tensor_to_json_text(const Tensor1& t) { return tensor_json({int64_t(t.size())}, t.data(), t.size()); }

}  // namespace convscope
