// llm_in_a_flash (sim/policies/llm_in_a_flash.h): the window cache's bookkeeping, the reader
// threads, and what each variant reads from flash and copies in memory, through the recording
// FakeExecutor. The paper figures themselves are checked end to end by the `paper` test
// (tests/policies/llm_in_a_flash_paper.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/policies/llm_in_a_flash.h"
#include "sim/policies/llm_in_a_flash_cache.h"
#include "sim/policies/policy.h"
#include "sim/policies/step_work.h"
#include "tests/policies/fake_executor.h"

namespace tiersim::policies {
namespace {

using kernel::OpKind;
using kernel::TxnKind;
using lif::IoThreads;
using lif::NeuronWindow;
using scheduler::Phase;
using scheduler::Step;

TEST(LifNeuronWindow, FreshNeuronsAreThoseNotActiveInThePreviousWindowTokens) {
  NeuronWindow w(1, 8, 2);
  std::vector<std::uint32_t> fresh;
  auto u = w.advance(0, {1, 2, 3}, fresh);
  EXPECT_EQ(fresh, (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(u.inserted, 3U);
  EXPECT_EQ(u.deleted, 0U);
  EXPECT_EQ(u.cached, 3U);
  w.next_token();
  fresh.clear();
  u = w.advance(0, {2, 4}, fresh);  // t1: 2 is cached
  EXPECT_EQ(fresh, (std::vector<std::uint32_t>{4}));
  EXPECT_EQ(u.deleted, 0U);
  EXPECT_EQ(u.cached, 4U);  // {1, 2, 3, 4}
  w.next_token();
  fresh.clear();
  u = w.advance(0, {1, 5}, fresh);  // t2: 1 (last at t0 = t - 2) still cached; 3 expires
  EXPECT_EQ(fresh, (std::vector<std::uint32_t>{5}));
  EXPECT_EQ(u.deleted, 1U);
  EXPECT_EQ(u.cached, 4U);  // union of t1, t2: {1, 2, 4, 5}
  w.next_token();
  fresh.clear();
  u = w.advance(0, {3}, fresh);  // t3: 3 (last at t0) is out; 2 and 4 (last at t1) expire
  EXPECT_EQ(fresh, (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(u.deleted, 2U);
  EXPECT_EQ(u.cached, 3U);  // {1, 5, 3}
}

TEST(LifNeuronWindow, WithoutWindowEveryActiveNeuronIsReadAndNothingKept) {
  NeuronWindow w(2, 8, 0);
  std::vector<std::uint32_t> fresh;
  (void)w.advance(1, {0, 7}, fresh);
  w.next_token();
  fresh.clear();
  const auto u = w.advance(1, {0, 7}, fresh);
  EXPECT_EQ(fresh, (std::vector<std::uint32_t>{0, 7}));
  EXPECT_EQ(u.inserted, 2U);
  EXPECT_EQ(u.deleted, 0U);
  EXPECT_EQ(u.cached, 2U);
}

TEST(LifIoThreads, AtMostThreadsReadsInFlightEachOnTheFirstFreeThread) {
  testing::FakeExecutor exec;
  const ComponentId cpu = exec.add_compute("cpu", 1e9, Bandwidth::GBps(10));
  // Bandwidth 0: the SSD is no bottleneck, every read takes its 10 us latency.
  const ComponentId ssd = exec.add_memory("ssd", Bandwidth::GBps(0), Time::us(10), Bytes(0));
  IoThreads io(2);
  io.reset(Time::zero());
  std::vector<Time> done;
  for (int i = 0; i < 5; ++i) {
    done.push_back(io.read(exec, cpu, ssd, 0, Bytes(4096), Time::zero()));
  }
  EXPECT_EQ(done, (std::vector<Time>{Time::us(10), Time::us(10), Time::us(20), Time::us(20),
                                     Time::us(30)}));
  EXPECT_EQ(io.last(), Time::us(30));
}

// A small ReLU model: 2 layers, hidden 64 (a row is 128 B at fp16), 4096 neurons per layer.
workload::ModelSpec small() {
  workload::ModelSpec m;
  m.name = "small";
  m.layers = 2;
  m.hidden = 64;
  m.intermediate = 4096;
  m.heads = 4;
  m.kv_heads = 4;
  m.head_dim = 16;
  m.vocab = 128;
  m.max_context = 4096;
  return m;
}
constexpr std::uint64_t kRow = 64 * 2;

struct Rig {
  workload::ModelSpec model = small();
  testing::FakeExecutor exec;
  stats::StatGroup stats{"policy", Time::us(1)};
  config::Node cfg;
  std::unique_ptr<Policy> policy;
  ComponentId cpu = 0, dram = 0, ssd = 0, gpu = 0, gpu_mem = 0;
  StepWork work;

  explicit Rig(const std::string& extra, Bytes memory = Bytes(1ULL << 30)) {
    cpu = exec.add_compute("cpu", 1e11, Bandwidth::GBps(100));
    dram = exec.add_memory("dram", Bandwidth::GBps(100), Time::ns(100), memory);
    ssd = exec.add_memory("ssd", Bandwidth::GBps(2), Time::us(50), Bytes(1ULL << 40));
    gpu = exec.add_compute("gpu", 1e14, Bandwidth::GBps(1000));
    gpu_mem = exec.add_memory("gpu_mem", Bandwidth::GBps(1000), Time::ns(500), memory);
    exec.add_link(cpu, gpu_mem, Bandwidth::GBps(25), Time::ns(500));
    cfg = config::parse_yaml("type: llm_in_a_flash\n" + extra, "policy.yaml");
    config::validate(cfg, *LlmInAFlashPolicy::schema());
    const auto* entry = PolicyRegistry::instance().find("llm_in_a_flash");
    EXPECT_NE(entry, nullptr);
    policy = entry->make(PolicyContext{cfg, model, exec, stats, 7});
  }
  [[nodiscard]] const LlmInAFlashPolicy& lif() const {
    return static_cast<const LlmInAFlashPolicy&>(*policy);
  }
  StepResult run(const Step& s, Time at) {
    expand_step(model, s, {}, work);
    return policy->run_step(s, work, at);
  }
  // Prefill of 8 tokens, then `n` decode tokens; returns the end.
  Time generate(std::uint32_t n) {
    Step p;
    p.entries = {{1, Phase::kPrefill, 8, 0, true}};
    Time t = run(p, Time::zero()).end;
    for (std::uint32_t i = 0; i < n; ++i) {
      Step d;
      d.index = i + 1;
      d.entries = {{1, Phase::kDecode, 1, 8 + i, true}};
      const StepResult r = run(d, t);
      EXPECT_EQ(r.end - t, r.breakdown.total());
      t = r.end;
    }
    return t;
  }
  [[nodiscard]] std::uint64_t counter(const std::string& name) const {
    for (const auto& c : stats.counters()) {
      if (c.name == name) return c.value.value;
    }
    ADD_FAILURE() << "no counter " << name;
    return 0;
  }
  [[nodiscard]] std::vector<testing::FakeExecutor::Call> flash_reads() const {
    std::vector<testing::FakeExecutor::Call> out;
    for (const auto& c : exec.calls()) {
      if (c.kind == TxnKind::kRead && c.target == ssd) out.push_back(c);
    }
    return out;
  }
};

Step decode_step(std::uint64_t index, std::uint64_t context) {
  Step s;
  s.index = index;
  s.entries = {{1, Phase::kDecode, 1, context, true}};
  return s;
}

TEST(LlmInAFlash, NaiveReadsTheWholeModelEveryTokenInChunks) {
  Rig rig("variant: naive\nread_chunk: 64 KiB\n");
  (void)rig.policy->place({1, 8, 4});
  (void)rig.run(decode_step(1, 8), Time::zero());
  const std::uint64_t total = rig.model.total_weight_bytes().count();
  EXPECT_EQ(rig.exec.bytes_moved(rig.cpu, rig.ssd, TxnKind::kRead), total);
  EXPECT_EQ(rig.counter("decode_flash_bytes"), total);
  for (const auto& c : rig.flash_reads()) EXPECT_LE(c.bytes.count(), 64U * 1024U);
  EXPECT_EQ(rig.counter("resident_bytes"), 0U);
}

TEST(LlmInAFlash, HybridReadsWhatDoesNotFitInTheMemoryFraction) {
  Rig rig("variant: hybrid\nmemory_fraction: 0.5\n");
  (void)rig.policy->place({1, 8, 4});
  (void)rig.run(decode_step(1, 8), Time::zero());
  const std::uint64_t total = rig.model.total_weight_bytes().count();
  EXPECT_EQ(rig.exec.bytes_moved(rig.cpu, rig.ssd, TxnKind::kRead), total - total / 2);
}

TEST(LlmInAFlash, PredictorReadsThePredictedShareAsTwoRowReadsPerNeuron) {
  Rig rig("variant: predictor\n");
  (void)rig.policy->place({1, 8, 4});
  // p_pred = 0.95 x 0.03 + 0.07 x 0.97 = 0.0964.
  EXPECT_NEAR(rig.lif().predicted_share(), 0.0964, 1e-9);
  (void)rig.generate(0);
  rig.exec.clear_calls();
  constexpr std::uint32_t kTokens = 40;
  Time t = Time::us(1000000);
  for (std::uint32_t i = 0; i < kTokens; ++i) t = rig.run(decode_step(i + 1, 8 + i), t).end;
  const double per_token = static_cast<double>(rig.counter("neurons_loaded")) /
                           (kTokens * rig.model.layers * rig.model.intermediate);
  EXPECT_NEAR(per_token, 0.0964, 0.0964 * 0.05);
  const auto reads = rig.flash_reads();
  EXPECT_EQ(reads.size(), 2 * rig.counter("neurons_loaded"));
  for (const auto& c : reads) EXPECT_EQ(c.bytes.count(), kRow);
  // No window: the rows are computed where they were read; nothing is copied.
  EXPECT_EQ(rig.exec.bytes_moved(rig.cpu, rig.dram, TxnKind::kRead), 0U);
}

TEST(LlmInAFlash, WindowReadsOnlyNeuronsNewToTheWindowAndCopiesThemIntoTheCache) {
  Rig rig("variant: window\nwindow: 5\nnew_fraction: 0.024\n");
  (void)rig.policy->place({1, 8, 4});
  (void)rig.generate(0);
  rig.exec.clear_calls();
  constexpr std::uint32_t kTokens = 40;
  const std::uint64_t dram_read0 = rig.exec.bytes_moved(rig.cpu, rig.dram, TxnKind::kRead);
  Time t = Time::us(1000000);
  for (std::uint32_t i = 0; i < kTokens; ++i) t = rig.run(decode_step(i + 1, 8 + i), t).end;
  const std::uint64_t loaded = rig.counter("neurons_loaded");
  const std::uint64_t deleted = rig.counter("neurons_deleted");
  const double per_token =
      static_cast<double>(loaded) / (kTokens * rig.model.layers * rig.model.intermediate);
  EXPECT_NEAR(per_token, 0.024, 0.024 * 0.1);
  // Steady state: about as many neurons leave the window as enter it.
  EXPECT_NEAR(static_cast<double>(deleted), static_cast<double>(loaded), 0.1 * loaded);
  EXPECT_EQ(rig.flash_reads().size(), 2 * loaded);
  // Memory management (Sec. 3.3): appends copy the new rows, deletions copy the last rows.
  const std::uint64_t copied = rig.exec.bytes_moved(rig.cpu, rig.dram, TxnKind::kRead) - dram_read0;
  EXPECT_EQ(copied, (loaded + deleted) * 2 * kRow);
  EXPECT_EQ(rig.exec.bytes_moved(rig.cpu, rig.dram, TxnKind::kWrite), copied);
  EXPECT_GT(rig.counter("decode_mem_ps"), 0U);
}

TEST(LlmInAFlash, BundlingReadsOneContiguousUpColumnAndDownRowPerNeuron) {
  Rig bundle("variant: bundle\n");
  Rig window("variant: window\n");
  for (Rig* r : {&bundle, &window}) {
    (void)r->policy->place({1, 8, 4});
    (void)r->generate(0);
    r->exec.clear_calls();
    (void)r->run(decode_step(1, 8), Time::zero());
  }
  // Same seed, same neurons: the same bytes, in half the reads of twice the size.
  EXPECT_EQ(bundle.counter("neurons_loaded"), window.counter("neurons_loaded"));
  const auto b = bundle.flash_reads();
  const auto w = window.flash_reads();
  ASSERT_EQ(w.size(), 2 * b.size());
  for (const auto& c : b) EXPECT_EQ(c.bytes.count(), 2 * kRow);
  // Layer 0's FFN region starts after the embeddings and layer 0's attention. Unbundled, neuron
  // n's up column is at n rows and its down row intermediate rows further; bundled, neuron n's
  // bundle is at 2n rows.
  const workload::ModelSpec& m = window.model;
  const std::uint64_t base = m.bytes(m.embedding_params()).count() +
                             m.attention_weight_bytes().count() + m.bytes(m.norm_params()).count();
  const std::uint64_t dff_rows = m.intermediate * kRow;
  std::vector<std::uint64_t> ups, downs, bundles;
  for (const auto& c : w) {
    if (c.address < base || c.address >= base + 2 * dff_rows) continue;
    (c.address < base + dff_rows ? ups : downs).push_back(c.address - base);
  }
  for (const auto& c : b) {
    if (c.address >= base && c.address < base + 2 * dff_rows) bundles.push_back(c.address - base);
  }
  std::sort(ups.begin(), ups.end());
  std::sort(downs.begin(), downs.end());
  std::sort(bundles.begin(), bundles.end());
  ASSERT_FALSE(ups.empty());
  ASSERT_EQ(ups.size(), downs.size());
  ASSERT_EQ(ups.size(), bundles.size());
  for (std::size_t i = 0; i < ups.size(); ++i) {
    EXPECT_EQ(ups[i] % kRow, 0U);
    EXPECT_EQ(downs[i], ups[i] + dff_rows);
    EXPECT_EQ(bundles[i], 2 * ups[i]);
  }
}

TEST(LlmInAFlash, GpuBackendCopiesNewRowsToDeviceMemoryAndDeletesOnTheGpu) {
  Rig rig("variant: bundle\nbackend: gpu\ncompute: gpu\nissuer: cpu\n");
  (void)rig.policy->place({1, 8, 4});
  (void)rig.generate(0);
  rig.exec.clear_calls();
  const std::uint64_t h2d0 = rig.exec.bytes_moved(rig.cpu, rig.gpu_mem, TxnKind::kWrite);
  Time t = Time::us(1000000);
  for (std::uint32_t i = 0; i < 10; ++i) t = rig.run(decode_step(i + 1, 8 + i), t).end;
  const std::uint64_t loaded = rig.counter("neurons_loaded");
  EXPECT_GT(loaded, 0U);
  EXPECT_EQ(rig.exec.bytes_moved(rig.cpu, rig.gpu_mem, TxnKind::kWrite) - h2d0, loaded * 2 * kRow);
  EXPECT_EQ(rig.exec.bytes_moved(rig.cpu, rig.dram, TxnKind::kRead), 0U);
  std::uint64_t gpu_kernels = 0, cpu_kernels = 0, deletes = 0;
  for (const auto& c : rig.exec.calls()) {
    if (c.kind != TxnKind::kCompute) continue;
    (c.target == rig.gpu ? gpu_kernels : cpu_kernels) += 1;
    if (c.op.kind == OpKind::kElementwise) deletes += c.bytes.count() / 2;
  }
  EXPECT_GT(gpu_kernels, 0U);
  EXPECT_EQ(cpu_kernels, 0U);
  EXPECT_EQ(deletes, rig.counter("neurons_deleted") * 2 * kRow);
}

// op_overhead is paid once before every compute operator: a decode token's compute and memory
// management times grow by exactly (kernels issued) x op_overhead, the rest unchanged.
TEST(LlmInAFlash, OpOverheadAddsOncePerComputeOperator) {
  const std::string base = "variant: bundle\nbackend: gpu\ncompute: gpu\nissuer: cpu\n";
  Rig plain(base);
  Rig slow(base + "op_overhead: 7 us\n");
  for (Rig* r : {&plain, &slow}) {
    (void)r->policy->place({1, 8, 4});
    (void)r->generate(0);
    r->exec.clear_calls();
  }
  const StepResult a = plain.run(decode_step(1, 8), Time::us(1000000));
  const StepResult b = slow.run(decode_step(1, 8), Time::us(1000000));
  std::int64_t kernels = 0, deletes = 0;
  for (const auto& c : slow.exec.calls()) {
    if (c.kind != TxnKind::kCompute) continue;
    ++kernels;
    if (c.op.kind == OpKind::kElementwise) ++deletes;
  }
  // Per layer: qkv, attention, out_proj, two predictor and two FFN GEMVs; then the LM head.
  EXPECT_EQ(kernels - deletes, 7 * static_cast<std::int64_t>(plain.model.layers) + 1);
  EXPECT_EQ(b.breakdown.compute - a.breakdown.compute, Time::us(7) * (kernels - deletes));
  EXPECT_EQ(b.breakdown.other - a.breakdown.other, Time::us(7) * deletes);
  EXPECT_EQ(b.breakdown.weight_io, a.breakdown.weight_io);
}

TEST(LlmInAFlash, BatchAboveOneIsAConfigErrorAndTooLittleMemoryIsOutOfMemory) {
  Rig rig("variant: bundle\n");
  EXPECT_THROW((void)rig.policy->place({2, 8, 4}), config::ConfigError);
  // Resident attention + embeddings + predictors of the small model exceed 64 KiB.
  Rig tight("variant: bundle\n", Bytes(64 * 1024));
  EXPECT_THROW((void)tight.policy->place({1, 8, 4}), OutOfMemory);
}

TEST(LlmInAFlash, SameSeedSameReads) {
  Rig a("variant: window\n");
  Rig b("variant: window\n");
  for (Rig* r : {&a, &b}) {
    (void)r->policy->place({1, 8, 4});
    (void)r->generate(5);
  }
  ASSERT_EQ(a.exec.calls().size(), b.exec.calls().size());
  for (std::size_t i = 0; i < a.exec.calls().size(); ++i) {
    EXPECT_EQ(a.exec.calls()[i].address, b.exec.calls()[i].address);
    EXPECT_EQ(a.exec.calls()[i].done, b.exec.calls()[i].done);
  }
}

}  // namespace
}  // namespace tiersim::policies
