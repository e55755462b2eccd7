// instinfer (sim/policies/instinfer.cpp): decode attention in the CSDs, layer-wise P2P prefill KV
// writes, page flushes, SparF read reduction, head partitioning over CSDs, capacity checks;
// timed through the recording FakeExecutor.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/policies/policy.h"
#include "sim/policies/step_work.h"
#include "sim/workload/model_io.h"
#include "tests/policies/policy_rig.h"

namespace tiersim::policies {
namespace {

using kernel::OpKind;
using kernel::TxnKind;
using scheduler::Phase;
using scheduler::Step;
using testing::decode;
using testing::prefill;

workload::ModelSpec opt13b() {
  return workload::load_model(std::string(TIERSIM_SOURCE_DIR) + "/configs/models/opt-13b.yaml");
}

// A6000-like GPU, one or two CSDs whose engine reads flash at 10 GB/s.
struct Rig : testing::PolicyRig {
  ComponentId gpu = 0, gpu_mem = 0, csd0 = 0, csd1 = 0;

  Rig(const std::string& extra, int csds = 1, Bytes csd_cap = Bytes(1'400'000'000'000ULL)) {
    gpu = exec.add_compute("gpu", 120e12, Bandwidth::GBps(700));
    gpu_mem =
        exec.add_memory("gpu_mem", Bandwidth::GBps(768), Time::ns(500), Bytes(48'000'000'000));
    csd0 = exec.add_compute("csd0", 650e9, Bandwidth::GBps(10), Time::us(10), csd_cap);
    exec.add_link(gpu_mem, csd0, Bandwidth::GBps(7), Time::ns(500));
    std::string list = "[csd0]";
    if (csds == 2) {
      csd1 = exec.add_compute("csd1", 650e9, Bandwidth::GBps(10), Time::us(10), csd_cap);
      exec.add_link(gpu_mem, csd1, Bandwidth::GBps(7), Time::ns(500));
      list = "[csd0, csd1]";
    }
    make("instinfer", "csds: " + list + "\n" + extra);
  }
};

std::uint64_t kv_per_token_layer(const workload::ModelSpec& m) {
  return m.kv_bytes_per_token_per_layer().count();  // OPT-13B: 2 x 5120 x 2 B = 20480 B
}

TEST(InstInfer, DenseDecodeRunsAttentionInTheCsdOverEveryLayersKv) {
  Rig rig("");
  (void)rig.policy->place({8, 1024, 64});
  const StepResult r = rig.run(decode(8, 1024), Time::zero());
  std::uint64_t csd_ops = 0;
  for (const auto& c : rig.exec.calls()) {
    if (c.kind == TxnKind::kCompute && c.target == rig.csd0) {
      ++csd_ops;
      EXPECT_EQ(c.op.kind, OpKind::kDecodeAttention);
      EXPECT_EQ(c.op.batch, 8U);
      EXPECT_EQ(c.op.context, 1025U);                   // the cached tokens and the new one
      EXPECT_EQ(c.op.k, 0U);                            // dense
      EXPECT_EQ(c.bytes.count(), 8ULL * 40 * 128 * 2);  // the attention output it returns
      EXPECT_EQ(c.op.q_heads, 40U);
    }
  }
  EXPECT_EQ(csd_ops, 40U);
  EXPECT_EQ(rig.counter("kv_attended_bytes"), 40ULL * 8 * 1024 * kv_per_token_layer(rig.model));
  EXPECT_EQ(r.breakdown.total(), r.end);
  // No KV crosses PCIe to the GPU: only q/k/v down and the attention output back.
  EXPECT_EQ(rig.exec.bytes_moved(rig.csd0, rig.gpu_mem, TxnKind::kRead),
            40ULL * 8 * (5120 + 2 * 5120) * 2);
  EXPECT_EQ(rig.exec.bytes_moved(rig.csd0, rig.gpu_mem, TxnKind::kWrite), 40ULL * 8 * 5120 * 2);
}

TEST(InstInfer, GemvModeReadsTheKvAsAGenericEngineOpAndIsKvBound) {
  Rig rig("csd_op: gemv\n");
  (void)rig.policy->place({8, 1024, 64});
  const StepResult r = rig.run(decode(8, 1024), Time::zero());
  for (const auto& c : rig.exec.calls()) {
    if (c.kind == TxnKind::kCompute && c.target == rig.csd0) {
      EXPECT_EQ(c.op.kind, OpKind::kGeneric);
      EXPECT_EQ(c.bytes.count(), 8ULL * 1024 * kv_per_token_layer(rig.model));
      EXPECT_GT(c.flops, 0U);
    }
  }
  // KV (8 x 1024 x 20 KiB = 168 MB per layer) at the engine's 10 GB/s dominates: 16.8 ms per
  // layer; the GPU part is far smaller.
  const double kv_s = 40.0 * 8 * 1024 * 20480 / 10e9;
  EXPECT_GT(r.end.as_seconds(), kv_s);
  EXPECT_LT(r.end.as_seconds(), kv_s * 1.1);
  EXPECT_EQ(r.breakdown.total(), r.end);
  EXPECT_GT(r.breakdown.kv_io.as_seconds() / r.end.as_seconds(), 0.9);
}

TEST(InstInfer, SparfAttentionAsksTheCsdForTheTopEighthOfTheTokens) {
  Rig rig("variant: sparf\n");
  (void)rig.policy->place({4, 1024, 64});
  (void)rig.run(decode(4, 1024), Time::zero());
  std::uint64_t ops = 0;
  for (const auto& c : rig.exec.calls()) {
    if (c.kind == TxnKind::kCompute && c.target == rig.csd0) {
      ++ops;
      EXPECT_EQ(c.op.kind, OpKind::kDecodeAttention);
      EXPECT_EQ(c.op.k, 129U);  // ceil(1025 / 8)
    }
  }
  EXPECT_EQ(ops, 40U);
}

TEST(InstInfer, TwoCsdsSplitHeadsAndHalveTheKvBoundStep) {
  Rig one("csd_op: gemv\n", 1);
  Rig two("csd_op: gemv\n", 2);
  (void)one.policy->place({16, 1024, 64});
  (void)two.policy->place({16, 1024, 64});
  const StepResult a = one.run(decode(16, 1024), Time::zero());
  const StepResult b = two.run(decode(16, 1024), Time::zero());
  for (const auto& c : two.exec.calls()) {
    if (c.kind == TxnKind::kCompute && (c.target == two.csd0 || c.target == two.csd1)) {
      EXPECT_EQ(c.bytes.count(), 16ULL * 1024 * kv_per_token_layer(two.model) / 2);
    }
  }
  const double ratio = a.end.as_seconds() / b.end.as_seconds();
  EXPECT_GT(ratio, 1.8);
  EXPECT_LT(ratio, 2.0);
}

TEST(InstInfer, TwoCsdsEachAttendOverHalfTheHeads) {
  Rig rig("", 2);
  (void)rig.policy->place({4, 256, 16});
  (void)rig.run(decode(4, 256), Time::zero());
  std::uint64_t ops0 = 0, ops1 = 0;
  for (const auto& c : rig.exec.calls()) {
    if (c.kind != TxnKind::kCompute || (c.target != rig.csd0 && c.target != rig.csd1)) continue;
    (c.target == rig.csd0 ? ops0 : ops1) += 1;
    EXPECT_EQ(c.op.q_heads, 20U);
    EXPECT_EQ(c.op.kv_heads, 20U);
  }
  EXPECT_EQ(ops0, 40U);
  EXPECT_EQ(ops1, 40U);
}

TEST(InstInfer, SparfGemvModeReadsTheChannelCopyThenTheSelectedPages) {
  Rig dense("csd_op: gemv\n");
  Rig sparf("variant: sparf\ncsd_op: gemv\n");
  (void)dense.policy->place({16, 1024, 64});
  (void)sparf.policy->place({16, 1024, 64});
  const StepResult d = dense.run(decode(16, 1024), Time::zero());
  const StepResult s = sparf.run(decode(16, 1024), Time::zero());
  const std::uint64_t kv = 16ULL * 1024 * kv_per_token_layer(sparf.model);
  // Step 1: 1/8 of K (= 1/16 of K+V); step 2: 1 - 0.5 x 7/8 = 9/16 of K+V.
  EXPECT_EQ(sparf.counter("kv_flash_read_bytes"), 40 * (kv / 16 + kv * 9 / 16));
  EXPECT_EQ(dense.counter("kv_flash_read_bytes"), 40 * kv);
  std::uint64_t ops = 0;
  for (const auto& c : sparf.exec.calls()) {
    if (c.kind == TxnKind::kCompute && c.target == sparf.csd0) ++ops;
  }
  EXPECT_EQ(ops, 80U);
  // KV-bound: the time ratio follows the bytes ratio 16/10 = 1.6 (less the GPU share).
  const double ratio = d.end.as_seconds() / s.end.as_seconds();
  EXPECT_GT(ratio, 1.45);
  EXPECT_LT(ratio, 1.6);
}

TEST(InstInfer, PrefillWritesEachLayersKvPeerToPeerAndWaitsForTheLastWrite) {
  Rig rig("");
  (void)rig.policy->place({4, 256, 16});
  const StepResult r = rig.run(prefill(4, 256), Time::zero());
  const std::uint64_t per_layer = 4ULL * 256 * kv_per_token_layer(rig.model);
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu_mem, rig.csd0, TxnKind::kWrite), 40 * per_layer);
  EXPECT_EQ(rig.counter("kv_p2p_write_bytes"), 40 * per_layer);
  Time last_write, last_gpu;
  for (const auto& c : rig.exec.calls()) {
    if (c.kind == TxnKind::kWrite && c.target == rig.csd0)
      last_write = std::max(last_write, c.done);
    if (c.kind == TxnKind::kCompute && c.target == rig.gpu) last_gpu = std::max(last_gpu, c.done);
    EXPECT_NE(c.op.kind, OpKind::kDecodeAttention);
  }
  // The writes overlap the later layers: the step ends with whichever finishes last, and the
  // last layer's write (3 ms at 7 GB/s) starts before the last layer's FFN ends.
  EXPECT_EQ(r.end, std::max(last_write, last_gpu));
  EXPECT_LT(last_write - last_gpu, Time::ms(3));
  EXPECT_EQ(r.breakdown.total(), r.end);
}

TEST(InstInfer, DecodeKvIsFlushedAsWholePagesAtPageBoundaries) {
  Rig rig("");
  (void)rig.policy->place({4, 64, 64});
  (void)rig.run(decode(4, 14), Time::zero());  // context 14 -> 15 tokens: no page completes
  EXPECT_EQ(rig.counter("kv_flush_bytes"), 0U);
  (void)rig.run(decode(4, 15), Time::ms(100));  // 16 tokens: one 4 KiB page per head and layer
  EXPECT_EQ(rig.counter("kv_flush_bytes"), 40ULL * 4 * 16 * kv_per_token_layer(rig.model));
  std::uint64_t internal = 0;
  for (const auto& c : rig.exec.calls()) {
    if (c.kind == TxnKind::kWrite && c.source == rig.csd0 && c.target == rig.csd0) {
      internal += c.bytes.count();
    }
  }
  EXPECT_EQ(internal, 40ULL * 4 * 16 * 20480);
}

TEST(InstInfer, KvBeyondTheCsdsIsOutOfMemory) {
  // 8 x 2048 tokens x 800 KiB = 13.4 GB of KV; a 10 GB drive cannot hold it.
  Rig rig("", 1, Bytes(10'000'000'000ULL));
  EXPECT_THROW((void)rig.policy->place({8, 1024, 1024}), OutOfMemory);
  EXPECT_NO_THROW((void)rig.policy->place({2, 1024, 1024}));
}

TEST(InstInfer, WeightsBeyondTheGpuAreOutOfMemory) {
  Rig rig("gpu_reserve: 30 GB\n");  // 26 GB of weights + 30 GB > 48 GB
  EXPECT_THROW((void)rig.policy->place({1, 16, 16}), OutOfMemory);
}

TEST(InstInfer, UnevenHeadSplitIsAConfigError) {
  workload::ModelSpec m = opt13b();
  testing::FakeExecutor exec;
  stats::StatGroup stats{"policy", Time::us(1)};
  (void)exec.add_compute("gpu", 1e12, Bandwidth::GBps(100));
  (void)exec.add_memory("gpu_mem", Bandwidth::GBps(100), Time::zero(), Bytes(0));
  for (const char* n : {"a", "b", "c"}) (void)exec.add_compute(n, 1e9, Bandwidth::GBps(1));
  config::Node cfg = config::parse_yaml("type: instinfer\ncsds: [a, b, c]\n", "p.yaml");
  const auto* entry = PolicyRegistry::instance().find("instinfer");
  config::validate(cfg, *entry->schema());
  EXPECT_THROW((void)entry->make(PolicyContext{cfg, m, exec, stats, 1}), config::ConfigError);
}

}  // namespace
}  // namespace tiersim::policies
