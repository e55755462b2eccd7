// tiersim run | replay
#include <CLI/CLI.hpp>

#include "sim/cli/commands.h"
#include "sim/cli/experiment_loading.h"
#include "sim/run/experiment.h"

namespace tiersim::cli {

namespace {

struct RunArgs {
  std::string experiment;
  ReplayArgs replay;
  std::vector<std::string> sets;
  std::string out_path;
  bool quiet = false;
  bool no_progress = false;
  std::string timeline;

  [[nodiscard]] run::RunOptions options() const {
    run::RunOptions o;
    o.timeline_path = timeline;
    o.output_path = out_path;
    o.quiet = quiet;
    o.progress = !no_progress;
    return o;
  }
};

void add_common(CLI::App* cmd, RunArgs& a) {
  cmd->add_option("-o,--output", a.out_path, "Results file (overrides output.path)");
  cmd->add_option("--set", a.sets, "Override a config key: path.to.key=value (repeatable)");
  cmd->add_flag("-q,--quiet", a.quiet, "No console summary");
  cmd->add_flag("--no-progress", a.no_progress, "No progress bar");
  cmd->add_option("--timeline", a.timeline,
                  "Write a Chrome/Perfetto trace (JSON) of requests and device activity");
}

}  // namespace

void add_run_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RunArgs>();

  auto* run_cmd = app.add_subcommand(
      "run", "Run an experiment file (or repeat the run stored in a results .h5).");
  run_cmd->add_option("experiment", args->experiment, "Experiment YAML, or a results .h5 to repeat")
      ->required();
  add_common(run_cmd, *args);
  run_cmd->callback([args, &ctx] {
    ctx.exit_code = guarded([&] {
      const config::Node root = load_any(args->experiment, args->sets);
      run::run_experiment(root, args->experiment, args->options());
      return kOk;
    });
  });

  auto* replay_cmd = app.add_subcommand("replay", "Replay a device trace against a system.");
  ReplayArgs& r = args->replay;
  replay_cmd->add_option("trace", r.trace, "Device trace (text or HDF5)")->required();
  replay_cmd->add_option("--system", r.system, "YAML file with a `system:` section")->required();
  replay_cmd->add_option("--source", r.source, "Issuing component (default: the only endpoint)");
  replay_cmd->add_option("--target", r.target, "Serving component (default: the only one)");
  replay_cmd->add_option("--max-outstanding", r.max_outstanding, "Requests in flight")
      ->capture_default_str();
  add_common(replay_cmd, *args);
  replay_cmd->callback([args, &ctx] {
    ctx.exit_code = guarded([&] {
      const config::Node root = replay_experiment(args->replay, args->sets);
      run::run_experiment(root, args->replay.trace, args->options());
      return kOk;
    });
  });
}

}  // namespace tiersim::cli
