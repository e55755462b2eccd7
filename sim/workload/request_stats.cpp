#include "sim/workload/request_stats.h"

#include <algorithm>
#include <cmath>

namespace tiersim::workload {

void RequestStats::add(const Request& r) {
  if (prompt_.empty()) first_ = r.arrival;
  last_ = r.arrival;
  prompt_.push_back(r.prompt_tokens);
  output_.push_back(r.output_tokens);
  if (r.user != kNoUser) users_.insert(r.user);
  if (r.after != kNoAfter) {
    ++dependent_;
    think_total_ += r.think;
  }
  std::vector<std::uint64_t> fresh;
  for (const std::uint64_t b : r.prefix_blocks) {
    ++block_refs_;
    if (seen_.contains(b)) {
      ++reused_refs_;
    } else {
      fresh.push_back(b);
    }
  }
  seen_.insert(fresh.begin(), fresh.end());  // blocks count as seen from the next request on
}

double RequestStats::arrival_rate() const {
  const Time span = last_ - first_;
  if (count() < 2 || span.ps() <= 0) return 0.0;
  return static_cast<double>(count() - 1) / span.as_seconds();
}

double RequestStats::mean_think_seconds() const {
  return dependent_ == 0 ? 0.0 : think_total_.as_seconds() / static_cast<double>(dependent_);
}

double RequestStats::prefix_reuse_ratio() const {
  if (block_refs_ == 0) return 0.0;
  return static_cast<double>(reused_refs_) / static_cast<double>(block_refs_);
}

double RequestStats::quantile(std::vector<std::uint32_t> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  const double a = values[lo];
  const double b = values[hi];
  return a + (b - a) * frac;
}

LengthSummary RequestStats::summarize(const std::vector<std::uint32_t>& v) {
  LengthSummary s;
  if (v.empty()) return s;
  for (const std::uint32_t x : v) s.total += x;
  s.mean = static_cast<double>(s.total) / static_cast<double>(v.size());
  s.median = quantile(v, 0.5);
  s.p99 = quantile(v, 0.99);
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

}  // namespace tiersim::workload
