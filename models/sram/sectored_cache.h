// sectored_cache: a set-associative, sectored, write-back GPU L2 (128 B lines, 32 B sectors,
// LRU, capacity partitions with near/far hit latency) in front of a backing memory.
//
// Timing and state are SectoredCacheTiming (sectored_cache_timing.h). Latencies are given in
// cycles of `clock`, as measurements report them.
//
// Limitation (first version): a Component has only a target socket, so the cache cannot reach a
// downstream component through the system. Its backing memory is built in: one timeline with
// `backing_latency_cycles` and `backing_bandwidth` (TimelineBacking). A model that needs a real
// DRAM model behind the cache can use SectoredCacheTiming with its own BackingMemory.
//
// The requester's near partition is txn.source % partitions (component ids follow declaration
// order), so two requesters declared one after the other sit next to different halves.
#pragma once

#include "models/sram/backing_memory.h"
#include "models/sram/sectored_cache_timing.h"
#include "sim/kernel/component.h"

namespace tiersim::models {

// The timing parameters and the built-in backing memory of a validated `sectored_cache` map
// (defaults filled). Throws ConfigError at the offending key (a bad geometry at `capacity`).
struct SectoredCacheConfig {
  sram::SectoredCacheParams cache;
  Time backing_latency;
  Bandwidth backing_bandwidth;
};
[[nodiscard]] SectoredCacheConfig sectored_cache_config(const config::Node& cfg);

class SectoredCache : public kernel::Component {
 public:
  explicit SectoredCache(const kernel::BuildContext& ctx);
  SectoredCache(const kernel::BuildContext& ctx, const SectoredCacheConfig& c);
  static config::SchemaPtr schema();

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;

  [[nodiscard]] const sram::SectoredCacheTiming& timing() const { return timing_; }

 private:
  sram::TimelineBacking backing_;
  sram::SectoredCacheTiming timing_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::Counter& line_accesses_;
  stats::Counter& hits_;
  stats::Counter& sector_misses_;
  stats::Counter& misses_;
  stats::Counter& sectors_;
  stats::Counter& sector_hits_;
  stats::Counter& write_backs_;
  stats::Counter& sectors_written_back_;
  stats::Counter& bytes_fetched_;
  stats::Counter& port_busy_ps_;
};

}  // namespace tiersim::models
