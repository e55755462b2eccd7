// Merging a sweep's results into one table.
//
// collect() writes <output>/summary.csv and <output>/summary.h5 (dataset /table, a compound of
// the same columns), atomically: one row per point in sweep order, with columns
//   point, hash, status, <one per swept key (its value as written)>, <every /summary attribute>.
// Points not run yet have status "missing"; failed ones their status and empty metrics.
//   pandas.read_csv("summary.csv")
//   pandas.DataFrame(h5py.File("summary.h5")["table"][:])
#pragma once

#include <string>

#include "sim/sweep/sweep_spec.h"

namespace tiersim::sweep {

struct CollectOutcome {
  std::size_t rows = 0;
  std::size_t ok = 0;
  std::string csv;
  std::string h5;
};

CollectOutcome collect(const SweepSpec& spec);

}  // namespace tiersim::sweep
