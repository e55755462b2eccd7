// Import options applied to any request stream: time window, arrival-rate scaling, length
// scaling and clipping (docs/workloads.md).
//
// Contract, in this order per request:
//  1. window: requests arriving before `window_start` are dropped, the stream ends at the first
//     arrival >= `window_end` (Time::zero() = no end); arrivals are rebased to window_start;
//  2. rate_scale s > 0: arrival / s (exact integer division of picoseconds, rounded down), so
//     s = 2 doubles the request rate;
//  3. length_scale: prompt and output lengths x scale, rounded to nearest, at least 1;
//  4. max_prompt / max_output (0 = none) clip each length;
//  5. max_context (0 = none; usually the model's): prompt is clipped to max_context - 1, then
//     output to max_context - prompt;
//  prefix_blocks are cut to the blocks the (clipped) prompt still covers. Ids are renumbered
//  from 0; a closed-loop request's `after` follows its predecessor's new id, or is cleared when
//  the window dropped the predecessor (the request then starts its user's chain at its arrival),
//  and its think time is divided by rate_scale like the arrivals. Memory: one map entry per
//  closed-loop request passed.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "sim/workload/request.h"

namespace tiersim::workload {

struct RequestFilterOptions {
  Time window_start;
  Time window_end;  // zero: no end
  double rate_scale = 1.0;
  double length_scale = 1.0;
  std::uint32_t max_prompt = 0;
  std::uint32_t max_output = 0;
  std::uint32_t max_context = 0;
};

class FilteredSource final : public RequestSource {
 public:
  FilteredSource(std::unique_ptr<RequestSource> inner, RequestFilterOptions o);
  [[nodiscard]] bool next(Request& out) override;
  [[nodiscard]] std::string name() const override { return inner_->name(); }

 private:
  std::unique_ptr<RequestSource> inner_;
  RequestFilterOptions o_;
  std::uint64_t id_ = 0;
  bool done_ = false;
  std::unordered_map<std::uint64_t, std::uint64_t> renumbered_;  // closed loop: old -> new id
};

}  // namespace tiersim::workload
