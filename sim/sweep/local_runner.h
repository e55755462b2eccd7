// Running a sweep's points on this machine, each in its own `tiersim run` process.
//
// Layout of the output directory:
//   points/<hash>.yaml   the point's fully resolved config (what the hash is computed from)
//   points/<hash>.h5     its results (written atomically by `tiersim run -o`)
//   points/<hash>.json   its record: index, params, status (ok | failed | timeout), exit code,
//                        wall seconds, the tail of its stderr on failure
//   points/<hash>.log    its stdout and stderr
//   journal.log          one line per start and end, appended
//
// Resume contract (SIGINT, SIGKILL, power loss): a point whose .h5 exists is done and never run
// again; a point recorded as failed is skipped unless retry_failed. While a point runs, its
// process holds an exclusive flock on points/<hash>.lock (inherited from the runner), so a
// restarted sweep never starts a point that an orphaned process from the killed run is still
// computing: it waits for that process and takes its result. Stale temp files of killed runs
// (named "<file>.tmp.<pid>" of a process that no longer exists) are removed.
#pragma once

#include <string>

#include "sim/sweep/sweep_spec.h"

namespace tiersim::sweep {

struct LocalOptions {
  unsigned jobs = 1;
  bool retry_failed = false;
  bool quiet = false;
  std::string tiersim;  // the binary that runs points (default: this executable)
  // Run only shard `shard` of `shards`: the distinct points are split into `shards` contiguous
  // chunks in sweep order (a Slurm array task runs one chunk).
  std::size_t shard = 0;
  std::size_t shards = 1;
};

struct SweepOutcome {
  std::size_t points = 0;   // distinct configs
  std::size_t ran = 0;      // started by this invocation
  std::size_t skipped = 0;  // already done (or recorded failed)
  std::size_t failed = 0;   // failed or timed out (now or before)
};

// The resolved config and hash of every point, in spec order (duplicates share a hash).
// A point whose config does not resolve (e.g. a value of the wrong unit) gets error = the
// message and a hash of its parameters; it is recorded as failed without running.
struct ResolvedPoint {
  std::size_t index;
  std::string hash;
  std::string yaml;
  std::string error;
};
[[nodiscard]] std::vector<ResolvedPoint> resolve_points(const SweepSpec& spec);

SweepOutcome run_local(const SweepSpec& spec, const LocalOptions& opts);

}  // namespace tiersim::sweep
