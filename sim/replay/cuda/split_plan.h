// How many splits of the context the reference decode-attention kernel (attention.cu) launches.
// Plain C++ (no CUDA) so that CPU-only tests check it.
//
// Contract: choose_splits(ctas, iterations, slots, max_splits) returns n in [1, min(iterations,
// max_splits)] (1 if that range is empty) minimising rounds(n) x (ceil(iterations / n) + 1), where
// rounds(n) = ceil(ctas x n / slots): a grid of ctas x n equal CTAs runs in rounds of `slots`
// CTAs resident at once; each CTA runs ceil(iterations / n) loop iterations plus its fixed work
// (loading q, merging lanes and warps, writing its state), taken as one more iteration (an
// assumption: without it a full grid would be cut into one-iteration CTAs to shave a fraction of a
// round). Ties go to the fewest splits (with one split there is no combine kernel). ctas = batch x
// KV heads; slots = CTAs per SM (occupancy) x SMs (<= 0 is taken as 1).
//
// The kernel's token ranges come from here too (split_chunk, split_range, table_window), so that a
// CPU test checks the index arithmetic a GPU run would otherwise be the only check of.
#pragma once

#include <algorithm>
#include <cstdint>

#if defined(__CUDACC__)
#define TIERSIM_HD __host__ __device__
#else
#define TIERSIM_HD
#endif

namespace tiersim::cuda {

[[nodiscard]] constexpr int choose_splits(std::int64_t ctas, int iterations, std::int64_t slots,
                                          int max_splits) {
  const std::int64_t s = std::max<std::int64_t>(slots, 1);
  const std::int64_t c = std::max<std::int64_t>(ctas, 1);
  const int most = std::min(iterations, max_splits);
  int best = 1;
  std::int64_t best_cost = -1;
  for (int n = 1; n <= most; ++n) {
    const std::int64_t rounds = (c * n + s - 1) / s;
    const std::int64_t cost = rounds * ((iterations + n - 1) / n + 1);
    if (best_cost < 0 || cost < best_cost) {
      best = n;
      best_cost = cost;
    }
  }
  return best;
}

// Tokens per split: whole loop iterations of tokens_per_iteration tokens, ceil(iterations /
// splits) of them, iterations = ceil(context / tokens_per_iteration). Requires splits >= 1 and
// tokens_per_iteration >= 1. With the splits choose_splits returns, every split is non-empty.
[[nodiscard]] TIERSIM_HD constexpr int split_chunk(int context, int tokens_per_iteration,
                                                   int splits) {
  const int iterations = (context + tokens_per_iteration - 1) / tokens_per_iteration;
  return (iterations + splits - 1) / splits * tokens_per_iteration;
}

// Tokens [t0, t1) of one split: [split x chunk, min(context, (split + 1) x chunk)); empty
// (t0 >= t1) for a split past the context.
struct TokenRange {
  int t0 = 0, t1 = 0;
};
[[nodiscard]] TIERSIM_HD constexpr TokenRange split_range(int split, int chunk, int context) {
  const int t0 = split * chunk;
  const int end = t0 + chunk;
  return {t0, end < context ? end : context};
}

// A window of a paged split: tokens [w0, w1) whose pages [p_lo, p_hi) (at most `window` of them)
// have their block-table entries staged together. Given the window's first token w0 < t1 (the
// split's end) and page_tokens >= 1: p_lo = w0's page, p_hi = min(pages up to t1, p_lo +
// window), w1 = min(t1, p_hi x page_tokens). The next window starts at w1, page-aligned.
struct TableWindow {
  int p_lo = 0, p_hi = 0, w1 = 0;
};
[[nodiscard]] TIERSIM_HD constexpr TableWindow table_window(int w0, int t1, int page_tokens,
                                                            int window) {
  const int p_lo = w0 / page_tokens;
  const int p_end = (t1 + page_tokens - 1) / page_tokens;
  const int p_hi = p_end < p_lo + window ? p_end : p_lo + window;
  const int w_end = p_hi * page_tokens;
  return {p_lo, p_hi, w_end < t1 ? w_end : t1};
}

}  // namespace tiersim::cuda
