// gpu_only (sim/policies/gpu_only.cpp) on the recording fake executor: vLLM KV capacity from the
// HBM left after weights, out-of-memory placement, kernels per step and their breakdown, swap
// traffic over the host link.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/policies/policy.h"
#include "sim/stats/stat_group.h"
#include "sim/workload/model_io.h"
#include "tests/policies/fake_executor.h"

namespace tiersim::policies {
namespace {

using testing::FakeExecutor;

struct Fixture {
  explicit Fixture(const std::string& model_name, const std::string& yaml)
      : model(workload::load_model(std::string(TIERSIM_SOURCE_DIR) + "/configs/models/" +
                                   model_name + ".yaml")),
        node(config::parse_yaml(yaml, "policy.yaml")) {
    // H100-like: 800 TFLOP/s, 3 TB/s HBM; host DDR at 300 GB/s behind a 50 GB/s link.
    gpu = exec.add_compute("gpu", 800e12, Bandwidth::GBps(3000));
    host = exec.add_memory("host_mem", Bandwidth::GBps(300), Time::ns(100), Bytes::GiB(512));
    exec.add_link(gpu, host, Bandwidth::GBps(50), Time::ns(500));
    const auto* e = PolicyRegistry::instance().find("gpu_only");
    config::validate(node, *e->schema(), "policy");
    policy = e->make(PolicyContext{node, model, exec, stats.group("policy"), 1});
  }
  workload::ModelSpec model;
  config::Node node;
  FakeExecutor exec;
  ComponentId gpu = 0, host = 0;
  stats::StatsRegistry stats{Time::us(1)};
  std::unique_ptr<Policy> policy;
};

TEST(GpuOnly, KvCapacityIsHbmLeftAfterWeightsAndReserveInWholeBlocks) {
  Fixture f("llama-2-7b",
            "type: gpu_only\nhbm_capacity: 80 GB\nmemory_utilization: 0.9\n"
            "activation_reserve: 1 GiB\nhost: host_mem\n");
  // Llama-2-7B: 6,738,415,616 parameters (13,476,831,232 B at fp16); KV 2 x 32 layers x 32 heads
  // x 128 x 2 B = 524,288 B per token. (72e9 - 13476831232 - 1073741824) / 524288 = 109576.2
  // tokens = 6848.5 blocks of 16 -> 6848 blocks = 109568 tokens.
  ASSERT_EQ(f.model.total_weight_bytes().count(), 13476831232ULL);
  ASSERT_EQ(f.model.kv_bytes_per_token().count(), 524288ULL);
  const Capacity c = f.policy->place({1, 512, 128});
  EXPECT_EQ(c.kv_tokens, 109568U);
  EXPECT_EQ(c.max_batch, 0U);
}

TEST(GpuOnly, ModelLargerThanHbmIsOutOfMemory) {
  Fixture f("llama-2-13b", "type: gpu_only\nhbm_capacity: 24 GB\n");
  EXPECT_THROW((void)f.policy->place({1, 512, 128}), OutOfMemory);
}

TEST(GpuOnly, DecodeStepRunsEveryKernelInOrderAndCountsGemmsAsWeightIo) {
  Fixture f("llama-2-7b", "type: gpu_only\nhbm_capacity: 80 GB\n");
  (void)f.policy->place({2, 100, 10});
  scheduler::Step s;
  s.entries = {{0, scheduler::Phase::kDecode, 1, 100, true},
               {1, scheduler::Phase::kDecode, 1, 300, true}};
  StepWork w;
  expand_step(f.model, s, {}, w);
  const StepResult r = f.policy->run_step(s, w, Time::us(5));
  // Per layer: qkv, decode attention, out, up (gate+up), down; then the LM head.
  ASSERT_EQ(f.exec.calls().size(), 32U * 5 + 1);
  Time sum;
  for (const auto& c : f.exec.calls()) {
    EXPECT_EQ(c.kind, kernel::TxnKind::kCompute);
    sum += c.done - c.start;
  }
  EXPECT_EQ(f.exec.calls()[1].op.kind, kernel::OpKind::kDecodeAttention);
  EXPECT_EQ(r.end, Time::us(5) + sum);  // serialized on one GPU
  EXPECT_EQ(r.breakdown.total(), r.end - Time::us(5));
  // Decode GEMMs (2 rows) stream weights: weight_io; attention: kv_io; nothing is compute.
  EXPECT_EQ(r.breakdown.compute, Time::zero());
  EXPECT_GT(r.breakdown.weight_io, r.breakdown.kv_io);
  EXPECT_GT(r.breakdown.kv_io, Time::zero());
}

TEST(GpuOnly, SwapOutWritesKvToHostAndTheNextStepReadsItBackFirst) {
  Fixture f("llama-2-7b", "type: gpu_only\nhbm_capacity: 80 GB\nhost: host_mem\n");
  (void)f.policy->place({2, 100, 10});
  const Time out = f.policy->preempt({1, 400, true}, Time::us(1));
  // 400 tokens x 524288 B = 209,715,200 B over the 50 GB/s link: 4.194304 ms + 600 ns.
  EXPECT_EQ(out, Time::us(1) + Time::ps(4194304000) + Time::ns(600));
  EXPECT_EQ(f.exec.bytes_moved(f.gpu, f.host, kernel::TxnKind::kWrite), 209715200U);
  scheduler::Step s;
  s.entries = {{0, scheduler::Phase::kDecode, 1, 50, true},
               {1, scheduler::Phase::kDecode, 1, 400, true}};
  StepWork w;
  expand_step(f.model, s, {}, w);
  const StepResult r = f.policy->run_step(s, w, out);
  EXPECT_EQ(f.exec.bytes_moved(f.gpu, f.host, kernel::TxnKind::kRead), 209715200U);
  const auto& first_kernel = f.exec.calls()[2];
  EXPECT_EQ(first_kernel.kind, kernel::TxnKind::kCompute);
  EXPECT_GE(first_kernel.start, out + Time::ps(4194304000));  // after the swap-in
  EXPECT_EQ(r.breakdown.other, first_kernel.at - out);
  // Swapped in once: a later step reads nothing from the host.
  f.exec.clear_calls();
  (void)f.policy->run_step(s, w, r.end);
  EXPECT_EQ(f.exec.bytes_moved(f.gpu, f.host, kernel::TxnKind::kRead), 209715200U);
}

TEST(GpuOnly, SwapWithoutHostMemoryIsAConfigError) {
  Fixture f("llama-2-7b", "type: gpu_only\nhbm_capacity: 80 GB\n");
  EXPECT_THROW((void)f.policy->preempt({0, 16, true}, Time::zero()), config::ConfigError);
  EXPECT_EQ(f.policy->preempt({0, 16, false}, Time::us(3)), Time::us(3));  // recompute: free
}

}  // namespace
}  // namespace tiersim::policies
