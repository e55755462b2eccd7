// bank_pim (sim/policies/bank_pim.cpp): AttAcc-like decode attention on bank-level PIM, the MoE
// on the xPU unless `offload_moe` (the Duplex paper's Bank-PIM baseline), whose Op/B threshold
// follows from bank-PIM's 1 Op/B; no co-processing key.
#include "tests/policies/duplex_rig.h"

namespace tiersim::policies {
namespace {

using namespace duplex_testing;  // NOLINT(google-build-using-namespace): the shared rig

TEST(BankPim, AttAccLikeByDefaultAttentionOnPimMoeOnXpu) {
  Rig rig("bank_pim", "");
  (void)rig.policy->place({32, 4096, 4096});
  (void)rig.run(decode_step(32, 3000), Time::zero());
  EXPECT_EQ(rig.calls(OpKind::kDecodeAttention, false).size(), 32U * 5);
  EXPECT_TRUE(rig.calls(OpKind::kDecodeAttention, true).empty());
  EXPECT_EQ(rig.calls(OpKind::kMoeFfn, true).size(), 32U);  // offload_moe defaults to false
  EXPECT_EQ(rig.counter("experts_on_pim"), 0U);
}

TEST(BankPim, DuplexBankPimBaselineOffloadsMoeBelowSixteenOpb) {
  // pim_flops 53.6 T over xpu_bandwidth 3.352 TB/s: MoE on PIM while Op/B < 16.
  for (const std::uint32_t batch : {32U, 96U}) {
    Rig rig("bank_pim", "offload_moe: true\n", 5, 4, "53.6e12", "53.63 TB/s");
    (void)rig.policy->place({batch, 4096, 4096});
    (void)rig.run(decode_step(batch, 3000), Time::zero());
    // batch 32: 64 routed tokens, ~8 per expert (PIM); batch 96: ~24 per expert (xPU).
    if (batch == 32) {
      EXPECT_GT(rig.counter("experts_on_pim"), 0U);
      EXPECT_EQ(rig.counter("experts_on_xpu"), 0U);
    } else {
      EXPECT_EQ(rig.counter("experts_on_pim"), 0U);
      EXPECT_GT(rig.counter("experts_on_xpu"), 0U);
    }
  }
}

TEST(BankPim, HasNoCoProcessingKey) {
  auto cfg = config::parse_yaml(
      "type: bank_pim\nxpu_flops: 1e15\nxpu_bandwidth: 3 TB/s\nco_processing: true\n", "p.yaml");
  const auto* entry = PolicyRegistry::instance().find("bank_pim");
  ASSERT_NE(entry, nullptr);
  EXPECT_THROW(config::validate(cfg, *entry->schema()), config::ConfigError);
}

}  // namespace
}  // namespace tiersim::policies
