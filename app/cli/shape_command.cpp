// convscope shape CODE --input NxCxHxW [--json]: the output-size arithmetic of
// PyTorch layer code, formula by formula, then torch.Size(...) as print() shows it.
#include <algorithm>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.hpp"
#include "core/io/pycode.hpp"
#include "core/nn/shape.hpp"

namespace convscope::cli {

namespace {

/// "1x3x64x64" (batched) or "3x64x64" (unbatched, as PyTorch also accepts).
std::vector<std::int64_t> parse_input_shape(const std::string& text) {
    std::vector<std::int64_t> dims;
    std::size_t i = 0;
    while (i <= text.size()) {
        const std::size_t j = text.find('x', i);
        const std::string part = text.substr(i, j == std::string::npos ? std::string::npos : j - i);
        if (part.empty() || part.size() > 10 || part.find_first_not_of("0123456789") != std::string::npos)
            throw UserError("--input '" + text + "' must look like NxCxHxW, for example 1x3x64x64");
        dims.push_back(std::stoll(part));
        if (j == std::string::npos) break;
        i = j + 1;
    }
    if (dims.size() != 3 && dims.size() != 4)
        throw UserError("--input '" + text + "' must have 4 sizes (NxCxHxW) or 3 (CxHxW)");
    return dims;
}

}  // namespace

Command add_shape_command(CLI::App& root) {
    struct Options {
        std::string code, input;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* sub = root.add_subcommand("shape", "Spell out the output-shape arithmetic of PyTorch layer code");
    sub->add_option("CODE", o->code, "e.g. \"nn.Conv2d(3, 16, kernel_size=3, dilation=2, padding=2)\"")->required();
    sub->add_option("--input", o->input, "input shape NxCxHxW (or CxHxW), e.g. 1x3x64x64")->required();
    sub->add_flag("--json", o->json, "print JSON instead of text");
    return {sub, [o] {
                std::vector<Layer> layers;
                std::vector<LayerSpan> spans;
                try {
                    layers = parse_pytorch_code(o->code, &spans);
                } catch (const CodeError& e) {
                    // One line: the column, the reason, and the text where reading stopped.
                    std::string rest = o->code.substr(std::min(o->code.size(), e.column() - 1), 24);
                    for (char& ch : rest)
                        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
                    throw UserError("cannot read the layer code at column " + std::to_string(e.column()) + ": " +
                                    e.reason() + (rest.empty() ? std::string(" (at the end)") : " (at \"" + rest + "\")"));
                }
                std::vector<std::int64_t> shape = parse_input_shape(o->input);
                const bool batched = shape.size() == 4;
                if (!batched) shape.insert(shape.begin(), 1);

                nlohmann::json out_layers = nlohmann::json::array();
                std::string text;
                for (std::size_t i = 0; i < layers.size(); ++i) {
                    const Layer& L = layers[i];
                    LayerGeometry geo;
                    try {
                        geo = resolve_layer(L, shape[0], shape[1], shape[2], shape[3]);
                    } catch (const UserError& e) {
                        // Point at the argument the refusal is about, as a code error does.
                        const CodeError at = locate_error(spans[i], e);
                        throw UserError((layers.size() > 1 ? "layer " + std::to_string(i + 1) + ", " : std::string()) +
                                        to_pytorch_code(L) + ": column " + std::to_string(at.column()) + ": " + e.what());
                    }
                    std::vector<std::int64_t> next = {shape[0], geo.out_channels, geo.h().out, geo.w().out};
                    std::vector<std::int64_t> shown = next;
                    if (!batched) shown.erase(shown.begin());
                    text += (layers.size() > 1 ? std::to_string(i + 1) + ". " : std::string()) + to_pytorch_code(L) + "\n";
                    if (!geo.channel_formula.empty()) text += "   " + geo.channel_formula + "\n";
                    text += "   " + geo.h().formula + "\n";
                    text += "   " + geo.w().formula + "\n";
                    nlohmann::json entry = {{"output_shape", shown}, {"formula", {geo.h().formula, geo.w().formula}}};
                    if (!geo.channel_formula.empty()) entry["channel_formula"] = geo.channel_formula;
                    out_layers.push_back(entry);
                    shape = next;
                }
                std::vector<std::int64_t> final_shape = shape;
                if (!batched) final_shape.erase(final_shape.begin());
                if (o->json) {
                    std::cout << nlohmann::json{{"layers", out_layers}, {"output_shape", final_shape}}.dump() << "\n";
                } else {
                    std::cout << text << torch_size_text(final_shape) << "\n";
                }
                return 0;
            }};
}

}  // namespace convscope::cli
