// Optional, non-default timing of a GPU kernel's memory traffic through the L2 model
// (models/sram SectoredCacheTiming) and the HBM model (models/dram FastEngine), instead of the
// analytical bytes / (hbm_bandwidth x hbm_efficiency) of GpuModel (docs/models/gpu.md, "Memory
// path through L2 and HBM"). Plain C++; used by the `gpu` component with memory_model: l2_hbm
// (its default stays analytical), bench/gpu_ops_bench.cpp and tests/gpu.
//
// Contract:
//  - SimulatedMemoryPath(l2 preset, hbm preset): an L2 from a `sectored_cache` preset (capacity,
//    ways, partitions, hit latencies, partition bandwidth) backed by a DRAM FastEngine built from
//    a `dram` preset (its misses are fills and write-backs of the HBM model).
//  - stream(read, written, at): a kernel reading `read` bytes from address `read_base` and writing
//    `written` bytes after them, issued as `request`-byte accesses (the last one shorter) from
//    `at`, at most `outstanding` in flight (access i issues at max(previous issue, completion of
//    access i - outstanding): the SMs' memory-level parallelism; the L2 partitions' ports and the
//    HBM decide the pace), requester homes alternating over the partitions. Returns the time the
//    last access completed. State
//    (L2 contents, DRAM rows) persists between calls, so a second pass over a footprint that fits
//    the L2 hits.
//  - Throws config::ConfigError for a malformed preset, std::invalid_argument for a zero request.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/dram/address_mapping.h"
#include "models/dram/fast_engine.h"
#include "models/sram/sectored_cache_timing.h"

namespace tiersim::models::gpu {

class SimulatedMemoryPath {
 public:
  SimulatedMemoryPath(const std::string& l2_preset, const std::string& hbm_preset,
                      Bytes request = Bytes::KiB(64), std::uint32_t outstanding = 64);
  ~SimulatedMemoryPath();
  SimulatedMemoryPath(const SimulatedMemoryPath&) = delete;
  SimulatedMemoryPath& operator=(const SimulatedMemoryPath&) = delete;

  Time stream(Bytes read, Bytes written, Time at, std::uint64_t read_base = 0);
  [[nodiscard]] const sram::CacheCounts& l2_counts() const { return l2_->counts(); }
  [[nodiscard]] Bandwidth hbm_peak() const { return hbm_.peak_bandwidth(); }

 private:
  class Backing;
  dram::DramSpec hbm_;
  std::unique_ptr<dram::AddressMapping> mapping_;
  std::unique_ptr<dram::FastEngine> engine_;
  std::unique_ptr<Backing> backing_;
  std::unique_ptr<sram::SectoredCacheTiming> l2_;
  std::uint32_t partitions_ = 1;
  Bytes request_;
  std::vector<Time> in_flight_;  // completion of the last `outstanding` accesses (ring)
};

}  // namespace tiersim::models::gpu
