// convscope rf STACK.json: the receptive field of one output cell through a layer stack.
#include <iostream>
#include <memory>

#include "app/cli/commands.hpp"
#include "core/io/json_io.hpp"

namespace convscope::cli {

Command add_rf_command(CLI::App& root) {
    auto path = std::make_shared<std::string>();
    CLI::App* sub = root.add_subcommand("rf", "Receptive field of one output cell through a layer stack: exact path counts and per-layer summary (JSON)");
    sub->add_option("STACK", *path, "stack file: input_size, layers, output_cell")->required();
    return {sub, [path] {
                const RfStack stack = rf_stack_from_json(read_json_file(*path));
                const RfResult result = compute_receptive_field(stack);
                std::cout << rf_result_to_json_text(stack, result) << "\n";
                return 0;
            }};
}

}  // namespace convscope::cli
