// Experiments: the top-level config schema, loading + validation, and running one experiment.
//
// Contract:
//  - load_experiment() loads a YAML file (extends resolved), applies --set overrides, validates it
//    against experiment_schema() (filling defaults, absolutizing paths) and returns the resolved
//    tree. All problems are ConfigErrors with file:line:col.
//  - run_experiment() elaborates the system once (SystemC allows one elaboration per process),
//    replays every workload, and writes the HDF5 results atomically. Same resolved config and
//    seed -> bit-identical datasets (everything except /run_info).
#pragma once

#include <string>
#include <vector>

#include "sim/config/node.h"
#include "sim/config/schema.h"

namespace tiersim::run {

[[nodiscard]] config::SchemaPtr experiment_schema();

[[nodiscard]] config::Node load_experiment(const std::string& path,
                                           const std::vector<std::string>& overrides);
// Validates an already loaded tree (e.g. one built by `tiersim replay`).
void validate_experiment(config::Node& root);

struct RunOptions {
  std::string output_path;    // overrides output.path when not empty
  bool quiet = false;         // no console summary
  bool progress = true;       // progress bar when stderr is a terminal and the run is long
  std::string timeline_path;  // Chrome/Perfetto trace of requests and device activity, if set
};

struct RunResult {
  std::string results_path;
  std::uint64_t requests = 0;
  double wall_seconds = 0;
};

RunResult run_experiment(const config::Node& resolved, const std::string& source_file,
                         const RunOptions& opts);

}  // namespace tiersim::run
