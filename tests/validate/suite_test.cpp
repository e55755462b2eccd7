// The validation suite: well-formed points with unique ids, the calibration split, pointer-chase
// orders that are one cycle through every node, KV page tables without repeats, and the
// decoder-layer steps of Llama-3-8B.
#include <gtest/gtest.h>

#include <set>

#include "sim/validate/suite.h"

namespace tiersim::validate {
namespace {

TEST(ValidateSuite, EveryPointIsWellFormedAndIdsAreUnique) {
  const auto s = standard_suite();
  std::set<std::string> ids;
  std::set<Kind> kinds;
  std::size_t calibration = 0;
  for (const auto& p : s) {
    EXPECT_EQ(check(p), std::nullopt) << p.id << ": " << check(p).value_or("");
    EXPECT_TRUE(ids.insert(p.id).second) << "duplicate id " << p.id;
    kinds.insert(p.kind);
    calibration += p.calibration ? 1 : 0;
  }
  EXPECT_EQ(kinds.size(), 9u);  // every kind is measured
  EXPECT_EQ(s.size(), 165u);
  // A few calibration points (link, host staging copy, HBM bandwidth and ramp, near and far L2
  // and DRAM latency, L2 bandwidth, tensor rate); the rest are held out.
  EXPECT_EQ(calibration, 11u);
}

TEST(ValidateSuite, CheckRejectsMalformedPoints) {
  Point p;
  p.id = "x";
  p.kind = Kind::kPointerChase;
  p.set("footprint", 4096).set("stride", 8192).set("random", 0).set("loads", 10);
  EXPECT_EQ(check(p), "stride must be <= footprint");
  p.set("stride", 4096).set("bogus", 1);
  EXPECT_EQ(check(p), "unknown parameter 'bogus' for kind pointer_chase");
  Point c;
  c.id = "c";
  c.kind = Kind::kCopy;
  c.op = "h2d";
  c.memory = "device";
  c.set("bytes", 4096).set("streams", 1).set("chained", 0);
  EXPECT_EQ(check(c), "memory 'device' goes with op d2d and only with it");
  c.memory = "pinned";
  c.params.pop_back();
  EXPECT_EQ(check(c), "missing parameter 'chained'");
}

TEST(ValidateSuite, RandomChaseIsOneCycleThroughEveryNode) {
  Point p;
  p.id = "chase";
  p.kind = Kind::kPointerChase;
  p.set("footprint", 1u << 20).set("stride", 4096).set("random", 1).set("loads", 16);
  const auto next = chase_order(p);
  ASSERT_EQ(next.size(), 256u);
  std::set<std::uint32_t> seen;
  std::uint32_t node = 0;
  for (std::size_t i = 0; i < next.size(); ++i) {
    EXPECT_TRUE(seen.insert(node).second) << "node " << node << " visited twice";
    node = next[node];
  }
  EXPECT_EQ(node, 0u);  // back at the start after exactly `nodes` steps
  std::size_t sequential_steps = 0;
  for (std::size_t i = 0; i < next.size(); ++i) sequential_steps += next[i] == i + 1 ? 1 : 0;
  EXPECT_LT(sequential_steps, 10u);  // shuffled, not the sequential order
  EXPECT_EQ(chase_order(p), next);   // deterministic
  p.set("random", 0);
  EXPECT_EQ(chase_order(p)[255], 0u);
  EXPECT_EQ(chase_order(p)[7], 8u);
}

TEST(ValidateSuite, KvPageTableDrawsDistinctPagesFromTwiceThePool) {
  Point p;
  p.id = "kv";
  p.kind = Kind::kKvGather;
  p.set("pages", 1000).set("page_tokens", 16).set("token_bytes", 4096);
  const auto t = kv_page_table(p);
  ASSERT_EQ(t.size(), 1000u);
  const std::set<std::uint32_t> distinct(t.begin(), t.end());
  EXPECT_EQ(distinct.size(), 1000u);
  EXPECT_LT(*distinct.rbegin(), 2000u);
}

TEST(ValidateSuite, LayerStepsOfLlama3_8b) {
  const auto s = standard_suite();
  const auto it = std::find_if(
      s.begin(), s.end(), [](const Point& p) { return p.id == "layer/llama-3-8b/b16/ctx4096"; });
  ASSERT_NE(it, s.end());
  const auto steps = layer_steps(*it);
  ASSERT_EQ(steps.size(), 11u);
  EXPECT_EQ(steps[1].name, "qkv");
  EXPECT_EQ(steps[1].n, (32u + 2 * 8) * 128);  // 6144
  EXPECT_EQ(steps[1].k, 4096u);
  EXPECT_EQ(steps[1].m, 16u);
  EXPECT_EQ(steps[3].op, LayerStep::Op::kDecodeAttention);
  EXPECT_EQ(steps[3].context, 4096u);
  EXPECT_EQ(steps[7].n, 2u * 14336);  // gate and up
  EXPECT_EQ(steps[9].k, 14336u);      // down
}

TEST(ValidateSuite, JsonMembersCarryEveryParameter) {
  Point p;
  p.id = "copy/\"q\"";
  p.kind = Kind::kCopy;
  p.op = "d2h";
  p.memory = "wc";
  p.calibration = true;
  p.set("bytes", 4096).set("streams", 2).set("chained", 0);
  EXPECT_EQ(json_members(p),
            "\"id\":\"copy/\\\"q\\\"\",\"kind\":\"copy\",\"set\":\"calibration\",\"op\":\"d2h\","
            "\"memory\":\"wc\",\"bytes\":4096,\"streams\":2,\"chained\":0");
}

}  // namespace
}  // namespace tiersim::validate
