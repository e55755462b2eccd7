#include "models/sram/streaming_passes.h"

#include <algorithm>
#include <stdexcept>

namespace tiersim::models::sram {

namespace {

CacheCounts minus(const CacheCounts& a, const CacheCounts& b) {
  CacheCounts d;
  d.line_accesses = a.line_accesses - b.line_accesses;
  d.hits = a.hits - b.hits;
  d.sector_misses = a.sector_misses - b.sector_misses;
  d.misses = a.misses - b.misses;
  d.sectors = a.sectors - b.sectors;
  d.sector_hits = a.sector_hits - b.sector_hits;
  d.write_backs = a.write_backs - b.write_backs;
  d.sectors_written_back = a.sectors_written_back - b.sectors_written_back;
  return d;
}

// One sequential pass, all requests issued at `start`; returns the last byte's time.
Time pass(SectoredCacheTiming& cache, Time start, std::uint64_t footprint, std::uint64_t request,
          std::uint32_t home) {
  Time done = start;
  for (std::uint64_t a = 0; a < footprint; a += request) {
    const Bytes b(std::min(request, footprint - a));
    done = max(done, cache.access(kernel::TxnKind::kRead, start, start, a, b, home).last);
  }
  return done;
}

}  // namespace

StreamingResult streaming_passes(const SectoredCacheParams& params, Time backing_latency,
                                 Bandwidth backing_bandwidth, Bytes footprint, Bytes request,
                                 unsigned warmup_passes, unsigned measured_passes,
                                 std::uint32_t home) {
  if (footprint.count() == 0 || request.count() == 0 || measured_passes == 0) {
    throw std::invalid_argument("streaming_passes: footprint, request and passes must be > 0");
  }
  TimelineBacking backing(backing_latency, backing_bandwidth);
  SectoredCacheTiming cache(params, backing);
  Time t;
  for (unsigned i = 0; i < warmup_passes; ++i) {
    t = pass(cache, t, footprint.count(), request.count(), home);
  }
  const CacheCounts before = cache.counts();
  const Time start = t;
  for (unsigned i = 0; i < measured_passes; ++i) {
    t = pass(cache, t, footprint.count(), request.count(), home);
  }
  StreamingResult r;
  r.counts = minus(cache.counts(), before);
  r.elapsed = t - start;
  r.achieved = Bandwidth::achieved(Bytes(footprint.count() * measured_passes), r.elapsed);
  return r;
}

}  // namespace tiersim::models::sram
