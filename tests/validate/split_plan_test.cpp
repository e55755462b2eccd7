// The reference decode-attention kernel's split choice (sim/replay/cuda/split_plan.h), checked on
// the CPU: the H100 has 132 SMs and holds 4 CTAs of the GQA 32/8 kernel per SM (528 slots); a
// head_dim-128 CTA iteration covers 32 tokens.
#include "sim/replay/cuda/split_plan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

// Walks the kernel's split and block-table-window loops (attention_partial) for one shape and
// returns the first broken property, or "" if there is none: the splits tile [0, context) in
// order, each non-empty and starting on a loop iteration; within a split the windows tile its
// tokens in order; a window stages 1..window entries, all of them block-table entries of the
// sequence (page < pages per sequence), and every token it covers has its page staged.
std::string check_ranges(int context, int per_iter, int page_tokens, std::int64_t ctas,
                         std::int64_t slots, int window) {
  const int iterations = (context + per_iter - 1) / per_iter;
  const int splits = choose_splits(ctas, iterations, slots, 1024);
  const int chunk = split_chunk(context, per_iter, splits);
  const int pages_per_seq = (context + page_tokens - 1) / page_tokens;
  int next = 0;
  for (int split = 0; split < splits; ++split) {
    const auto [t0, t1] = split_range(split, chunk, context);
    if (t0 != next) return "split " + std::to_string(split) + " starts at " + std::to_string(t0);
    if (t0 >= t1) return "split " + std::to_string(split) + " is empty";
    if (t0 % per_iter != 0) return "split " + std::to_string(split) + " starts mid-iteration";
    for (int w0 = t0; w0 < t1;) {
      const TableWindow w = table_window(w0, t1, page_tokens, window);
      const std::string at = "split " + std::to_string(split) + " window at " + std::to_string(w0);
      if (w.w1 <= w0 || w.w1 > t1) return at + ": end " + std::to_string(w.w1);
      if (w.p_hi - w.p_lo < 1 || w.p_hi - w.p_lo > window) return at + ": entries";
      if (w.p_lo < 0 || w.p_hi > pages_per_seq) return at + ": entry outside the table row";
      if (w0 / page_tokens != w.p_lo || (w.w1 - 1) / page_tokens >= w.p_hi) {
        return at + ": a token's page is not staged";
      }
      w0 = w.w1;
    }
    next = t1;
  }
  return next == context ? "" : "the splits end at " + std::to_string(next);
}

TEST(SplitPlan, SplitsAndTableWindowsCoverEveryTokenOnce) {
  // Tokens per iteration 32 / 64 / 128 (head_dim 128 / 64 / 32); pages of 1 token (many windows),
  // 3 (splits start inside pages), 16 and 17; CTAs from a lone sequence to a full GPU.
  int shapes = 0;
  for (const int per_iter : {32, 64, 128}) {
    for (const int page_tokens : {1, 3, 16, 17}) {
      for (const std::int64_t ctas : {1, 8, 40, 128, 512, 2048}) {
        for (int context = 1; context <= 9000; context += context < 300 ? 1 : 97) {
          const std::string broken =
              check_ranges(context, per_iter, page_tokens, ctas, kSlots, 256);
          ASSERT_EQ(broken, "") << "context " << context << ", " << per_iter
                                << " tokens/iteration, " << page_tokens << "-token pages, " << ctas
                                << " CTAs";
          ++shapes;
        }
      }
    }
  }
  EXPECT_GT(shapes, 20000);
}

TEST(SplitPlan, RangeFunctionsOnHandWorkedCases) {
  // 600 one-token pages in one split: windows [0,256), [256,512), [512,600).
  EXPECT_EQ(table_window(0, 600, 1, 256).w1, 256);
  EXPECT_EQ(table_window(512, 600, 1, 256).p_hi, 600);
  EXPECT_EQ(table_window(512, 600, 1, 256).w1, 600);
  // A split [96, 160) over 3-token pages: pages 32..53 (token 159 is in page 53).
  const TableWindow w = table_window(96, 160, 3, 256);
  EXPECT_EQ(w.p_lo, 32);
  EXPECT_EQ(w.p_hi, 54);
  EXPECT_EQ(w.w1, 160);
  // Context 4000 at 32 tokens per iteration (125 iterations) in 63 splits: 2 iterations each;
  // the last split holds 4000 - 62 x 64 = 32 tokens.
  EXPECT_EQ(split_chunk(4000, 32, 63), 64);
  EXPECT_EQ(split_range(62, 64, 4000).t0, 3968);
  EXPECT_EQ(split_range(62, 64, 4000).t1, 4000);
}

}  // namespace
}  // namespace tiersim::cuda
