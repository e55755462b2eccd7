// Batching schedulers (docs/serving.md, "Scheduler"): decide which sequences run in each step.
//
// Types (registered by name, built from the validated `serving.scheduler` section):
//  - `static`: offline throughput batching (FlexGen, InstInfer). Waits for `batch` requests (or
//    the end of the trace), prefills them (one step for the whole batch, or chunks of
//    `prefill_chunk` tokens), then decodes them together until the longest finishes; the next
//    batch starts after. Finished sequences leave the batch (no padding compute).
//  - `continuous`: iteration-level batching (Orca / vLLM). Each step admits waiting requests in
//    arrival order while the batch has room (max_batch), the step's token budget
//    (max_tokens_per_step) is not exceeded, and the KV they will hold fits the policy's
//    Capacity::kv_tokens (capacity-aware admission); long prompts are chunked (chunked prefill)
//    and mixed with decode entries. When running sequences outgrow capacity, the most recently
//    admitted one is preempted — by `swap` (its KV moves out and back in, costed by the policy's
//    swap hooks through the executor) or by `recompute` (its KV is dropped and its prompt plus
//    generated tokens are prefilled again later).
//
// Contract:
//  - arrive() takes requests in arrival order; next() returns false when nothing can run at
//    `now` (the driver then advances to next_arrival(), or stops when it is Time::max() and no
//    sequence is running); complete() reports the step's end and appends requests that finished.
//  - Deterministic: ties broken by request id.
//  - no_more_arrivals() tells the scheduler the trace has ended (static batching then runs a
//    smaller last batch). A request that can never fit throws CapacityExceeded from next().
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/kernel/registry.h"
#include "sim/scheduler/step.h"
#include "sim/units/units.h"
#include "sim/workload/request.h"

namespace tiersim::scheduler {

struct Finished {
  std::uint64_t request = 0;
  Time arrival;
  Time first_token;  // end of the step that produced the first output token
  Time end;          // end of the step that produced the last output token
  std::uint32_t prompt_tokens = 0;
  std::uint32_t output_tokens = 0;
  friend bool operator==(const Finished&, const Finished&) = default;
};

// What a preemption did, for the driver to cost through the policy.
struct Preemption {
  std::uint64_t request = 0;
  std::uint64_t kv_tokens = 0;  // tokens of KV swapped out or dropped
  bool swap = true;             // false: recompute
  friend bool operator==(const Preemption&, const Preemption&) = default;
};

struct SchedulerContext {
  const config::Node& config;            // the validated serving.scheduler section
  std::uint64_t kv_capacity_tokens = 0;  // from Policy::place (0 = unlimited)
  std::uint32_t policy_max_batch = 0;    // from Policy::place (0 = no limit)
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void arrive(const workload::Request& r) = 0;
  [[nodiscard]] virtual bool next(Time now, Step& out, std::vector<Preemption>& preempted) = 0;
  virtual void complete(const Step& step, Time end, std::vector<Finished>& finished) = 0;
  [[nodiscard]] virtual bool idle() const = 0;  // no waiting or running sequence
  // No request will arrive after this call (the trace ended): `static` then runs a last, smaller
  // batch instead of waiting for `batch` requests. Default: nothing to do.
  virtual void no_more_arrivals() {}
};

// A request whose KV cannot fit the capacity even alone (or a static batch that cannot fit):
// the run reports out-of-memory, like policies::OutOfMemory.
class CapacityExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using SchedulerRegistry = kernel::Registry<Scheduler, SchedulerContext>;

}  // namespace tiersim::scheduler

#define TIERSIM_REGISTER_SCHEDULER(type, Class, doc)                          \
  static const bool TIERSIM_CONCAT(tiersim_scheduler_registered_, __LINE__) = \
      ::tiersim::scheduler::SchedulerRegistry::instance().add(                \
          {type, doc, [] { return Class::schema(); },                         \
           [](const ::tiersim::scheduler::SchedulerContext& c)                \
               -> std::unique_ptr<::tiersim::scheduler::Scheduler> {          \
             return std::make_unique<Class>(c);                               \
           }})
