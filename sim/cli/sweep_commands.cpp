// tiersim sweep <sweep.yaml> [-j N] [--retry-failed] | tiersim sweep collect <sweep.yaml>
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <thread>

#include "sim/cli/commands.h"
#include "sim/sweep/collect.h"
#include "sim/sweep/local_runner.h"
#include "sim/sweep/slurm_backend.h"

namespace tiersim::cli {

namespace {

struct SweepArgs {
  std::string file;
  std::string backend = "local";
  sweep::SlurmOptions slurm;
  std::size_t shard = 0;
  std::size_t shards = 1;
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
  sweep->add_option("--backend", a->backend, "local (default) or slurm (one sbatch job array)")
      ->check(CLI::IsMember({"local", "slurm"}));
  sweep->add_option("--chunk-size", a->slurm.chunk, "slurm: points per array task")
      ->capture_default_str();
  sweep->add_option("--partition", a->slurm.partition, "slurm: --partition");
  sweep->add_option("--time-limit", a->slurm.time_limit, "slurm: --time per task (HH:MM:SS)");
  sweep->add_option("--mem", a->slurm.mem, "slurm: --mem per task (e.g. 4G)");
  sweep->add_option("--cpus-per-task", a->slurm.cpus_per_task, "slurm: --cpus-per-task")
      ->capture_default_str();
  sweep->add_option("--sbatch-arg", a->slurm.extra, "slurm: extra sbatch argument (repeatable)");
  sweep->add_flag("--wait", a->slurm.wait, "slurm: wait for the array to finish, then collect");
  sweep->add_option("--shard", a->shard, "Run only this chunk (used by Slurm array tasks)")
      ->group("");
  sweep->add_option("--shards", a->shards, "Number of chunks (used by Slurm array tasks)")
      ->group("");
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
      if (a->backend == "slurm") {
        const auto s = sweep::submit_slurm(spec, a->slurm);
        fmt::print("sweep '{}': submitted job array {} ({} tasks, {} points); script {}\n",
                   spec.name, s.job_id, s.tasks, s.points, s.script);
        if (!a->slurm.wait) {
          fmt::print("collect the results when it has finished: tiersim sweep collect {}\n",
                     a->file);
          return kOk;
        }
        const auto c2 = sweep::collect(spec);
        fmt::print("merged table: {} ({} rows, {} with results)\n", c2.csv, c2.rows, c2.ok);
        return c2.ok == c2.rows ? kOk : kRuntimeError;
      }
      sweep::LocalOptions o;
      o.shard = a->shard;
      o.shards = a->shards;
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
