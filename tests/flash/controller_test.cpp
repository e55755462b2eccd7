// SSD controller pieces (models/flash/ssd.h): NVMe submission queues, the DRAM write buffer, the
// cached mapping table (misses cost flash reads) and read retry, on the 980 PRO preset.
#include <gtest/gtest.h>

#include "models/flash/mapping_cache.h"
#include "tests/flash/flash_test_util.h"

namespace tiersim::models::flash {
namespace {

using test::load_ssd;

const std::string kPreset = "configs/flash/samsung_980pro_2tb.yaml";
const Time kXfer4k = Time::ns(200) + Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(4));

TEST(Controller, EachSubmissionQueueHasItsOwnDepth) {
  SsdModel m = load_ssd(kPreset, "controller: {queue_depth: 1, submission_queues: 2}");
  // Four reads on different channels: queue 0 gets two, queue 1 two; each queue serializes its
  // own, the queues run in parallel.
  const Time single = Time::us(10) + Time::ns(24000) + kXfer4k;
  m.read(0, Bytes::KiB(4), Time::zero(), Time::zero(), 0);
  m.read(16384, Bytes::KiB(4), Time::zero(), Time::zero(), 1);
  const Time a = m.read(2 * 16384, Bytes::KiB(4), Time::zero(), Time::zero(), 0).last;
  const Time b = m.read(3 * 16384, Bytes::KiB(4), Time::zero(), Time::zero(), 1).last;
  EXPECT_EQ(a, 2 * single);
  EXPECT_EQ(b, 2 * single);
}

TEST(Controller, BufferedWritesAreAcknowledgedBeforeTheyAreProgrammed) {
  SsdModel m = load_ssd(kPreset, "controller: {write_buffer: 64 KiB}");
  const FlashTiming t = m.write(0, Bytes::KiB(16), Time::zero(), Time::us(2), Time::zero());
  // Acknowledged at last byte in + controller latency; programmed ~460 us later.
  EXPECT_EQ(m.last().ack, Time::us(12));
  EXPECT_GT(t.last, Time::us(450));
  // Three more (data already in) fill the 64 KiB buffer; they program from 10 us, 2 us before
  // the first, on other channels. The fifth waits for the earliest program to finish.
  Time earliest = t.last;
  for (int i = 1; i < 4; ++i) {
    const FlashTiming u =
        m.write(i * 16384ull, Bytes::KiB(16), Time::zero(), Time::zero(), Time::zero());
    EXPECT_EQ(m.last().ack, Time::us(10));
    earliest = min(earliest, u.last);
  }
  EXPECT_EQ(earliest, t.last - Time::us(2));
  m.write(4 * 16384ull, Bytes::KiB(16), Time::zero(), Time::zero(), Time::zero());
  EXPECT_EQ(m.last().ack, earliest);
}

TEST(Controller, WithoutABufferWritesCompleteWhenProgrammed) {
  SsdModel m = load_ssd(kPreset);
  const FlashTiming t = m.write(0, Bytes::KiB(16), Time::zero(), Time::zero(), Time::zero());
  EXPECT_EQ(m.last().ack, t.last);
  EXPECT_EQ(t.last, Time::us(10) + Time::ns(200) +
                        Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(16)) + Time::us(450));
}

TEST(Controller, MappingCacheMissCostsOneFlashReadFirst) {
  // 2 translation pages of 16 KiB cached (4096 entries each = 64 MiB of logical space each).
  SsdModel m = load_ssd(kPreset, "controller: {mapping_cache: 32 KiB}");
  const FlashTiming miss = m.read(0, Bytes::KiB(4), Time::zero(), Time::zero());
  // Translation page 0 lives at logical page capacity/16 KiB (striped like data): a full-page
  // read, then the data read.
  const std::uint64_t lpns = 2000000000000ull / 16384;
  const PagePlace tp = m.array().place(lpns);
  const Time tp_read = Time::us(10) + m.array().params().read[tp.type] + Time::ns(200) +
                       Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(16));
  EXPECT_EQ(m.last().mapping_done, tp_read);
  EXPECT_GT(miss.last, tp_read);
  // A hit right after (same translation page) costs nothing extra.
  m.read(8192, Bytes::KiB(4), Time::ms(1), Time::ms(1));
  EXPECT_EQ(m.last().mapping_done, Time::ms(1) + Time::us(10));
  EXPECT_EQ(m.mapping().misses(), 1u);
  EXPECT_EQ(m.mapping().hits(), 1u);
}

TEST(Controller, MappingCacheEvictsLeastRecentlyUsedAndReportsDirtyVictims) {
  MappingCache c(100, 2);
  EXPECT_FALSE(c.access(1, true));
  EXPECT_FALSE(c.access(2, false));
  EXPECT_TRUE(c.access(1, false));  // 2 is now LRU
  EXPECT_FALSE(c.access(3, false));
  EXPECT_EQ(c.evicted(), -1);        // 2 was clean
  EXPECT_FALSE(c.access(2, false));  // evicts 1 (dirty)
  EXPECT_EQ(c.evicted(), 1);
}

TEST(Controller, ReadRetryAddsSensesAndTransfersAtItsProbability) {
  SsdModel m = load_ssd(kPreset, "nand: {read_retry_probability: 0.2, read_retry_max: 4}");
  std::uint64_t retries = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const Time at = Time::ms(i);
    retries += m.read(static_cast<std::uint64_t>(i) * 4096, Bytes::KiB(4), at, at).retries;
  }
  // Truncated geometric: E = p + p^2 + p^3 + p^4 = 0.2496 extra attempts per page.
  EXPECT_NEAR(static_cast<double>(retries) / n, 0.2496, 0.02);
  SsdModel one = load_ssd(kPreset, "nand: {read_retry_probability: 0.999, read_retry_max: 1}");
  const FlashTiming t = one.read(0, Bytes::KiB(4), Time::zero(), Time::zero());
  ASSERT_EQ(t.retries, 1u);
  EXPECT_EQ(t.last, Time::us(10) + 2 * Time::ns(24000) + 2 * kXfer4k);
}

}  // namespace
}  // namespace tiersim::models::flash
