#include "sim/cli/commands.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "sim/config/config_error.h"
#include "sim/kernel/interrupt.h"
#include "sim/trace/trace_reader.h"

namespace tiersim::cli {

int guarded(const std::function<int()>& f) {
  try {
    return f();
  } catch (const config::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kConfigError;
  } catch (const kernel::Interrupted& e) {
    std::cerr << "tiersim: " << e.what() << "\n";
    return 130;
  } catch (const trace::TraceError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kTraceError;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kRuntimeError;
  }
}

int main(int argc, char** argv) {
  CLI::App app{"tiersim: a simulator of the memory hierarchy behind LLM inference", "tiersim"};
  app.set_version_flag("--version", std::string("tiersim ") + TIERSIM_VERSION);
  app.require_subcommand(1);
  Context ctx;
  add_run_commands(app, ctx);
  add_config_commands(app, ctx);
  add_trace_commands(app, ctx);
  add_list_command(app, ctx);
  add_sweep_commands(app, ctx);
  add_validate_command(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kConfigError;
  }
  return ctx.exit_code;
}

}  // namespace tiersim::cli
