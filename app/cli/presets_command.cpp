// convscope presets: the built-in presets, one "name<TAB>title" a line.
#include <iostream>

#include "app/cli/commands.hpp"
#include "core/anim/presets.hpp"

namespace convscope::cli {

Command add_presets_command(CLI::App& root) {
    CLI::App* sub = root.add_subcommand("presets", "List the built-in presets (name<TAB>title)");
    return {sub, [] {
                for (const Preset& p : builtin_presets()) std::cout << p.name << "\t" << p.title << "\n";
                return 0;
            }};
}

}  // namespace convscope::cli
