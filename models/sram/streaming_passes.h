// Characterization of a sectored cache under a streaming kernel: repeated sequential passes
// over a footprint (the L2 capacity-cliff experiment of issue 3), without SystemC.
//
// Contract of streaming_passes():
//  - Builds a fresh cache from `params` over a TimelineBacking(backing_latency,
//    backing_bandwidth), reads [0, footprint) sequentially in `request`-sized reads (the last one
//    shorter if needed) `warmup_passes` times, then `measured_passes` times more.
//  - Each pass issues all its requests at the time the previous pass completed (open loop: the
//    partitions' ports and the backing memory decide the pace). Requests come from requester
//    `home` (its near partition).
//  - The result covers the measured passes only: their tag-store counts (difference of the
//    counts before and after), the time from their first issue to their last byte, and the
//    achieved bandwidth (bytes read / that time).
//  - Throws std::invalid_argument for footprint or request of 0 bytes or measured_passes == 0.
#pragma once

#include <cstdint>

#include "models/sram/sectored_cache_timing.h"

namespace tiersim::models::sram {

struct StreamingResult {
  CacheCounts counts;  // of the measured passes
  Time elapsed;        // of the measured passes
  Bandwidth achieved;  // bytes read in the measured passes / elapsed
};

[[nodiscard]] StreamingResult streaming_passes(const SectoredCacheParams& params,
                                               Time backing_latency, Bandwidth backing_bandwidth,
                                               Bytes footprint, Bytes request,
                                               unsigned warmup_passes, unsigned measured_passes,
                                               std::uint32_t home = 0);

}  // namespace tiersim::models::sram
