// libFuzzer target: the picture reader (`--image`, File > Open picture, drag and drop).
// Any bytes must end in a decoded picture or a UserError; a crash, a sanitizer report,
// another exception or a huge allocation is a bug. Decoded pictures are also fitted
// and converted, as the app does with them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/errors.hpp"
#include "core/base/picture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        const convscope::Picture picture = convscope::decode_picture(bytes, "'fuzz'");
        if (picture.width * picture.height <= (1 << 16)) {
            const convscope::Picture small = convscope::fit_picture(picture, 16);
            (void)convscope::picture_to_tensor(small, 1);
            (void)convscope::picture_to_tensor(small, 3);
        }
    } catch (const convscope::UserError&) {
    }
    return 0;
}
