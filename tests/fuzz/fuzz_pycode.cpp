// libFuzzer target: the PyTorch-code reader (the app's code panel, `convscope shape`).
// Whatever it accepts must print back as code it accepts again, to the same layers, and
// the code panel's split of that code (any width) must read back to the same layers too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/io/code_wrap.hpp"
#include "core/base/errors.hpp"
#include "core/io/pycode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string code(reinterpret_cast<const char*>(data), size);
    try {
        const auto layers = convscope::parse_pytorch_code(code);
        const auto again = convscope::parse_pytorch_code(convscope::to_pytorch_code(layers));
        if (!(again == layers)) std::abort();  // the printed code means something else
        const std::size_t columns = 20 + (size % 60);
        const std::string printed = convscope::to_pytorch_code(layers);
        if (!(convscope::parse_pytorch_code(convscope::wrap_code_arguments(printed, columns)) == layers)) std::abort();
        convscope::wrap_code_arguments(code, columns);  // any text: returns (no endless split)
    } catch (const convscope::UserError&) {
    }
    return 0;
}
