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
#pragma once

#include <algorithm>
#include <cstdint>

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

}  // namespace tiersim::cuda
