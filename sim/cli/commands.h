// The tiersim command line (CLI11).
//
// Each command group lives in its own file and registers its subcommands on the app with an
// add_*_commands() function; the action runs from the subcommand's callback and stores its exit
// status in the Context. Exit status: 0 success, 1 run-time failure, 2 bad config or usage,
// 3 bad trace.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace tiersim::cli {

constexpr int kOk = 0;
constexpr int kRuntimeError = 1;
constexpr int kConfigError = 2;
constexpr int kTraceError = 3;

struct Context {
  int exit_code = kOk;
};

// Runs `f`, printing any exception as a one-line error and mapping it to an exit status.
int guarded(const std::function<int()>& f);

void add_run_commands(CLI::App& app, Context& ctx);     // run, replay
void add_config_commands(CLI::App& app, Context& ctx);  // config show|validate|schema
void add_trace_commands(CLI::App& app, Context& ctx);   // trace convert|...
// Under `trace`: device-trace import (Ramulator 2, DRAMsim3) and the workload tools.
void add_trace_import_command(CLI::App& trace_cmd, Context& ctx);     // trace import-device
void add_workload_trace_commands(CLI::App& trace_cmd, Context& ctx);  // trace gen|import|info|head
void add_list_command(CLI::App& app, Context& ctx);                   // list
void add_sweep_commands(CLI::App& app, Context& ctx);                 // sweep [collect]
void add_validate_command(CLI::App& app, Context& ctx);               // validate

int main(int argc, char** argv);

}  // namespace tiersim::cli
