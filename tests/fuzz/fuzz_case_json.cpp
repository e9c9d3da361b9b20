// libFuzzer target: the convolution-case reader (`convscope eval`'s input). Any input
// must end in a value or a UserError; a crash, sanitizer report or other exception is
// a bug. Small valid cases are also evaluated, so the core sees what the reader lets in.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/nn/layer_ops.hpp"
#include "core/nn/conv.hpp"
#include "core/base/errors.hpp"
#include "core/io/json_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const convscope::ConvCase c = convscope::case_from_json(convscope::parse_json_text(text, "input"));
        if (c.input.size() <= 4096 && c.weights.weight.size() <= 4096)
            (void)convscope::apply_layer(c.input, c.weights, c.layer);
    } catch (const convscope::UserError&) {
    }
    return 0;
}
