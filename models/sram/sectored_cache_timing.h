// A sectored, partitioned GPU L2: tag store (tag_store.h) plus timing, independent of SystemC.
//
// Resources: one data-port timeline per partition (partition_bandwidth, 0 = unlimited) and the
// injected BackingMemory for misses. A request walks its lines once (per line, not per byte):
// each line is looked up in the tag store and its bytes are charged to the line's partition.
//
// Timing of a request arriving at `arrival` from a requester whose near partition is `home`
// (latency of partition q: near_latency if q == home, else far_latency):
//   partition q with b_q > 0 request bytes: s_q = port_q.reserve(arrival, b_q / bandwidth)
//   read : data ready at e = max_q(s_q + b_q / bandwidth + latency_q)
//          missing sectors (all lines together) are fetched with one backing read issued at
//          `arrival`; its last byte returns at m, and e = max(e, m + max latency_q of the
//          partitions with misses). First byte: min_q(s_q + latency_q) if any touched sector hit,
//          else backing first byte + that latency.
//   write: sectors are written whole without a fetch (write-allocate, no fill);
//          ack = max(max_q(s_q + b_q / bandwidth), last data byte arrived) + max_q latency_q.
//   Dirty sectors of evicted lines are written back with one backing write issued at `arrival`;
//   the request does not wait for it.
// The hit latency covers the path to and from the partition; the backing latency is therefore
// what a miss adds beyond a hit (e.g. H100: measured DRAM load latency minus the L2 hit latency).
#pragma once

#include <cstdint>
#include <vector>

#include "models/sram/backing_memory.h"
#include "models/sram/tag_store.h"
#include "sim/kernel/timeline.h"
#include "sim/kernel/transaction.h"

namespace tiersim::models::sram {

struct SectoredCacheParams {
  Bytes capacity;
  std::uint32_t ways = 16;
  std::uint32_t partitions = 1;
  bool hashed_sets = false;       // cache_geometry.h
  Time near_latency;              // hit latency from the requester's home partition
  Time far_latency;               // hit latency from another partition
  Bandwidth partition_bandwidth;  // data port of one partition; zero = unlimited
};

class SectoredCacheTiming {
 public:
  // Throws std::invalid_argument for an impossible geometry (cache_geometry.h). `backing` must
  // outlive this object.
  SectoredCacheTiming(const SectoredCacheParams& p, BackingMemory& backing);

  // Times one request (bytes > 0); requests must come in issue order. `home` is taken modulo the
  // number of partitions. `data_last`: when a write's last byte arrives (ignored for reads).
  kernel::DataWindow access(kernel::TxnKind kind, Time arrival, Time data_last,
                            std::uint64_t address, Bytes bytes, std::uint32_t home);

  [[nodiscard]] const CacheCounts& counts() const { return tags_.counts(); }
  [[nodiscard]] const TagStore& tags() const { return tags_; }
  [[nodiscard]] std::uint64_t bytes_fetched() const { return bytes_fetched_; }
  [[nodiscard]] Time port_busy() const;

 private:
  SectoredCacheParams params_;
  TagStore tags_;
  BackingMemory& backing_;
  std::vector<kernel::Timeline> ports_;  // one per partition
  // Per-request scratch, one slot per partition (no allocation per request).
  std::vector<std::uint64_t> part_bytes_;
  std::uint64_t bytes_fetched_ = 0;
};

}  // namespace tiersim::models::sram
