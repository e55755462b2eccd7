// Cache geometry (partition hash, sets) and the tag store: sector hits/misses, LRU, write-backs.
#include <gtest/gtest.h>

#include <set>

#include "models/sram/tag_store.h"

namespace tiersim::models::sram {
namespace {

TEST(CacheGeometry, H100LikeL2HasTwoPartitionsOf12800Sets) {
  const auto g = CacheGeometry::make(Bytes::MiB(50), 16, 2);
  EXPECT_EQ(g.sets_per_partition(), 12800u);  // 50 MiB / (128 B * 16 ways * 2)
  EXPECT_EQ(g.total_ways(), 409600u);         // 50 MiB / 128 B lines
  // Parity of the line index: consecutive lines alternate partitions.
  EXPECT_EQ(g.partition_of(0), 0u);
  EXPECT_EQ(g.partition_of(1), 1u);
  EXPECT_EQ(g.partition_of(2), 1u);
  EXPECT_EQ(g.partition_of(3), 0u);
  EXPECT_EQ(g.set_of(2), 1u);
  EXPECT_EQ(g.set_of(2 * 12800), 0u);
}

TEST(CacheGeometry, SequentialLinesFillEverySetEvenly) {
  // 4 partitions x 8 sets x 2 ways: the first 64 lines (exactly the capacity) land 2 per set.
  const auto g = CacheGeometry::make(Bytes(128 * 2 * 4 * 8), 2, 4);
  std::multiset<std::uint64_t> used;
  for (std::uint64_t line = 0; line < 64; ++line) used.insert(g.first_way(line));
  for (std::uint64_t set = 0; set < 32; ++set) EXPECT_EQ(used.count(set * 2), 2u) << set;
}

// Distinct sets (of one partition) used by `lines` lines `stride` lines apart.
std::size_t sets_used(const CacheGeometry& g, std::uint64_t lines, std::uint64_t stride) {
  std::set<std::uint64_t> sets;
  for (std::uint64_t i = 0; i < lines; ++i) {
    const std::uint64_t line = i * stride;
    if (g.partition_of(line) == 0) sets.insert(g.set_of(line));
  }
  return sets.size();
}

TEST(CacheGeometry, HashedSetsSpreadA4KiBStrideThatModuloCrowdsIntoOneSixteenth) {
  // H100-like L2, 65536 lines 4 KiB (32 lines) apart: a 256 MiB footprint, 8 MiB of lines.
  const auto modulo = CacheGeometry::make(Bytes::MiB(50), 16, 2);
  const auto hashed = CacheGeometry::make(Bytes::MiB(50), 16, 2, true);
  EXPECT_EQ(sets_used(modulo, 65536, 32), 800u);  // 12800 / gcd-16 steps
  EXPECT_GT(sets_used(hashed, 65536, 32), 12000u);
}

TEST(CacheGeometry, HashedSetsStillFillEverySetEvenlyWhenSequential) {
  const auto g = CacheGeometry::make(Bytes(128 * 2 * 4 * 8), 2, 4, true);
  std::multiset<std::uint64_t> used;
  for (std::uint64_t line = 0; line < 64; ++line) used.insert(g.first_way(line));
  for (std::uint64_t set = 0; set < 32; ++set) EXPECT_EQ(used.count(set * 2), 2u) << set;
}

TEST(CacheGeometry, RejectsImpossibleShapes) {
  EXPECT_THROW((void)CacheGeometry::make(Bytes::MiB(48), 16, 3), std::invalid_argument);
  EXPECT_THROW((void)CacheGeometry::make(Bytes(1000), 1, 1), std::invalid_argument);
  EXPECT_THROW((void)CacheGeometry::make(Bytes(0), 1, 1), std::invalid_argument);
  EXPECT_THROW((void)CacheGeometry::make(Bytes::MiB(1), 0, 1), std::invalid_argument);
}

TEST(TagStore, SectorMissesFillOnlyTheTouchedSectors) {
  TagStore t(CacheGeometry::make(Bytes(256), 2, 1));  // one set of two ways
  auto r = t.access_line(0, 0b0001, false);
  EXPECT_EQ(r.outcome, LineOutcome::kMiss);
  EXPECT_EQ(r.missing, 0b0001);
  r = t.access_line(0, 0b0011, false);
  EXPECT_EQ(r.outcome, LineOutcome::kSectorMiss);
  EXPECT_EQ(r.missing, 0b0010);
  r = t.access_line(0, 0b0011, false);
  EXPECT_EQ(r.outcome, LineOutcome::kHit);
  EXPECT_EQ(r.missing, 0);
  const CacheCounts& c = t.counts();
  EXPECT_EQ(c.line_accesses, 3u);
  EXPECT_EQ(c.misses, 1u);
  EXPECT_EQ(c.sector_misses, 1u);
  EXPECT_EQ(c.hits, 1u);
  EXPECT_EQ(c.sectors, 5u);
  EXPECT_EQ(c.sector_hits, 3u);  // 1 of 2 in the second access, 2 of 2 in the third
}

TEST(TagStore, LruEvictsTheLeastRecentlyUsedAndWritesBackDirtySectors) {
  TagStore t(CacheGeometry::make(Bytes(256), 2, 1));
  (void)t.access_line(0, 0b0001, false);
  (void)t.access_line(1, 0b0110, true);   // write: sectors 1, 2 dirty, no fetch
  (void)t.access_line(0, 0b0001, false);  // line 0 becomes most recent; line 1 is LRU
  auto r = t.access_line(2, 0b1111, false);
  EXPECT_EQ(r.outcome, LineOutcome::kMiss);
  EXPECT_EQ(r.evicted_line, 1u);
  EXPECT_EQ(r.evicted_dirty, 0b0110);
  EXPECT_FALSE(t.contains(1));
  EXPECT_TRUE(t.contains(0));
  EXPECT_TRUE(t.contains(2));
  // Next victim is line 0 (clean): no write-back.
  r = t.access_line(3, 0b0001, false);
  EXPECT_EQ(r.evicted_dirty, 0);
  EXPECT_FALSE(t.contains(0));
  EXPECT_EQ(t.counts().write_backs, 1u);
  EXPECT_EQ(t.counts().sectors_written_back, 2u);
}

TEST(TagStore, WriteOfAPresentLineMarksOnlyItsSectorsDirty) {
  TagStore t(CacheGeometry::make(Bytes(128), 1, 1));  // a single line
  (void)t.access_line(0, 0b1111, false);
  const auto w = t.access_line(0, 0b1000, true);
  EXPECT_EQ(w.outcome, LineOutcome::kHit);
  const auto r = t.access_line(1, 0b0001, false);  // evicts line 0: one dirty sector
  EXPECT_EQ(r.evicted_dirty, 0b1000);
  EXPECT_EQ(t.counts().sectors_written_back, 1u);
}

}  // namespace
}  // namespace tiersim::models::sram
