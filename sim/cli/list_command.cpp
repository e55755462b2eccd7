// tiersim list
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "sim/cli/commands.h"
#include "sim/kernel/component.h"
#include "sim/policies/policy.h"
#include "sim/replay/request_source.h"
#include "sim/scheduler/scheduler.h"

namespace tiersim::cli {

void add_list_command(CLI::App& app, Context& /*ctx*/) {
  auto* list_cmd = app.add_subcommand(
      "list", "List registered component, workload, scheduler and policy types.");
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
    const auto& scheds = scheduler::SchedulerRegistry::instance();
    std::cout << "scheduler types (serving.scheduler):\n";
    for (const auto& t : scheds.names()) {
      std::cout << fmt::format("  {:<24} {}\n", t, scheds.find(t)->doc);
    }
    const auto& pols = policies::PolicyRegistry::instance();
    std::cout << "policy types (serving.policy):\n";
    for (const auto& t : pols.names()) {
      std::cout << fmt::format("  {:<24} {}\n", t, pols.find(t)->doc);
    }
  });
}

}  // namespace tiersim::cli
