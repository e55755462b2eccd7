// A resource timeline that fills gaps: a reservation takes the earliest idle interval of the
// requested length at or after `earliest`, even if later intervals are already booked.
//
// Why: flash requests are timed in issue order, but a die or channel booked far ahead by one
// request (its die was busy) must not block a later-issued request whose data is ready sooner;
// real controllers schedule per die/channel out of order. kernel::Timeline would serialize them.
//
// Contract:
//  - reserve(earliest, d) returns start >= earliest with [start, start + d) free of all earlier
//    reservations, the smallest such start; it then books that interval.
//  - forget_before(t): intervals ending at or before t are dropped (the caller promises no later
//    reservation asks for earliest < t); keeps the set small. busy_time() still counts them.
//  - Zero-length reservations book nothing and return max(earliest, ...) = earliest.
#pragma once

#include <cstdint>
#include <map>

#include "sim/units/units.h"

namespace tiersim::models::flash {

class IntervalTimeline {
 public:
  Time reserve(Time earliest, Time duration) {
    ++uses_;
    if (duration == Time::zero()) return earliest;
    busy_ += duration;
    Time start = earliest;
    // First booked interval that could overlap [start, ...): the one starting at or before start.
    auto it = booked_.upper_bound(start.ps());
    if (it != booked_.begin()) {
      auto prev = std::prev(it);
      if (prev->second > start.ps()) start = Time::ps(prev->second);
    }
    while (it != booked_.end() && it->first < (start + duration).ps()) {
      start = max(start, Time::ps(it->second));
      ++it;
    }
    const std::int64_t s = start.ps();
    const std::int64_t e = (start + duration).ps();
    // Merge with touching neighbours so the map holds maximal busy runs.
    auto next = booked_.lower_bound(s);
    std::int64_t ns = s;
    std::int64_t ne = e;
    if (next != booked_.begin()) {
      auto prev = std::prev(next);
      if (prev->second == s) {
        ns = prev->first;
        booked_.erase(prev);
      }
    }
    next = booked_.find(e);
    if (next != booked_.end()) {
      ne = next->second;
      booked_.erase(next);
    }
    booked_[ns] = ne;
    if (e > last_end_.ps()) last_end_ = Time::ps(e);
    return start;
  }

  void forget_before(Time t) {
    while (!booked_.empty() && booked_.begin()->second <= t.ps()) booked_.erase(booked_.begin());
  }

  [[nodiscard]] Time busy_time() const { return busy_; }
  [[nodiscard]] std::uint64_t reservations() const { return uses_; }
  [[nodiscard]] Time last_end() const { return last_end_; }  // end of the latest booking
  [[nodiscard]] std::size_t intervals() const { return booked_.size(); }

 private:
  std::map<std::int64_t, std::int64_t> booked_;  // start ps -> end ps, disjoint, non-touching
  Time busy_;
  Time last_end_;
  std::uint64_t uses_ = 0;
};

}  // namespace tiersim::models::flash
