// neupims (sim/policies/neupims.cpp): sub-batch interleaving — in decode-only steps the batch
// splits into sub-batches whose layers interleave, so one sub-batch's attention on PIM overlaps
// the other's GEMMs on the xPU; prefill steps run whole.
#include "tests/policies/duplex_rig.h"

namespace tiersim::policies {
namespace {

using namespace duplex_testing;  // NOLINT(google-build-using-namespace): the shared rig

TEST(NeuPims, DecodeSubBatchesOverlapPimAttentionWithXpuGemms) {
  Rig rig("neupims", "sub_batches: 2\n", 5, 4, "53.6e12", "53.63 TB/s");
  (void)rig.policy->place({64, 4096, 4096});
  (void)rig.run(decode_step(64, 3000), Time::zero());
  // Two QKV GEMMs per layer, each over half the batch.
  const auto gemms = rig.calls(OpKind::kGemm, true);
  std::size_t qkv = 0;
  for (const auto& c : gemms) {
    if (c.op.n == (8U + 2U * 2U) * 128U) {
      ++qkv;
      EXPECT_EQ(c.op.m, 32U);
    }
  }
  EXPECT_EQ(qkv, 2U * 32U);
  // Some PIM attention runs while the xPU works on the other sub-batch.
  bool overlap = false;
  for (const auto& p : rig.calls(OpKind::kDecodeAttention, false)) {
    for (const auto& x : rig.exec.calls()) {
      if (x.target != rig.xpu) continue;
      overlap = overlap || (x.start < p.done && p.start < x.done);
    }
  }
  EXPECT_TRUE(overlap);
  // Each sub-batch's MoE reads its experts' weights again: two MoE kernels per layer.
  EXPECT_EQ(rig.calls(OpKind::kMoeFfn, true).size(), 2U * 32U);
}

TEST(NeuPims, PrefillStepsRunWhole) {
  Rig rig("neupims", "sub_batches: 2\n", 5, 4, "53.6e12", "53.63 TB/s");
  (void)rig.policy->place({4, 512, 16});
  Step s;
  s.index = 0;
  for (std::uint32_t i = 0; i < 4; ++i) s.entries.push_back({i, Phase::kPrefill, 512, 0});
  (void)rig.run(s, Time::zero());
  EXPECT_EQ(rig.calls(OpKind::kPrefillAttention, true).size(), 32U);
  EXPECT_EQ(rig.calls(OpKind::kMoeFfn, true).size(), 32U);
  EXPECT_EQ(rig.counter("decode_only_steps"), 0U);
}

}  // namespace
}  // namespace tiersim::policies
