// Latency histogram on Boost.Histogram with a logarithmic axis.
//
// Contract:
//  - add(t) records one sample; count/min/max/sum are exact (min/max/sum in picoseconds).
//  - The axis is log-spaced from 1 ps to ~1000 s with `bins_per_decade` bins per decade
//    (default 100, i.e. a relative bin width of ~2.3%). Samples below 1 ps go to the underflow
//    bin, above to the overflow bin; both are kept in the counts.
//  - percentile(q) (q in [0,1]) interpolates linearly inside the bin holding the q-quantile and is
//    clamped to [min,max], so its error is at most one bin width (~2.3%). Deterministic.
//    An empty histogram reports zero for mean() and percentile().
//  - bins_per_decade < 1 throws std::invalid_argument. A moved-from histogram may only be
//    destroyed or assigned to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::stats {

class LatencyHistogram {
 public:
  explicit LatencyHistogram(int bins_per_decade = 100);
  ~LatencyHistogram();
  LatencyHistogram(LatencyHistogram&&) noexcept;
  LatencyHistogram& operator=(LatencyHistogram&&) noexcept;

  void add(Time t);
  // Adds every sample of `other` (same bins_per_decade required; throws std::invalid_argument).
  void merge(const LatencyHistogram& other);
  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] Time min() const { return min_; }
  [[nodiscard]] Time max() const { return max_; }
  [[nodiscard]] Time mean() const;  // rounded to the nearest ps; zero when empty
  [[nodiscard]] Time percentile(double q) const;

  // For output: lower edges (ps) of all bins, with a final upper edge; counts of each bin
  // (edges.size() == counts.size() + 1). Underflow/overflow are reported separately.
  [[nodiscard]] std::vector<double> edges_ps() const;
  [[nodiscard]] std::vector<std::uint64_t> counts() const;
  [[nodiscard]] std::uint64_t underflow() const;
  [[nodiscard]] std::uint64_t overflow() const;

 private:
  struct Impl;
  Impl* impl_;  // owned; pimpl keeps Boost.Histogram out of every includer
  std::uint64_t count_ = 0;
  Time min_ = Time::max();
  Time max_ = Time::zero();
  long double sum_ps_ = 0;
};

}  // namespace tiersim::stats
