// Placement/offload policies (docs/policies.md): where each weight, KV block, expert and FFN
// neuron lives, what moves when, and which unit computes each op, for every scheduled step.
//
// Contract:
//  - A policy is registered by name with TIERSIM_REGISTER_POLICY(type, Class, doc) in its own
//    .cpp (one file plus config makes a new policy); its schema() validates the `serving.policy`
//    section (config errors name file:line:col and the nearest key).
//  - Lifetime: constructed once per run from PolicyContext; place() is called once before the
//    first step; then run_step() once per step, in step order, with non-decreasing `start`;
//    preempt() for each preemption the scheduler decided before a step, and release() for each
//    request that finished in a step, before the next one.
//  - place() decides static placement (weights, KV regions) and returns the capacity it leaves
//    for KV (in tokens over all sequences) so the scheduler can admit by capacity. It throws
//    OutOfMemory when the model or the requested batch cannot be placed on the hardware (e.g.
//    FlexGen at batch 128 in InstInfer's Table 3); the run then reports OOM instead of a time.
//  - run_step() issues the step's transactions through ctx.exec (policies reach hardware only
//    through the Executor) starting no earlier than `start`, and returns when the step ends and
//    a breakdown of where time went. Breakdown categories are wall-time shares along the step's
//    critical path (they sum to end - start); bytes moved are counted by the executor.
//  - Deterministic: no wall-clock, no unordered iteration, randomness only from ctx.seed.
//  - Every policy cites the paper section it follows and documents what it simplifies in its
//    header comment and in docs/policies.md.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/kernel/registry.h"
#include "sim/policies/executor.h"
#include "sim/policies/step_work.h"
#include "sim/scheduler/scheduler.h"
#include "sim/scheduler/step.h"
#include "sim/stats/stat_group.h"
#include "sim/workload/model.h"

namespace tiersim::policies {

class OutOfMemory : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PolicyContext {
  const config::Node& config;  // the validated serving.policy section
  const workload::ModelSpec& model;
  Executor& exec;
  stats::StatGroup& stats;  // the policy's statistics group ("policy")
  std::uint64_t seed = 1;
};

// What the scheduler may admit, decided by placement.
struct Capacity {
  std::uint64_t kv_tokens = 0;  // KV tokens (all layers) that fit over all sequences
  std::uint32_t max_batch = 0;  // 0 = no policy limit
};

// What the run will ask for, known before placement (static batching knows it exactly;
// continuous batching gives the configured maxima).
struct PlacementRequest {
  std::uint32_t batch = 1;
  std::uint32_t prompt_tokens = 0;
  std::uint32_t output_tokens = 0;
};

// Where a step's time went along its critical path.
struct StepBreakdown {
  Time compute;    // GPU/CPU/PIM/CSD compute not hidden under I/O
  Time weight_io;  // weight loading not hidden under compute
  Time kv_io;      // KV cache reads/writes (incl. in-storage attention I/O) not hidden
  Time other;      // synchronization, launch, activations, swap
  [[nodiscard]] Time total() const { return compute + weight_io + kv_io + other; }
};

struct StepResult {
  Time end;
  StepBreakdown breakdown;
};

// The component named by `key` of the policy's config section (config::ConfigError at that key,
// with a did-you-mean, when the system has no such component).
[[nodiscard]] inline ComponentId component_at(const PolicyContext& ctx, const char* key) {
  return ctx.exec.id(ctx.config.get_string(key), ctx.config.at(key).origin());
}

// A step ending at `end` whose breakdown gets `other` = the part of end - start not attributed
// to compute, weight I/O or KV I/O (zero when they already cover it).
[[nodiscard]] inline StepResult close_step(StepBreakdown bd, Time start, Time end) {
  const Time total = end - start;
  const Time known = bd.compute + bd.weight_io + bd.kv_io;
  bd.other = total > known ? total - known : Time::zero();
  return StepResult{end, bd};
}

class Policy {
 public:
  virtual ~Policy() = default;
  [[nodiscard]] virtual Capacity place(const PlacementRequest& req) = 0;
  [[nodiscard]] virtual StepResult run_step(const scheduler::Step& step, const StepWork& work,
                                            Time start) = 0;
  // Costs a preemption decided by the scheduler (scheduler.h) issued at `at`: a swap moves the
  // sequence's KV out (and the policy remembers to bring it back when the sequence runs again);
  // a recompute drops it. Returns when the preemption's transfers end (default: no cost).
  [[nodiscard]] virtual Time preempt(const scheduler::Preemption& p, Time at) {
    (void)p;
    return at;
  }
  // Tells the policy that `request` finished at `at` (its last token was produced in the step
  // that ended then): its KV and any per-request state may be freed. Called once per finished
  // request, after that step and before the next; a released request never appears in a later
  // step. Bookkeeping only: issues no transactions (default: nothing to free).
  virtual void release(std::uint64_t request, Time at) {
    (void)request;
    (void)at;
  }
};

using PolicyRegistry = kernel::Registry<Policy, PolicyContext>;

}  // namespace tiersim::policies

#define TIERSIM_REGISTER_POLICY(type, Class, doc)                          \
  static const bool TIERSIM_CONCAT(tiersim_policy_registered_, __LINE__) = \
      ::tiersim::policies::PolicyRegistry::instance().add(                 \
          {type, doc, [] { return Class::schema(); },                      \
           [](const ::tiersim::policies::PolicyContext& c)                 \
               -> std::unique_ptr<::tiersim::policies::Policy> {           \
             return std::make_unique<Class>(c);                            \
           }})
