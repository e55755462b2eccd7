// The `gpu` component built from YAML (and the H100 SXM preset), timed through serve() and
// execute().
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "models/gpu/gpu.h"
#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/kernel/system.h"
#include "tests/common/system_from_yaml.h"
#include "tests/common/test_util.h"

namespace tiersim::kernel {
namespace {

using test::SystemFromNode;

using test::compute_txn;

TEST(GpuComponent, RooflineFromYaml) {
  // 2 SMs x 512 fp16 FMA/clk x 2 x 1 GHz = 2.048 TFLOP/s; tensor_efficiency 0.5 -> 1.024;
  // 100 GB/s x 0.8 = 80 GB/s achievable; eager launch 2 us.
  SystemFromNode s(config::parse_yaml(R"(
system:
  components:
    gpu: {type: gpu, sms: 2, clock: 1 GHz, fma_per_clock_fp32: 64, fma_per_clock_fp16: 512,
          tensor_efficiency: 0.5, hbm_bandwidth: 100 GB/s, hbm_efficiency: 0.8,
          memory_capacity: 1 GiB, l2_capacity: 1 MiB, launch_eager: 2 us, launch: eager,
          precision: fp16}
)",
                                      "gpu.yaml"));
  auto& gpu = dynamic_cast<models::gpu::Gpu&>(s.get("gpu"));
  EXPECT_DOUBLE_EQ(gpu.model().peak_flops(models::gpu::DType::kFp16), 2.048e12);
  const DataWindow at0{Time::zero(), Time::zero()};
  // Compute bound: 1.024 GFLOP at 1.024 TFLOP/s = 1 ms (memory: 8 MB / 80 GB/s = 0.1 ms) + 2 us.
  const Time first = gpu.serve(compute_txn(1'024'000'000, 8'000'000), at0).last;
  EXPECT_EQ(first, Time::ms(1) + Time::us(2));
  // Memory bound, queued behind the first: 80 MB / 80 GB/s = 1 ms + 2 us.
  EXPECT_EQ(gpu.serve(compute_txn(1'000, 80'000'000), at0).last, first + Time::ms(1) + Time::us(2));
  EXPECT_THROW((void)gpu.serve(TxnExtension{}, at0), std::logic_error);  // a read
  gpu.finalize(Time::ms(5));
  EXPECT_EQ(s.counter("gpu", "kernels"), 2u);
  EXPECT_EQ(s.counter("gpu", "compute_bound"), 1u);
  EXPECT_EQ(s.counter("gpu", "memory_bound"), 1u);
  EXPECT_EQ(s.counter("gpu", "bytes"), 88'000'000u);
  EXPECT_EQ(s.counter("gpu", "busy_ps"), static_cast<std::uint64_t>((2 * first).ps()));
}

TEST(GpuComponent, H100PresetExecutesShapeAwareOperators) {
  test::TempDir dir;
  const auto exp =
      dir.write("exp.yaml", "system:\n  components:\n    gpu: {extends: " + test::source_dir() +
                                "/configs/gpu/h100_sxm.yaml}\n");
  SystemFromNode s(config::load_file(exp.string()));
  auto& gpu = dynamic_cast<models::gpu::Gpu&>(s.get("gpu"));
  EXPECT_EQ(gpu.precision(), models::gpu::DType::kBf16);
  const auto gemm = gpu.model().gemm({8192, 8192, 8192, models::gpu::DType::kBf16});
  const auto attn = gpu.model().decode_attention({64, 32, 8, 4096, 128, models::gpu::DType::kFp16});
  const Time t1 = gpu.execute(gemm, Time::zero());
  EXPECT_EQ(t1, gemm.total());
  EXPECT_EQ(gpu.execute(attn, Time::zero()), t1 + attn.total());  // one kernel at a time
  gpu.finalize(Time::ms(10));
  EXPECT_EQ(s.counter("gpu", "compute_bound"), 1u);
  EXPECT_EQ(s.counter("gpu", "memory_bound"), 1u);
  EXPECT_EQ(s.counter("gpu", "bytes"), gemm.bytes.count() + attn.bytes.count());
}

TEST(GpuComponent, PrecisionTheGpuLacksIsAConfigError) {
  try {
    SystemFromNode s(config::parse_yaml(R"(
system:
  components:
    gpu: {type: gpu, sms: 40, clock: 1590 MHz, fma_per_clock_fp32: 64, fma_per_clock_fp16: 512,
          hbm_bandwidth: 320 GB/s, memory_capacity: 16 GB, l2_capacity: 4 MiB,
          precision: bf16}
)",
                                        "t4.yaml"));
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(e.message().find("no bf16 units"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tiersim::kernel
