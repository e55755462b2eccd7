// The optional memory path of GPU kernels through the L2 and HBM models (models/gpu/memory_path.h)
// on the H100 presets: a cold stream (no reuse) runs at the HBM model's sustained
// bandwidth (below the 3.35 TB/s peak, above the analytical 0.9 x peak minus the DRAM model's
// row/refresh losses), and a second pass over a footprint that fits the L2 is served by it.
#include <gtest/gtest.h>

#include <string>

#include "models/gpu/memory_path.h"

namespace tiersim::models::gpu {
namespace {

const std::string kCfg = std::string(TIERSIM_SOURCE_DIR) + "/configs/";

// Incremental bandwidth of two cold streams (fresh paths): (4 - 2 MiB) / (t4 - t2) cancels the
// fixed latency of the first access.
TEST(GpuMemoryPath, ColdStreamRunsAtHbmBandwidth) {
  const auto cold = [](Bytes bytes) {
    SimulatedMemoryPath path(kCfg + "sram/h100_l2.yaml", kCfg + "gpu/h100_hbm3.yaml");
    EXPECT_NEAR(path.hbm_peak().bytes_per_second(), 3.35e12, 0.01e12);
    const Time t = path.stream(bytes, Bytes(0), Time::zero());
    EXPECT_EQ(path.l2_counts().sector_hits, 0u);
    return t;
  };
  const Time t2 = cold(Bytes::MiB(2));
  const Time t4 = cold(Bytes::MiB(4));
  const double gbps = Bytes::MiB(2).as_double() / (t4 - t2).as_seconds() / 1e9;
  EXPECT_LT(gbps, 3350.0);
  EXPECT_GT(gbps, 0.8 * 3350.0);
}

TEST(GpuMemoryPath, SecondPassOverAFootprintThatFitsHitsInL2) {
  SimulatedMemoryPath path(kCfg + "sram/h100_l2.yaml", kCfg + "gpu/h100_hbm3.yaml");
  const Bytes bytes = Bytes::MiB(4);
  const Time cold = path.stream(bytes, Bytes(0), Time::zero());
  const Time warm = path.stream(bytes, Bytes(0), cold) - cold;
  EXPECT_LT(warm, cold);
  // Served by the L2 ports (2 x 2.75 TB/s in the preset), not the 3.35 TB/s HBM.
  EXPECT_GT(bytes.as_double() / warm.as_seconds(), 3.35e12);
  EXPECT_GT(path.l2_counts().sector_hits, 0u);
}

}  // namespace
}  // namespace tiersim::models::gpu
