// libFuzzer target: the receptive-field stack reader and engine (`convscope rf`).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/errors.hpp"
#include "core/io/json_io.hpp"
#include "core/nn/rf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const convscope::RfStack stack = convscope::rf_stack_from_json(convscope::parse_json_text(text, "input"));
        const convscope::RfResult r = convscope::compute_receptive_field(stack);
        (void)convscope::rf_result_to_json_text(stack, r);
    } catch (const convscope::UserError&) {
    }
    return 0;
}
