// tiersim trace convert (device traces). Other trace tools register here too.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "sim/cli/commands.h"
#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_writer.h"

namespace tiersim::cli {

void add_trace_commands(CLI::App& app, Context& ctx) {
  auto* trace_cmd = app.add_subcommand("trace", "Trace tools.");
  trace_cmd->require_subcommand(1);
  add_trace_import_command(*trace_cmd, ctx);
  add_workload_trace_commands(*trace_cmd, ctx);

  auto paths = std::make_shared<std::pair<std::string, std::string>>();
  auto* convert = trace_cmd->add_subcommand(
      "convert", "Convert a device trace between text and HDF5 (form chosen by extension).");
  convert->add_option("input", paths->first, "Input trace")->required();
  convert->add_option("output", paths->second, "Output trace (.h5 for HDF5, else text)")
      ->required();
  convert->callback([paths, &ctx] {
    ctx.exit_code = guarded([&] {
      auto in = trace::open_trace(paths->first);
      auto out = trace::create_trace(paths->second);
      std::vector<std::uint16_t> map;
      trace::Record r;
      std::uint64_t n = 0;
      while (in->next(r)) {
        while (map.size() < in->streams().size()) {
          map.push_back(out->stream_id(in->streams()[map.size()]));
        }
        r.stream = map[r.stream];
        out->write(r);
        ++n;
      }
      out->close();
      std::cout << fmt::format("{} records written to {}\n", n, paths->second);
      return kOk;
    });
  });
}

}  // namespace tiersim::cli
