// The simulator's side of validation: every kind of point gets a prediction, each checked
// against a figure computed by hand from the H100 SXM presets (configs/gpu/h100_sxm.yaml:
// 3.35 TB/s x 0.917 HBM plus a 7.48 us memory ramp per operator, 1.3 us graph launch, 132 SMs,
// 2048 bf16 FMA/clk/SM at 1.83 GHz x 0.829; configs/sram/h100_l2.yaml: 285/290 cycle near/far
// hits and 413 cycles more for a miss at 1.98 GHz, 2 x 2.67 TB/s partitions, hashed sets; all
// calibrated on tests/golden/h100). Copies run `tiersim run` on
// configs/systems/h100_validation_host.yaml.
#include <gtest/gtest.h>

#include "sim/validate/predict.h"
#include "tests/common/test_util.h"

namespace tiersim::validate {
namespace {

constexpr double kHbm = 3.35e12 * 0.917;  // achievable HBM, B/s
constexpr double kRamp = 7.48e-6;         // memory ramp per operator, s
constexpr double kLaunch = 1.3e-6;        // CUDA-graph launch, s
constexpr double kL2Clock = 1.98e9;

Predictor& h100() {
  static Predictor p(*presets_for_device("NVIDIA H100 80GB HBM3", test::source_dir() + "/configs"),
                     TIERSIM_BINARY);
  return p;
}

Point point(std::string id, Kind kind, std::vector<std::pair<std::string, std::uint64_t>> params,
            std::string op = {}, std::string memory = {}) {
  Point p;
  p.id = std::move(id);
  p.kind = kind;
  p.op = std::move(op);
  p.memory = std::move(memory);
  for (auto& [k, v] : params) p.set(k, v);
  EXPECT_EQ(check(p), std::nullopt);
  return p;
}

double seconds(const Point& p) {
  return h100().predict(p).as_seconds();
}

TEST(ValidatePredict, PresetsByDeviceName) {
  const std::string c = "configs";
  EXPECT_EQ(presets_for_device("NVIDIA H100 80GB HBM3", c)->gpu, "configs/gpu/h100_sxm.yaml");
  EXPECT_EQ(presets_for_device("NVIDIA H200", c)->gpu, "configs/gpu/h200_sxm.yaml");
  EXPECT_EQ(presets_for_device("NVIDIA H100 PCIe", c), std::nullopt);  // HBM2e, 114 SMs
  EXPECT_EQ(presets_for_device("NVIDIA H200 NVL", c), std::nullopt);
  EXPECT_EQ(presets_for_device("NVIDIA A100-SXM4-80GB", c), std::nullopt);
}

TEST(ValidatePredict, HbmStreamsMoveTheirBytesAtTheAchievableBandwidth) {
  const std::uint64_t gib = 1u << 30;
  const auto copy = point("c", Kind::kHbmStream, {{"bytes", gib}, {"occupancy_pct", 100}}, "copy");
  EXPECT_NEAR(seconds(copy), 2.0 * gib / kHbm + kRamp + kLaunch, 1e-9);  // read + write
  const auto read = point("r", Kind::kHbmStream, {{"bytes", gib}, {"occupancy_pct", 25}}, "read");
  EXPECT_NEAR(seconds(read), 1.0 * gib / kHbm + kRamp + kLaunch, 1e-9);
  const auto d2d =
      point("d", Kind::kCopy, {{"bytes", gib}, {"streams", 1}, {"chained", 0}}, "d2d", "device");
  EXPECT_NEAR(seconds(d2d), seconds(copy), 1e-9);
}

TEST(ValidatePredict, PointerChaseHitsL2WhenItsLinesFitAndPaysTheMissOtherwise) {
  // One node: every load hits, at the near (285 clk) or far (290 clk) partition's latency.
  const auto one = point("one", Kind::kPointerChase,
                         {{"footprint", 4096}, {"stride", 4096}, {"random", 0}, {"loads", 2048}});
  const double hit = seconds(one) - kLaunch / 2048;
  EXPECT_TRUE(std::abs(hit - 285 / kL2Clock) < 1e-11 || std::abs(hit - 290 / kL2Clock) < 1e-11)
      << hit;
  // 64 MiB of 128-byte lines, walked in order: more lines than L2 holds (50 MiB), so LRU evicts
  // every line before it comes round again; each load adds the 413-cycle miss.
  const auto big =
      point("big", Kind::kPointerChase,
            {{"footprint", 64u << 20}, {"stride", 128}, {"random", 0}, {"loads", 2048}});
  const double miss = seconds(big) - kLaunch / 2048;
  EXPECT_GE(miss, (285 + 413) / kL2Clock - 1e-11);
  EXPECT_LE(miss, (290 + 413) / kL2Clock + 1e-11);
  // 16 MiB of lines fits: hits only, half near and half far on average.
  const auto fits =
      point("fits", Kind::kPointerChase,
            {{"footprint", 16u << 20}, {"stride", 128}, {"random", 1}, {"loads", 2048}});
  const double fit = seconds(fits) - kLaunch / 2048;
  EXPECT_GE(fit, 285 / kL2Clock - 1e-11);
  EXPECT_LE(fit, 290 / kL2Clock + 1e-11);
  // 4 KiB apart over 1 GiB: 262144 lines (32 MiB of them) mostly fit the 409600 lines of L2,
  // because the set index is hashed (a modulo index would crowd this stride into 1/16 of the
  // sets and miss on every load). Hashing leaves some sets over-full: under 15% of loads miss.
  const auto strided =
      point("strided", Kind::kPointerChase,
            {{"footprint", 1u << 30}, {"stride", 4096}, {"random", 1}, {"loads", 2048}});
  const double per = seconds(strided) - kLaunch / 2048;
  EXPECT_LE(per, (290 + 0.15 * 413) / kL2Clock);
}

TEST(ValidatePredict, L2SweepRunsAtL2BandwidthBelowCapacityAndHbmAbove) {
  const auto small = point("s", Kind::kL2Sweep, {{"footprint", 16000000}});
  const auto large = point("l", Kind::kL2Sweep, {{"footprint", 128000000}});
  const double s = seconds(small) - kLaunch;
  const double l = seconds(large) - kLaunch;
  // 16 MB from two 2.67 TB/s partitions: >= 3.00 us; 128 MB streams from HBM at 3.35 TB/s
  // (the preset's backing bandwidth is the GPU's peak): >= 38.2 us.
  EXPECT_GE(s, 16e6 / 5.34e12);
  EXPECT_LT(s, 1.1 * 16e6 / 5.34e12 + 1e-6);
  EXPECT_GE(l, 128e6 / 3.35e12);
  EXPECT_LT(l, 1.1 * 128e6 / 3.35e12 + 1e-6);
}

TEST(ValidatePredict, KernelsOfTheOperatorModel) {
  // KV gather: read + write 256 MiB.
  const auto kv =
      point("kv", Kind::kKvGather, {{"pages", 4096}, {"page_tokens", 16}, {"token_bytes", 4096}});
  EXPECT_NEAR(seconds(kv), 2.0 * (256u << 20) / kHbm + kRamp + kLaunch, 1e-9);
  // GEMV 4096 x 4096 fp16: the 32 MiB of weights (plus 16 KiB of vectors).
  const auto gemv = point("gemv", Kind::kGemv, {{"m", 4096}, {"n", 4096}});
  EXPECT_NEAR(seconds(gemv), (32.0 * (1 << 20) + 16384) / kHbm + kRamp + kLaunch, 2e-8);
  // GEMM 8192^3 bf16: 4096 tiles of 128 x 128 in 32 waves of 132 SMs, each tile 2 x 128 x 128 x
  // 8192 flop at 2048 x 2 x 1.83 GHz x 0.829 per SM: 32 x 43.21 us = 1.3825 ms.
  const auto gemm = point("gemm", Kind::kGemm, {{"m", 8192}, {"n", 8192}, {"k", 8192}});
  const double wave = 2.0 * 128 * 128 * 8192 / (2048 * 2 * 1.83e9 * 0.829);
  EXPECT_NEAR(seconds(gemm), 32 * wave + kLaunch, 1e-3 * 32 * wave);
  // Decode attention, GQA 32/8, batch 16 x 4096 tokens x 128 dims, paged by 16: 256 MiB of KV.
  const auto attn = point("attn", Kind::kDecodeAttention,
                          {{"batch", 16},
                           {"q_heads", 32},
                           {"kv_heads", 8},
                           {"context", 4096},
                           {"head_dim", 128},
                           {"paged", 1},
                           {"page_tokens", 16}});
  EXPECT_NEAR(seconds(attn), (256u << 20) / kHbm + kRamp + kLaunch, 0.02 * (256u << 20) / kHbm);
}

TEST(ValidatePredict, DecoderLayerIsItsWeightsAndKvAtHbmSpeedPlusElevenLaunches) {
  // Llama-3-8B, batch 16, context 4096: every step is memory bound at this batch.
  // Weights 4096 x (6144 + 4096 + 28672) + 14336 x 4096 fp16 = 436.2 MB; KV 256 MiB.
  const auto layer = point("layer", Kind::kLayer,
                           {{"batch", 16},
                            {"context", 4096},
                            {"hidden", 4096},
                            {"heads", 32},
                            {"kv_heads", 8},
                            {"head_dim", 128},
                            {"intermediate", 14336}});
  const double weights = 4096.0 * (6144 + 4096 + 28672 + 14336) * 2;
  const double bytes = weights + (256u << 20);
  // Five memory ramps: the four weight GEMMs and the attention each stream for longer than the
  // ramp; the six small elementwise kernels pay about their own (tiny) stream time again.
  EXPECT_NEAR(seconds(layer), bytes / kHbm + 5 * kRamp + 11 * kLaunch, 0.03 * bytes / kHbm);
}

TEST(ValidatePredict, HostCopiesRunThePcieSystem) {
  const auto copy = [](std::string op, std::string mem, std::uint64_t bytes, std::uint64_t streams,
                       std::uint64_t chained) {
    return point("copy", Kind::kCopy,
                 {{"bytes", bytes}, {"streams", streams}, {"chained", chained}}, std::move(op),
                 std::move(mem));
  };
  // 256 MiB H2D pinned: Gen5 x16 with 128 B read completions, 128 / (128 + 12 + 8) of
  // 63.0 GB/s less SKP ordered sets = 54.4 GB/s (the validation host's system preset).
  const double h2d = seconds(copy("h2d", "pinned", 256u << 20, 1, 0));
  EXPECT_NEAR((256u << 20) / h2d / 1e9, 54.4, 0.01 * 54.4);
  // Device to host: posted writes of MPS 256 B: 256 / (256 + 16 + 8) of the same = 57.4 GB/s.
  const double d2h = seconds(copy("d2h", "pinned", 256u << 20, 1, 0));
  EXPECT_NEAR((256u << 20) / d2h / 1e9, 57.4, 0.01 * 57.4);
  // Write-combined host memory is the same DRAM to the copy engine.
  EXPECT_DOUBLE_EQ(seconds(copy("h2d", "wc", 256u << 20, 1, 0)), h2d);
  // Pageable: through the CPU staging copy, 7.97 GB/s host to device (reverse_bandwidth).
  const double pageable = seconds(copy("h2d", "pageable", 256u << 20, 1, 0));
  EXPECT_NEAR((256u << 20) / pageable / 1e9, 7.97, 0.03 * 7.97);
  // Two 64 MiB copies on two streams share the link: twice one copy's time, less one setup.
  const double one = seconds(copy("d2h", "pinned", 64u << 20, 1, 0));
  const double two = seconds(copy("d2h", "pinned", 64u << 20, 2, 0));
  EXPECT_NEAR(two, 2 * one, 0.03 * one);
  // A dependent H2D -> D2H pair takes both copies' time.
  const double h2d64 = seconds(copy("h2d", "pinned", 64u << 20, 1, 0));
  EXPECT_NEAR(seconds(copy("h2d", "pinned", 64u << 20, 2, 1)), h2d64 + one, 1e-11);
}

TEST(ValidatePredict, EveryDevicePointOfTheStandardSuiteHasAPrediction) {
  // Host copies (a child process each) are covered above, and chases of more than 64 Ki nodes
  // (up to 1 Mi loads each) only cost time; the rest runs here.
  for (const Point& p : standard_suite()) {
    if (p.kind == Kind::kCopy && p.op != "d2d") continue;
    if (p.kind == Kind::kPointerChase && chase_nodes(p) > 65536) continue;
    const double s = seconds(p);
    EXPECT_GT(s, 0) << p.id;
    EXPECT_LT(s, 1.0) << p.id;  // nothing in the suite takes a second per operation
  }
}

}  // namespace
}  // namespace tiersim::validate
