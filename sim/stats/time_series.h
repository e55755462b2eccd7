// A quantity sampled per fixed window of simulated time (bandwidth, occupancy, queue depth).
//
// Contract:
//  - Window w covers [w*window, (w+1)*window). The series grows to the last window touched.
//  - add_interval(start, end, amount) spreads `amount` uniformly over [start, end): each window
//    gets amount * overlap / (end - start). Cost is O(windows touched), never per byte.
//    start == end puts the whole amount in the window holding start.
//  - add_at(t, amount) adds to the window holding t.
//  - values() are the per-window sums. rate(w) = value / window seconds (e.g. bytes -> B/s).
//  - Memory is bounded: when a sample falls beyond max_windows windows, the window doubles
//    (adjacent pairs of windows are summed) as often as needed, so a long run keeps at most
//    max_windows values at a coarser resolution. window() is the final window; sums over any
//    span of the new windows are unchanged by coarsening. Deterministic (no dependence on the
//    order of samples beyond their times).
//  - A non-positive window, a negative time or end < start throws std::invalid_argument.
#pragma once

#include <string>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::stats {

class TimeSeries {
 public:
  static constexpr std::size_t kDefaultMaxWindows = std::size_t{1} << 18;

  TimeSeries(std::string unit, Time window, std::size_t max_windows = kDefaultMaxWindows);

  void add_interval(Time start, Time end, double amount);
  void add_at(Time t, double amount);

  [[nodiscard]] const std::vector<double>& values() const { return values_; }
  [[nodiscard]] Time window() const { return window_; }
  [[nodiscard]] const std::string& unit() const { return unit_; }

 private:
  void grow_to(std::size_t w);
  // Doubles the window until time t falls within max_windows_ windows.
  void fit(Time t);
  std::string unit_;
  Time window_;
  std::size_t max_windows_;
  std::vector<double> values_;
};

}  // namespace tiersim::stats
