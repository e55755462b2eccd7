// IntervalTimeline against a brute-force reference: the smallest start >= earliest whose interval
// is free of every booking, over random reservations (out of order, mixed durations, repeated
// durations that exercise the skip-ahead hints) and forget_before calls that honour their
// contract. Every start must be equal.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "models/flash/interval_timeline.h"

namespace tiersim::models::flash {
namespace {

class Reference {
 public:
  std::int64_t reserve(std::int64_t earliest, std::int64_t d) {
    std::int64_t s = earliest;
    for (bool moved = true; moved;) {
      moved = false;
      for (const auto& [b, e] : booked_) {
        if (b < s + d && s < e) {
          s = e;
          moved = true;
        }
      }
    }
    booked_.emplace_back(s, s + d);
    return s;
  }

 private:
  std::vector<std::pair<std::int64_t, std::int64_t>> booked_;
};

TEST(IntervalTimeline, EqualsBruteForceFirstFit) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    IntervalTimeline t;
    Reference ref;
    std::int64_t floor = 0;  // forget_before's promise: no earliest below it
    const std::int64_t durations[] = {3, 5, 8, 13, 40};
    for (int i = 0; i < 3000; ++i) {
      const std::int64_t d = durations[rng() % 5];
      const std::int64_t earliest = floor + static_cast<std::int64_t>(rng() % 400);
      // One in eight is a one-off block (remember = false: no hint), as FlashBackend::book_busy.
      const bool block = rng() % 8 == 0;
      const std::int64_t len = block ? 60 + static_cast<std::int64_t>(rng() % 100) : d;
      const Time got = t.reserve(Time::ps(earliest), Time::ps(len), !block);
      ASSERT_EQ(got.ps(), ref.reserve(earliest, len)) << "seed " << seed << " reservation " << i;
      if (i % 200 == 199) {
        floor += 150;
        t.forget_before(Time::ps(floor));
      }
    }
  }
}

}  // namespace
}  // namespace tiersim::models::flash
