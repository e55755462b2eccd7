// Issue 3 item 6: L2 hit rate vs footprint for a streaming kernel shows the capacity cliff at the
// configured size. H100-like L2 (configs/sram/h100_l2.yaml: 50 MiB, 16 ways, 2 partitions);
// repeated sequential 4 KiB reads over the footprint, one warm-up pass, two measured passes.
// With LRU, a footprint that fits hits on every sector after warm-up; one well above thrashes
// (each line is evicted before it is reused). bench/l2_sweep prints the whole table.
#include <gtest/gtest.h>

#include "models/sram/streaming_passes.h"

namespace tiersim::models::sram {
namespace {

SectoredCacheParams h100_l2() {
  SectoredCacheParams p;
  p.capacity = Bytes::MiB(50);
  p.ways = 16;
  p.partitions = 2;
  p.near_latency = Time::ps(137'374);  // 272 clk at 1.98 GHz
  p.far_latency = Time::ps(237'374);   // 470 clk
  p.partition_bandwidth = Bandwidth::GBps(2750);
  return p;
}

double hit_rate(std::uint64_t footprint_mib) {
  const auto r = streaming_passes(h100_l2(), Time::ps(107'071), Bandwidth::GBps(3350),
                                  Bytes::MiB(footprint_mib), Bytes::KiB(4), 1, 2);
  // Every sector of the footprint is touched once per measured pass.
  EXPECT_EQ(r.counts.sectors, footprint_mib * (1ULL << 20) / 32 * 2);
  return r.counts.sector_hit_rate();
}

TEST(L2CapacityCliff, FootprintsBelowCapacityHitAbove95Percent) {
  EXPECT_GT(hit_rate(1), 0.95);
  EXPECT_GT(hit_rate(32), 0.95);
  EXPECT_GT(hit_rate(48), 0.95);
  EXPECT_GT(hit_rate(50), 0.95);  // exactly the capacity still fits
}

TEST(L2CapacityCliff, FootprintsWellAboveCapacityHitBelow10Percent) {
  EXPECT_LT(hit_rate(64), 0.10);
  EXPECT_LT(hit_rate(128), 0.10);
}

TEST(L2CapacityCliff, StreamingFromL2IsFasterThanFromHbm) {
  // Fits: served at the two partitions' ports (2 x 2.75 TB/s); thrashes: bound by HBM 3.35 TB/s.
  const auto fits = streaming_passes(h100_l2(), Time::ps(107'071), Bandwidth::GBps(3350),
                                     Bytes::MiB(32), Bytes::KiB(4), 1, 2);
  const auto thrashes = streaming_passes(h100_l2(), Time::ps(107'071), Bandwidth::GBps(3350),
                                         Bytes::MiB(128), Bytes::KiB(4), 1, 2);
  EXPECT_GT(fits.achieved.as_GBps(), 5000.0);
  EXPECT_LT(fits.achieved.as_GBps(), 5500.0);
  EXPECT_GT(thrashes.achieved.as_GBps(), 3000.0);
  EXPECT_LT(thrashes.achieved.as_GBps(), 3350.0);
}

}  // namespace
}  // namespace tiersim::models::sram
