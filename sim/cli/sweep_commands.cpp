// tiersim sweep <sweep.yaml> [-j N] [--retry-failed] | tiersim sweep collect <sweep.yaml>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <thread>

#include "sim/cli/commands.h"
#include "sim/sweep/collect.h"
#include "sim/sweep/local_runner.h"

namespace tiersim::cli {

namespace {

struct SweepArgs {
  std::string file;
  unsigned jobs = 0;
  bool retry_failed = false;
  bool quiet = false;
  bool no_collect = false;
};

}  // namespace

void add_sweep_commands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SweepArgs>();
  auto* sweep = app.add_subcommand(
      "sweep", "Run a parameter sweep (one process per point, resumable), then collect it.");
  sweep->add_option("sweep", a->file, "Sweep YAML (base experiment + axes)");
  sweep->add_option("-j,--jobs", a->jobs, "Points run at once (default: all cores)");
  sweep->add_flag("--retry-failed", a->retry_failed, "Run points recorded as failed again");
  sweep->add_flag("-q,--quiet", a->quiet, "No per-point lines");
  sweep->add_flag("--no-collect", a->no_collect, "Do not write the merged table at the end");
  sweep->require_subcommand(0, 1);

  auto c = std::make_shared<std::string>();
  auto* collect = sweep->add_subcommand("collect", "Merge a sweep's results into one table.");
  collect->add_option("sweep", *c, "Sweep YAML")->required();
  collect->callback([c, &ctx] {
    ctx.exit_code = guarded([&] {
      const auto spec = sweep::load_sweep(*c);
      const auto o = sweep::collect(spec);
      fmt::print("{} rows ({} with results) -> {} and {}\n", o.rows, o.ok, o.csv, o.h5);
      return kOk;
    });
  });

  sweep->callback([a, sweep, &ctx] {
    if (sweep->get_subcommands().size() > 0 && sweep->got_subcommand("collect")) return;
    ctx.exit_code = guarded([&] {
      if (a->file.empty()) throw std::runtime_error("tiersim sweep: missing the sweep file");
      const auto spec = sweep::load_sweep(a->file);
      sweep::LocalOptions o;
      o.jobs = a->jobs ? a->jobs : std::max(1u, std::thread::hardware_concurrency());
      o.retry_failed = a->retry_failed;
      o.quiet = a->quiet;
      const auto r = sweep::run_local(spec, o);
      fmt::print("sweep '{}': {} points, {} run now, {} already done, {} failed\n", spec.name,
                 r.points, r.ran, r.skipped, r.failed);
      if (!a->no_collect) {
        const auto c2 = sweep::collect(spec);
        fmt::print("merged table: {} ({} rows)\n", c2.csv, c2.rows);
      }
      return r.failed == 0 ? kOk : kRuntimeError;
    });
  });
}

}  // namespace tiersim::cli
