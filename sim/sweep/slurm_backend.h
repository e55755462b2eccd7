// Submitting a sweep to Slurm as one job array: each array task runs a contiguous chunk of the
// sweep's distinct points with the local runner (same hashes, locks, records and resume
// semantics), one point at a time. `tiersim sweep collect` then merges the results.
//
// Files under <output>/slurm/: job.sh (the sbatch script, kept for inspection and resubmission),
// job_id, and one log per array task (%A_%a.log).
#pragma once

#include <string>
#include <vector>

#include "sim/sweep/sweep_spec.h"

namespace tiersim::sweep {

struct SlurmOptions {
  std::size_t chunk = 10;          // points per array task
  std::string partition;           // --partition (empty: the cluster's default)
  std::string time_limit;          // --time, e.g. "01:00:00" (empty: partition default)
  std::string mem;                 // --mem, e.g. "4G"
  unsigned cpus_per_task = 1;      // --cpus-per-task
  std::vector<std::string> extra;  // further sbatch arguments, verbatim
  bool wait = false;               // sbatch --wait: return when the array has finished
  std::string tiersim;             // the binary the tasks run (default: this executable)
};

struct SlurmSubmission {
  std::string job_id;
  std::size_t tasks = 0;
  std::size_t points = 0;  // distinct points (done ones are skipped by the tasks)
  std::string script;
};

// Writes the job script and submits it with sbatch. Throws std::runtime_error with sbatch's
// message if submission fails.
SlurmSubmission submit_slurm(const SweepSpec& spec, const SlurmOptions& opts);

}  // namespace tiersim::sweep
