// Sectored cache timing: hit latency by near/far partition, misses through the backing memory,
// partition port bandwidth, write-backs occupying the backing memory.
// Backing: 50 ns latency, 64 GB/s (32 B sector = 500 ps, 128 B line = 2000 ps).
#include <gtest/gtest.h>

#include "models/sram/sectored_cache_timing.h"

namespace tiersim::models::sram {
namespace {

using kernel::TxnKind;

SectoredCacheParams two_partitions() {
  SectoredCacheParams p;
  p.capacity = Bytes(128 * 16 * 2 * 64);  // 256 KiB: 2 partitions x 64 sets x 16 ways
  p.ways = 16;
  p.partitions = 2;
  p.near_latency = Time::ns(100);
  p.far_latency = Time::ns(200);
  return p;
}

struct Fixture {
  explicit Fixture(const SectoredCacheParams& p) : cache(p, backing) {}
  kernel::DataWindow read(Time at, std::uint64_t addr, std::uint64_t bytes, std::uint32_t home) {
    return cache.access(TxnKind::kRead, at, at, addr, Bytes(bytes), home);
  }
  TimelineBacking backing{Time::ns(50), Bandwidth::GBps(64)};
  SectoredCacheTiming cache;
};

TEST(SectoredCacheTiming, ColdMissCostsBackingPlusHitLatencyThenHits) {
  Fixture f(two_partitions());
  // Line 0 is in partition 0, near for requester 0. Fill: 128 B from the backing, data in
  // [50 ns, 52 ns], plus the 100 ns near latency.
  auto w = f.read(Time::zero(), 0, 128, 0);
  EXPECT_EQ(w.first.ps(), 150'000);
  EXPECT_EQ(w.last.ps(), 152'000);
  EXPECT_EQ(f.cache.bytes_fetched(), 128u);
  // Again at 1 us: a hit, near latency only (unlimited port bandwidth).
  w = f.read(Time::us(1), 0, 128, 0);
  EXPECT_EQ(w.first.ps(), 1'100'000);
  EXPECT_EQ(w.last.ps(), 1'100'000);
  EXPECT_EQ(f.cache.counts().hits, 1u);
  EXPECT_EQ(f.cache.counts().misses, 1u);
}

TEST(SectoredCacheTiming, FarPartitionHitsTakeTheFarLatency) {
  Fixture f(two_partitions());
  (void)f.read(Time::zero(), 128, 128, 0);                           // line 1: partition 1
  EXPECT_EQ(f.read(Time::us(1), 128, 128, 0).last.ps(), 1'200'000);  // far for requester 0
  EXPECT_EQ(f.read(Time::us(2), 128, 128, 1).last.ps(), 2'100'000);  // near for requester 1
  EXPECT_EQ(f.read(Time::us(3), 128, 128, 3).last.ps(), 3'100'000);  // home taken modulo 2
}

TEST(SectoredCacheTiming, OnlyMissingSectorsAreFetched) {
  Fixture f(two_partitions());
  (void)f.read(Time::zero(), 0, 32, 0);  // sector 0 of line 0
  EXPECT_EQ(f.cache.bytes_fetched(), 32u);
  // Sectors 0-3: three missing (96 B, 1500 ps from the backing, free again by now).
  const auto w = f.read(Time::us(1), 0, 128, 0);
  EXPECT_EQ(f.cache.bytes_fetched(), 128u);
  EXPECT_EQ(f.cache.counts().sector_misses, 1u);
  // Part of the data hit: first byte at the near hit latency; last when the fill arrives.
  EXPECT_EQ(w.first.ps(), 1'100'000);
  EXPECT_EQ(w.last.ps(), 1'000'000 + 50'000 + 1500 + 100'000);
}

TEST(SectoredCacheTiming, MultiLineMissIsOneFillWithTheWorstPartitionLatency) {
  Fixture f(two_partitions());
  // 512 B = lines 0..3 in partitions 0, 1, 1, 0; 512 B fill = 8000 ps; far latency 200 ns.
  const auto w = f.read(Time::zero(), 0, 512, 0);
  EXPECT_EQ(w.first.ps(), 50'000 + 200'000);
  EXPECT_EQ(w.last.ps(), 58'000 + 200'000);
  EXPECT_EQ(f.cache.counts().misses, 4u);
}

TEST(SectoredCacheTiming, PartitionPortBandwidthQueuesHits) {
  SectoredCacheParams p = two_partitions();
  p.partition_bandwidth = Bandwidth::GBps(128);  // 128 B = 1000 ps per partition port
  Fixture f(p);
  (void)f.read(Time::zero(), 0, 128, 0);
  (void)f.read(Time::zero(), 384, 128, 0);  // line 3: partition 0 too
  const Time t = Time::us(10);
  EXPECT_EQ(f.read(t, 0, 128, 0).last, t + Time::ps(1000) + Time::ns(100));
  // Second hit on the same partition port at the same time waits 1000 ps.
  EXPECT_EQ(f.read(t, 384, 128, 0).last, t + Time::ps(2000) + Time::ns(100));
  // A hit in partition 1 does not wait (its own port), but is far.
  (void)f.read(Time::us(5), 128, 128, 0);
  EXPECT_EQ(f.read(t, 128, 128, 0).last, t + Time::ps(1000) + Time::ns(200));
}

TEST(SectoredCacheTiming, DirtyEvictionWritesBackAndDelaysTheNextFill) {
  SectoredCacheParams p;
  p.capacity = Bytes(128);  // one line
  p.ways = 1;
  p.partitions = 1;
  p.near_latency = Time::ns(100);
  p.far_latency = Time::ns(100);
  Fixture f(p);
  // A write needs no fetch: acknowledged when its data has arrived (3 ns) plus the latency.
  const auto w = f.cache.access(TxnKind::kWrite, Time::zero(), Time::ns(3), 0, Bytes(128), 0);
  EXPECT_EQ(w.last.ps(), 103'000);
  EXPECT_EQ(f.cache.bytes_fetched(), 0u);
  // Reading line 1 evicts dirty line 0: its 128 B write-back holds the backing for 2000 ps,
  // then the fill runs: data in [2000 + 50000, 4000 + 50000], plus 100 ns.
  const auto r = f.read(Time::zero(), 128, 128, 0);
  EXPECT_EQ(r.first.ps(), 152'000);
  EXPECT_EQ(r.last.ps(), 154'000);
  EXPECT_EQ(f.cache.counts().write_backs, 1u);
  EXPECT_EQ(f.cache.counts().sectors_written_back, 4u);
  EXPECT_EQ(f.backing.port().busy_time().ps(), 4000);
}

}  // namespace
}  // namespace tiersim::models::sram
