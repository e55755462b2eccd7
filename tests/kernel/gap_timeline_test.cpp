// The gap-filling timeline of link directions (sim/kernel/gap_timeline.h). Every expected figure
// is worked out by hand next to its assertion.
#include <gtest/gtest.h>

#include "sim/kernel/gap_timeline.h"

namespace tiersim::kernel {
namespace {

TEST(GapTimeline, InTimeOrderItIsFirstComeFirstServed) {
  GapTimeline tl;
  // Idle: [10, 15). Then 12 ns arrives while busy: [15, 20). Touching runs merge into one.
  EXPECT_EQ(tl.reserve(Time::ns(10), Time::ns(5), Time::zero()).start, Time::ns(10));
  const auto b = tl.reserve(Time::ns(12), Time::ns(5), Time::zero());
  EXPECT_EQ(b.start, Time::ns(15));
  EXPECT_EQ(b.end, Time::ns(20));
  EXPECT_EQ(tl.runs(), 1u);
  EXPECT_EQ(tl.free_at(), Time::ns(20));
  EXPECT_EQ(tl.busy_time(), Time::ns(10));
}

TEST(GapTimeline, AnEarlierCallFillsTheGapBeforeALaterBooking) {
  GapTimeline tl;
  (void)tl.reserve(Time::ns(100), Time::ns(10), Time::zero());  // [100, 110)
  // Called later but ready at 3 ns: fits in [3, 8) before the booking (kernel::Timeline would
  // give 110 ns).
  const auto a = tl.reserve(Time::ns(3), Time::ns(5), Time::zero());
  EXPECT_EQ(a.start, Time::ns(3));
  EXPECT_EQ(a.end, Time::ns(8));
  // Ready at 95 ns but 10 ns long: [95, 105) overlaps [100, 110), so it goes after: [110, 120).
  const auto c = tl.reserve(Time::ns(95), Time::ns(10), Time::zero());
  EXPECT_EQ(c.start, Time::ns(110));
  EXPECT_EQ(tl.free_at(), Time::ns(120));
  // Exactly fills [8, 100): merges the three runs [3, 8) + [8, 100) + [100, 120) into one.
  const auto d = tl.reserve(Time::ns(8), Time::ns(92), Time::zero());
  EXPECT_EQ(d.start, Time::ns(8));
  EXPECT_EQ(tl.runs(), 1u);
  EXPECT_EQ(tl.busy_time(), Time::ns(10 + 5 + 10 + 92));
}

TEST(GapTimeline, EndAtLeastHoldsTheResourceUntilAStreamingTailPasses) {
  GapTimeline tl;
  (void)tl.reserve(Time::ns(50), Time::ns(10), Time::zero());  // [50, 60)
  // 5 ns of wire time but the tail arrives at 52 ns: [0, 52) would overlap [50, 60), so the
  // transfer starts at 60 with end = max(60 + 5, 52) = 65.
  const auto a = tl.reserve(Time::zero(), Time::ns(5), Time::ns(52));
  EXPECT_EQ(a.start, Time::ns(60));
  EXPECT_EQ(a.end, Time::ns(65));
  // Tail at 40 fits before 50: [0, 40).
  const auto b = tl.reserve(Time::zero(), Time::ns(5), Time::ns(40));
  EXPECT_EQ(b.start, Time::zero());
  EXPECT_EQ(b.end, Time::ns(40));
}

TEST(GapTimeline, ForgetBeforeDropsFinishedRunsButKeepsBusyTime) {
  GapTimeline tl;
  (void)tl.reserve(Time::ns(0), Time::ns(5), Time::zero());   // [0, 5)
  (void)tl.reserve(Time::ns(10), Time::ns(5), Time::zero());  // [10, 15)
  (void)tl.reserve(Time::ns(20), Time::ns(5), Time::zero());  // [20, 25)
  EXPECT_EQ(tl.runs(), 3u);
  tl.forget_before(Time::ns(15));  // [0, 5) and [10, 15) ended
  EXPECT_EQ(tl.runs(), 1u);
  EXPECT_EQ(tl.busy_time(), Time::ns(15));
  EXPECT_EQ(tl.reserve(Time::ns(16), Time::ns(2), Time::zero()).start, Time::ns(16));
}

}  // namespace
}  // namespace tiersim::kernel
