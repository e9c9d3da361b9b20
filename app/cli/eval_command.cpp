// convscope eval CASE.json: one convolution, its output tensor as JSON on stdout.
#include <iostream>
#include <memory>

#include "app/cli/commands.hpp"
#include "core/nn/layer_ops.hpp"
#include "core/io/json_io.hpp"

namespace convscope::cli {

Command add_eval_command(CLI::App& root) {
    auto path = std::make_shared<std::string>();
    CLI::App* sub = root.add_subcommand("eval", "Run one convolution case (golden format) and print the output tensor as JSON");
    sub->add_option("CASE", *path, "case file: op, params, input, weight, bias")->required();
    return {sub, [path] {
                const ConvCase c = case_from_json(read_json_file(*path));
                const Tensor4 y = apply_layer(c.input, c.weights, c.layer);
                std::cout << tensor_to_json_text(y) << "\n";
                return 0;
            }};
}

}  // namespace convscope::cli
