// libFuzzer target: the session reader (the app's File > Open, `convscope export
// SESSION.json`, and the app's own last-session file).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/errors.hpp"
#include "core/io/json_io.hpp"
#include "core/anim/session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const convscope::Session s = convscope::session_from_json(convscope::parse_json_text(text, "input"));
        (void)convscope::session_to_json(s).dump();  // what was accepted can be written back
    } catch (const convscope::UserError&) {
    }
    return 0;
}
