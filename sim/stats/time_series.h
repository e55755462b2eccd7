// A quantity sampled per fixed window of simulated time (bandwidth, occupancy, queue depth).
//
// Contract:
//  - Window w covers [w*window, (w+1)*window). The series grows to the last window touched.
//  - add_interval(start, end, amount) spreads `amount` uniformly over [start, end): each window
//    gets amount * overlap / (end - start). Cost is O(windows touched), never per byte.
//    start == end puts the whole amount in the window holding start.
//  - add_at(t, amount) adds to the window holding t.
//  - values() are the per-window sums. rate(w) = value / window seconds (e.g. bytes -> B/s).
//  - A non-positive window, a negative time or end < start throws std::invalid_argument.
#pragma once

#include <string>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::stats {

class TimeSeries {
 public:
  TimeSeries(std::string unit, Time window);

  void add_interval(Time start, Time end, double amount);
  void add_at(Time t, double amount);

  [[nodiscard]] const std::vector<double>& values() const { return values_; }
  [[nodiscard]] Time window() const { return window_; }
  [[nodiscard]] const std::string& unit() const { return unit_; }

 private:
  void grow_to(std::size_t w);
  std::string unit_;
  Time window_;
  std::vector<double> values_;
};

}  // namespace tiersim::stats
