// Link::carry (sim/kernel/link.h) without SystemC: latency, bandwidth rounding, queueing, full
// duplex, cut-through, and the statistics it keeps. Figures are computed by hand in comments.
//
// Every link here: 3 GB/s per direction, 10 ns latency, so
//   1000 B -> 1000e12 / 3e9 = 333333.33 ps -> 333334 ps;  64 B -> 21333.33 ps -> 21334 ps.
#include <gtest/gtest.h>

#include "sim/kernel/link.h"
#include "sim/stats/stat_group.h"

namespace tiersim::kernel {
namespace {

constexpr std::int64_t kLat = 10000;        // 10 ns
constexpr std::int64_t kXfer1000 = 333334;  // 1000 B at 3 GB/s, rounded up
constexpr std::int64_t kXfer64 = 21334;     // 64 B at 3 GB/s, rounded up

class LinkTest : public ::testing::Test {
 protected:
  stats::StatGroup group{"ab", Time::us(1)};
  Link link{"ab", 0, 1, "a", "b", Bandwidth::GBps(3), Time::ns(10), group};

  DataWindow carry(int dir, std::uint64_t bytes, std::int64_t first_ps, std::int64_t last_ps) {
    return link.carry(dir, Bytes(bytes), {Time::ps(first_ps), Time::ps(last_ps)});
  }
};

TEST_F(LinkTest, ZeroBytesTakeLatencyOnly) {
  // Window [5 ns, 7 ns] -> [5 + 10, 7 + 10] = [15 ns, 17 ns]; no bandwidth used, nothing counted.
  const DataWindow out = carry(0, 0, 5000, 7000);
  EXPECT_EQ(out.first.ps(), 15000);
  EXPECT_EQ(out.last.ps(), 17000);
  EXPECT_EQ(link.direction(0).free_at(), Time::zero());
  EXPECT_EQ(link.direction(0).reservations(), 0u);
  EXPECT_EQ(link.bytes_carried(0), 0u);
  EXPECT_EQ(group.counter("transfers_a_to_b").value, 0u);
  EXPECT_EQ(group.histogram("queueing_a_to_b").count(), 0u);
}

TEST_F(LinkTest, ZeroBytesDoNotQueueBehindData) {
  carry(0, 1000, 0, 0);  // direction 0 busy [0, 333334)
  // A control message at 100 ns inside that busy period: 100 + 10 = 110 ns, no wait.
  const DataWindow out = carry(0, 0, 100000, 100000);
  EXPECT_EQ(out.first.ps(), 110000);
  EXPECT_EQ(out.last.ps(), 110000);
  EXPECT_EQ(link.direction(0).free_at().ps(), kXfer1000);
}

TEST_F(LinkTest, BandwidthTimeIsRoundedUpToAPicosecond) {
  // start 0; busy_end = 0 + 333334; output [0 + 10 ns, 333334 + 10 ns] = [10000, 343334].
  const DataWindow out = carry(0, 1000, 0, 0);
  EXPECT_EQ(out.first.ps(), 10000);
  EXPECT_EQ(out.last.ps(), 343334);
  EXPECT_EQ(link.direction(0).free_at().ps(), 333334);
  EXPECT_EQ(link.direction(0).busy_time().ps(), 333334);
  // 64 B starting at 1 us: [1000000 + 10000, 1000000 + 21334 + 10000] = [1010000, 1031334].
  const DataWindow small = carry(0, 64, 1000000, 1000000);
  EXPECT_EQ(small.first.ps(), 1010000);
  EXPECT_EQ(small.last.ps(), 1031334);
}

TEST_F(LinkTest, QueuesBehindEarlierTransferInSameDirection) {
  // #1 at 0: [0, 333334) busy; out [10000, 343334].
  DataWindow out = carry(0, 1000, 0, 0);
  EXPECT_EQ(out.last.ps(), kXfer1000 + kLat);
  // #2 arrives at 100 ns while busy until 333334: start = 333334 (queued 233334 ps);
  // busy_end = 333334 + 333334 = 666668; out [343334, 676668].
  out = carry(0, 1000, 100000, 100000);
  EXPECT_EQ(out.first.ps(), 343334);
  EXPECT_EQ(out.last.ps(), 676668);
  // #3 at 1 us after the link went idle at 666668: no queueing; [1010000, 1031334].
  out = carry(0, 64, 1000000, 1000000);
  EXPECT_EQ(out.first.ps(), 1000000 + kLat);
  EXPECT_EQ(out.last.ps(), 1000000 + kXfer64 + kLat);
  // Busy: 333334 + 333334 + 21334 = 688002 ps; three reservations; free at 1021334.
  EXPECT_EQ(link.direction(0).busy_time().ps(), 688002);
  EXPECT_EQ(link.direction(0).reservations(), 3u);
  EXPECT_EQ(link.direction(0).free_at().ps(), 1021334);

  // Statistics: bytes 1000 + 1000 + 64 = 2064; 3 transfers; nothing in the other direction.
  EXPECT_EQ(link.bytes_carried(0), 2064u);
  EXPECT_EQ(group.counter("bytes_a_to_b").value, 2064u);
  EXPECT_EQ(group.counter("transfers_a_to_b").value, 3u);
  EXPECT_EQ(link.bytes_carried(1), 0u);
  EXPECT_EQ(group.counter("transfers_b_to_a").value, 0u);
  // Queueing histogram: samples 0, 233334, 0 ps -> count 3, min 0, max 233334,
  // mean 233334 / 3 = 77778 ps, two samples below 1 ps (underflow).
  const auto& q = group.histogram("queueing_a_to_b");
  EXPECT_EQ(q.count(), 3u);
  EXPECT_EQ(q.min().ps(), 0);
  EXPECT_EQ(q.max().ps(), 233334);
  EXPECT_EQ(q.mean().ps(), 77778);
  EXPECT_EQ(q.underflow(), 2u);
  EXPECT_EQ(group.histogram("queueing_b_to_a").count(), 0u);
  // The byte series (1 us windows): #1 [0, 333334) and #2 [333334, 666668) in window 0 (2000 B),
  // #3 [1000000, 1021334) in window 1 (64 B).
  const auto& v = group.series("bytes_a_to_b", "B").values();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_DOUBLE_EQ(v[0], 2000.0);
  EXPECT_DOUBLE_EQ(v[1], 64.0);
}

TEST_F(LinkTest, FullDuplexOppositeDirectionDoesNotQueue) {
  carry(0, 1000, 0, 0);  // a->b busy [0, 333334)
  // b->a at 100 ns: its own timeline is idle, start 100000; out [110000, 100000+333334+10000].
  const DataWindow back = carry(1, 1000, 100000, 100000);
  EXPECT_EQ(back.first.ps(), 110000);
  EXPECT_EQ(back.last.ps(), 443334);
  EXPECT_EQ(link.direction(1).free_at().ps(), 433334);
  EXPECT_EQ(link.direction(0).free_at().ps(), 333334);  // untouched by the b->a transfer
  EXPECT_EQ(link.bytes_carried(1), 1000u);
  EXPECT_EQ(group.counter("bytes_b_to_a").value, 1000u);
  EXPECT_EQ(group.counter("transfers_b_to_a").value, 1u);
  EXPECT_EQ(group.histogram("queueing_b_to_a").max().ps(), 0);
}

TEST_F(LinkTest, CutThroughLateTailExtendsBusyEnd) {
  // Data streams in over [0, 2 us] (an upstream hop slower than this link): the head leaves at
  // once, the link is held until the tail passed: busy_end = max(0 + 333334, 2000000) = 2000000;
  // out [10000, 2010000].
  DataWindow out = carry(0, 1000, 0, 2000000);
  EXPECT_EQ(out.first.ps(), 10000);
  EXPECT_EQ(out.last.ps(), 2010000);
  EXPECT_EQ(link.direction(0).free_at().ps(), 2000000);
  EXPECT_EQ(link.direction(0).busy_time().ps(), 2000000);
  // The next transfer (64 B at 500 ns) queues until the tail passed: start 2000000, queued
  // 1500000 ps; out [2010000, 2000000 + 21334 + 10000 = 2031334].
  out = carry(0, 64, 500000, 500000);
  EXPECT_EQ(out.first.ps(), 2010000);
  EXPECT_EQ(out.last.ps(), 2031334);
  EXPECT_EQ(group.histogram("queueing_a_to_b").max().ps(), 1500000);
}

TEST_F(LinkTest, CutThroughEarlyTailIsBandwidthBound) {
  // Tail at 100 ns, before the link could send 1000 B: busy_end = max(333334, 100000) = 333334.
  DataWindow out = carry(1, 1000, 0, 100000);
  EXPECT_EQ(out.first.ps(), 10000);
  EXPECT_EQ(out.last.ps(), 343334);
  // Queued head, tail before the queued start + transfer: start 333334,
  // busy_end = max(333334 + 333334, 500000) = 666668; out [343334, 676668].
  out = carry(1, 1000, 0, 500000);
  EXPECT_EQ(out.first.ps(), 343334);
  EXPECT_EQ(out.last.ps(), 676668);
  // Queued head, tail after: start 666668, busy_end = max(666668 + 21334, 900000) = 900000.
  out = carry(1, 64, 600000, 900000);
  EXPECT_EQ(out.first.ps(), 676668);
  EXPECT_EQ(out.last.ps(), 910000);
  EXPECT_EQ(link.direction(1).busy_time().ps(), 900000);
}

TEST(LinkDirections, ReverseBandwidthTimesTheSecondDirectionOnly) {
  // A simple link of 3 GB/s from a to b and 1 GB/s back (SimpleProtocol's reverse rate):
  // 1000 B take 333334 ps a -> b and 1000000 ps b -> a.
  stats::StatGroup g{"ab", Time::us(1)};
  Link asym{
      "ab",         0,   1,
      "a",          "b", std::make_unique<SimpleProtocol>(Bandwidth::GBps(3), Bandwidth::GBps(1)),
      Time::ns(10), g};
  const DataWindow fwd = asym.carry(0, Bytes(1000), {Time::zero(), Time::zero()});
  const DataWindow back = asym.carry(1, Bytes(1000), {Time::zero(), Time::zero()});
  EXPECT_EQ(fwd.last.ps(), kXfer1000 + kLat);
  EXPECT_EQ(back.last.ps(), 1000000 + kLat);
  EXPECT_DOUBLE_EQ(asym.bandwidth(0).as_GBps(), 3.0);
  EXPECT_DOUBLE_EQ(asym.bandwidth(1).as_GBps(), 1.0);
  // Without a reverse rate both directions run at the forward one.
  const SimpleProtocol sym(Bandwidth::GBps(3));
  EXPECT_DOUBLE_EQ(sym.direction_bandwidth(1).as_GBps(), 3.0);
}

TEST_F(LinkTest, AccessorsReportConstructionParameters) {
  EXPECT_EQ(link.name(), "ab");
  EXPECT_EQ(link.a(), 0);
  EXPECT_EQ(link.b(), 1);
  EXPECT_DOUBLE_EQ(link.bandwidth().bytes_per_second(), 3e9);
  EXPECT_EQ(link.latency().ps(), kLat);
}

}  // namespace
}  // namespace tiersim::kernel
