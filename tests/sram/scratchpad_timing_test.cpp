// Scratchpad timing: bank conflicts serialize, different banks overlap, ports limit bandwidth.
// Setup: 4 banks, 64 B interleave, 64 GB/s per bank (64 B take exactly 1000 ps), 2 ns latency.
#include <gtest/gtest.h>

#include "models/sram/scratchpad_timing.h"

namespace tiersim::models::sram {
namespace {

using kernel::TxnKind;

ScratchpadParams four_banks() {
  ScratchpadParams p;
  p.banks = 4;
  p.interleave = Bytes(64);
  p.bank_bandwidth = Bandwidth::GBps(64);
  p.latency = Time::ns(2);
  return p;
}

ScratchpadAccess read(ScratchpadTiming& s, Time at, std::uint64_t addr, std::uint64_t bytes) {
  return s.access(TxnKind::kRead, at, at, addr, Bytes(bytes));
}

TEST(ScratchpadTiming, UnloadedReadIsLatencyPlusOneBankTransfer) {
  ScratchpadTiming s(four_banks());
  const auto a = read(s, Time::zero(), 0, 64);
  EXPECT_EQ(a.window.first.ps(), 2000);
  EXPECT_EQ(a.window.last.ps(), 3000);
  EXPECT_EQ(a.banks_touched, 1u);
  EXPECT_EQ(a.conflicts, 0u);
}

TEST(ScratchpadTiming, TwoRequestsOnOneBankSerialize) {
  ScratchpadTiming s(four_banks());
  (void)read(s, Time::zero(), 0, 64);
  // Address 256 is granule 4 -> bank 0 again: waits for the first transfer (1000 ps).
  const auto b = read(s, Time::zero(), 256, 64);
  EXPECT_EQ(b.window.first.ps(), 3000);
  EXPECT_EQ(b.window.last.ps(), 4000);
  EXPECT_EQ(b.conflicts, 1u);
  EXPECT_EQ(b.conflict_stall.ps(), 1000);
  EXPECT_EQ(s.bank(0).busy_time().ps(), 2000);
}

TEST(ScratchpadTiming, RequestsOnDifferentBanksProceedInParallel) {
  ScratchpadTiming s(four_banks());
  const auto a = read(s, Time::zero(), 0, 64);
  const auto b = read(s, Time::zero(), 64, 64);  // bank 1
  EXPECT_EQ(b.window.first, a.window.first);
  EXPECT_EQ(b.window.last, a.window.last);
  EXPECT_EQ(b.conflicts, 0u);
}

TEST(ScratchpadTiming, WideRequestUsesAllBanksAtOnce) {
  ScratchpadTiming s(four_banks());
  // 1024 B over 4 banks: 256 B per bank = 4000 ps, all banks in parallel.
  const auto a = read(s, Time::zero(), 0, 1024);
  EXPECT_EQ(a.window.first.ps(), 2000);
  EXPECT_EQ(a.window.last.ps(), 6000);
  EXPECT_EQ(a.banks_touched, 4u);
  // The same request on a single bank takes 4x as long: 16000 ps.
  ScratchpadParams one = four_banks();
  one.banks = 1;
  ScratchpadTiming s1(one);
  EXPECT_EQ(read(s1, Time::zero(), 0, 1024).window.last.ps(), 18000);
}

TEST(ScratchpadTiming, UnalignedRequestIsBoundByItsLargestShare) {
  ScratchpadTiming s(four_banks());
  // [32, 132): 32 B in bank 0 (500 ps), 64 B in bank 1 (1000 ps), 4 B in bank 2 (63 ps, rounded
  // up from 62.5). Last byte when bank 1 is done.
  const auto a = read(s, Time::us(1), 32, 100);
  EXPECT_EQ(a.window.first.ps(), 1'000'000 + 2000);
  EXPECT_EQ(a.window.last.ps(), 1'000'000 + 1000 + 2000);
  EXPECT_EQ(s.bank(2).busy_time().ps(), 63);
}

TEST(ScratchpadTiming, WriteIsAcknowledgedAfterItsLastByteArrives) {
  ScratchpadTiming s(four_banks());
  // Bank done at 1000 ps, but the data's last byte arrives at 5 ns: ack = 5 ns + 2 ns.
  const auto w = s.access(TxnKind::kWrite, Time::zero(), Time::ns(5), 0, Bytes(64));
  EXPECT_EQ(w.window.first.ps(), 7000);
  EXPECT_EQ(w.window.last.ps(), 7000);
}

TEST(ScratchpadTiming, PortBandwidthLimitsAndPortsServeInParallel) {
  ScratchpadParams p = four_banks();
  p.port_bandwidth = Bandwidth::GBps(32);  // 64 B take 2000 ps on a port
  ScratchpadTiming one_port(p);
  const auto a = read(one_port, Time::zero(), 0, 64);
  EXPECT_EQ(a.window.last.ps(), 4000);  // port-bound: 2000 + latency
  // A second request to another bank still waits for the only port (free at 2000 ps).
  const auto b = read(one_port, Time::zero(), 64, 64);
  EXPECT_EQ(b.window.first.ps(), 4000);
  EXPECT_EQ(b.window.last.ps(), 6000);

  p.ports = 2;
  ScratchpadTiming two_ports(p);
  (void)read(two_ports, Time::zero(), 0, 64);
  EXPECT_EQ(read(two_ports, Time::zero(), 64, 64).window.last.ps(), 4000);
}

TEST(ScratchpadTiming, RejectsZeroBanksInterleaveOrPorts) {
  ScratchpadParams p = four_banks();
  p.banks = 0;
  EXPECT_THROW(ScratchpadTiming{p}, std::invalid_argument);
  p = four_banks();
  p.interleave = Bytes(0);
  EXPECT_THROW(ScratchpadTiming{p}, std::invalid_argument);
  p = four_banks();
  p.ports = 0;
  EXPECT_THROW(ScratchpadTiming{p}, std::invalid_argument);
}

}  // namespace
}  // namespace tiersim::models::sram
