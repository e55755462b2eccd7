// PCIe wire accounting: every figure below is derived by hand from the PCIe Base Specification's
// rates, encodings and TLP format (see models/link/pcie_protocol.h).
#include <gtest/gtest.h>

#include <cmath>

#include "models/link/pcie_protocol.h"

namespace tiersim::models {
namespace {

using kernel::Flow;

PcieProtocol make(int gen, int lanes, std::uint64_t mps, std::uint64_t mrrs, std::uint64_t cpl,
                  bool ecrc = false) {
  PcieParams p;
  p.generation = gen;
  p.lanes = lanes;
  p.max_payload = Bytes(mps);
  p.max_read_request = Bytes(mrrs);
  p.read_completion = Bytes(cpl);
  p.ecrc = ecrc;
  p.flit_mode = gen >= 6;
  return PcieProtocol(p);
}

std::uint64_t skp(std::uint64_t tlp_bytes) {  // Gen3+: x 371/370, rounded up
  return static_cast<std::uint64_t>(std::ceil(static_cast<double>(tlp_bytes) * 371.0 / 370.0));
}

TEST(Pcie, RawRatePerDirectionFollowsGenerationLanesAndEncoding) {
  // Gen1 x1: 2.5 GT/s x 8/10 / 8 = 0.25 GB/s; Gen3 x16: 8 x 16 x 128/130 / 8 = 15.7538 GB/s;
  // Gen4 x16: 31.5077 GB/s; Gen5 x16: 63.0154 GB/s; Gen6 x16: 64 x 16 / 8 = 128 GB/s.
  EXPECT_DOUBLE_EQ(make(1, 1, 128, 512, 128).raw_bandwidth().bytes_per_second(), 0.25e9);
  EXPECT_NEAR(make(3, 16, 256, 512, 256).raw_bandwidth().as_GBps(), 15.753846, 1e-5);
  EXPECT_NEAR(make(4, 16, 256, 512, 256).raw_bandwidth().as_GBps(), 31.507692, 1e-5);
  EXPECT_NEAR(make(5, 16, 256, 512, 256).raw_bandwidth().as_GBps(), 63.015385, 1e-5);
  EXPECT_NEAR(make(5, 8, 256, 512, 256).raw_bandwidth().as_GBps(), 31.507692, 1e-5);
  EXPECT_DOUBLE_EQ(make(6, 16, 256, 512, 256).raw_bandwidth().as_GBps(), 128.0);
}

TEST(Pcie, PostedWritesCarryA4DwHeaderAndFramingPerMaxPayload) {
  const auto p = make(5, 16, 256, 512, 256);
  // 1 KiB = 4 TLPs of 256 B: 1024 + 4 x (16 header + 4 STP + 4 LCRC) = 1120, then SKP.
  EXPECT_EQ(p.wire_bytes(Flow::kWriteData, Bytes(1024)).count(), skp(1120));
  // 100 B: one TLP: 100 + 24 = 124.
  EXPECT_EQ(p.wire_bytes(Flow::kWriteData, Bytes(100)).count(), skp(124));
  // ECRC adds 4 B per TLP.
  EXPECT_EQ(make(5, 16, 256, 512, 256, true).wire_bytes(Flow::kWriteData, Bytes(1024)).count(),
            skp(1136));
}

TEST(Pcie, ReadsCostHeaderOnlyRequestsForwardAnd3DwCompletionsBack) {
  const auto p = make(4, 16, 128, 512, 128);
  // 4 KiB read = 8 requests of MRRS 512 B, each 16 + 8 = 24 B on the wire.
  EXPECT_EQ(p.wire_bytes(Flow::kReadRequest, Bytes(4096)).count(), skp(192));
  // ... returned as 32 completions of 128 B, each with a 12 B header + 8 B framing.
  EXPECT_EQ(p.wire_bytes(Flow::kReadData, Bytes(4096)).count(), skp(4096 + 32 * 20));
  // Posted writes need no completion: their acknowledgement costs nothing on the wire.
  EXPECT_EQ(p.wire_bytes(Flow::kAck, Bytes(4096)).count(), 0u);
}

TEST(Pcie, Gen1And2UseEightBitFramingWithoutSkpRounding) {
  const auto p = make(2, 8, 128, 512, 128);
  // 8b/10b era framing: STP 1 + sequence 2 + LCRC 4 + END 1 = 8 B, same total as Gen3+.
  const double tlp = 256 + 2 * (16 + 8);
  EXPECT_EQ(p.wire_bytes(Flow::kWriteData, Bytes(256)).count(),
            static_cast<std::uint64_t>(std::ceil(tlp * 1.003)));
}

TEST(Pcie, Gen6FlitModeDropsPerTlpFramingAndPays256Over236) {
  const auto p = make(6, 16, 256, 512, 256);
  // 1 KiB write: 4 TLPs x (256 + 16 header) = 1088 TLP bytes, in flits: x 256/236, then SKP.
  const double wire = std::ceil(1088.0 * 256.0 / 236.0 * 371.0 / 370.0);
  EXPECT_EQ(p.wire_bytes(Flow::kWriteData, Bytes(1024)).count(), static_cast<std::uint64_t>(wire));
}

TEST(Pcie, EfficiencyEmergesFromPacketSizes) {
  // Streaming efficiency of read data = 256 / (256 + 20) / (371/370) at 256 B completions,
  // 128 / 148 / (371/370) at 128 B, 64 / 84 / ... at 64 B: larger packets, less overhead.
  const double raw = make(5, 16, 256, 512, 256).raw_bandwidth().bytes_per_second();
  const auto eff = [&](std::uint64_t cpl) {
    return make(5, 16, 256, 512, cpl)
               .streaming_bandwidth(Flow::kReadData, Bytes::MiB(256))
               .bytes_per_second() /
           raw;
  };
  EXPECT_NEAR(eff(256), 256.0 / 276.0 * 370.0 / 371.0, 1e-6);
  EXPECT_NEAR(eff(128), 128.0 / 148.0 * 370.0 / 371.0, 1e-6);
  EXPECT_NEAR(eff(64), 64.0 / 84.0 * 370.0 / 371.0, 1e-6);
  EXPECT_GT(eff(256), eff(128));
}

}  // namespace
}  // namespace tiersim::models
