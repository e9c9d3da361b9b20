// convscope grad CASE.json: one layer's forward and backward pass as JSON on stdout.
#include <iostream>
#include <memory>

#include "app/cli/commands.hpp"
#include "core/learn/grad.hpp"

namespace convscope::cli {

Command add_grad_command(CLI::App& root) {
    auto path = std::make_shared<std::string>();
    CLI::App* sub = root.add_subcommand(
        "grad", "One layer's forward and backward pass: output and the gradients of sum(output * grad_output), as JSON");
    sub->add_option("CASE", *path, "case file: op, params, input, weight, bias, grad_output")->required();
    return {sub, [path] {
                const GradCase c = grad_case_from_json(read_json_file(*path));
                const ConvCase& lc = c.layer_case;
                std::cout << gradients_to_json_text(layer_gradients(lc.layer, lc.input, lc.weights, c.grad_output))
                          << "\n";
                return 0;
            }};
}

}  // namespace convscope::cli
