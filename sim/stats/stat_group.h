// Named statistics of one component: counters, latency histograms, time series.
//
// Contract:
//  - Names are unique inside a group; asking twice for the same name returns the same object.
//  - References returned stay valid for the group's lifetime (node-based storage), so models
//    look a stat up once at construction and update it on the hot path without a lookup.
//  - Iteration order is the order of first registration (deterministic output).
//  - Names become HDF5 names: empty, ".", ".." or containing '/' throw std::invalid_argument.
//    Asking again for a series with a different unit throws too; the first doc is kept.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "sim/stats/histogram.h"
#include "sim/stats/time_series.h"

namespace tiersim::stats {

struct Counter {
  std::uint64_t value = 0;
  void add(std::uint64_t v = 1) { value += v; }
};

class StatGroup {
 public:
  StatGroup(std::string name, Time window) : name_(std::move(name)), window_(window) {}

  Counter& counter(const std::string& name, const std::string& doc = "");
  LatencyHistogram& histogram(const std::string& name, const std::string& doc = "");
  TimeSeries& series(const std::string& name, const std::string& unit, const std::string& doc = "");

  [[nodiscard]] const std::string& name() const { return name_; }
  template <class T>
  struct Named {
    std::string name;
    std::string doc;
    T value;
  };
  [[nodiscard]] const std::deque<Named<Counter>>& counters() const { return counters_; }
  [[nodiscard]] const std::deque<Named<LatencyHistogram>>& histograms() const { return hists_; }
  [[nodiscard]] const std::deque<Named<TimeSeries>>& all_series() const { return series_; }

 private:
  std::string name_;
  Time window_;
  std::deque<Named<Counter>> counters_;
  std::deque<Named<LatencyHistogram>> hists_;
  std::deque<Named<TimeSeries>> series_;
};

// All groups of a run, in creation order.
class StatsRegistry {
 public:
  explicit StatsRegistry(Time window) : window_(window) {}
  StatGroup& group(const std::string& name);
  [[nodiscard]] const std::deque<StatGroup>& groups() const { return groups_; }
  [[nodiscard]] Time window() const { return window_; }

 private:
  Time window_;
  std::deque<StatGroup> groups_;
};

}  // namespace tiersim::stats
