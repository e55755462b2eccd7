// Simulating host <-> device copies: each copy is a `tiersim run` of the PCIe system preset in a
// child process (SystemC elaborates once per process), as bench/pcie_bandwidth.py and
// tests/link do: the GPU's copy engine issues the copy in 2 MiB chunks (the whole copy if
// smaller), two in flight, after a 2 us per-copy setup; `pinned` and `wc` host memory are the
// system's `host_mem`, `pageable` its `pageable` memory (reached through the CPU staging copy).
//
// Contract: simulate_copies() runs the copies concurrently (one synthetic workload each, sharing
// the links) and returns the simulated time at which the last one completes, from t = 0. Throws
// std::runtime_error with the child's stderr if the run fails.
#pragma once

#include <string>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::validate {

struct HostCopy {
  bool to_device = true;  // H2D (the GPU reads host memory); false: D2H
  bool pageable = false;
  Bytes bytes;
};

class CopySimulator {
 public:
  // `tiersim`: the binary to run; `system`: the system preset; a temp directory is made under
  // the system's temp path and removed by the destructor.
  CopySimulator(std::string tiersim, std::string system);
  ~CopySimulator();
  CopySimulator(const CopySimulator&) = delete;
  CopySimulator& operator=(const CopySimulator&) = delete;

  [[nodiscard]] Time simulate_copies(const std::vector<HostCopy>& copies);

 private:
  std::string tiersim_;
  std::string system_;
  std::string dir_;
  unsigned runs_ = 0;
};

}  // namespace tiersim::validate
