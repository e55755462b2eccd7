// duplex (sim/policies/duplex.cpp, duplex_engine.h, duplex_plan.h): Op/B placement of MoE and
// decode attention on PIM, co-processing (+PE), expert tensor parallelism (+ET), the GPU
// baseline, placement capacity and the utilization statistics, on Mixtral-8x7B over a recording
// FakeExecutor.
#include "tests/policies/duplex_rig.h"

namespace tiersim::policies {
namespace {

using namespace duplex_testing;  // NOLINT(google-build-using-namespace): the shared rig

TEST(DuplexPlan, OpbThresholdIsPimComputeOverXpuBandwidth) {
  // Logic-PIM is compute bound above 8 Op/B: PIM time = flops / 106.5 T, xPU = bytes / 3.352 T,
  // equal at Op/B = 106.5 / 3.352 = 31.8.
  const auto r = duplex_rates();
  EXPECT_TRUE(duplex::prefer_pim(r, 31.0 * 1e9, 1e9));
  EXPECT_FALSE(duplex::prefer_pim(r, 32.0 * 1e9, 1e9));
  EXPECT_TRUE(duplex::prefer_pim(r, 4.0 * 1e9, 1e9));  // GQA attention, group 4
}

TEST(DuplexPlan, ExpertSplitPutsHighOpbExpertsOnTheXpuAndBalancesFinishTimes) {
  const auto r = duplex_rates();
  const double w = 352321536.0;  // one Mixtral expert, bytes
  std::vector<duplex::ExpertWork> e;
  for (std::uint32_t i = 0; i < 8; ++i) {
    const std::uint32_t t = i == 3 ? 200 : 10;
    e.push_back({i, t, 2.0 * t * w / 2, w});
  }
  const auto s = duplex::split_experts(r, e);
  ASSERT_FALSE(s.xpu.empty());
  EXPECT_EQ(s.xpu.front().expert, 3U);  // the 200-token expert (Op/B 200) goes first
  double x = 0, p = 0;
  for (const auto& a : s.xpu) x += duplex::xpu_seconds(r, a.flops, a.bytes);
  for (const auto& a : s.pim) p += duplex::pim_seconds(r, a.flops, a.bytes);
  // Moving one more expert either way would not shorten max(x, p).
  double all_pim = 0;
  for (const auto& a : e) all_pim += duplex::pim_seconds(r, a.flops, a.bytes);
  EXPECT_LT(std::max(x, p), all_pim);
  EXPECT_LE(std::max(x, p), x + duplex::xpu_seconds(r, s.pim.front().flops, s.pim.front().bytes));
}

TEST(DuplexPlan, CriticalDeviceIsTheSlowestUnderExpertParallelism) {
  const auto r = duplex_rates();
  const double w = 352321536.0;
  // Experts 0..7 over 4 devices (2 each); device 2 (experts 4, 5) has the most tokens, device 1
  // touches one expert only.
  std::vector<duplex::ExpertWork> e;
  const std::uint32_t tokens[8] = {5, 5, 9, 0, 300, 300, 5, 5};
  for (std::uint32_t i = 0; i < 8; ++i) {
    if (tokens[i] > 0) e.push_back({i, tokens[i], 2.0 * tokens[i] * w / 2, w});
  }
  EXPECT_EQ(duplex::critical_device(r, e, 8, 4, true), 2U);
  EXPECT_EQ(duplex::critical_device(r, e, 8, 4, false), 2U);
  EXPECT_EQ(duplex::split_sequences(r, 10, 1e9, 1e9, 0.0), 2U);  // xPU 1/(1 + 4) of them
}

TEST(Duplex, GpuBaselineRunsEveryOperatorOnTheXpuWithShardedShapes) {
  Rig rig("duplex", "", 0);
  (void)rig.policy->place({32, 4096, 4096});
  const StepResult r = rig.run(decode_step(32, 5000), Time::us(10));
  const auto attn = rig.calls(OpKind::kDecodeAttention, true);
  ASSERT_EQ(attn.size(), 32U);         // one per layer
  EXPECT_EQ(attn[0].op.q_heads, 8U);   // 32 heads / 4 devices
  EXPECT_EQ(attn[0].op.kv_heads, 2U);  // 8 KV heads / 4 devices
  EXPECT_EQ(attn[0].op.batch, 32U);
  EXPECT_EQ(attn[0].op.context, 5001U);
  EXPECT_EQ(rig.calls(OpKind::kMoeFfn, true).size(), 32U);
  EXPECT_EQ(rig.calls(OpKind::kAllReduce, true).size(), 64U);  // after attention and MoE
  EXPECT_EQ(rig.calls(OpKind::kMoeFfn, false).size() + rig.calls(OpKind::kGemv, false).size(), 0U);
  // Expert parallel: the critical device runs at most its 2 experts.
  for (const auto& c : rig.calls(OpKind::kMoeFfn, true)) EXPECT_LE(c.op.k, 2U);
  EXPECT_EQ(r.breakdown.total(), r.end - Time::us(10));
  EXPECT_GT(r.breakdown.other, Time::zero());  // the all-reduces
}

TEST(Duplex, DecodeAttentionAndLowOpbExpertsGoToLogicPim) {
  Rig rig("duplex", "");
  (void)rig.policy->place({32, 4096, 4096});
  (void)rig.run(decode_step(32, 5000), Time::zero());
  EXPECT_TRUE(rig.calls(OpKind::kDecodeAttention, true).empty());
  const auto attn = rig.calls(OpKind::kDecodeAttention, false);
  ASSERT_EQ(attn.size(), 32U * 5);
  // 32 sequences x 2 KV heads = 64 (sequence, KV head) pairs over 5 stacks: 13,13,13,13,12.
  EXPECT_EQ(attn[0].op.batch, 13U);
  EXPECT_EQ(attn[4].op.batch, 12U);
  EXPECT_EQ(attn[0].op.q_heads, 4U);  // the GQA group
  // 64 routed tokens over 8 experts: ~8 per expert, Op/B ~8 < 31.8: experts on PIM as GEMVs.
  EXPECT_TRUE(rig.calls(OpKind::kMoeFfn, true).empty());
  const auto gemv = rig.calls(OpKind::kGemv, false);
  ASSERT_FALSE(gemv.empty());
  EXPECT_EQ(rig.counter("experts_on_xpu"), 0U);
  EXPECT_GT(rig.counter("experts_on_pim"), 0U);
  // Gate+up rows of one expert over 5 stacks: 2 x 14336 / 5 -> 5735 or 5734 rows of 4096.
  EXPECT_EQ(gemv[0].op.k, 4096U);
  EXPECT_EQ(gemv[0].op.m, 5735U);
  // Without co-processing the processors take turns: no xPU kernel overlaps a PIM operator.
  for (const auto& x : rig.exec.calls()) {
    if (x.target != rig.xpu) continue;
    for (const auto& p : rig.exec.calls()) {
      if (!rig.is_pim(p.target)) continue;
      EXPECT_FALSE(x.start < p.done && p.start < x.done);
    }
  }
}

TEST(Duplex, LogicDieSoftmaxIssuesKAndVGemvsWithLocalInputs) {
  Rig rig("duplex", "softmax: logic_die\n");
  (void)rig.policy->place({32, 4096, 4096});
  (void)rig.run(decode_step(32, 999), Time::zero());
  EXPECT_TRUE(rig.calls(OpKind::kDecodeAttention, false).empty());
  // Layer 0: the first GEMVs are attention's K: 64 (sequence, KV head) pairs x 1000 tokens
  // rows of head_dim 128 over 5 stacks, then V: 64 x 128 rows of 1000, the GQA group (4) as
  // the vectors; V starts after K.
  const auto g = rig.calls(OpKind::kGemv, false);
  ASSERT_GE(g.size(), 10U);
  EXPECT_EQ(g[0].op.m, 64U * 1000 / 5);
  EXPECT_EQ(g[0].op.k, 128U);
  EXPECT_EQ(g[0].op.batch, 4U);
  EXPECT_EQ(g[5].op.m, (64U * 128 + 4) / 5);  // 8192 rows: 1639, 1639, 1638, 1638, 1638
  EXPECT_EQ(g[5].op.k, 1000U);
  Time k_end = Time::zero();
  for (int i = 0; i < 5; ++i) k_end = std::max(k_end, g[i].done);
  EXPECT_GE(g[5].at, k_end);
}

TEST(Duplex, HighOpbMoeOfAPrefillStepStaysOnTheXpu) {
  Rig rig("duplex", "");
  (void)rig.policy->place({8, 4096, 4096});
  Step s;
  s.index = 1;
  for (std::uint32_t i = 0; i < 8; ++i) s.entries.push_back({i, Phase::kPrefill, 4096, 0});
  (void)rig.run(s, Time::zero());
  // 8 x 4096 tokens x top-2 over 8 experts: ~8192 tokens per expert, Op/B >> 31.8.
  EXPECT_EQ(rig.calls(OpKind::kMoeFfn, true).size(), 32U);
  EXPECT_EQ(rig.counter("experts_on_pim"), 0U);
  EXPECT_EQ(rig.calls(OpKind::kPrefillAttention, true).size(), 32U);
}

TEST(Duplex, CoProcessingRunsXpuAndPimAtOnceAndShortensTheStep) {
  Time plain, pe;
  for (const bool co : {false, true}) {
    Rig rig("duplex", co ? "co_processing: true\n" : "");
    (void)rig.policy->place({128, 4096, 4096});
    const StepResult r = rig.run(decode_step(128, 2000), Time::zero());
    (co ? pe : plain) = r.end;
    if (co) {
      // Attention: in a decode-only step the xPU takes a share of the sequences (about
      // 3.352 / (3.352 + 13.408) = 1/5 of them) at the same time as PIM.
      EXPECT_GT(rig.counter("attention_seqs_on_xpu"), 0U);
      const auto x = rig.calls(OpKind::kDecodeAttention, true);
      const auto p = rig.calls(OpKind::kDecodeAttention, false);
      ASSERT_FALSE(x.empty());
      ASSERT_FALSE(p.empty());
      EXPECT_LT(x[0].start, p[0].done);
      EXPECT_LT(p[0].start, x[0].done);
    }
  }
  EXPECT_LT(pe, plain);
}

TEST(Duplex, ExpertTensorParallelGivesEveryDeviceAQuarterOfEveryExpert) {
  Rig rig("duplex", "expert_tensor_parallel: true\n", 0);  // on the xPU to read the shape
  (void)rig.policy->place({64, 4096, 4096});
  (void)rig.run(decode_step(64, 1000), Time::zero());
  const auto moe = rig.calls(OpKind::kMoeFfn, true);
  ASSERT_EQ(moe.size(), 32U);
  EXPECT_EQ(moe[0].op.n, 14336U / 4);
  EXPECT_EQ(moe[0].op.k, 8U);        // all 8 experts got some of the 128 routed tokens
  EXPECT_EQ(moe[0].op.batch, 128U);  // every assignment, on every device
}

TEST(Duplex, CapacityIsDeviceMemoryMinusWeightShareOverShardedKv) {
  Rig rig("duplex", "");
  const Capacity c = rig.policy->place({32, 4096, 4096});
  const std::uint64_t weights = (rig.model.total_weight_bytes().count() + 3) / 4;
  // Per device KV per token: 2 (K, V) x 2 KV heads x 128 x 2 B x 32 layers = 32 KiB.
  EXPECT_EQ(c.kv_tokens, (80ULL * 1024 * 1024 * 1024 - weights) / (32 * 1024));
  Rig one("duplex", "", 5, 1);  // the whole ~93 GB model on one 80 GiB device
  EXPECT_THROW((void)one.policy->place({1, 16, 16}), OutOfMemory);
}

TEST(Duplex, MoeUtilizationStatisticFollowsOpbInDecodeOnlySteps) {
  // GPU baseline, memory-bound MoE: utilization = achieved / peak = (flops / busy) / peak.
  Rig rig("duplex", "", 0);
  (void)rig.policy->place({128, 4096, 4096});
  (void)rig.run(decode_step(128, 4096), Time::zero());
  const double flops = static_cast<double>(rig.counter("xpu_moe_flops"));
  const double busy = static_cast<double>(rig.counter("xpu_moe_busy_ps")) * 1e-12;
  ASSERT_GT(busy, 0.0);
  const double util = flops / busy / kXpuFlops;
  // 256 routed tokens over 8 experts: ~32 per expert; Op/B ~32 at 3.352 TB/s = 107 TF, 10.8%.
  EXPECT_NEAR(util, 32.0 * kXpuBw / kXpuFlops, 0.02);
  const double attn = static_cast<double>(rig.counter("xpu_attention_flops")) /
                      (static_cast<double>(rig.counter("xpu_attention_busy_ps")) * 1e-12) /
                      kXpuFlops;
  EXPECT_NEAR(attn, 4.0 * kXpuBw / kXpuFlops, 0.002);  // GQA group 4: Op/B 4
  EXPECT_EQ(rig.counter("decode_only_steps"), 1U);
}

}  // namespace
}  // namespace tiersim::policies
