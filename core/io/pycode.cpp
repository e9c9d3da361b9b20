#include "core/io/pycode.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

namespace convscope {

CodeError::CodeError(std::size_t column, const std::string& what)
    : UserError("column " + std::to_string(column) + ": " + what), column_(column), reason_(what) {}

namespace {

using std::int64_t;

/// A parsed argument value: an int, a string, a bool, None, a tuple of ints or a
/// nested layer call (only inside nn.Sequential).
struct Value {
    enum class Kind { Int, Float, String, Bool, None, Tuple, Call } kind = Kind::None;
    int64_t number = 0;
    double real = 0;  ///< for Int and Float
    std::string text;
    bool flag = false;
    std::vector<int64_t> tuple;
    std::vector<double> reals;      ///< the tuple's numbers as written (ints or floats)
    bool tuple_has_float = false;
    std::vector<Layer> layers;  ///< for Kind::Call
    std::vector<LayerSpan> spans;  ///< where each of `layers` is written
    std::size_t column = 0;
};

class Parser {
public:
    explicit Parser(const std::string& s) : s_(s) {}

    std::vector<Layer> parse_top(std::vector<LayerSpan>& spans) {
        skip_space();
        // Optional "name =" in front, as in `conv = nn.Conv2d(...)`.
        const std::size_t save = pos_;
        if (std::isalpha(peek()) || peek() == '_') {
            const std::string ident = read_identifier();
            skip_space();
            if (peek() == '=' && (pos_ + 1 >= s_.size() || s_[pos_ + 1] != '=') && ident.find('.') == std::string::npos) {
                ++pos_;
            } else {
                pos_ = save;
            }
        }
        skip_space();
        std::vector<Layer> layers = parse_call(spans);
        skip_space();
        if (pos_ < s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "' after the layer");
        return layers;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { throw CodeError(pos_ + 1, what); }
    [[noreturn]] void fail_at(std::size_t pos, const std::string& what) const { throw CodeError(pos + 1, what); }

    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

    void skip_space() {
        while (pos_ < s_.size()) {
            if (std::isspace(static_cast<unsigned char>(s_[pos_]))) {
                ++pos_;
            } else if (s_[pos_] == '#') {  // a comment runs to the end of the line
                while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
            } else {
                break;
            }
        }
    }

    void expect(char c, const char* context) {
        skip_space();
        if (peek() != c) {
            if (pos_ >= s_.size()) fail(std::string("expected '") + c + "' " + context + " but the code ends");
            fail(std::string("expected '") + c + "' " + context + " but found '" + s_[pos_] + "'");
        }
        ++pos_;
    }

    /// Dotted identifier: torch.nn.Conv2d
    std::string read_identifier() {
        std::string id;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' || s_[pos_] == '.'))
            id += s_[pos_++];
        return id;
    }

    /// A Python int or float literal with an optional sign: `3`, `-1`, `2.0`, `.5`,
    /// `1e3`. Ints above 2^40 are refused (no size here is near that).
    void read_number(Value& v) {
        const std::size_t start = pos_;
        bool negative = false;
        if (peek() == '-' || peek() == '+') {
            negative = peek() == '-';
            ++pos_;
            skip_space();
        }
        const std::size_t digits = pos_;
        while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
        bool is_float = false;
        if (peek() == '.') {
            is_float = true;
            ++pos_;
            while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
        }
        if (pos_ == digits || (pos_ == digits + 1 && is_float)) fail_at(digits, "expected a number");
        if (peek() == 'e' || peek() == 'E') {
            is_float = true;
            ++pos_;
            if (peek() == '-' || peek() == '+') ++pos_;
            if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("expected the exponent's digits");
            while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
        }
        if (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_')
            fail("unexpected '" + std::string(1, peek()) + "' in a number");
        const std::string text = s_.substr(digits, pos_ - digits);
        if (is_float) {
            v.kind = Value::Kind::Float;
            v.real = std::strtod(text.c_str(), nullptr);
            if (!std::isfinite(v.real)) fail_at(start, "the number " + text.substr(0, 24) + " is too large");
            if (negative) v.real = -v.real;
            return;
        }
        if (text.size() > 13 || std::stoll(text) > (int64_t{1} << 40)) fail_at(start, "number too large");
        v.kind = Value::Kind::Int;
        v.number = negative ? -std::stoll(text) : std::stoll(text);
        v.real = double(v.number);
    }

    Value parse_value(int depth) {
        skip_space();
        Value v;
        v.column = pos_ + 1;
        const char c = peek();
        if (c == '\0') fail("expected a value but the code ends");
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
            read_number(v);
            return v;
        }
        if (c == '\'' || c == '"') {
            const char quote = c;
            ++pos_;
            v.kind = Value::Kind::String;
            while (pos_ < s_.size() && s_[pos_] != quote) {
                if (s_[pos_] == '\n' || v.text.size() > 64) fail("the string is not closed");
                v.text += s_[pos_++];
            }
            if (pos_ >= s_.size()) fail("the string is not closed");
            ++pos_;
            return v;
        }
        if (c == '(' || c == '[') {
            const char close = c == '(' ? ')' : ']';
            ++pos_;
            v.kind = Value::Kind::Tuple;
            skip_space();
            while (peek() != close) {
                skip_space();
                if (!std::isdigit(static_cast<unsigned char>(peek())) && peek() != '-' && peek() != '+' && peek() != '.')
                    fail(peek() == '\0' ? "the tuple is not closed" : "expected a number in the tuple");
                if (v.reals.size() >= 8) fail("the tuple has too many numbers");
                Value n;
                read_number(n);
                v.tuple.push_back(n.number);
                v.reals.push_back(n.real);
                v.tuple_has_float |= n.kind == Value::Kind::Float;
                skip_space();
                if (peek() == ',') { ++pos_; skip_space(); continue; }
                if (peek() != close) fail(std::string("expected ',' or '") + close + "' in the tuple");
            }
            ++pos_;
            return v;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            const std::size_t start = pos_;
            const std::string id = read_identifier();
            if (id == "True" || id == "False") {
                v.kind = Value::Kind::Bool;
                v.flag = id == "True";
                return v;
            }
            if (id == "None") return v;
            pos_ = start;
            if (depth > 16) fail("nn.Sequential is nested too deeply");
            v.kind = Value::Kind::Call;
            v.layers = parse_call(v.spans, depth + 1);
            return v;
        }
        fail(std::string("unexpected '") + c + "'");
    }

    static std::string strip_prefix(const std::string& id) {
        for (const char* p : {"torch.nn.", "nn."})
            if (id.rfind(p, 0) == 0) return id.substr(std::string(p).size());
        return id;
    }

    std::vector<Layer> parse_call(std::vector<LayerSpan>& spans, int depth = 0) {
        skip_space();
        const std::size_t name_pos = pos_;
        const std::string id = read_identifier();
        if (id.empty()) fail("expected a layer such as nn.Conv2d(...)");
        const std::string cls = strip_prefix(id);
        std::optional<LayerKind> kind;
        std::string known;
        for (LayerKind k : kAllLayerKinds) {
            if (cls == class_name(k)) kind = k;
            known += std::string(class_name(k)) + ", ";
        }
        if (!kind && cls != "Sequential")
            fail_at(name_pos, "'" + id + "' is not a layer ConvScope reads (" + known + "Sequential)");
        expect('(', ("after " + id).c_str());

        std::vector<std::pair<std::string, Value>> keyword;
        std::map<std::string, std::size_t> keyword_pos;  // where each keyword's name starts
        std::vector<Value> positional;
        skip_space();
        while (peek() != ')') {
            skip_space();
            if (pos_ >= s_.size()) fail("expected ')' to close " + id + "( but the code ends");
            // keyword?
            std::size_t save = pos_;
            std::string kw;
            if (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_') {
                kw = read_identifier();
                skip_space();
                if (peek() == '=' && kw.find('.') == std::string::npos) {
                    ++pos_;
                } else {
                    kw.clear();
                    pos_ = save;
                }
            }
            Value v = parse_value(depth);
            if (kw.empty()) {
                if (!keyword.empty()) fail_at(v.column - 1, "a positional argument cannot follow keyword arguments");
                positional.push_back(std::move(v));
            } else {
                for (auto& [k, _] : keyword)
                    if (k == kw) fail_at(save, "argument '" + kw + "' is given twice");
                keyword_pos[kw] = save;
                keyword.emplace_back(kw, std::move(v));
            }
            skip_space();
            if (peek() == ',') { ++pos_; skip_space(); continue; }
            if (peek() != ')') {
                if (pos_ >= s_.size()) fail("expected ')' to close " + id + "( but the code ends");
                fail(std::string("expected ',' or ')' but found '") + s_[pos_] + "'");
            }
        }
        ++pos_;

        if (cls == "Sequential") {
            if (!keyword.empty()) fail_at(keyword.front().second.column - 1, "nn.Sequential takes layers, not keyword arguments");
            std::vector<Layer> layers;
            for (Value& v : positional) {
                if (v.kind != Value::Kind::Call) fail_at(v.column - 1, "nn.Sequential takes layers such as nn.Conv2d(...)");
                for (Layer& l : v.layers) layers.push_back(std::move(l));
                for (LayerSpan& sp : v.spans) spans.push_back(std::move(sp));
            }
            if (layers.empty()) fail_at(name_pos, "nn.Sequential() holds no layer");
            return layers;
        }
        spans.emplace_back();
        return {build_layer(*kind, name_pos, positional, keyword, keyword_pos, spans.back())};
    }

    /// PyTorch's signature of each module, in positional order.
    static std::vector<std::string> signature(LayerKind kind) {
        switch (kind) {
            case LayerKind::Conv2d:
                return {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode"};
            case LayerKind::ConvTranspose2d:
                return {"in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation", "padding_mode"};
            case LayerKind::MaxPool2d: return {"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"};
            case LayerKind::AvgPool2d:
                return {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"};
            case LayerKind::Upsample: return {"size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"};
            case LayerKind::PixelShuffle: return {"upscale_factor"};
            case LayerKind::PixelUnshuffle: return {"downscale_factor"};
            case LayerKind::ReLU: return {"inplace"};
            case LayerKind::LeakyReLU: return {"negative_slope", "inplace"};
            case LayerKind::Tanh:
            case LayerKind::Sigmoid: return {};
        }
        unreachable_kind(kind);
    }

    /// Arguments PyTorch's module cannot do without.
    static std::vector<std::string> required_arguments(LayerKind kind) {
        switch (kind) {
            case LayerKind::Conv2d:
            case LayerKind::ConvTranspose2d: return {"in_channels", "out_channels", "kernel_size"};
            case LayerKind::MaxPool2d:
            case LayerKind::AvgPool2d: return {"kernel_size"};
            case LayerKind::PixelShuffle: return {"upscale_factor"};
            case LayerKind::PixelUnshuffle: return {"downscale_factor"};
            case LayerKind::Upsample:
            case LayerKind::ReLU:
            case LayerKind::LeakyReLU:
            case LayerKind::Tanh:
            case LayerKind::Sigmoid: return {};
        }
        unreachable_kind(kind);
    }

    /// The arguments by name: positional ones in PyTorch's signature order, then the
    /// keywords (each known to the module and given once); their columns go into `span`.
    std::map<std::string, Value> collect_arguments(LayerKind kind, std::size_t name_pos, std::vector<Value>& positional,
                                                   std::vector<std::pair<std::string, Value>>& keyword,
                                                   const std::map<std::string, std::size_t>& keyword_pos, LayerSpan& span) const {
        const std::string cls = class_name(kind);
        const std::vector<std::string> names = signature(kind);
        if (positional.size() > names.size())
            fail_at(positional[names.size()].column - 1, "nn." + cls + " takes " +
                                                             (names.empty() ? std::string("no") : "at most " + std::to_string(names.size())) +
                                                             " argument" + (names.size() == 1 ? "" : "s"));
        std::map<std::string, Value> args;
        span.column = name_pos + 1;
        for (std::size_t i = 0; i < positional.size(); ++i) {
            span.arguments[names[i]] = positional[i].column;
            args[names[i]] = std::move(positional[i]);
        }
        for (auto& [k, v] : keyword) {
            if (std::find(names.begin(), names.end(), k) == names.end())
                fail_at(keyword_pos.at(k), "nn." + cls + " has no argument '" + k + "'");
            if (args.count(k)) fail_at(keyword_pos.at(k), "argument '" + k + "' is given twice");
            span.arguments[k] = keyword_pos.at(k) + 1;
            args[k] = std::move(v);
        }
        for (const auto& r : required_arguments(kind))
            if (!args.count(r)) fail_at(pos_ - 1, "nn." + cls + " needs " + r);
        return args;
    }

    // An argument's value as the type its parameter wants; else an error at its column.
    std::int64_t want_int(const std::string& k, const Value& v) const {
        if (v.kind != Value::Kind::Int) fail_at(v.column - 1, k + " must be a whole number");
        return v.number;
    }
    Pair want_pair(const std::string& k, const Value& v) const {
        if (v.kind == Value::Kind::Int) return Pair{v.number, v.number};
        if (v.kind == Value::Kind::Tuple && !v.tuple_has_float && v.tuple.size() == 2) return Pair{v.tuple[0], v.tuple[1]};
        if (v.kind == Value::Kind::Tuple && !v.tuple_has_float && v.tuple.size() == 1) return Pair{v.tuple[0], v.tuple[0]};
        fail_at(v.column - 1, k + " must be a whole number or a pair (h, w) of whole numbers");
    }
    double want_real(const std::string& k, const Value& v) const {
        if (v.kind != Value::Kind::Int && v.kind != Value::Kind::Float) fail_at(v.column - 1, k + " must be a number");
        return v.real;
    }
    std::array<double, 2> want_real_pair(const std::string& k, const Value& v) const {
        if (v.kind == Value::Kind::Int || v.kind == Value::Kind::Float) return std::array<double, 2>{v.real, v.real};
        if (v.kind == Value::Kind::Tuple && v.reals.size() == 2) return std::array<double, 2>{v.reals[0], v.reals[1]};
        fail_at(v.column - 1, k + " must be a number or a pair (h, w) of numbers");
    }
    bool want_bool(const std::string& k, const Value& v) const {
        if (v.kind != Value::Kind::Bool) fail_at(v.column - 1, k + " must be True or False");
        return v.flag;
    }

    /// padding=: a number, a pair, 'same' or 'valid'.
    void apply_padding(Layer& L, const std::string& k, const Value& v) const {
        if (v.kind == Value::Kind::String) {
            if (v.text == "same") L.padding.kind = PaddingKind::Same;
            else if (v.text == "valid") L.padding.kind = PaddingKind::Valid;
            else fail_at(v.column - 1, "padding '" + v.text + "' is unknown: use a number, a pair, 'same' or 'valid'");
        } else {
            L.padding.value = want_pair(k, v);
        }
    }

    /// padding_mode= or mode=: a string naming one PyTorch knows.
    void apply_mode(Layer& L, const std::string& k, const Value& v) const {
        if (v.kind != Value::Kind::String) fail_at(v.column - 1, k + " must be a string such as '" + (k == "mode" ? "nearest" : "zeros") + "'");
        try {
            if (k == "mode") L.upsample_mode = parse_upsample_mode(v.text);
            else L.padding_mode = parse_padding_mode(v.text);
        } catch (const UserError& e) {
            fail_at(v.column - 1, e.what());
        }
    }

    /// The arguments that may be None (None: PyTorch's default, the layer's as it is).
    void apply_optional(Layer& L, const std::string& k, const Value& v) const {
        if (v.kind == Value::Kind::None) return;
        if (k == "divisor_override") fail_at(v.column - 1, "divisor_override is not supported (use None)");
        else if (k == "size") L.size = want_pair(k, v);
        else if (k == "scale_factor") L.scale_factor = want_real_pair(k, v);
        else if (k == "align_corners") L.align_corners = want_bool(k, v);
        else if (k == "recompute_scale_factor") L.recompute_scale_factor = want_bool(k, v);
    }

    /// One argument into the layer (the names are the module's, checked before).
    void apply_argument(Layer& L, const std::string& k, const Value& v, bool& stride_given) const {
        if (k == "in_channels") L.in_channels = want_int(k, v);
        else if (k == "out_channels") L.out_channels = want_int(k, v);
        else if (k == "kernel_size") L.kernel = want_pair(k, v);
        else if (k == "stride") {
            if (v.kind == Value::Kind::None && L.is_pool()) return;  // pools: stride=None means kernel_size
            L.stride = want_pair(k, v);
            stride_given = true;
        } else if (k == "padding") apply_padding(L, k, v);
        else if (k == "dilation") L.dilation = want_pair(k, v);
        else if (k == "output_padding") L.output_padding = want_pair(k, v);
        else if (k == "groups") L.groups = want_int(k, v);
        else if (k == "bias") L.bias = want_bool(k, v);
        else if (k == "padding_mode" || k == "mode") apply_mode(L, k, v);
        else if (k == "ceil_mode") L.ceil_mode = want_bool(k, v);
        else if (k == "count_include_pad") L.count_include_pad = want_bool(k, v);
        else if (k == "return_indices" || k == "inplace") want_bool(k, v);
        else if (k == "divisor_override" || k == "size" || k == "scale_factor" || k == "align_corners" || k == "recompute_scale_factor")
            apply_optional(L, k, v);
        else if (k == "upscale_factor" || k == "downscale_factor") L.shuffle_factor = want_int(k, v);
        else if (k == "negative_slope") L.negative_slope = want_real(k, v);
    }

    /// Apply arguments in PyTorch's signature order, then PyTorch's own checks; a check
    /// that names a parameter points at that argument's column.
    Layer build_layer(LayerKind kind, std::size_t name_pos, std::vector<Value>& positional,
                      std::vector<std::pair<std::string, Value>>& keyword,
                      const std::map<std::string, std::size_t>& keyword_pos, LayerSpan& span) {
        Layer L;
        L.kind = kind;
        const std::map<std::string, Value> args = collect_arguments(kind, name_pos, positional, keyword, keyword_pos, span);
        bool stride_given = false;
        for (const auto& [k, v] : args) apply_argument(L, k, v, stride_given);
        if (L.is_pool() && !stride_given) L.stride = L.kernel;  // PyTorch: stride defaults to kernel_size
        try {
            validate_layer(L);
        } catch (const CodeError&) {
            throw;
        } catch (const UserError& e) {
            throw locate_error(span, e);
        }
        return L;
    }

    const std::string& s_;
    std::size_t pos_ = 0;
};

std::string pair_arg(const Pair& p) {
    return p.h == p.w ? std::to_string(p.h) : "(" + std::to_string(p.h) + ", " + std::to_string(p.w) + ")";
}

}  // namespace

std::vector<Layer> parse_pytorch_code(const std::string& code, std::vector<LayerSpan>* spans) {
    if (code.size() > 64 * 1024) throw CodeError(1, "the code is longer than 64 KiB");
    Parser p(code);
    std::vector<LayerSpan> found;
    std::vector<Layer> layers = p.parse_top(found);
    if (spans) *spans = std::move(found);
    return layers;
}

CodeError locate_error(const LayerSpan& span, const UserError& error) {
    std::size_t column = span.column;
    if (const auto* p = dynamic_cast<const ParameterError*>(&error)) {
        const auto it = span.arguments.find(p->parameter());
        if (it != span.arguments.end()) column = it->second;
    }
    return CodeError(column, error.what());
}

namespace {

/// A number as a student writes it: "2" for whole values, else Python's repr ("1.5").
std::string number_arg(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return python_float(v);
}

/// The arguments of the layers with a window (convolutions and pools).
std::vector<std::string> window_args(const Layer& L) {
    std::vector<std::string> args;
    if (L.is_conv()) {
        args.push_back("in_channels=" + std::to_string(L.in_channels));
        args.push_back("out_channels=" + std::to_string(L.out_channels));
    }
    args.push_back("kernel_size=" + pair_arg(L.kernel));
    if (L.is_conv() ? L.stride != Pair{1, 1} : L.stride != L.kernel) args.push_back("stride=" + pair_arg(L.stride));
    if (L.kind != LayerKind::AvgPool2d && L.dilation != Pair{1, 1}) args.push_back("dilation=" + pair_arg(L.dilation));
    if (L.padding.kind == PaddingKind::Same) args.push_back("padding='same'");
    else if (L.padding.kind == PaddingKind::Valid) args.push_back("padding='valid'");
    else if (L.padding.value != Pair{0, 0}) args.push_back("padding=" + pair_arg(L.padding.value));
    if (L.kind == LayerKind::ConvTranspose2d && L.output_padding != Pair{0, 0})
        args.push_back("output_padding=" + pair_arg(L.output_padding));
    if (L.is_conv() && L.groups != 1) args.push_back("groups=" + std::to_string(L.groups));
    if (L.is_conv() && !L.bias) args.push_back("bias=False");
    if (L.is_conv() && L.padding_mode != PaddingMode::Zeros)
        args.push_back(std::string("padding_mode='") + padding_mode_name(L.padding_mode) + "'");
    if (L.is_pool() && L.ceil_mode) args.push_back("ceil_mode=True");
    if (L.kind == LayerKind::AvgPool2d && !L.count_include_pad) args.push_back("count_include_pad=False");
    return args;
}

}  // namespace

std::string to_pytorch_code(const Layer& L) {
    std::vector<std::string> args;
    switch (L.kind) {
        case LayerKind::Conv2d:
        case LayerKind::ConvTranspose2d:
        case LayerKind::MaxPool2d:
        case LayerKind::AvgPool2d: args = window_args(L); break;
        case LayerKind::Upsample:
            if (L.size) args.push_back("size=" + pair_arg(*L.size));
            if (L.scale_factor) {
                const auto& f = *L.scale_factor;
                args.push_back("scale_factor=" + (f[0] == f[1] ? number_arg(f[0]) : "(" + number_arg(f[0]) + ", " + number_arg(f[1]) + ")"));
            }
            args.push_back(std::string("mode='") + upsample_mode_name(L.upsample_mode) + "'");
            if (L.align_corners) args.push_back(std::string("align_corners=") + (*L.align_corners ? "True" : "False"));
            if (L.recompute_scale_factor) args.push_back("recompute_scale_factor=True");
            break;
        case LayerKind::PixelShuffle:
        case LayerKind::PixelUnshuffle: args.push_back(std::to_string(L.shuffle_factor)); break;
        case LayerKind::LeakyReLU:
            if (L.negative_slope != 0.01) args.push_back(number_arg(L.negative_slope));
            break;
        case LayerKind::ReLU:
        case LayerKind::Tanh:
        case LayerKind::Sigmoid: break;
    }
    std::string s = std::string("nn.") + class_name(L.kind) + "(";
    for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i];
    return s + ")";
}

std::string to_pytorch_code(const std::vector<Layer>& layers) {
    if (layers.size() == 1) return to_pytorch_code(layers.front());
    std::string s = "nn.Sequential(\n";
    for (const Layer& l : layers) s += "    " + to_pytorch_code(l) + ",\n";
    return s + ")";
}

}  // namespace convscope
