// cxl_tier (sim/policies/cxl_tier.h): KV blocks spill from HBM to CXL memory and come back, with
// LRU or FIFO eviction, promote or direct access; timed through the recording FakeExecutor.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/policies/cxl_tier.h"
#include "sim/policies/policy.h"
#include "sim/policies/step_work.h"
#include "tests/policies/fake_executor.h"

namespace tiersim::policies {
namespace {

using cxl_tier::BlockPool;
using cxl_tier::Eviction;
using cxl_tier::Move;
using cxl_tier::Tier;
using kernel::OpKind;
using kernel::TxnKind;
using scheduler::Phase;
using scheduler::Step;

// A tiny dense model: 2 layers, 4 heads of 16 (K+V = 2 x 4 x 16 x 2 B = 256 B per token per
// layer, so a 16-token block is 4 KiB per layer, 8 KiB over both layers).
workload::ModelSpec tiny() {
  workload::ModelSpec m;
  m.name = "tiny";
  m.layers = 2;
  m.hidden = 64;
  m.intermediate = 256;
  m.heads = 4;
  m.kv_heads = 4;
  m.head_dim = 16;
  m.vocab = 128;
  m.max_context = 4096;
  return m;
}

constexpr std::uint64_t kBlockLayer = 16 * 256;
constexpr std::uint64_t kBlock = 2 * kBlockLayer;

struct Rig {
  workload::ModelSpec model = tiny();
  testing::FakeExecutor exec;
  stats::StatGroup stats{"policy", Time::us(1)};
  config::Node cfg;
  std::unique_ptr<Policy> policy;
  ComponentId gpu = 0, hbm = 0, cxl = 0;
  StepWork work;

  // HBM holds the weights plus `fast` blocks, CXL `slow` blocks.
  Rig(std::uint32_t fast, std::uint32_t slow, const std::string& extra) {
    gpu = exec.add_compute("gpu", 1e13, Bandwidth::GBps(1000));
    hbm = exec.add_memory("hbm", Bandwidth::GBps(1000), Time::ns(100),
                          Bytes(model.total_weight_bytes().count() + fast * kBlock));
    cxl = exec.add_memory("cxl_mem", Bandwidth::GBps(20), Time::ns(250), Bytes(slow * kBlock));
    exec.add_link(gpu, cxl, Bandwidth::GBps(16), Time::ns(100));
    cfg = config::parse_yaml("type: cxl_tier\n" + extra, "policy.yaml");
    config::validate(cfg, *CxlTierPolicy::schema());
    const auto* entry = PolicyRegistry::instance().find("cxl_tier");
    EXPECT_NE(entry, nullptr);
    policy = entry->make(PolicyContext{cfg, model, exec, stats, 1});
  }
  [[nodiscard]] const BlockPool& pool() const {
    return static_cast<const CxlTierPolicy&>(*policy).pool();
  }
  StepResult run(const Step& s, Time at) {
    expand_step(model, s, {}, work);
    return policy->run_step(s, work, at);
  }
  [[nodiscard]] std::uint64_t counter(const std::string& name) const {
    for (const auto& c : stats.counters()) {
      if (c.name == name) return c.value.value;
    }
    ADD_FAILURE() << "no counter " << name;
    return 0;
  }
};

Step prefill(std::uint64_t index, std::uint64_t request, std::uint32_t tokens) {
  Step s;
  s.index = index;
  s.entries = {{request, Phase::kPrefill, tokens, 0, true}};
  return s;
}
Step decode(std::uint64_t index, std::uint64_t request, std::uint64_t context) {
  Step s;
  s.index = index;
  s.entries = {{request, Phase::kDecode, 1, context, true}};
  return s;
}

TEST(CxlTier, CapacityCountsBothTiersLessOnePartialBlockPerSequence) {
  Rig rig(4, 8, "");
  const Capacity c = rig.policy->place({2, 64, 64});
  EXPECT_EQ(c.kv_tokens, (4U + 8U - 2U) * 16U);
  EXPECT_EQ(rig.pool().slots(Tier::kFast), 4U);
  EXPECT_EQ(rig.pool().slots(Tier::kSlow), 8U);
}

TEST(CxlTier, WeightsLargerThanHbmAreOutOfMemory) {
  Rig rig(0, 8, "reserve: 1 KiB\n");
  EXPECT_THROW((void)rig.policy->place({1, 16, 16}), OutOfMemory);
}

TEST(CxlTier, NewBlocksEvictTheLeastRecentlyUsedToCxlAndMovesCrossTheLink) {
  Rig rig(4, 8, "eviction: lru\n");
  (void)rig.policy->place({2, 64, 16});
  (void)rig.run(prefill(0, 1, 64), Time::zero());  // A: 4 blocks fill HBM
  EXPECT_EQ(rig.pool().used(Tier::kFast), 4U);
  rig.exec.clear_calls();
  (void)rig.run(prefill(1, 2, 32), Time::us(100));  // B: 2 blocks evict A's first two
  EXPECT_EQ(rig.counter("blocks_evicted"), 2U);
  const auto& a = rig.pool().blocks_of(1);
  ASSERT_EQ(a.size(), 4U);
  EXPECT_EQ(rig.pool().block(a[0]).tier, Tier::kSlow);
  EXPECT_EQ(rig.pool().block(a[1]).tier, Tier::kSlow);
  EXPECT_EQ(rig.pool().block(a[2]).tier, Tier::kFast);
  for (const auto id : rig.pool().blocks_of(2)) {
    EXPECT_EQ(rig.pool().block(id).tier, Tier::kFast);
  }
  // Per layer: one HBM read and one CXL write of two blocks' layer slices.
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu, rig.hbm, TxnKind::kRead), 2 * 2 * kBlockLayer);
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu, rig.cxl, TxnKind::kWrite), 2 * 2 * kBlockLayer);
}

TEST(CxlTier, PromoteBringsBlocksBackBeforeAttentionStarts) {
  Rig rig(6, 8, "access: promote\n");
  (void)rig.policy->place({3, 64, 16});
  (void)rig.run(prefill(0, 1, 64), Time::zero());   // A: 4 blocks
  (void)rig.run(prefill(1, 2, 32), Time::us(100));  // B: 2 blocks, HBM full
  (void)rig.run(prefill(2, 3, 32), Time::us(200));  // C: evicts A0, A1 (least recent)
  EXPECT_EQ(rig.counter("blocks_evicted"), 2U);
  rig.exec.clear_calls();
  const std::uint64_t cxl_before = rig.counter("kv_tokens_read_cxl");
  const StepResult r = rig.run(decode(3, 1, 64), Time::us(300));
  // A's 65th token needs a fifth block (evicts B0); A0 and A1 come back over B1 and C0.
  EXPECT_EQ(rig.counter("blocks_promoted"), 2U);
  EXPECT_EQ(rig.counter("blocks_evicted"), 2U + 3U);
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu, rig.cxl, TxnKind::kRead), 2 * 2 * kBlockLayer);
  // (bytes_moved counts the whole run: C's two evictions, then this step's three)
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu, rig.cxl, TxnKind::kWrite), (2 + 3) * 2 * kBlockLayer);
  for (const auto id : rig.pool().blocks_of(1)) {
    EXPECT_EQ(rig.pool().block(id).tier, Tier::kFast);
  }
  EXPECT_EQ(rig.counter("kv_tokens_read_cxl"), cxl_before);
  // Layer 0's attention starts after layer 0's promotion write to HBM completes.
  Time promote_done = Time::zero();
  Time attention_at = Time::max();
  for (const auto& c : rig.exec.calls()) {
    if (c.kind == TxnKind::kWrite && c.target == rig.hbm && promote_done == Time::zero()) {
      promote_done = c.done;
    }
    if (c.kind == TxnKind::kCompute && c.op.kind == OpKind::kDecodeAttention &&
        attention_at == Time::max()) {
      attention_at = c.at;
    }
  }
  ASSERT_GT(promote_done, Time::zero());
  EXPECT_GE(attention_at, promote_done);
  // The wait is KV I/O, and the breakdown adds up to the step.
  EXPECT_GT(r.breakdown.kv_io, Time::zero());
  EXPECT_EQ(r.breakdown.total(), r.end - Time::us(300));
}

TEST(CxlTier, DirectAccessReadsSpilledTokensInPlaceOverTheLink) {
  Rig rig(4, 8, "access: direct\n");
  (void)rig.policy->place({2, 64, 16});
  (void)rig.run(prefill(0, 1, 64), Time::zero());
  (void)rig.run(prefill(1, 2, 32), Time::us(100));
  rig.exec.clear_calls();
  const std::uint64_t cxl_before = rig.counter("kv_tokens_read_cxl");
  const std::uint64_t hbm_before = rig.counter("kv_tokens_read_hbm");
  const StepResult r = rig.run(decode(2, 1, 64), Time::us(200));
  EXPECT_EQ(rig.counter("blocks_promoted"), 0U);
  // A0 and A1 (32 of A's 65 attended tokens) sit in CXL: read per layer, 32 x 256 B; the fifth
  // block (the new token) took B0's HBM slot.
  EXPECT_EQ(rig.counter("kv_tokens_read_cxl") - cxl_before, 32U * 2);
  EXPECT_EQ(rig.counter("kv_tokens_read_hbm") - hbm_before, 33U * 2);
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu, rig.cxl, TxnKind::kRead), 2 * 32 * 256U);
  // The step cannot end before the last direct read is back.
  Time last_read = Time::zero();
  for (const auto& c : rig.exec.calls()) {
    if (c.kind == TxnKind::kRead && c.target == rig.cxl) last_read = std::max(last_read, c.done);
  }
  EXPECT_GE(r.end, last_read);
  EXPECT_EQ(r.breakdown.total(), r.end - Time::us(200));
}

TEST(CxlTier, FifoEvictsTheOldestInsertedEvenIfRecentlyUsed) {
  // A (2 blocks) then B (2 blocks) fill HBM; A is used again; C needs a block.
  // LRU evicts B's first block (least recently used); FIFO evicts A's first (inserted first).
  for (const bool fifo : {false, true}) {
    Rig rig(4, 8, fifo ? "eviction: fifo\n" : "eviction: lru\n");
    (void)rig.policy->place({3, 32, 16});
    (void)rig.run(prefill(0, 1, 32), Time::zero());
    (void)rig.run(prefill(1, 2, 32), Time::us(100));
    (void)rig.run(decode(2, 1, 31), Time::us(200));  // A's 32nd token: still 2 blocks
    (void)rig.run(prefill(3, 3, 16), Time::us(300));
    const auto victim = fifo ? rig.pool().blocks_of(1)[0] : rig.pool().blocks_of(2)[0];
    EXPECT_EQ(rig.pool().block(victim).tier, Tier::kSlow) << (fifo ? "fifo" : "lru");
    EXPECT_EQ(rig.counter("blocks_evicted"), 1U);
  }
}

TEST(CxlTier, SwapPreemptionMovesTheSequenceToCxlAndRecomputeFreesIt) {
  Rig rig(4, 8, "");
  (void)rig.policy->place({2, 64, 16});
  (void)rig.run(prefill(0, 1, 48), Time::zero());
  rig.exec.clear_calls();
  const Time done = rig.policy->preempt({1, 48, true}, Time::us(50));
  for (const auto id : rig.pool().blocks_of(1)) {
    EXPECT_EQ(rig.pool().block(id).tier, Tier::kSlow);
  }
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu, rig.cxl, TxnKind::kWrite), 3 * kBlock);
  // 3 blocks over the 16 GB/s link after the HBM read: at least 24 KiB / 16 GB/s.
  EXPECT_GE(done - Time::us(50), Bandwidth::GBps(16).transfer_time(Bytes(3 * kBlock)));
  (void)rig.policy->preempt({1, 48, false}, done);
  EXPECT_TRUE(rig.pool().blocks_of(1).empty());
  EXPECT_EQ(rig.pool().used(Tier::kSlow), 0U);
}

TEST(CxlTier, FinishedSequencesAreReclaimedWhenBothTiersAreFull) {
  Rig rig(2, 2, "");
  (void)rig.policy->place({1, 32, 16});
  (void)rig.run(prefill(0, 1, 32), Time::zero());   // 2 blocks in HBM
  (void)rig.run(prefill(1, 2, 32), Time::us(100));  // A spills to CXL
  (void)rig.run(prefill(2, 3, 32), Time::us(200));  // A reclaimed, B spills
  EXPECT_TRUE(rig.pool().blocks_of(1).empty());
  EXPECT_EQ(rig.pool().reclaimed_requests(), 1U);
  EXPECT_EQ(rig.counter("kv_lost_tokens"), 0U);
}

TEST(CxlTier, ReleasedRequestsFreeTheirBlocksWithoutMovingThem) {
  Rig rig(4, 8, "eviction: lru\n");
  (void)rig.policy->place({2, 64, 16});
  (void)rig.run(prefill(0, 1, 64), Time::zero());  // A: 4 blocks fill HBM
  rig.policy->release(1, Time::us(50));            // A finished
  EXPECT_TRUE(rig.pool().blocks_of(1).empty());
  EXPECT_EQ(rig.pool().used(Tier::kFast), 0U);
  EXPECT_EQ(rig.counter("blocks_released"), 4U);
  rig.exec.clear_calls();
  (void)rig.run(prefill(1, 2, 32), Time::us(100));  // B takes A's freed slots: no eviction
  EXPECT_EQ(rig.counter("blocks_evicted"), 0U);
  EXPECT_EQ(rig.pool().used(Tier::kFast), 2U);
  EXPECT_EQ(rig.pool().used(Tier::kSlow), 0U);
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu, rig.cxl, TxnKind::kWrite), 0U);
  EXPECT_EQ(rig.pool().reclaimed_requests(), 0U);
  rig.policy->release(7, Time::us(200));  // unknown request: nothing to free
  EXPECT_EQ(rig.counter("blocks_released"), 4U);
}

TEST(CxlTierPool, PinnedBlocksAreNeverVictims) {
  BlockPool pool(2, 4, Eviction::kLru);
  std::vector<Move> moves;
  pool.begin_step();
  pool.touch(1);
  ASSERT_TRUE(pool.grow(1, 2, moves));
  ASSERT_TRUE(pool.grow(1, 1, moves));  // third block: both fast blocks pinned -> CXL
  EXPECT_TRUE(moves.empty());
  EXPECT_EQ(pool.block(pool.blocks_of(1)[2]).tier, Tier::kSlow);
  EXPECT_FALSE(pool.promote(pool.blocks_of(1)[2], moves));
}

}  // namespace
}  // namespace tiersim::policies
