// The `gpu` component built from YAML (and the H100 SXM preset), timed through serve() and
// execute().
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "models/gpu/gpu.h"
#include "models/gpu/memory_path.h"
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

// Compute transactions with an OpShape are timed by the matching GpuModel operator (op_shape.h),
// kGeneric ones by the roofline; energy = flops x energy_per_flop + bytes x energy_per_byte.
TEST(GpuComponent, OpShapeTransactionsUseTheMatchingOperator) {
  test::TempDir dir;
  const auto exp =
      dir.write("exp.yaml", "system:\n  components:\n    gpu: {extends: " + test::source_dir() +
                                "/configs/gpu/h100_sxm.yaml}\n");
  SystemFromNode s(config::load_file(exp.string()));
  auto& gpu = dynamic_cast<models::gpu::Gpu&>(s.get("gpu"));
  const auto& m = gpu.model();
  using models::gpu::DType;
  const auto shaped = [](OpKind k) {
    TxnExtension t;
    t.kind = TxnKind::kCompute;
    t.op.kind = k;
    return t;
  };
  Time free = Time::zero();
  std::uint64_t bytes = 0;
  double flops = 0;
  const auto expect_op = [&](const TxnExtension& t, const models::gpu::OpResult& want) {
    const DataWindow w = gpu.serve(t, {Time::zero(), Time::zero()});
    free = free + want.total();
    EXPECT_EQ(w.last, free) << want.op;
    bytes += want.bytes.count();
    flops += want.flops;
  };
  TxnExtension gemm = shaped(OpKind::kGemm);
  gemm.op.m = gemm.op.n = gemm.op.k = 8192;
  expect_op(gemm, m.gemm({8192, 8192, 8192, DType::kBf16}));  // bf16 precision, 2 B elements
  TxnExtension gemv = shaped(OpKind::kGemv);
  gemv.op.m = 16384;
  gemv.op.k = 4096;
  gemv.op.batch = 1;
  const auto one = m.gemv(16384, 4096, DType::kBf16);
  expect_op(gemv, one);
  gemv.op.batch = 32;  // 32 vectors: the GEMM [32 x 4096] . [4096 x 16384]
  const auto many = m.gemm({32, 16384, 4096, DType::kBf16});
  expect_op(gemv, many);
  EXPECT_FALSE(many.compute_bound);  // weights dominate: still memory bound at batch 32
  EXPECT_LT(many.total().as_seconds(), 1.2 * one.total().as_seconds());
  TxnExtension attn = shaped(OpKind::kDecodeAttention);
  attn.op.batch = 64;
  attn.op.q_heads = 32;
  attn.op.kv_heads = 8;
  attn.op.head_dim = 128;
  attn.op.context = 4096;
  expect_op(attn, m.decode_attention({64, 32, 8, 4096, 128, DType::kBf16}));
  TxnExtension prefill = attn;
  prefill.op.kind = OpKind::kPrefillAttention;
  prefill.op.m = 2048;
  prefill.op.context = 2048;
  prefill.op.batch = 2;
  expect_op(prefill, m.prefill_attention({2, 32, 8, 2048, 2048, 128, DType::kBf16}));
  TxnExtension soft = shaped(OpKind::kSoftmax);
  soft.op.elements = 1 << 20;
  expect_op(soft, m.softmax(1, 1 << 20, DType::kBf16));
  TxnExtension moe = shaped(OpKind::kMoeFfn);
  moe.op.batch = 65;  // 65 assignments over 2 experts: 33 + 32 tokens
  moe.op.m = 4096;
  moe.op.n = 14336;
  moe.op.k = 2;
  expect_op(moe, m.moe_ffn({{33, 32}, 4096, 14336, true, DType::kBf16}));
  TxnExtension fp8 = soft;  // 1-byte elements run as fp8 whatever the component's precision
  fp8.op.kind = OpKind::kElementwise;
  fp8.op.elem_bytes = 1;
  expect_op(fp8, m.elementwise({1 << 20, 1, 1, DType::kFp8, 1.0}));
  TxnExtension ar = shaped(OpKind::kAllReduce);
  ar.op.elements = 1 << 24;
  ar.op.batch = 8;  // ranks
  expect_op(ar, m.all_reduce(Bytes(2 << 24), 8));
  TxnExtension bad = gemm;
  bad.op.k = 0;
  EXPECT_THROW((void)gpu.serve(bad, {Time::zero(), Time::zero()}), std::invalid_argument);
  gpu.finalize(Time::ms(1000));
  EXPECT_EQ(s.counter("gpu", "shaped_ops"), 10u);  // the rejected one counted, not timed
  EXPECT_EQ(s.counter("gpu", "bytes"), bytes);
  // H100 preset: 0.61 pJ/FLOP, 30 pJ/B.
  EXPECT_NEAR(static_cast<double>(s.counter("gpu", "energy_compute_pJ")), flops * 0.61,
              flops * 1e-9 + 1);
  EXPECT_EQ(s.counter("gpu", "energy_memory_pJ"), bytes * 30);
}

// memory_model l2_hbm: memory-bound operators take the time of their bytes through the L2 and
// HBM models (the same SimulatedMemoryPath, fresh, reproduces it); compute-bound ones keep the
// analytical time.
TEST(GpuComponent, L2HbmMemoryModelTimesMemoryBoundOperators) {
  test::TempDir dir;
  const std::string cfg = test::source_dir() + "/configs/";
  const auto exp =
      dir.write("exp.yaml", "system:\n  components:\n    gpu: {extends: " + cfg +
                                "gpu/h100_sxm.yaml, memory_model: l2_hbm, l2_preset: " + cfg +
                                "sram/h100_l2.yaml, hbm_preset: " + cfg + "gpu/h100_hbm3.yaml}\n");
  SystemFromNode s(config::load_file(exp.string()));
  auto& gpu = dynamic_cast<models::gpu::Gpu&>(s.get("gpu"));
  TxnExtension gemv;
  gemv.kind = TxnKind::kCompute;
  gemv.op.kind = OpKind::kGemv;
  gemv.op.m = 1024;  // 4 MiB of weights (bench/gpu_ops_bench prints 16384 x 4096)
  gemv.op.k = 2048;
  gemv.op.batch = 1;
  const auto analytical = gpu.model().gemv(1024, 2048, models::gpu::DType::kBf16);
  models::gpu::SimulatedMemoryPath path(cfg + "sram/h100_l2.yaml", cfg + "gpu/h100_hbm3.yaml");
  const Time memory = path.stream(analytical.bytes, Bytes(0), Time::zero());
  const Time t1 = gpu.serve(gemv, {Time::zero(), Time::zero()}).last;
  EXPECT_EQ(t1, memory + analytical.launch);
  // Slower than the bytes at the analytical streaming rate (first-access latency, less than the
  // achievable rate sustained), faster than 1.5x that; the analytical model's memory_ramp (which
  // the l2_hbm path replaces) is left out of the comparison.
  const Time stream = gpu.model().achievable_bandwidth().transfer_time(analytical.bytes);
  EXPECT_GT(t1, stream + analytical.launch);
  EXPECT_LT(t1.as_seconds(), 1.5 * (stream + analytical.launch).as_seconds());
  TxnExtension gemm = gemv;
  gemm.op.kind = OpKind::kGemm;
  gemm.op.m = gemm.op.n = gemm.op.k = 8192;
  const auto big = gpu.model().gemm({8192, 8192, 8192, models::gpu::DType::kBf16});
  EXPECT_EQ(gpu.serve(gemm, {Time::zero(), Time::zero()}).last, t1 + big.total());
}

TEST(GpuComponent, L2HbmMemoryModelNeedsPresets) {
  EXPECT_THROW(SystemFromNode(config::parse_yaml(R"(
system:
  components:
    gpu: {type: gpu, sms: 2, clock: 1 GHz, fma_per_clock_fp32: 64, hbm_bandwidth: 100 GB/s,
          memory_capacity: 1 GiB, l2_capacity: 1 MiB, precision: fp32, memory_model: l2_hbm}
)",
                                                 "gpu.yaml")),
               config::ConfigError);
}

}  // namespace
}  // namespace tiersim::kernel
