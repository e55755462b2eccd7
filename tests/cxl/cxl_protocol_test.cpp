// The CXL link protocol: raw rates, and wire bytes per flow derived from 68 B / 256 B flits and
// the 16 B slot packing of CXL.mem messages (models/cxl/cxl_protocol.h).
#include "models/cxl/cxl_protocol.h"

#include <gtest/gtest.h>

namespace tiersim::models::cxl {
namespace {

using kernel::Flow;

CxlProtocol gen5(int lanes) {
  CxlParams p;
  p.generation = 5;
  p.lanes = lanes;
  p.flit_bytes = 68;
  return CxlProtocol(p);
}

TEST(CxlProtocol, RawRateIsThePciePhyAfterEncoding) {
  // 32 GT/s x 8 lanes x 128/130 / 8 = 31.508 GB/s per direction; x16 doubles it.
  EXPECT_NEAR(gen5(8).raw_bandwidth().as_GBps(), 31.5077, 1e-3);
  EXPECT_NEAR(gen5(16).raw_bandwidth().as_GBps(), 63.0154, 1e-3);
  CxlParams p6;
  p6.generation = 6;
  p6.lanes = 16;
  p6.flit_bytes = 256;
  EXPECT_NEAR(CxlProtocol(p6).raw_bandwidth().as_GBps(), 128.0, 1e-9);  // PAM4, 1b/1b
}

TEST(CxlProtocol, SixtyEightByteFlitSlotsPerCacheLine) {
  const CxlProtocol c = gen5(8);
  // One slot is 68/4 = 17 wire bytes, x 371/370 for SKP ordered sets.
  const double slot = 17.0 * 371.0 / 370.0;
  EXPECT_DOUBLE_EQ(c.wire_per_slot(), slot);
  // Read: one M2S Req slot; 4 data slots + 1/3 of a G6 slot (3 DRS headers) on S2M.
  EXPECT_DOUBLE_EQ(c.slots(Flow::kReadRequest, 1), 1.0);
  EXPECT_DOUBLE_EQ(c.slots(Flow::kReadData, 1), 4.0 + 1.0 / 3.0);
  // Write: RwD header slot + 4 data slots on M2S; half a slot (2 NDR per slot) on S2M.
  EXPECT_DOUBLE_EQ(c.slots(Flow::kWriteData, 1), 5.0);
  EXPECT_DOUBLE_EQ(c.slots(Flow::kAck, 1), 0.5);
  EXPECT_EQ(c.wire_bytes(Flow::kReadRequest, Bytes(64)).count(), 18u);  // ceil(17.046)
  EXPECT_EQ(c.wire_bytes(Flow::kReadData, Bytes(64)).count(), 74u);     // ceil(73.87)
  EXPECT_EQ(c.wire_bytes(Flow::kWriteData, Bytes(64)).count(), 86u);    // ceil(85.23)
  EXPECT_EQ(c.wire_bytes(Flow::kAck, Bytes(0)).count(), 9u);            // ceil(8.52)
  // A 4 KiB read: 64 lines x 13/3 slots = 277.33 slots -> ceil(4727.5) bytes.
  EXPECT_EQ(c.wire_bytes(Flow::kReadData, Bytes::KiB(4)).count(), 4728u);
  // Partial lines move whole lines.
  EXPECT_EQ(c.wire_bytes(Flow::kReadData, Bytes(1)).count(), 74u);
  EXPECT_EQ(c.wire_bytes(Flow::kReadRequest, Bytes(0)).count(), 0u);
}

TEST(CxlProtocol, StreamingEfficiencyFollowsTheSlotCounts) {
  const CxlProtocol c = gen5(8);
  // Read data: 64 B per 13/3 slots of 17 B (x SKP): 86.9% of raw -> 27.38 GB/s on x8.
  const double read = 64.0 / ((13.0 / 3.0) * 17.0 * 371.0 / 370.0);
  EXPECT_NEAR(c.streaming_bandwidth(Flow::kReadData, Bytes::MiB(1)).bytes_per_second() /
                  c.raw_bandwidth().bytes_per_second(),
              read, 1e-6);
  // Write data: 64 B per 5 slots: 75.1% of raw.
  const double write = 64.0 / (5.0 * 17.0 * 371.0 / 370.0);
  EXPECT_NEAR(c.streaming_bandwidth(Flow::kWriteData, Bytes::MiB(1)).bytes_per_second() /
                  c.raw_bandwidth().bytes_per_second(),
              write, 1e-6);
}

TEST(CxlProtocol, TwoHundredFiftySixByteFlitsCarry240BytesOfSlots) {
  CxlParams p;
  p.generation = 6;
  p.lanes = 16;
  p.flit_bytes = 256;
  const CxlProtocol c(p);
  EXPECT_DOUBLE_EQ(c.wire_per_slot(), 256.0 / 15.0);                  // no SKP at Gen6 (FLIT mode)
  EXPECT_EQ(c.wire_bytes(Flow::kReadData, Bytes(64)).count(), 74u);   // ceil(73.96)
  EXPECT_EQ(c.wire_bytes(Flow::kWriteData, Bytes(64)).count(), 86u);  // ceil(85.33)
  // Denser header packing is a parameter: 2 M2S Req per slot halves the request cost.
  p.req_per_slot = 2;
  EXPECT_EQ(CxlProtocol(p).wire_bytes(Flow::kReadRequest, Bytes(128)).count(), 18u);
}

}  // namespace
}  // namespace tiersim::models::cxl
