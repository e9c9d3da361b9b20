// libFuzzer target: the training-run reader (`convscope train`'s input). Any input must
// end in a result or a UserError; a crash, sanitizer report or other exception is a
// bug. Small runs are also trained for a few steps, so the trainer sees what the reader
// lets in (steps and sizes capped here to keep each input fast).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/errors.hpp"
#include "core/io/json_io.hpp"
#include "core/learn/train.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        convscope::TrainRun run = convscope::train_run_from_json(convscope::parse_json_text(text, "input"));
        std::size_t parameters = 0;
        for (const auto& p : run.parameters) parameters += p.weight.size();
        // Every layer's output small too (an upsampling layer can ask for 2^28 cells).
        std::int64_t activations = 0;
        for (std::size_t i = 1; i <= run.layers.size() && run.layers.size() <= 8; ++i) {
            const std::vector<convscope::Layer> prefix(run.layers.begin(), run.layers.begin() + std::ptrdiff_t(i));
            const auto s = convscope::model_output_shape(prefix, convscope::shape_of(run.input));
            activations += s[0] * s[1] * s[2] * s[3];
        }
        if (run.input.size() <= 4096 && activations <= 65536 && parameters <= 4096 && run.layers.size() <= 8) {
            run.steps = std::min<std::int64_t>(run.steps, 3);
            (void)convscope::train(run);
        }
    } catch (const convscope::UserError&) {
    }
    return 0;
}
