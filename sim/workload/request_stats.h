// Summary statistics of a request stream (what `tiersim trace info` prints).
//
// Contract:
//  - add() takes requests in arrival order. Memory: the two length columns (8 bytes a request)
//    and the set of distinct prefix block ids.
//  - Percentiles use linear interpolation between order statistics (NumPy's and pandas' default):
//    position q * (n - 1) in the sorted values.
//  - arrival_rate() is (n - 1) / (last arrival - first arrival), per second; 0 when undefined.
//  - prefix_reuse_ratio(): of all prefix-block references (sum of the requests' block counts),
//    the fraction whose block id appeared in an earlier request; 0 with no blocks.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "sim/workload/request.h"

namespace tiersim::workload {

struct LengthSummary {
  double mean = 0;
  double median = 0;
  double p99 = 0;
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  std::uint64_t total = 0;
};

class RequestStats {
 public:
  void add(const Request& r);

  [[nodiscard]] std::uint64_t count() const { return prompt_.size(); }
  [[nodiscard]] LengthSummary prompt() const { return summarize(prompt_); }
  [[nodiscard]] LengthSummary output() const { return summarize(output_); }
  [[nodiscard]] Time first_arrival() const { return first_; }
  [[nodiscard]] Time last_arrival() const { return last_; }
  [[nodiscard]] double arrival_rate() const;
  [[nodiscard]] std::uint64_t block_refs() const { return block_refs_; }
  [[nodiscard]] std::uint64_t reused_block_refs() const { return reused_refs_; }
  [[nodiscard]] std::uint64_t distinct_blocks() const { return seen_.size(); }
  [[nodiscard]] double prefix_reuse_ratio() const;
  // Closed loop: distinct users, requests with `after`, and their mean think time.
  [[nodiscard]] std::uint64_t users() const { return users_.size(); }
  [[nodiscard]] std::uint64_t dependent() const { return dependent_; }
  [[nodiscard]] double mean_think_seconds() const;

  // Linear-interpolation quantile of `values` (copied and sorted); q in [0, 1].
  [[nodiscard]] static double quantile(std::vector<std::uint32_t> values, double q);

 private:
  [[nodiscard]] static LengthSummary summarize(const std::vector<std::uint32_t>& v);

  std::vector<std::uint32_t> prompt_;
  std::vector<std::uint32_t> output_;
  Time first_;
  Time last_;
  std::set<std::uint64_t> seen_;
  std::uint64_t block_refs_ = 0;
  std::uint64_t reused_refs_ = 0;
  std::set<std::uint64_t> users_;
  std::uint64_t dependent_ = 0;
  Time think_total_;
};

}  // namespace tiersim::workload
