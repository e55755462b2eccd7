// The serving driver's event loop (docs/serving.md, "Driver"): an SC_METHOD that feeds arrivals
// to the scheduler, expands each scheduled step, lets the policy run it through the executor, and
// reports completions back, advancing SystemC time as it goes.
//
// Contract:
//  - Steps run back to back: a step starts when the previous one ended (or, when nothing can run,
//    at the next arrival). Preemptions the scheduler returns are costed first
//    (Policy::preempt, chained from the step's start); the step then runs from their end, and
//    that wait counts as the step's `other` time.
//  - Arrivals: a request is handed to the scheduler at the first step boundary at or after its
//    arrival, with its true arrival time (so TTFT includes waiting for the running step).
//    Closed-loop requests (request.h) are released at completion(after) + think.
//  - Time: like replay::Initiator, the loop runs ahead of SystemC time by at most `quantum` and
//    then yields with next_trigger() until the simulated time of its next step, so SystemC time
//    advances with the run and every transaction's `at` is >= sc_time_stamp().
//  - With a timeline recorder (--timeline), each step is a span on track serving/steps
//    ("prefill" or "decode") and each finished request an async slice on serving/requests.
//  - Errors (including OutOfMemory / CapacityExceeded) stop the simulation; error() holds them.
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <systemc>
#include <vector>

#include "sim/policies/policy.h"
#include "sim/policies/step_work.h"
#include "sim/run/serving_metrics.h"
#include "sim/scheduler/scheduler.h"
#include "sim/workload/model.h"
#include "sim/workload/request.h"

namespace tiersim::run {

struct ServingParts {
  workload::RequestSource& source;
  scheduler::Scheduler& scheduler;
  policies::Policy& policy;
  const workload::ModelSpec& model;
  policies::SparsityOptions sparsity;
  ServingMetrics& metrics;
  Time quantum;
  std::function<void()> tick;  // called every few hundred steps (progress bar)
  bool closed_loop = false;    // requests may depend on earlier ones (keep completion times)
};

class ServingLoop : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(ServingLoop);
  ServingLoop(sc_core::sc_module_name name, ServingParts parts);

  [[nodiscard]] std::exception_ptr error() const { return error_; }
  [[nodiscard]] bool finished() const { return finished_; }

 private:
  struct Held {
    Time release;
    workload::Request request;
  };
  struct Later {
    bool operator()(const Held& a, const Held& b) const {
      return a.release != b.release ? a.release > b.release : a.request.id > b.request.id;
    }
  };

  void activate();
  void run_until_sync();
  void pull_arrivals();
  [[nodiscard]] Time next_arrival() const;
  void run_one_step();

  ServingParts p_;
  Time now_;
  bool finished_ = false;
  std::exception_ptr error_;
  // Arrivals.
  bool have_pending_ = false;
  bool source_done_ = false;
  bool closed_ = false;  // scheduler told no_more_arrivals()
  workload::Request pending_;
  std::priority_queue<Held, std::vector<Held>, Later> ready_;
  std::multimap<std::uint64_t, workload::Request> blocked_;  // closed loop: after -> request
  std::map<std::uint64_t, Time> completed_;                  // closed loop: id -> end
  // Step state, reused.
  scheduler::Step step_;
  std::vector<scheduler::Preemption> preempted_;
  std::vector<scheduler::Finished> done_;
  policies::StepWork work_;
  std::map<std::uint64_t, Time> last_token_;  // running request -> time of its latest token
  std::uint64_t steps_ = 0;
  int steps_track_ = -1;  // timeline tracks, when recording
  int requests_track_ = -1;
};

}  // namespace tiersim::run
