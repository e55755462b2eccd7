// Fast vs detailed fidelity (issue 5 acceptance 5): the five flash traces (flash_traces.h) in
// short forms give total times within 5%; plus the detailed engine's own rules (exact QD1 read,
// cache-read pipelining, cache program, GC as queued copybacks). bench/flash_bench prints the
// long forms and the speed ratio.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <vector>

#include "models/flash/detailed_array.h"
#include "tests/flash/flash_traces.h"

namespace tiersim::models::flash {
namespace {

using test::load_ssd;

const std::string kPreset = "configs/flash/samsung_980pro_2tb.yaml";

class FastVsDetailed : public ::testing::TestWithParam<test::Trace> {};

TEST_P(FastVsDetailed, TotalTimeWithinFivePercent) {
  const test::Trace tr = GetParam();
  const std::uint64_t n = tr == test::Trace::kRandWrite ? 3000 : 6000;
  SsdModel fast = test::trace_drive(tr, "fast");
  SsdModel detailed = test::trace_drive(tr, "detailed");
  const test::TraceResult f = test::replay(tr, fast, n);
  const test::TraceResult d = test::replay(tr, detailed, n);
  const double ratio = d.end.as_seconds() / f.end.as_seconds();
  RecordProperty("detailed_over_fast", fmt::format("{:.4f}", ratio));
  EXPECT_NEAR(ratio, 1.0, 0.05) << test::trace_name(tr) << ": fast " << f.end.as_us()
                                << " us, detailed " << d.end.as_us() << " us";
  // The detailed engine really issued per-command events.
  EXPECT_GT(static_cast<DetailedFlash&>(detailed.array()).events(), n);
}

std::string TraceTestName(const ::testing::TestParamInfo<test::Trace>& p) {
  static const char* const kNames[] = {"SeqRead", "RandRead", "RandWrite", "Mixed", "SmallReads"};
  return kNames[static_cast<int>(p.param)];
}

INSTANTIATE_TEST_SUITE_P(Traces, FastVsDetailed, ::testing::ValuesIn(test::kTraces), TraceTestName);

TEST(DetailedFlash, Qd1ReadIsAddressCyclesSenseSelectAndTransfer) {
  SsdModel m = load_ssd(kPreset, "fidelity: detailed");
  // LSB page: controller 10 us, one address sequence (200 ns), tR 24.0 us, column select
  // (200 ns) + 4 KiB at 1.2 GB/s.
  const Time xfer = Time::ns(200) + Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(4));
  const FlashTiming t = m.read(0, Bytes::KiB(4), Time::zero(), Time::zero());
  EXPECT_EQ(t.last, Time::us(10) + Time::ns(200) + Time::ns(24000) + xfer);
  EXPECT_EQ(t.first, Time::us(10) + Time::ns(200) + Time::ns(24000));
}

TEST(DetailedFlash, CacheReadOverlapsTheNextSenseWithTheTransfer) {
  // One channel, one die, one plane: a 4-page read is sense-bound with cache read
  // (4 x tR + the last transfer), transfer-bound without (each page's sense waits for the
  // previous page to leave the register).
  const std::string geo =
      "fidelity: detailed\nnand: {channels: 1, ways: 1, planes: 1, read_times: [40 us, 40 us, "
      "40 us], command_overhead: 0 ns, ";
  SsdModel cached = load_ssd(kPreset, geo + "cache_read: true}\ncontroller: {capacity: 1000000 B}");
  SsdModel plain = load_ssd(kPreset, geo + "cache_read: false}\ncontroller: {capacity: 1000000 B}");
  const Time xfer = Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(16));
  const Time c = cached.read(0, Bytes::KiB(64), Time::zero(), Time::zero()).last;
  const Time p = plain.read(0, Bytes::KiB(64), Time::zero(), Time::zero()).last;
  EXPECT_EQ(c, Time::us(10) + 4 * Time::us(40) + xfer);
  EXPECT_EQ(p, Time::us(10) + 4 * (Time::us(40) + xfer));
}

TEST(DetailedFlash, CacheProgramStreamsTheNextPageInDuringTheProgram) {
  const std::string geo =
      "fidelity: detailed\ncontroller: {capacity: 1000000 B}\n"
      "nand: {channels: 1, ways: 1, planes: 1, command_overhead: 0 ns, ";
  SsdModel cached = load_ssd(kPreset, geo + "cache_program: true}");
  SsdModel plain = load_ssd(kPreset, geo + "cache_program: false}");
  const Time xfer = Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(16));
  const Time c = cached.write(0, Bytes::KiB(48), Time::zero(), Time::zero(), Time::zero()).last;
  const Time p = plain.write(0, Bytes::KiB(48), Time::zero(), Time::zero(), Time::zero()).last;
  EXPECT_EQ(c, Time::us(10) + xfer + 3 * Time::us(450));
  EXPECT_EQ(p, Time::us(10) + 3 * (xfer + Time::us(450)));
}

TEST(DetailedFlash, GarbageCollectionQueuesBehindTheDiesWork) {
  SsdModel m = load_ssd(kPreset, "fidelity: detailed");
  FlashBackend& a = m.array();
  const FlashTiming r = m.read(0, Bytes::KiB(4), Time::zero(), Time::zero());  // die 0 busy
  const Time end = a.collect(0, 3, Time::zero());
  // 3 copybacks on LSB, CSB, MSB + erase, after the read's sense (FIFO, not in a gap before it).
  const Time gc = Time::ns(24000 + 32900 + 45000) + 3 * Time::us(450) + Time::ms(3);
  EXPECT_EQ(end, r.last - Time::ns(200) - Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(4)) + gc);
}

// book_busy (flash_backend.h): work timed elsewhere occupies each die and channel as one block
// from `from`; both fidelities count it as busy time and make a later read of that die wait
// for it (a 4 KiB read of die 0 at t = 0 senses once the 1 ms block is over).
TEST(FlashBackend, BookedBusyTimeDelaysLaterWorkInBothFidelities) {
  for (const char* fidelity : {"fast", "detailed"}) {
    SsdModel m = load_ssd(kPreset, std::string("fidelity: ") + fidelity);
    FlashBackend& a = m.array();
    const Geometry& g = a.params().geometry;
    std::vector<Time> dies(g.dies(), Time::zero());
    std::vector<Time> channels(g.channels, Time::zero());
    dies[0] = Time::ms(1);
    channels[0] = Time::us(300);
    a.book_busy(Time::zero(), dies, channels);
    EXPECT_EQ(a.die_busy(0), Time::ms(1)) << fidelity;
    EXPECT_EQ(a.die_busy(1), Time::zero()) << fidelity;
    EXPECT_EQ(a.channel_busy(0), Time::us(300)) << fidelity;
    const FlashTiming r = m.read(0, Bytes::KiB(4), Time::zero(), Time::zero());
    EXPECT_GE(r.first, Time::ms(1)) << fidelity;  // the sense waits for the booked block
    EXPECT_LT(r.last, Time::ms(1) + Time::us(100)) << fidelity;
    EXPECT_GT(a.die_busy(0), Time::ms(1)) << fidelity;
  }
}

}  // namespace
}  // namespace tiersim::models::flash
