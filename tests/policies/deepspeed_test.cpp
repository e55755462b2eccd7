// deepspeed_zero_inference (sim/policies/deepspeed_zero_inference.cpp): weights streamed from
// host memory every step, KV in host memory, and the swap cliff when the KV (with torch.cat's
// transient copy) no longer fits a 96 GB host; through the recording FakeExecutor.
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

using kernel::TxnKind;
using scheduler::Phase;
using scheduler::Step;
using testing::decode;
using testing::prefill;

struct Rig : testing::PolicyRig {
  ComponentId gpu = 0, gpu_mem = 0, host = 0, ssd = 0;

  explicit Rig(const std::string& extra = "") {
    gpu = exec.add_compute("gpu", 120e12, Bandwidth::GBps(700));
    gpu_mem =
        exec.add_memory("gpu_mem", Bandwidth::GBps(768), Time::ns(500), Bytes(48'000'000'000));
    host = exec.add_memory("host_mem", Bandwidth::GBps(140), Time::ns(100), Bytes(96'000'000'000));
    ssd = exec.add_memory("ssd", Bandwidth::GBps(6), Time::us(60), Bytes(2'000'000'000'000));
    exec.add_link(gpu_mem, host, Bandwidth::GBps(25), Time::ns(500));
    exec.add_link(host, ssd, Bandwidth::GBps(7), Time::ns(500));
    make("deepspeed_zero_inference", extra);
  }
};

TEST(DeepSpeedZeroInference, EveryStepStreamsAllLayerWeightsAndTheKvOverPcie) {
  Rig rig;
  (void)rig.policy->place({4, 512, 16});
  (void)rig.run(decode(4, 512), Time::zero());
  std::uint64_t weights = 0;
  for (const auto& lw : rig.work.layers) weights += (lw.attention_weights + lw.ffn_weights).count();
  const std::uint64_t kv = 40ULL * 4 * 512 * 20480;
  EXPECT_EQ(rig.exec.bytes_moved(rig.gpu_mem, rig.host, TxnKind::kRead), weights + kv);
  EXPECT_EQ(rig.counter("swap_in_bytes"), 0U);
}

TEST(DeepSpeedZeroInference, KvBeyondHostMemorySwapsAndFallsOffACliff) {
  // OPT-13B, 1024 + 1024: KV = batch x 2048 x 800 KiB. Batch 16: 26.8 GB, x2 (torch.cat) + 25.7 GB
  // of weights + 8 GiB fits 96 GB; batch 32: 53.7 GB x 2 does not.
  Rig b16;
  Rig b32;
  (void)b16.policy->place({16, 1024, 1024});
  (void)b32.policy->place({32, 1024, 1024});
  const StepResult r16 = b16.run(decode(16, 1536), Time::zero());
  const StepResult r32 = b32.run(decode(32, 1536), Time::zero());
  EXPECT_EQ(b16.counter("swap_in_bytes"), 0U);
  const std::uint64_t kv32 = 40ULL * 32 * 1536 * 20480;
  EXPECT_EQ(b32.counter("swap_in_bytes"), kv32);
  EXPECT_EQ(b32.exec.bytes_moved(b32.host, b32.ssd, TxnKind::kRead), kv32);
  EXPECT_EQ(b32.exec.bytes_moved(b32.host, b32.ssd, TxnKind::kWrite), kv32);
  // Throughput per token: swap faults at 32 KiB one at a time (~66 us each) vs PCIe streaming.
  const double per_token16 = r16.end.as_seconds() / 16;
  const double per_token32 = r32.end.as_seconds() / 32;
  EXPECT_GT(per_token32 / per_token16, 10.0);
  EXPECT_EQ(r32.breakdown.total(), r32.end);
}

TEST(DeepSpeedZeroInference, PlacementPlansForPlanOutputTokensInAReducedRun) {
  // A 3-token run of batch 32 planned for 1024 output tokens swaps like the full run would.
  Rig planned("plan_output_tokens: 1024\n");
  Rig unplanned;
  (void)planned.policy->place({32, 1024, 3});
  (void)unplanned.policy->place({32, 1024, 3});
  (void)planned.run(decode(32, 1024), Time::zero());
  (void)unplanned.run(decode(32, 1024), Time::zero());
  EXPECT_EQ(planned.counter("swap_in_bytes"), 40ULL * 32 * 1024 * 20480);
  EXPECT_EQ(unplanned.counter("swap_in_bytes"), 0U);
}

TEST(DeepSpeedZeroInference, WeightsBeyondHostMemoryAreOutOfMemory) {
  Rig rig("host_reserve: 80 GB\n");  // 25.7 GB of weights + 80 GB > 96 GB
  EXPECT_THROW((void)rig.policy->place({1, 16, 16}), OutOfMemory);
}

}  // namespace
}  // namespace tiersim::policies
