// The `ssd` timing core (models/flash/ssd.h) on the Samsung 980 PRO 2 TB preset, without the
// host link: exact single-request timing, striping, multi-plane reads, the queue-depth limit,
// and the flash-side bandwidth/IOPS ceilings the preset's parameters imply.
#include <gtest/gtest.h>

#include <random>

#include "sim/config/config_error.h"
#include "tests/flash/flash_test_util.h"

namespace tiersim::models::flash {
namespace {

using test::closed_loop;
using test::load_ssd;

const std::string kPreset = "configs/flash/samsung_980pro_2tb.yaml";

TEST(SsdModel, StripingIsChannelThenDieThenPlane) {
  SsdModel m = load_ssd(kPreset);
  const FlashBackend& a = m.array();
  // 8 channels x 4 dies x 2 planes; 384 pages per block, TLC.
  EXPECT_EQ(a.place(0).channel, 0u);
  EXPECT_EQ(a.place(7).channel, 7u);
  EXPECT_EQ(a.place(8).channel, 0u);
  EXPECT_EQ(a.place(8).die, 1u);  // die 1 of channel 0
  EXPECT_EQ(a.place(9).die, 5u);  // channel 1 -> dies 4..7
  EXPECT_EQ(a.place(31).die, 31u);
  EXPECT_EQ(a.place(32).plane, 1u);
  EXPECT_EQ(a.place(32).die, 0u);
  EXPECT_EQ(a.place(64).type, 1u);   // next page in block: CSB
  EXPECT_EQ(a.place(128).type, 2u);  // MSB
  EXPECT_EQ(a.place(192).type, 0u);
}

TEST(SsdModel, Qd1FourKiBReadIsControllerPlusTrPlusTransfer) {
  SsdModel m = load_ssd(kPreset);
  // LSB page (lpn 0): 10 us controller + 24.0 us tR + 200 ns command + 4096 B / 1.2 GB/s.
  const Time xfer = Time::ns(200) + Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(4));
  const FlashTiming t = m.read(0, Bytes::KiB(4), Time::zero(), Time::zero());
  EXPECT_EQ(t.last, Time::us(10) + Time::ns(24000) + xfer);
  EXPECT_EQ(t.array, Time::ns(24000));
  EXPECT_EQ(t.transfer, xfer);
  // MSB page (lpn 128) on an idle die, much later.
  const FlashTiming u = m.read(128 * 16384, Bytes::KiB(4), Time::ms(1), Time::ms(1));
  EXPECT_EQ(u.last - Time::ms(1), Time::us(10) + Time::ns(45000) + xfer);
}

TEST(SsdModel, MultiPlaneReadSensesBothPlanesInOneTr) {
  SsdModel m = load_ssd(kPreset);
  // lpn 0 and lpn 32: die 0, planes 0 and 1 (both LSB). Read 1 MiB = 64 pages: every die gets
  // two pages, one per plane -> one multi-plane operation per die.
  const FlashTiming t = m.read(0, Bytes::MiB(1), Time::zero(), Time::zero());
  EXPECT_EQ(t.pages, 64u);
  EXPECT_EQ(t.ops, 32u);
  // Each channel carries 8 pages of 16 KiB after one tR (LSB for all: lpns < 64).
  const Time page = Time::ns(200) + Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(16));
  EXPECT_EQ(t.last, Time::us(10) + Time::ns(24000) + 8 * page);
}

TEST(SsdModel, QueueDepthLimitSerializesCommands) {
  SsdModel one = load_ssd(kPreset, "controller: {queue_depth: 1}");
  // Eight 4 KiB reads on eight different channels, all arriving at 0: with one slot they run
  // back to back; each takes the same controller + tR + transfer (LSB pages).
  Time last;
  for (std::uint64_t i = 0; i < 8; ++i) {
    last = one.read(i * 16384, Bytes::KiB(4), Time::zero(), Time::zero()).last;
  }
  const Time single = Time::us(10) + Time::ns(24000) + Time::ns(200) +
                      Bandwidth::GBps(1.2).transfer_time(Bytes::KiB(4));
  EXPECT_EQ(last, 8 * single);
  SsdModel many = load_ssd(kPreset);
  for (std::uint64_t i = 0; i < 8; ++i) {
    last = many.read(i * 16384, Bytes::KiB(4), Time::zero(), Time::zero()).last;
  }
  EXPECT_EQ(last, single);
}

TEST(SsdModel, SequentialReadIsChannelBound) {
  SsdModel m = load_ssd(kPreset);
  const std::uint64_t req = 128 << 10;
  const auto r = closed_loop(32, 20000, [&](std::uint64_t i, Time at) {
    return m.read(i * req, Bytes(req), at, at).last;
  });
  const double gbps = static_cast<double>(r.ios * req) / (r.end.as_seconds() * 1e9);
  // Ceiling: 8 channels x 16 KiB / (200 ns + 16 KiB / 1.2 GB/s) = 9.462 GB/s (flash side; the
  // array alone gives 32 dies x 16 KiB / 34 us = 15.4 GB/s).
  const double ceiling = 8 * 16384.0 / (200e-9 + 16384.0 / 1.2e9) / 1e9;
  EXPECT_NEAR(gbps, ceiling, 0.03 * ceiling);
  EXPECT_LE(gbps, ceiling);
}

TEST(SsdModel, RandomFourKiBReadsAreDieBound) {
  SsdModel m = load_ssd(kPreset);
  std::mt19937_64 rng(1);
  const std::uint64_t slots = 2000000000000ull / 4096;
  const auto r = closed_loop(512, 200000, [&](std::uint64_t, Time at) {
    return m.read((rng() % slots) * 4096, Bytes::KiB(4), at, at).last;
  });
  const double iops = static_cast<double>(r.ios) / r.end.as_seconds();
  // Ceiling: 32 dies / mean tR (24.0 + 32.9 + 45.0) / 3 = 33.97 us -> 942K IOPS; random die
  // choice at QD 512 (16 per die) keeps dies nearly always busy.
  const double ceiling = 32.0 / 33.9667e-6;
  EXPECT_LE(iops, ceiling * 1.001);
  EXPECT_GE(iops, 0.93 * ceiling);
}

TEST(SsdModel, WrongNumberOfReadTimesIsAConfigError) {
  EXPECT_THROW(load_ssd(kPreset, "nand: {read_times: [50 us, 60 us]}"), config::ConfigError);
}

}  // namespace
}  // namespace tiersim::models::flash
