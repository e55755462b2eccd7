// What a serving run measures (docs/serving.md, "Metrics"): one row per finished request, one row
// per step, and the summary figures derived from them.
//
// Definitions (exact, from the rows):
//  - busy time = sum over steps of (end - start), i.e. prefill + decode time (the time a step was
//    running; idle gaps waiting for arrivals are excluded); prefill time = steps with a prefill
//    entry, decode time = the other steps.
//  - throughput_tok_s = generated tokens / busy time (the definition);
//    throughput_e2e_tok_s = generated tokens / sim_time (first arrival at 0 to last step's end).
//  - TTFT = first token - arrival; end-to-end latency = end - arrival;
//    TPOT = (end - first token) / (output tokens - 1) for requests with >= 2 output tokens;
//    TBT = every gap between two consecutive tokens of one request (the decode step's end minus
//    the previous token's time).
//  - Percentiles are nearest-rank on the sorted exact values: p(q) = v[ceil(q x n) - 1].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/policies/fabric_executor.h"
#include "sim/policies/policy.h"
#include "sim/scheduler/scheduler.h"
#include "sim/stats/results_file.h"
#include "sim/units/units.h"

namespace tiersim::run {

struct StepRow {
  std::uint64_t index = 0;
  Time start;
  Time end;
  std::uint32_t entries = 0;
  std::uint32_t prefill_entries = 0;
  std::uint64_t prefill_tokens = 0;
  std::uint64_t decode_tokens = 0;
  std::uint32_t preemptions = 0;
  policies::StepBreakdown breakdown;
};

class ServingMetrics {
 public:
  void on_step(const StepRow& row) { steps_.push_back(row); }
  // The time between a request's token and its previous token (one TBT sample).
  void on_token_gap(Time gap) { tbt_.push_back(gap.ps()); }
  void on_finished(const scheduler::Finished& f) { done_.push_back(f); }

  [[nodiscard]] const std::vector<StepRow>& steps() const { return steps_; }
  [[nodiscard]] const std::vector<scheduler::Finished>& finished() const { return done_; }

  // Summary attributes (after name and seed), in a fixed order; docs/serving.md lists them.
  // `energy_pj` < 0: no component reports energy (the attribute is omitted).
  [[nodiscard]] std::vector<stats::Attr> summary(const std::vector<std::string>& components,
                                                 const policies::FabricExecutor* exec,
                                                 double energy_pj) const;
  // /serving/requests (when `requests`), /serving/steps and /serving/bytes_moved.
  void write_tables(stats::ResultsFile& file, const std::vector<std::string>& components,
                    const policies::FabricExecutor* exec, bool requests = true) const;
  void print(const std::vector<std::string>& components, const policies::FabricExecutor* exec,
             double energy_pj) const;

  [[nodiscard]] std::uint64_t generated_tokens() const;
  [[nodiscard]] Time busy_time() const;
  [[nodiscard]] Time end_time() const { return steps_.empty() ? Time::zero() : steps_.back().end; }

 private:
  std::vector<StepRow> steps_;
  std::vector<scheduler::Finished> done_;
  std::vector<std::int64_t> tbt_;
};

// Nearest-rank percentile of `v` (sorted in place); 0 for an empty vector.
[[nodiscard]] std::int64_t percentile(std::vector<std::int64_t>& v, double q);

}  // namespace tiersim::run
