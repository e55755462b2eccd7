// The reference decode-attention kernel's split choice (sim/replay/cuda/split_plan.h), checked on
// the CPU: the H100 has 132 SMs and holds 4 CTAs of the GQA 32/8 kernel per SM (528 slots); a
// head_dim-128 CTA iteration covers 32 tokens.
#include "sim/replay/cuda/split_plan.h"

#include <gtest/gtest.h>

namespace tiersim::cuda {
namespace {

constexpr std::int64_t kSlots = 132 * 4;

TEST(SplitPlan, FillsWholeRoundsInsteadOfStartingASecondOne) {
  // Batch 16 x 8 KV heads = 128 CTAs per split. 5 splits (640 CTAs) would need a second round of
  // 112 CTAs: 2 x (ceil(32 / 5) + 1) = 16 iteration times at context 1024; 4 splits take 1 x 9.
  EXPECT_EQ(choose_splits(128, 1024 / 32, kSlots, 1024), 4);
  EXPECT_EQ(choose_splits(128, 4096 / 32, kSlots, 1024), 4);
}

TEST(SplitPlan, OneSplitWhenTheBatchAlreadyFillsTheGpu) {
  // Batch 64 x 8 = 512 CTAs: 1 split takes one round of 128 + 1 iterations, 2 splits 2 x 65, and
  // 128 splits of one iteration each 125 rounds x 2 (the CTAs' fixed work is not free).
  EXPECT_EQ(choose_splits(512, 4096 / 32, kSlots, 1024), 1);
  EXPECT_EQ(choose_splits(512, 1024 / 32, kSlots, 1024), 1);
}

TEST(SplitPlan, SmallBatchesSplitUpToOneIterationPerCta) {
  // Batch 1 x 8 = 8 CTAs, context 1024: 32 iterations, one each (256 CTAs, one round).
  EXPECT_EQ(choose_splits(8, 32, kSlots, 1024), 32);
  // Context 4096 (128 iterations): 64, 65 and 66 splits take one round of 2 (+1) iterations (the
  // fewest wins); 43 to 63 take 3, more than 66 a second round.
  EXPECT_EQ(choose_splits(8, 128, kSlots, 1024), 64);
}

TEST(SplitPlan, RespectsTheLimitsAndDegenerateInput) {
  EXPECT_EQ(choose_splits(1, 5000, kSlots, 16), 16);  // max_splits caps
  EXPECT_EQ(choose_splits(1, 0, kSlots, 1024), 1);    // nothing to split
  EXPECT_EQ(choose_splits(8, 32, 0, 1024), 1);        // slots <= 0 counts as 1: no split helps
  EXPECT_EQ(choose_splits(0, 32, kSlots, 1024), 32);  // ctas <= 0 counts as 1
}

}  // namespace
}  // namespace tiersim::cuda
