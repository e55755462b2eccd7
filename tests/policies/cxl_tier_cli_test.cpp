// cxl_tier end to end through the `tiersim` binary on configs/experiments/cxl_tier_opt13b.yaml
// (H100 + CXL 2.0 x8 expander): with a small HBM KV share the spilled KV is read over the CXL
// link every decode step, and the decode time is bounded by the link's read-data rate; with the
// whole HBM nothing spills.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/common/h5_results.h"
#include "tests/common/test_util.h"

namespace tiersim::test {
namespace {

using h5::i64;
using h5::u64;

struct TierRun {
  h5::Attrs summary, policy;
};

TierRun run_tier(const TempDir& dir, const std::string& name, const std::string& sets) {
  const std::string out = (dir.path() / (name + ".h5")).string();
  const auto cmd = run_tiersim(fmt::format(
      "run {}/configs/experiments/cxl_tier_opt13b.yaml -o {} -q --no-progress "
      "--set serving.requests.count=4 --set serving.scheduler.batch=4 "
      "--set serving.requests.prompt_tokens=1024 --set serving.requests.output_tokens=8 {}",
      source_dir(), shell_quote(out), sets));
  EXPECT_EQ(cmd.exit_code, 0) << cmd.err;
  TierRun r;
  if (cmd.exit_code == 0) {
    r.summary = h5::read_group_attrs(out, "/summary");
    r.policy = h5::read_group_attrs(out, "/components/policy");
  }
  return r;
}

// OPT-13B: K and V of 40 heads x 128 x fp16 = 20480 B per token per layer. CXL 2.0 x8 (Gen5):
// 31.508 GB/s raw, 64 B of read data per 74 B on the wire (docs/models/cxl.md) = 27.25 GB/s.
TEST(CxlTierCli, SpilledKvIsReadOverTheCxlLinkEveryDecodeStep) {
  TempDir dir;
  const TierRun all_hbm = run_tier(dir, "hbm", "--set serving.policy.hbm_kv_capacity=0B");
  const TierRun spill = run_tier(dir, "spill", "--set serving.policy.hbm_kv_capacity=2GiB");
  ASSERT_FALSE(spill.summary.empty());
  ASSERT_FALSE(all_hbm.summary.empty());
  EXPECT_EQ(u64(all_hbm.policy, "kv_tokens_read_cxl"), 0U);
  const std::uint64_t cxl_tokens = u64(spill.policy, "kv_tokens_read_cxl");
  // 4 x 1024-token prompts = 256 blocks of 16; 2 GiB holds 163 blocks of 12.5 MiB: 93 blocks
  // (1488 tokens) spill at prefill, and every decode token after lands in CXL too.
  EXPECT_GT(cxl_tokens, 7U * 1488U * 40U);
  EXPECT_EQ(u64(spill.policy, "kv_lost_tokens"), 0U);
  const double link = 31.508e9 * 64.0 / 74.0;
  const double cxl_bytes = static_cast<double>(cxl_tokens) * 20480.0;
  const double decode_spill = static_cast<double>(i64(spill.summary, "decode_time_ps")) * 1e-12;
  const double decode_hbm = static_cast<double>(i64(all_hbm.summary, "decode_time_ps")) * 1e-12;
  // The link bounds the spilled reads; the GPU's own work overlaps them layer by layer.
  EXPECT_GE(decode_spill, cxl_bytes / link);
  EXPECT_LE(decode_spill, cxl_bytes / link * 1.02 + decode_hbm * 1.05);
  EXPECT_GT(decode_spill, 2.0 * decode_hbm);
  EXPECT_GT(i64(spill.summary, "kv_io_ps"), i64(spill.summary, "compute_ps"));
}

// Two static batches of 4 x (1024 + 8) tokens: 65 blocks of 16 tokens (12.5 MiB) each, 260 per
// batch, in a 3.5 GiB HBM KV share (280 blocks). The first batch's requests finish before the
// second is admitted; the serving loop releases them, so the second batch's blocks take their
// slots and nothing moves to CXL (without the release, dead blocks would be evicted to make room).
TEST(CxlTierCli, FinishedRequestsFreeTheirBlocksForTheNextBatch) {
  TempDir dir;
  const TierRun r = run_tier(dir, "two_batches",
                             "--set serving.requests.count=8 "
                             "--set serving.policy.hbm_kv_capacity=3.5GiB");
  ASSERT_FALSE(r.summary.empty());
  EXPECT_EQ(u64(r.summary, "requests"), 8U);
  EXPECT_EQ(u64(r.policy, "blocks_released"), 8U * 65U);
  EXPECT_EQ(u64(r.policy, "blocks_evicted"), 0U);
  EXPECT_EQ(u64(r.policy, "kv_tokens_read_cxl"), 0U);
  EXPECT_EQ(u64(r.policy, "kv_lost_tokens"), 0U);
}

}  // namespace
}  // namespace tiersim::test
