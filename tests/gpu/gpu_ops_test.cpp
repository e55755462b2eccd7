// The GPU operator-timing library (models/gpu/gpu_ops.h) against the H100 SXM preset and
// hand-computed shapes: peaks, tile/wave quantization, memory-bound kernels from their bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/gpu/gpu_ops.h"
#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "tests/common/test_util.h"

namespace tiersim::models::gpu {
namespace {

// The H100 SXM preset without its memory ramp, so that the formulas below are the operators'
// own; MemoryRampIsPaidOncePerOperator checks the ramp with the preset as it is.
GpuSpec h100_preset() {
  return load_gpu_preset(test::source_dir() + "/configs/gpu/h100_sxm.yaml");
}
GpuSpec h100() {
  GpuSpec s = h100_preset();
  s.memory_ramp = Time::zero();
  return s;
}

double seconds(Time t) {
  return t.as_seconds();
}

// configs/gpu/h100_sxm.yaml's efficiencies, calibrated on the measured H100 (tests/golden/h100):
// tensor 0.829 (gemm 8192^3), HBM 0.917 (reads of 64 MiB and 1 GiB, with a 7.48 us ramp). The
// derivations below use them.
constexpr double kTensorEff = 0.829;
constexpr double kHbmEff = 0.917;
// 0.917 x 3.35 TB/s: what memory-bound kernels stream at on H100 SXM in the model.
constexpr double kH100Achievable = kHbmEff * 3.35e12;

TEST(GpuOps, H100PeaksFromSmsTensorRateAndClock) {
  const GpuModel g(h100());
  // 132 SMs x 2048 dense BF16 FMA/clk x 2 x 1.83 GHz = 989.43 TF (datasheet: 989 TF).
  EXPECT_DOUBLE_EQ(g.peak_flops(DType::kBf16), 132.0 * 2048 * 2 * 1.83e9);
  EXPECT_NEAR(g.peak_flops(DType::kBf16) / 1e12, 989.4, 0.1);
  EXPECT_DOUBLE_EQ(g.peak_flops(DType::kFp16), g.peak_flops(DType::kBf16));
  EXPECT_DOUBLE_EQ(g.peak_flops(DType::kFp8), 2 * g.peak_flops(DType::kBf16));
  EXPECT_DOUBLE_EQ(g.peak_flops(DType::kTf32), g.peak_flops(DType::kBf16) / 2);
  EXPECT_DOUBLE_EQ(g.peak_flops(DType::kFp32), 132.0 * 128 * 2 * 1.83e9);
  EXPECT_DOUBLE_EQ(g.achievable_bandwidth().bytes_per_second(), kH100Achievable);
}

TEST(GpuOps, Acceptance1Gemm8192BF16From720To800TFlops) {
  const GpuModel g(h100());
  const OpResult r = g.gemm({8192, 8192, 8192, DType::kBf16});
  const double tflops = r.achieved_flops() / 1e12;
  EXPECT_GE(tflops, 720.0);
  EXPECT_LE(tflops, 800.0);
  EXPECT_TRUE(r.compute_bound);
  // The derivation: 128x128 tiles (first of the equally fast shapes) -> 64 x 64 = 4096 tiles,
  // ceil(4096 / 132) = 32 waves, wave efficiency 4096 / (32 x 132) = 0.970, no tile padding.
  EXPECT_EQ(r.tile.m, 128u);
  EXPECT_EQ(r.tile.n, 128u);
  EXPECT_EQ(r.tiles, 4096u);
  EXPECT_EQ(r.waves, 32u);
  EXPECT_DOUBLE_EQ(r.tile_efficiency, 1.0);
  EXPECT_NEAR(r.wave_efficiency, 4096.0 / (32 * 132), 1e-12);
  // kernel = 32 waves x 2 x 128 x 128 x 8192 / (989.43 TF / 132 x 0.829), exact to the ps.
  const double sm_rate = 132.0 * 2048 * 2 * 1.83e9 / 132 * kTensorEff;
  const double expect_ps = std::ceil(32.0 * 2 * 128 * 128 * 8192 / sm_rate * 1e12);
  EXPECT_NEAR(static_cast<double>(r.kernel.ps()), expect_ps, 1.0);
  EXPECT_EQ(r.launch, Time::ns(1300));  // CUDA-graph launch
  // Utilization = achieved / 989.4 TF = 0.829 x 0.970 less the launch share.
  EXPECT_NEAR(r.compute_utilization(), kTensorEff * 4096.0 / (32 * 132), 0.002);
}

TEST(GpuOps, MemoryRampIsPaidOncePerOperator) {
  const GpuModel g(h100_preset());
  EXPECT_EQ(g.spec().memory_ramp, Time::ns(7480));  // calibrated (configs/gpu/h100_sxm.yaml)
  const Bandwidth bw = g.achievable_bandwidth();
  // A long stream pays the whole ramp once: 1 GiB at 3.072 TB/s = 349.5 us, + 7.48 us.
  const Bytes gib = Bytes::GiB(1);
  EXPECT_EQ(g.memory_time(gib), bw.transfer_time(gib) + Time::ns(7480));
  // A stream shorter than the ramp runs at half the bandwidth: 4 MiB = 1.37 us -> 2.73 us.
  const Bytes small = Bytes::MiB(4);
  EXPECT_LT(bw.transfer_time(small), Time::ns(7480));
  EXPECT_EQ(g.memory_time(small), bw.transfer_time(small) * 2);
  // Operators carry it: a GEMV is its weights' memory time plus the launch.
  const OpResult r = g.gemv(16384, 4096, DType::kFp16);
  EXPECT_EQ(r.kernel, g.memory_time(r.bytes));
  const GpuModel no_ramp(h100());
  EXPECT_EQ(r.kernel - no_ramp.gemv(16384, 4096, DType::kFp16).kernel, Time::ns(7480));
}

TEST(GpuOps, WaveQuantizationOneColumnMoreCostsAWholeWave) {
  const GpuModel g(h100());
  // 1536 x 1408 = 12 x 11 = 132 tiles of 128x128: exactly one wave.
  const OpResult full = g.gemm({1536, 1408, 8192, DType::kBf16});
  EXPECT_EQ(full.waves, 1u);
  EXPECT_DOUBLE_EQ(full.wave_efficiency, 1.0);
  // One column more: 128x128 needs 12 x 12 = 144 tiles (2 waves); 128x256 and 256x128 one wave
  // of double-size tiles. Either way the time doubles for 0.07% more work.
  const OpResult over = g.gemm({1536, 1409, 8192, DType::kBf16});
  EXPECT_EQ(over.tile.m, 128u);
  EXPECT_EQ(over.tile.n, 128u);
  EXPECT_EQ(over.tiles, 144u);
  EXPECT_EQ(over.waves, 2u);
  EXPECT_TRUE(over.compute_bound);
  EXPECT_NEAR(seconds(over.kernel) / seconds(full.kernel), 2.0, 1e-6);
  EXPECT_NEAR(over.tile_efficiency, 1409.0 / 1536, 1e-12);
  EXPECT_NEAR(over.wave_efficiency, 144.0 / 264, 1e-12);
}

TEST(GpuOps, SkinnyGemmIsMemoryBound) {
  const GpuModel g(h100());
  // 16 tokens x a 8192 x 8192 BF16 weight: tile quantization pads 16 rows to 128, but the
  // 128 MiB weight read dominates.
  const OpResult r = g.gemm({16, 8192, 8192, DType::kBf16});
  EXPECT_FALSE(r.compute_bound);
  const double bytes = (16.0 * 8192 + 8192.0 * 8192 + 16.0 * 8192) * 2;
  EXPECT_EQ(r.bytes.count(), static_cast<std::uint64_t>(bytes));
  EXPECT_NEAR(seconds(r.kernel), bytes / kH100Achievable, 1e-9);
  EXPECT_DOUBLE_EQ(r.tile_efficiency, 16.0 / 128.0);
  // 64 tiles leave 68 SMs idle: split-K in 2 halves the compute (else 44.8 us > 44.7 us memory).
  EXPECT_EQ(r.tiles, 64u);
  EXPECT_EQ(r.split_k, 2u);
}

TEST(GpuOps, Acceptance1DecodeAttentionGqaWithinTenPercentOfBandwidthBound) {
  const GpuModel g(h100());
  const OpResult r = g.decode_attention({64, 32, 8, 4096, 128, DType::kFp16});
  // K and V: 64 seqs x 8 KV heads x 4096 tokens x 128 x 2 B x 2 = 1 GiB; Q and O: 2 x 64 x 32 x
  // 128 x 2 B = 1 MiB.
  const double bytes = 64.0 * 8 * 4096 * 128 * 2 * 2 + 2 * 64.0 * 32 * 128 * 2;
  EXPECT_EQ(r.bytes.count(), static_cast<std::uint64_t>(bytes));
  EXPECT_FALSE(r.compute_bound);
  const double bound = bytes / kH100Achievable;
  EXPECT_NEAR(seconds(r.total()), bound, 0.10 * bound);
  EXPECT_NEAR(seconds(r.kernel), bound, 1e-9);
  EXPECT_EQ(r.segments, 64u * 8 * 2 + 2 * 64);
  // GQA: query heads share KV reads, so 32 KV heads (MHA) read 4x, 1 (MQA) 1/8 of the KV.
  const OpResult mha = g.decode_attention({64, 32, 32, 4096, 128, DType::kFp16});
  const OpResult mqa = g.decode_attention({64, 32, 1, 4096, 128, DType::kFp16});
  EXPECT_EQ(mha.bytes.count() - (1u << 20), 4 * (r.bytes.count() - (1u << 20)));
  EXPECT_EQ(mqa.bytes.count() - (1u << 20), (r.bytes.count() - (1u << 20)) / 8);
  EXPECT_THROW((void)g.decode_attention({64, 32, 5, 4096, 128, DType::kFp16}),
               std::invalid_argument);
}

TEST(GpuOps, PagedKvRoundsToPagesAndAddsBlockTables) {
  const GpuModel g(h100());
  DecodeAttentionShape s{64, 32, 8, 4100, 128, DType::kFp16, true, 16};
  const OpResult paged = g.decode_attention(s);
  s.paged = false;
  const OpResult contiguous = g.decode_attention(s);
  // Paged: ceil(4100 / 16) = 257 pages = 4112 tokens; one 16 x 128 x 2 B = 4 KiB K and V segment
  // per (sequence, page, KV head); block table 257 x 4 B = 1028 B -> 1056 B in 32 B sectors.
  const std::uint64_t qo = 2 * 64 * 32 * 128 * 2;
  EXPECT_EQ(paged.bytes.count(), 64u * 8 * 257 * 2 * 4096 + 64u * 1056 + qo);
  EXPECT_EQ(paged.segments, 64u * 8 * 257 * 2 + 64 + 2 * 64);
  EXPECT_EQ(contiguous.bytes.count(), 64u * 8 * 2 * (4100 * 256) + qo);
  EXPECT_GT(paged.total(), contiguous.total());
}

TEST(GpuOps, Acceptance1GemvIsMemoryBound) {
  const GpuModel g(h100());
  const OpResult r = g.gemv(16384, 4096, DType::kFp16);
  const double bytes = 16384.0 * 4096 * 2 + 4096 * 2 + 16384 * 2;
  EXPECT_EQ(r.bytes.count(), static_cast<std::uint64_t>(bytes));
  EXPECT_FALSE(r.compute_bound);
  const double bound = bytes / kH100Achievable;
  EXPECT_NEAR(seconds(r.total()), bound, 0.10 * bound);
  EXPECT_NEAR(r.bandwidth_utilization(), kHbmEff * seconds(r.kernel) / seconds(r.total()), 1e-6);
}

TEST(GpuOps, PrefillAttentionCausalHalvesWorkAndL2SpillsKvReReads) {
  const GpuModel g(h100());
  PrefillAttentionShape s{1, 32, 8, 8192, 8192, 128, DType::kBf16, false, 128};
  const OpResult full = g.prefill_attention(s);
  s.causal = true;
  const OpResult causal = g.prefill_attention(s);
  EXPECT_DOUBLE_EQ(full.flops, 4.0 * 32 * 8192 * 8192 * 128);
  EXPECT_DOUBLE_EQ(causal.flops / full.flops, (8192.0 + 1) / (2 * 8192));
  EXPECT_TRUE(full.compute_bound);
  // Compute bound at attention_efficiency 0.35 of the BF16 peak.
  EXPECT_NEAR(full.achieved_flops() / g.peak_flops(DType::kBf16), 0.35, 0.005);
  // K/V of the resident heads (132 CTAs / 64 query blocks -> 3 heads x 4 MiB) fit in 50 MB:
  // compulsory traffic Q + O + K + V.
  const std::uint64_t q = 32ull * 8192 * 128 * 2;
  const std::uint64_t kv = 8ull * 8192 * 128 * 2 * 2;
  EXPECT_EQ(full.bytes.count(), 2 * q + kv);
  // With an 8 MB L2 they do not: each of the 32 x 64 query blocks streams its head's K and V.
  GpuSpec small = h100();
  small.l2_capacity = Bytes(8'000'000);
  const OpResult spill =
      GpuModel(small).prefill_attention({1, 32, 8, 8192, 8192, 128, DType::kBf16, false, 128});
  EXPECT_EQ(spill.bytes.count(), 2 * q + 32ull * 64 * (8192 * 128 * 2 * 2));
}

TEST(GpuOps, ElementwiseAndSoftmaxAreTimedFromTheirBytes) {
  const GpuModel g(h100());
  const OpResult add = g.elementwise({1u << 28, 2, 1, DType::kBf16, 1});
  EXPECT_EQ(add.bytes.count(), 3ull * (1u << 28) * 2);
  EXPECT_FALSE(add.compute_bound);
  EXPECT_NEAR(seconds(add.kernel), 3.0 * (1u << 28) * 2 / kH100Achievable, 1e-9);
  const OpResult sm = g.softmax(64 * 32, 4096, DType::kFp16);
  EXPECT_EQ(sm.bytes.count(), 2ull * 64 * 32 * 4096 * 2);
  EXPECT_DOUBLE_EQ(sm.flops, 5.0 * 64 * 32 * 4096);
}

TEST(GpuOps, MoeExpertFfnReadsActiveExpertsAndQuantizesTiles) {
  const GpuModel g(h100());
  // Decode: 8 tokens on each of 2 of 8 experts (Mixtral-like 4096 x 14336, SwiGLU).
  std::vector<std::uint64_t> few(8, 0);
  few[1] = 8;
  few[5] = 8;
  const OpResult r = g.moe_ffn({few, 4096, 14336, true, DType::kBf16});
  EXPECT_EQ(r.kernels, 2u);
  EXPECT_FALSE(r.compute_bound);
  const std::uint64_t w = 2 * (4096ull * 2 * 14336 + 14336ull * 4096) * 2;  // 2 active experts
  const std::uint64_t act = (16 * 4096 + 16 * 2 * 14336 + 16 * 14336 + 16 * 4096) * 2;
  EXPECT_EQ(r.bytes.count(), w + act);
  EXPECT_NEAR(seconds(r.kernel), static_cast<double>(w + act) / kH100Achievable, 2e-12);
  EXPECT_EQ(r.launch, Time::ns(2600));
  // Prefill: 4096 tokens on every expert is compute bound.
  const OpResult big =
      g.moe_ffn({std::vector<std::uint64_t>(8, 4096), 4096, 14336, true, DType::kBf16});
  EXPECT_TRUE(big.compute_bound);
  EXPECT_DOUBLE_EQ(big.flops, 2.0 * 8 * 4096 * 4096 * 14336 * 3);
}

TEST(GpuOps, RingAllReduceOverNvlink) {
  const GpuModel g(h100());
  const OpResult r = g.all_reduce(Bytes::GiB(1), 8);
  // 2 x 7/8 x 1 GiB / (450 GB/s x 0.8) + 14 ring steps x 2 us.
  const double expect = 2.0 * 7 / 8 * (1u << 30) / (450e9 * 0.8) + 14 * 2e-6;
  EXPECT_NEAR(seconds(r.kernel), expect, 1e-9);
  EXPECT_EQ(r.bytes.count(), static_cast<std::uint64_t>(2.0 * 7 / 8 * (1u << 30)));
  EXPECT_NEAR(r.bandwidth_utilization(), 0.8 * (seconds(r.kernel) - 28e-6) / seconds(r.total()),
              1e-6);
  EXPECT_EQ(g.all_reduce(Bytes::GiB(1), 1).total(), Time::zero());
  GpuSpec none = h100();
  none.link_bandwidth = Bandwidth::GBps(0);
  EXPECT_THROW((void)GpuModel(none).all_reduce(Bytes::GiB(1), 2), std::invalid_argument);
}

TEST(GpuOps, LaunchModesAndUnsupportedTypes) {
  const GpuModel graph(h100(), LaunchMode::kGraph);
  const GpuModel eager(h100(), LaunchMode::kEager);
  const OpResult a = graph.elementwise({1024, 1, 1, DType::kFp16, 1});
  const OpResult b = eager.elementwise({1024, 1, 1, DType::kFp16, 1});
  EXPECT_EQ(b.total() - a.total(), Time::ns(1200));  // 2.5 us - 1.3 us
  GpuSpec no_fp8 = h100();
  no_fp8.fma_fp8 = 0;
  EXPECT_THROW((void)GpuModel(no_fp8).gemm({128, 128, 128, DType::kFp8}), std::invalid_argument);
  EXPECT_THROW((void)parse_dtype("int4"), std::invalid_argument);
}

TEST(GpuOps, MalformedTileIsAConfigError) {
  test::TempDir dir;
  const auto path =
      dir.write("bad.yaml", "extends: " + test::source_dir() +
                                "/configs/gpu/h100_sxm.yaml\ngemm_tiles: \"64x64, 128x\"\n");
  try {
    (void)load_gpu_preset(path.string());
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.origin().line, 2);
    EXPECT_NE(e.message().find("'128x' is not of the form MxN"), std::string::npos) << e.what();
  }
}

// Every preset: the peaks its datasheet quotes follow from sms x per-SM rate x 2 x clock.
TEST(GpuOps, PresetPeaksMatchDatasheets) {
  struct Expect {
    const char* file;
    DType t;
    double tflops;  // datasheet dense peak
    double hbm_gbps;
  };
  const Expect cases[] = {
      {"h100_sxm", DType::kBf16, 989.4, 3350},
      {"h100_sxm", DType::kFp8, 1978.9, 3350},
      {"h200_sxm", DType::kBf16, 989.4, 4800},
      {"a100_sxm_40gb", DType::kBf16, 312.0, 1555},
      {"a100_sxm_80gb", DType::kTf32, 156.0, 2039},
      {"a100_sxm_40gb", DType::kFp32, 19.5, 1555},
      {"rtx_a6000", DType::kFp16, 154.8, 768},
      {"rtx_a6000", DType::kFp32, 38.7, 768},
      {"rtx_4090", DType::kBf16, 165.2, 1008},
      {"rtx_4090", DType::kFp8, 330.3, 1008},
      {"rtx_4090", DType::kFp32, 82.6, 1008},
      {"t4", DType::kFp16, 65.1, 320},
      {"t4", DType::kFp32, 8.1, 320},
  };
  for (const auto& c : cases) {
    const GpuModel g(load_gpu_preset(test::source_dir() + "/configs/gpu/" + c.file + ".yaml"));
    EXPECT_NEAR(g.peak_flops(c.t) / 1e12, c.tflops, 0.006 * c.tflops)
        << c.file << " " << to_string(c.t);
    EXPECT_DOUBLE_EQ(g.spec().hbm_bandwidth.as_GBps(), c.hbm_gbps) << c.file;
  }
  // Data types a part lacks are refused rather than timed.
  const GpuModel t4(load_gpu_preset(test::source_dir() + "/configs/gpu/t4.yaml"));
  EXPECT_THROW((void)t4.gemm({1024, 1024, 1024, DType::kBf16}), std::invalid_argument);
  const GpuModel a100(load_gpu_preset(test::source_dir() + "/configs/gpu/a100_sxm_80gb.yaml"));
  EXPECT_THROW((void)a100.peak_flops(DType::kFp8), std::invalid_argument);
  // H200: the same GEMM as H100 (same die), decode attention faster by the bandwidth ratio.
  const GpuModel h100g(h100());
  GpuSpec h200_spec = load_gpu_preset(test::source_dir() + "/configs/gpu/h200_sxm.yaml");
  EXPECT_EQ(h200_spec.memory_ramp, h100_preset().memory_ramp);  // inherited (same die)
  h200_spec.memory_ramp = Time::zero();
  const GpuModel h200(h200_spec);
  EXPECT_EQ(h200.gemm({8192, 8192, 8192, DType::kBf16}).kernel,
            h100g.gemm({8192, 8192, 8192, DType::kBf16}).kernel);
  const DecodeAttentionShape a{64, 32, 8, 4096, 128, DType::kFp16};
  EXPECT_NEAR(seconds(h100g.decode_attention(a).kernel) / seconds(h200.decode_attention(a).kernel),
              (4.8 * 0.896) / (3.35 * kHbmEff), 1e-6);
}

}  // namespace
}  // namespace tiersim::models::gpu
