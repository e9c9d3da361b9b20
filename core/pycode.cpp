#include "core/pycode.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace convscope {

CodeError::CodeError(std::size_t column, const std::string& what)
    : UserError("column " + std::to_string(column) + ": " + what), column_(column), reason_(what) {}

namespace {

using std::int64_t;

/// A parsed argument value: an int, a string, a bool, None, a tuple of ints or a
/// nested layer call (only inside nn.Sequential).
struct Value {
    enum class Kind { Int, String, Bool, None, Tuple, Call } kind = Kind::None;
    int64_t number = 0;
    std::string text;
    bool flag = false;
    std::vector<int64_t> tuple;
    std::vector<Layer> layers;  ///< for Kind::Call
    std::size_t column = 0;
};

class Parser {
public:
    explicit Parser(const std::string& s) : s_(s) {}

    std::vector<Layer> parse_top() {
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
        std::vector<Layer> layers = parse_call();
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

    int64_t read_int() {
        const std::size_t start = pos_;
        bool negative = false;
        if (peek() == '-' || peek() == '+') {
            negative = peek() == '-';
            ++pos_;
            skip_space();
        }
        if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("expected a number");
        int64_t v = 0;
        while (std::isdigit(static_cast<unsigned char>(peek()))) {
            if (v > (int64_t{1} << 40)) fail_at(start, "number too large");
            v = v * 10 + (s_[pos_++] - '0');
        }
        if (peek() == '.' || peek() == 'e' || peek() == 'E') fail("expected a whole number, not a decimal");
        return negative ? -v : v;
    }

    Value parse_value(int depth) {
        skip_space();
        Value v;
        v.column = pos_ + 1;
        const char c = peek();
        if (c == '\0') fail("expected a value but the code ends");
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') {
            v.kind = Value::Kind::Int;
            v.number = read_int();
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
                if (!std::isdigit(static_cast<unsigned char>(peek())) && peek() != '-' && peek() != '+')
                    fail(peek() == '\0' ? "the tuple is not closed" : "expected a number in the tuple");
                v.tuple.push_back(read_int());
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
            v.layers = parse_call(depth + 1);
            return v;
        }
        fail(std::string("unexpected '") + c + "'");
    }

    static std::string strip_prefix(const std::string& id) {
        for (const char* p : {"torch.nn.", "nn."})
            if (id.rfind(p, 0) == 0) return id.substr(std::string(p).size());
        return id;
    }

    std::vector<Layer> parse_call(int depth = 0) {
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
            }
            if (layers.empty()) fail_at(name_pos, "nn.Sequential() holds no layer");
            return layers;
        }
        return {build_layer(*kind, name_pos, positional, keyword, keyword_pos)};
    }

    /// Apply arguments in PyTorch's signature order, then PyTorch's own checks.
    Layer build_layer(LayerKind kind, std::size_t name_pos, std::vector<Value>& positional,
                      std::vector<std::pair<std::string, Value>>& keyword,
                      const std::map<std::string, std::size_t>& keyword_pos) {
        const std::string cls = class_name(kind);
        Layer L;
        L.kind = kind;
        // PyTorch's signature of each module, in positional order.
        std::vector<std::string> names;
        switch (kind) {
            case LayerKind::Conv2d:
                names = {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode"};
                break;
            case LayerKind::ConvTranspose2d:
                names = {"in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation", "padding_mode"};
                break;
            case LayerKind::MaxPool2d:
                names = {"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"};
                break;
            case LayerKind::AvgPool2d:
                names = {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"};
                break;
        }
        if (positional.size() > names.size())
            fail_at(positional[names.size()].column - 1, "nn." + cls + " takes at most " + std::to_string(names.size()) + " arguments");
        std::map<std::string, Value> args;
        for (std::size_t i = 0; i < positional.size(); ++i) args[names[i]] = std::move(positional[i]);
        for (auto& [k, v] : keyword) {
            if (std::find(names.begin(), names.end(), k) == names.end())
                fail_at(keyword_pos.at(k), "nn." + cls + " has no argument '" + k + "'");
            if (args.count(k)) fail_at(keyword_pos.at(k), "argument '" + k + "' is given twice");
            args[k] = std::move(v);
        }

        auto want_int = [&](const std::string& k, const Value& v) {
            if (v.kind != Value::Kind::Int) fail_at(v.column - 1, k + " must be a whole number");
            return v.number;
        };
        auto want_pair = [&](const std::string& k, const Value& v) {
            if (v.kind == Value::Kind::Int) return Pair{v.number, v.number};
            if (v.kind == Value::Kind::Tuple && v.tuple.size() == 2) return Pair{v.tuple[0], v.tuple[1]};
            if (v.kind == Value::Kind::Tuple && v.tuple.size() == 1) return Pair{v.tuple[0], v.tuple[0]};
            fail_at(v.column - 1, k + " must be a number or a pair (h, w)");
        };
        auto want_bool = [&](const std::string& k, const Value& v) {
            if (v.kind != Value::Kind::Bool) fail_at(v.column - 1, k + " must be True or False");
            return v.flag;
        };

        const bool conv = L.is_conv();
        const std::vector<std::string> required = conv ? std::vector<std::string>{"in_channels", "out_channels", "kernel_size"}
                                                       : std::vector<std::string>{"kernel_size"};
        for (const auto& r : required)
            if (!args.count(r)) fail_at(pos_ - 1, "nn." + cls + " needs " + r);

        bool stride_given = false;
        for (auto& [k, v] : args) {
            if (k == "in_channels") L.in_channels = want_int(k, v);
            else if (k == "out_channels") L.out_channels = want_int(k, v);
            else if (k == "kernel_size") L.kernel = want_pair(k, v);
            else if (k == "stride") {
                if (v.kind == Value::Kind::None && !conv) continue;  // pools: stride=None means kernel_size
                L.stride = want_pair(k, v);
                stride_given = true;
            } else if (k == "padding") {
                if (v.kind == Value::Kind::String) {
                    if (v.text == "same") L.padding.kind = PaddingKind::Same;
                    else if (v.text == "valid") L.padding.kind = PaddingKind::Valid;
                    else fail_at(v.column - 1, "padding '" + v.text + "' is unknown: use a number, a pair, 'same' or 'valid'");
                } else {
                    L.padding.value = want_pair(k, v);
                }
            } else if (k == "dilation") L.dilation = want_pair(k, v);
            else if (k == "output_padding") L.output_padding = want_pair(k, v);
            else if (k == "groups") L.groups = want_int(k, v);
            else if (k == "bias") L.bias = want_bool(k, v);
            else if (k == "padding_mode") {
                if (v.kind != Value::Kind::String) fail_at(v.column - 1, "padding_mode must be a string such as 'zeros'");
                try {
                    L.padding_mode = parse_padding_mode(v.text);
                } catch (const UserError& e) {
                    fail_at(v.column - 1, e.what());
                }
            } else if (k == "ceil_mode") L.ceil_mode = want_bool(k, v);
            else if (k == "count_include_pad") L.count_include_pad = want_bool(k, v);
            else if (k == "return_indices") want_bool(k, v);
            else if (k == "divisor_override") {
                if (v.kind != Value::Kind::None) fail_at(v.column - 1, "divisor_override is not supported (use None)");
            }
        }
        if (!conv && !stride_given) L.stride = L.kernel;  // PyTorch: stride defaults to kernel_size
        try {
            validate_layer(L);
        } catch (const CodeError&) {
            throw;
        } catch (const UserError& e) {
            fail_at(name_pos, e.what());
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

std::vector<Layer> parse_pytorch_code(const std::string& code) {
    if (code.size() > 64 * 1024) throw CodeError(1, "the code is longer than 64 KiB");
    Parser p(code);
    return p.parse_top();
}

std::string to_pytorch_code(const Layer& L) {
    std::string s = std::string("nn.") + class_name(L.kind) + "(";
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
