// Bank interleaving: the per-bank shares of a byte range, against a per-granule count.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>

#include "models/sram/interleave.h"

namespace tiersim::models::sram {
namespace {

std::map<std::uint64_t, std::uint64_t> shares(std::uint64_t address, std::uint64_t bytes,
                                              std::uint64_t granule, std::uint64_t banks) {
  std::map<std::uint64_t, std::uint64_t> out;
  for_each_bank_share(address, bytes, granule, banks, [&](std::uint64_t b, std::uint64_t s) {
    EXPECT_EQ(out.count(b), 0u) << "bank " << b << " reported twice";
    out[b] = s;
  });
  return out;
}

// Reference: walk the range granule by granule.
std::map<std::uint64_t, std::uint64_t> by_granule(std::uint64_t address, std::uint64_t bytes,
                                                  std::uint64_t granule, std::uint64_t banks) {
  std::map<std::uint64_t, std::uint64_t> out;
  std::uint64_t a = address;
  const std::uint64_t end = address + bytes;
  while (a < end) {
    const std::uint64_t next = std::min(end, (a / granule + 1) * granule);
    out[(a / granule) % banks] += next - a;
    a = next;
  }
  return out;
}

TEST(Interleave, UnalignedRangeSplitsIntoHeadMiddleAndTail) {
  // [32, 132) with 64 B granules: 32 B of granule 0, all of granule 1, 4 B of granule 2.
  const auto s = shares(32, 100, 64, 4);
  EXPECT_EQ(s, (std::map<std::uint64_t, std::uint64_t>{{0, 32}, {1, 64}, {2, 4}}));
}

TEST(Interleave, AlignedRangeSpreadsEvenly) {
  // 1024 B = 16 granules of 64 B over 4 banks: 4 granules (256 B) each.
  const auto s = shares(0, 1024, 64, 4);
  EXPECT_EQ(s, (std::map<std::uint64_t, std::uint64_t>{{0, 256}, {1, 256}, {2, 256}, {3, 256}}));
}

TEST(Interleave, StartsAtTheBankOfTheFirstGranule) {
  // Address 6 * 64 is granule 6 -> bank 2 of 4; 128 B covers banks 2 and 3.
  std::uint64_t first = 99;
  for_each_bank_share(6 * 64, 128, 64, 4, [&](std::uint64_t b, std::uint64_t) {
    if (first == 99) first = b;
  });
  EXPECT_EQ(first, 2u);
  EXPECT_EQ(shares(6 * 64, 128, 64, 4), (std::map<std::uint64_t, std::uint64_t>{{2, 64}, {3, 64}}));
}

TEST(Interleave, LargeUnalignedRangesMatchTheGranuleWalk) {
  for (const std::uint64_t addr : {0ULL, 4100ULL, 127ULL, 1ULL << 33}) {
    for (const std::uint64_t bytes : {1ULL, 127ULL, 128ULL, 4096ULL, 1000003ULL}) {
      EXPECT_EQ(shares(addr, bytes, 128, 32), by_granule(addr, bytes, 128, 32))
          << addr << " +" << bytes;
      EXPECT_EQ(shares(addr, bytes, 4, 32), by_granule(addr, bytes, 4, 32))
          << addr << " +" << bytes;
    }
  }
}

TEST(Interleave, SingleBankTakesEverything) {
  EXPECT_EQ(shares(100, 5000, 64, 1), (std::map<std::uint64_t, std::uint64_t>{{0, 5000}}));
  EXPECT_TRUE(shares(100, 0, 64, 4).empty());
}

}  // namespace
}  // namespace tiersim::models::sram
