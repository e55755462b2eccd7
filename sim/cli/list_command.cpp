// tiersim list
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "sim/cli/commands.h"
#include "sim/kernel/component.h"
#include "sim/replay/request_source.h"

namespace tiersim::cli {

void add_list_command(CLI::App& app, Context& /*ctx*/) {
  auto* list_cmd = app.add_subcommand("list", "List registered component and workload types.");
  list_cmd->callback([] {
    const auto& comps = kernel::ComponentRegistry::instance();
    std::cout << "component types:\n";
    for (const auto& t : comps.names()) {
      std::cout << fmt::format("  {:<16} {}\n", t, comps.find(t)->doc);
    }
    const auto& loads = replay::WorkloadRegistry::instance();
    std::cout << "workload types:\n";
    for (const auto& t : loads.names()) {
      std::cout << fmt::format("  {:<16} {}\n", t, loads.find(t)->doc);
    }
  });
}

}  // namespace tiersim::cli
