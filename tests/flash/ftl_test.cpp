// Page-level FTL (models/flash/ftl.h): mapping invariants after preconditioning and after GC,
// and measured write amplification of greedy GC under uniform random writes against the
// analytical estimate (Desnoyers, ACM TOS 2014) at two over-provisioning levels.
#include "models/flash/ftl.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace tiersim::models::flash {
namespace {

// 2048 blocks x 64 pages; logical space = physical / alpha.
Ftl make(double alpha) {
  FtlParams p;
  p.blocks = 2048;
  p.pages_per_block = 64;
  p.logical_pages = static_cast<std::uint64_t>(2048.0 * 64.0 / alpha);
  p.gc_threshold = 2;
  return Ftl(p);
}

double measured_wa(double alpha) {
  Ftl f = make(alpha);
  const std::uint64_t logical = static_cast<std::uint64_t>(2048.0 * 64.0 / alpha);
  // Fill completely, then 3x the logical space of random overwrites to reach steady state.
  f.precondition(1.0, 3 * logical, 7);
  std::mt19937_64 rng(11);
  for (std::uint64_t i = 0; i < 4 * logical; ++i) f.write(rng() % logical);
  std::string why;
  EXPECT_TRUE(f.check(&why)) << why;
  return f.write_amplification();
}

TEST(Ftl, EstimateMatchesKnownValues) {
  // alpha = 1.1: W0(-1.1 e^-1.1) = -0.9063 -> A = 1.1 / 0.1937 = 5.68.
  EXPECT_NEAR(Ftl::greedy_wa_estimate(1.1), 5.68, 0.02);
  // Large spare: approaches 1.
  EXPECT_NEAR(Ftl::greedy_wa_estimate(4.0), 1.0202, 0.001);  // W0(-4 e^-4) = -0.0792
}

TEST(Ftl, PreconditionLaysOutEveryPageAndKeepsInvariants) {
  Ftl f = make(1.25);
  f.precondition(0.9, 0, 1);
  std::string why;
  ASSERT_TRUE(f.check(&why)) << why;
  const std::uint64_t logical = static_cast<std::uint64_t>(2048.0 * 64.0 / 1.25);
  EXPECT_TRUE(f.mapped(0));
  EXPECT_TRUE(f.mapped(static_cast<std::uint64_t>(0.9 * logical) - 1));
  EXPECT_FALSE(f.mapped(logical - 1));
  EXPECT_EQ(f.host_writes(), 0u);
  EXPECT_EQ(f.erases(), 0u);
}

TEST(Ftl, RandomWritesAfterFillTriggerGcAndAmplify) {
  Ftl f = make(1.25);
  const std::uint64_t logical = static_cast<std::uint64_t>(2048.0 * 64.0 / 1.25);
  f.precondition(0.9, 0, 1);
  std::mt19937_64 rng(3);
  for (std::uint64_t i = 0; i < 2 * logical; ++i) f.write(rng() % logical);
  EXPECT_GT(f.gc_runs(), 0u);
  EXPECT_GT(f.write_amplification(), 1.2);
  const auto& pe = f.pe_counts();
  EXPECT_EQ(std::accumulate(pe.begin(), pe.end(), std::uint64_t{0}), f.erases());
  EXPECT_GE(f.free_blocks(), 2u);
  std::string why;
  EXPECT_TRUE(f.check(&why)) << why;
}

TEST(Ftl, GreedyWaMatchesTheAnalyticalEstimateAtTenPercentSpare) {
  const double est = Ftl::greedy_wa_estimate(1.1);
  EXPECT_NEAR(measured_wa(1.1), est, 0.15 * est);
}

TEST(Ftl, GreedyWaMatchesTheAnalyticalEstimateAtTwentyEightPercentSpare) {
  const double est = Ftl::greedy_wa_estimate(1.28);
  EXPECT_NEAR(measured_wa(1.28), est, 0.15 * est);
}

}  // namespace
}  // namespace tiersim::models::flash
