// tiersim trace import-device: converts a Ramulator 2 or DRAMsim3 trace into a tiersim device trace
// (text, or HDF5 for a .h5 output), streaming (traces/FORMAT.md, "Importing traces").
//
//   tiersim trace import-device --from ramulator|dramsim3 [--clock 1.6 GHz] [--size 64 B] in out
//
// Exit status: 0 done, 2 bad option (unknown format, bad unit), 3 bad input trace (the message
// names file:line: record n), 1 I/O failure.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "sim/cli/commands.h"
#include "sim/config/units_parse.h"
#include "sim/trace/trace_import.h"
#include "sim/trace/trace_writer.h"

namespace tiersim::cli {

namespace {

struct ImportArgs {
  std::string from;
  std::string clock = "1.6 GHz";
  std::string size = "64 B";
  std::string input;
  std::string output;
};

int run_import(const ImportArgs& a) {
  trace::ImportFormat format{};
  if (!trace::parse_import_format(a.from, format)) {
    std::cerr << fmt::format(
        "error: --from: unknown trace format '{}' (expected ramulator or "
        "dramsim3)\n",
        a.from);
    return kConfigError;
  }
  trace::ImportOptions options;
  try {
    options.clock = config::parse_frequency(a.clock);
    options.request_size = config::parse_size(a.size);
  } catch (const config::UnitError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kConfigError;
  }
  if (!(options.clock.as_hz() > 0.0)) {
    std::cerr << fmt::format("error: --clock must be > 0, got '{}'\n", a.clock);
    return kConfigError;
  }
  if (options.request_size.count() == 0) {
    std::cerr << fmt::format("error: --size must be > 0, got '{}'\n", a.size);
    return kConfigError;
  }
  auto in = trace::open_imported_trace(a.input, format, options);
  auto out = trace::create_trace(a.output);
  trace::Record r;
  std::uint64_t n = 0;
  while (in->next(r)) {
    out->write(r);
    ++n;
  }
  out->close();
  std::cout << fmt::format("{} records written to {}\n", n, a.output);
  return kOk;
}

}  // namespace

void add_trace_import_command(CLI::App& trace_cmd, Context& ctx) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = trace_cmd.add_subcommand(
      "import-device", "Convert a Ramulator 2 or DRAMsim3 trace into a tiersim device trace.");
  cmd->add_option("--from", args->from, "Input format: ramulator or dramsim3")->required();
  cmd->add_option("--clock", args->clock,
                  "Clock the input's cycles count (ramulator: frontend, dramsim3: memory)")
      ->capture_default_str();
  cmd->add_option("--size", args->size, "Bytes per request")->capture_default_str();
  cmd->add_option("input", args->input, "Input trace")->required();
  cmd->add_option("output", args->output, "Output trace (.h5 for HDF5, else text)")->required();
  cmd->callback([args, &ctx] { ctx.exit_code = guarded([&] { return run_import(*args); }); });
}

}  // namespace tiersim::cli
