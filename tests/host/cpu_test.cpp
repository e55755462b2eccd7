// The `cpu` compute roofline built from YAML (and the Xeon 8480+ preset), timed through serve().
#include <gtest/gtest.h>

#include <string>

#include "models/host/cpu.h"
#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/kernel/system.h"
#include "tests/common/system_from_yaml.h"
#include "tests/common/test_util.h"

namespace tiersim::kernel {
namespace {

using test::SystemFromNode;

using test::compute_txn;

TEST(CpuComponent, RooflineFromYaml) {
  // 4 cores x 2 FMA x (256/32 = 8 lanes) x 2 x 1 GHz = 128 GFLOP/s peak; 50% achieved = 64;
  // memory bound 32 GB/s; ridge point 2 flop/B.
  SystemFromNode s(config::parse_yaml(R"(
system:
  components:
    cpu: {type: cpu, cores: 4, simd_width: 256, fma_units: 2, precision: fp32,
          frequency: 1 GHz, achieved_fraction: 0.5, memory_bandwidth: 32 GB/s, overhead: 1 us}
)",
                                      "cpu.yaml"));
  auto& cpu = dynamic_cast<models::host::Cpu&>(s.get("cpu"));
  EXPECT_DOUBLE_EQ(cpu.roofline().peak_flops(), 128e9);
  EXPECT_DOUBLE_EQ(cpu.roofline().ridge_intensity(), 2.0);
  const DataWindow at0{Time::zero(), Time::zero()};
  // Compute bound: 64 GFLOP at 64 GFLOP/s = 1 s (memory: 1 GB / 32 GB/s = 31.25 ms), + 1 us.
  EXPECT_EQ(cpu.serve(compute_txn(64'000'000'000, 1'000'000'000), at0).last,
            Time::ms(1000) + Time::us(1));
  // Memory bound, queued behind the first: 3.2 GB / 32 GB/s = 100 ms (compute: 1 ms), + 1 us.
  const Time first_end = Time::ms(1000) + Time::us(1);
  EXPECT_EQ(cpu.serve(compute_txn(64'000'000, 3'200'000'000), at0).last,
            first_end + Time::ms(100) + Time::us(1));
  // At the ridge point both roofs agree: 2 flop/B.
  const Time later = Time::ms(5000);
  EXPECT_EQ(cpu.serve(compute_txn(64'000, 32'000), {later, later}).last,
            later + Time::us(1) + Time::us(1));
  EXPECT_THROW((void)cpu.serve(TxnExtension{}, at0), std::logic_error);  // a read
  cpu.finalize(later);
  EXPECT_EQ(s.counter("cpu", "kernels"), 3u);
  EXPECT_EQ(s.counter("cpu", "compute_bound"), 2u);  // the ridge point counts as compute bound
  EXPECT_EQ(s.counter("cpu", "memory_bound"), 1u);
  EXPECT_EQ(s.counter("cpu", "flops"), 64'000'000'000u + 64'000'000u + 64'000u);
}

TEST(CpuComponent, Xeon8480PresetPeakAndMemoryBound) {
  test::TempDir dir;
  const auto exp =
      dir.write("exp.yaml", "system:\n  components:\n    cpu: {extends: " + test::source_dir() +
                                "/configs/host/xeon_8480.yaml}\n");
  SystemFromNode s(config::load_file(exp.string()));
  auto& cpu = dynamic_cast<models::host::Cpu&>(s.get("cpu"));
  // 56 cores x 2 FMA x 16 fp32 lanes x 2 x 2.0 GHz = 7.168 TFLOP/s; 70% achieved.
  EXPECT_DOUBLE_EQ(cpu.roofline().peak_flops(), 7.168e12);
  EXPECT_NEAR(cpu.roofline().achieved_flops(), 0.7 * 7.168e12, 1.0);
  // A decode-step attention over a 1 GiB KV cache (~1 flop per byte, fp32 dot products) is
  // memory bound: 1 GiB / 277.6 GB/s = 3.868 ms.
  const auto t = cpu.roofline().time(1u << 30, Bytes::GiB(1));
  EXPECT_FALSE(t.compute_bound);
  EXPECT_NEAR(t.duration.as_seconds(), static_cast<double>(1u << 30) / 277.6e9, 1e-9);
}

TEST(CpuComponent, SimdWidthMustHoldWholeElements) {
  try {
    SystemFromNode s(config::parse_yaml(R"(
system:
  components:
    cpu: {type: cpu, cores: 1, simd_width: 100, precision: fp32, frequency: 1 GHz,
          memory_bandwidth: 1 GB/s}
)",
                                        "bad.yaml"));
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.origin().line, 4);
    EXPECT_NE(e.message().find("simd_width (100 bit) must hold whole 32-bit elements"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace tiersim::kernel
