// Static and continuous batching (sim/scheduler/scheduler.h): order, finishing, admission by
// batch / token budget / KV capacity, chunked prefill, preemption by swap and by recompute.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/config/loader.h"
#include "sim/config/schema.h"
#include "sim/scheduler/scheduler.h"

namespace tiersim::scheduler {
namespace {

// A scheduler built from YAML text through the registry, as the serving driver builds it.
struct Built {
  config::Node node;
  std::unique_ptr<Scheduler> s;
};

Built make(const std::string& yaml, std::uint64_t kv_tokens = 0, std::uint32_t max_batch = 0) {
  Built b{config::parse_yaml(yaml, "test.yaml"), nullptr};
  const auto* e = SchedulerRegistry::instance().find(b.node.get_string("type"));
  EXPECT_NE(e, nullptr);
  config::validate(b.node, *e->schema(), "scheduler");
  b.s = e->make(SchedulerContext{b.node, kv_tokens, max_batch});
  return b;
}

workload::Request req(std::uint64_t id, std::uint32_t prompt, std::uint32_t output,
                      Time arrival = Time::zero()) {
  workload::Request r;
  r.id = id;
  r.prompt_tokens = prompt;
  r.output_tokens = output;
  r.arrival = arrival;
  return r;
}

// Runs every step at `dt` intervals until idle; returns the steps and the finished requests.
struct Trace {
  std::vector<Step> steps;
  std::vector<std::vector<Preemption>> preemptions;
  std::vector<Finished> finished;
};
Trace drain(Scheduler& s, Time dt = Time::us(1), std::size_t limit = 100000) {
  Trace t;
  Time now;
  Step step;
  std::vector<Preemption> p;
  while (!s.idle() && t.steps.size() < limit) {
    p.clear();
    if (!s.next(now, step, p)) break;
    now += dt;
    s.complete(step, now, t.finished);
    t.steps.push_back(step);
    t.preemptions.push_back(p);
  }
  return t;
}

TEST(StaticScheduler, PrefillsTheBatchThenDecodesUntilTheLongestFinishes) {
  auto b = make("type: static\nbatch: 2\n");
  b.s->arrive(req(0, 10, 3));
  b.s->arrive(req(1, 20, 5));
  b.s->arrive(req(2, 30, 2));
  // Batch 2 formed with 3 waiting; request 2 must wait for the next batch.
  const Trace t = drain(*b.s);
  // Batch 1: 1 prefill + 4 decode steps (request 1: 5 tokens, the first from prefill).
  // Batch 2 (trace not closed, 1 request < batch 2): does not start.
  ASSERT_EQ(t.steps.size(), 5U);
  EXPECT_EQ(t.steps[0].entries.size(), 2U);
  EXPECT_EQ(t.steps[0].entries[0], (StepEntry{0, Phase::kPrefill, 10, 0, true}));
  EXPECT_EQ(t.steps[0].entries[1], (StepEntry{1, Phase::kPrefill, 20, 0, true}));
  EXPECT_EQ(t.steps[1].entries[1], (StepEntry{1, Phase::kDecode, 1, 20, true}));
  // Request 0 (3 tokens) leaves after step 2; request 1 decodes alone in steps 3 and 4.
  EXPECT_EQ(t.steps[3].entries.size(), 1U);
  EXPECT_EQ(t.steps[4].entries[0], (StepEntry{1, Phase::kDecode, 1, 23, true}));
  ASSERT_EQ(t.finished.size(), 2U);
  EXPECT_EQ(t.finished[0].request, 0U);
  EXPECT_EQ(t.finished[0].first_token, Time::us(1));
  EXPECT_EQ(t.finished[0].end, Time::us(3));
  EXPECT_EQ(t.finished[0].output_tokens, 3U);
  EXPECT_EQ(t.finished[1].end, Time::us(5));
  EXPECT_FALSE(b.s->idle());
  b.s->no_more_arrivals();
  const Trace rest = drain(*b.s);
  ASSERT_EQ(rest.steps.size(), 2U);  // prefill + 1 decode for the last, smaller batch
  EXPECT_EQ(rest.steps[0].entries[0], (StepEntry{2, Phase::kPrefill, 30, 0, true}));
  EXPECT_TRUE(b.s->idle());
}

TEST(StaticScheduler, ChunkedPrefillSplitsTheBatchPromptsByTokenBudget) {
  auto b = make("type: static\nbatch: 2\nprefill_chunk: 16\n");
  b.s->arrive(req(0, 10, 1));
  b.s->arrive(req(1, 20, 1));
  const Trace t = drain(*b.s);
  // 30 prompt tokens in chunks of 16: [0:10, 1:6], [1:14]; output 1 each -> done at prefill.
  ASSERT_EQ(t.steps.size(), 2U);
  EXPECT_EQ(t.steps[0].entries[1], (StepEntry{1, Phase::kPrefill, 6, 0, false}));
  EXPECT_EQ(t.steps[1].entries[0], (StepEntry{1, Phase::kPrefill, 14, 6, true}));
  ASSERT_EQ(t.finished.size(), 2U);
  EXPECT_EQ(t.finished[1].first_token, Time::us(2));
}

TEST(StaticScheduler, BatchLargerThanKvCapacityIsOutOfMemory) {
  auto b = make("type: static\nbatch: 2\n", /*kv_tokens=*/40);
  b.s->arrive(req(0, 16, 5));  // 20 tokens held at the end
  b.s->arrive(req(1, 16, 6));  // 21
  Step st;
  std::vector<Preemption> p;
  EXPECT_THROW((void)b.s->next(Time::zero(), st, p), CapacityExceeded);
}

TEST(ContinuousScheduler, AdmitsByBatchThenTokenBudgetAndMixesChunksWithDecodes) {
  auto b = make("type: continuous\nmax_batch: 3\nmax_tokens_per_step: 64\n");
  for (std::uint64_t i = 0; i < 4; ++i) b.s->arrive(req(i, 40, 4));
  Step st;
  std::vector<Preemption> p;
  ASSERT_TRUE(b.s->next(Time::zero(), st, p));
  // Budget 64: request 0 whole (40), request 1 a 24-token chunk; request 2 waits (budget).
  ASSERT_EQ(st.entries.size(), 2U);
  EXPECT_EQ(st.entries[0], (StepEntry{0, Phase::kPrefill, 40, 0, true}));
  EXPECT_EQ(st.entries[1], (StepEntry{1, Phase::kPrefill, 24, 0, false}));
  std::vector<Finished> f;
  b.s->complete(st, Time::us(1), f);
  ASSERT_TRUE(b.s->next(Time::us(1), st, p));
  // Decode of 0 (1 token), the rest of 1 (16), then request 2 whole (40 <= 47 left); the batch
  // is then full (3), so request 3 waits although 7 tokens of budget are left.
  ASSERT_EQ(st.entries.size(), 3U);
  EXPECT_EQ(st.entries[0], (StepEntry{0, Phase::kDecode, 1, 40, true}));
  EXPECT_EQ(st.entries[1], (StepEntry{1, Phase::kPrefill, 16, 24, true}));
  EXPECT_EQ(st.entries[2], (StepEntry{2, Phase::kPrefill, 40, 0, true}));
  EXPECT_EQ(st.tokens(), 57U);
}

TEST(ContinuousScheduler, WithoutChunkingAWholePromptMustFitTheBudget) {
  auto b = make("type: continuous\nmax_tokens_per_step: 64\nchunked_prefill: false\n");
  b.s->arrive(req(0, 40, 2));
  b.s->arrive(req(1, 40, 2));
  Step st;
  std::vector<Preemption> p;
  ASSERT_TRUE(b.s->next(Time::zero(), st, p));
  ASSERT_EQ(st.entries.size(), 1U);
  EXPECT_EQ(st.entries[0].tokens, 40U);
}

TEST(ContinuousScheduler, AdmissionStopsWhenTheFirstChunkWouldExceedKvCapacity) {
  // 64 tokens of capacity = 4 blocks of 16. Request 0 takes 3 blocks (40 tokens); request 1's
  // 40-token prompt needs 3 more: it waits although batch and budget have room.
  auto b = make("type: continuous\n", /*kv_tokens=*/64);
  b.s->arrive(req(0, 40, 2));
  b.s->arrive(req(1, 40, 2));
  const Trace t = drain(*b.s);
  ASSERT_EQ(t.steps.size(), 4U);
  EXPECT_EQ(t.steps[0].entries.size(), 1U);
  // Step 1: request 0 decodes to 41 tokens (3 blocks); request 1 still does not fit.
  EXPECT_EQ(t.steps[1].entries.size(), 1U);
  EXPECT_EQ(t.steps[2].entries[0], (StepEntry{1, Phase::kPrefill, 40, 0, true}));
  ASSERT_EQ(t.finished.size(), 2U);
  for (const auto& p : t.preemptions) EXPECT_TRUE(p.empty());
}

TEST(ContinuousScheduler, RequestThatCannotFitAloneIsOutOfMemory) {
  auto b = make("type: continuous\n", /*kv_tokens=*/64);
  b.s->arrive(req(0, 60, 10));  // 69 tokens at the end: 5 blocks > 4
  Step st;
  std::vector<Preemption> p;
  EXPECT_THROW((void)b.s->next(Time::zero(), st, p), CapacityExceeded);
}

// Two sequences of 15-token prompts in 4 blocks of 4 tokens (16 tokens): they grow until the
// pair needs 5 blocks; the later one is preempted.
Trace preemption_run(const std::string& mode) {
  auto b = make("type: continuous\nblock_tokens: 4\npreemption: " + mode + "\n",
                /*kv_tokens=*/16);
  b.s->arrive(req(0, 7, 6));
  b.s->arrive(req(1, 7, 3));
  return drain(*b.s);
}

TEST(ContinuousScheduler, PreemptionBySwapKeepsKvAndResumesDecoding) {
  const Trace t = preemption_run("swap");
  // Step 0: both prefill (7 tokens: 2 blocks each). Step 1: decodes to 8 tokens (2 blocks each).
  // Step 2: both would hold 9 tokens (3 blocks each, 6 > 4): request 1 is swapped out.
  ASSERT_GE(t.steps.size(), 3U);
  ASSERT_EQ(t.preemptions[2].size(), 1U);
  EXPECT_EQ(t.preemptions[2][0], (Preemption{1, 8, true}));
  ASSERT_EQ(t.steps[2].entries.size(), 1U);
  // Request 1 comes back with its 8 cached tokens and decodes on (no prefill again).
  bool resumed = false;
  for (const auto& s : t.steps) {
    for (const auto& e : s.entries) {
      if (e.request == 1 && e.context == 8) {
        resumed = true;
        EXPECT_EQ(e.phase, Phase::kDecode);
      }
    }
  }
  EXPECT_TRUE(resumed);
  ASSERT_EQ(t.finished.size(), 2U);
  EXPECT_EQ(t.finished[0].output_tokens + t.finished[1].output_tokens, 9U);
}

TEST(ContinuousScheduler, PreemptionByRecomputePrefillsPromptAndGeneratedTokensAgain) {
  const Trace t = preemption_run("recompute");
  ASSERT_EQ(t.preemptions[2].size(), 1U);
  EXPECT_EQ(t.preemptions[2][0], (Preemption{1, 8, false}));
  // Request 1 had 2 tokens generated: it prefills 7 + 2 = 9 tokens from scratch, and that
  // prefill produces its third (last) token.
  bool reprefilled = false;
  for (const auto& s : t.steps) {
    for (const auto& e : s.entries) {
      if (e.request == 1 && e.phase == Phase::kPrefill && e.tokens == 9) {
        reprefilled = true;
        EXPECT_EQ(e.context, 0U);
        EXPECT_TRUE(e.last_chunk);
      }
    }
  }
  EXPECT_TRUE(reprefilled);
  ASSERT_EQ(t.finished.size(), 2U);
  EXPECT_EQ(t.finished[1].request, 1U);
  EXPECT_EQ(t.finished[1].output_tokens, 3U);
}

TEST(ContinuousScheduler, SameInputsGiveIdenticalSchedules) {
  auto run = [] {
    auto b = make("type: continuous\nmax_batch: 5\nmax_tokens_per_step: 100\nblock_tokens: 8\n",
                  /*kv_tokens=*/400);
    for (std::uint64_t i = 0; i < 20; ++i) {
      b.s->arrive(req(i, static_cast<std::uint32_t>(10 + (i * 37) % 90),
                      static_cast<std::uint32_t>(1 + (i * 13) % 40)));
    }
    return drain(*b.s);
  };
  const Trace a = run();
  const Trace b = run();
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t i = 0; i < a.steps.size(); ++i)
    EXPECT_EQ(a.steps[i].entries, b.steps[i].entries);
  ASSERT_EQ(a.finished.size(), 20U);
  std::uint64_t out = 0;
  for (const auto& f : a.finished) out += f.output_tokens;
  std::uint64_t want = 0;
  for (std::uint64_t i = 0; i < 20; ++i) want += 1 + (i * 13) % 40;
  EXPECT_EQ(out, want);
}

}  // namespace
}  // namespace tiersim::scheduler
