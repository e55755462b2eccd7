// A resource timeline that fills gaps: a reservation takes the earliest idle interval that fits
// at or after its earliest start, even when later intervals are already booked.
//
// Why: under temporal decoupling, transactions reach a resource in call order, not in time
// order. A link direction booked far ahead by one transfer (e.g. a read whose data waited for a
// busy flash die) must not delay a later call whose data is ready sooner; kernel::Timeline
// (first-come-first-served in call order) would serialize them. Links use this timeline.
//
// Contract:
//  - reserve(earliest, duration, end_at_least) books [s, e) with e = max(s + duration,
//    end_at_least) for the smallest s >= earliest such that [s, e) overlaps no earlier booking,
//    and returns {s, e}. A call whose earliest is at or after every booking behaves exactly as
//    kernel::Timeline (FCFS); in-order use gives identical timing.
//  - forget_before(t): bookings ending at or before t are dropped (the caller promises no later
//    reservation asks for earliest < t: e.g. t = the current simulation time, since arrivals are
//    never in the past). Keeps the booking list short; busy_time() still counts them.
//  - Bookings are kept as maximal disjoint runs (touching runs merge), so in-order streams keep
//    a list of length 1: no allocation per reservation in steady state.
//  - Zero-length reservations (duration 0 and end_at_least <= earliest) book nothing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::kernel {

class GapTimeline {
 public:
  struct Booking {
    Time start;
    Time end;
  };

  Booking reserve(Time earliest, Time duration, Time end_at_least) {
    ++uses_;
    std::int64_t s = earliest.ps();
    const std::int64_t d = duration.ps();
    const std::int64_t floor_end = end_at_least.ps();
    const auto end_of = [&](std::int64_t start) { return std::max(start + d, floor_end); };
    // First run ending after s (runs are disjoint and sorted, so their ends are sorted too).
    auto it = std::upper_bound(runs_.begin(), runs_.end(), s,
                               [](std::int64_t v, const Run& r) { return v < r.second; });
    while (it != runs_.end() && it->first < end_of(s)) {
      s = std::max(s, it->second);
      ++it;
    }
    const std::int64_t e = end_of(s);
    if (e > s) {
      busy_ += Time::ps(e - s);
      insert(it, s, e);
      if (e > last_end_) last_end_ = e;
    }
    return {Time::ps(s), Time::ps(e)};
  }

  void forget_before(Time t) {
    auto it = runs_.begin();
    while (it != runs_.end() && it->second <= t.ps()) ++it;
    if (it != runs_.begin()) runs_.erase(runs_.begin(), it);
  }

  // End of the latest booking (the FCFS "free at" when calls come in time order).
  [[nodiscard]] Time free_at() const { return Time::ps(last_end_); }
  [[nodiscard]] Time busy_time() const { return busy_; }
  [[nodiscard]] std::uint64_t reservations() const { return uses_; }
  [[nodiscard]] std::size_t runs() const { return runs_.size(); }

 private:
  using Run = std::pair<std::int64_t, std::int64_t>;  // [start, end) in ps

  // Inserts [s, e) before `pos` (the first run starting at or after e, or touching it),
  // merging with touching neighbours.
  void insert(std::vector<Run>::iterator pos, std::int64_t s, std::int64_t e) {
    const bool join_prev = pos != runs_.begin() && std::prev(pos)->second == s;
    const bool join_next = pos != runs_.end() && pos->first == e;
    if (join_prev && join_next) {
      std::prev(pos)->second = pos->second;
      runs_.erase(pos);
    } else if (join_prev) {
      std::prev(pos)->second = e;
    } else if (join_next) {
      pos->first = s;
    } else {
      runs_.insert(pos, Run{s, e});
    }
  }

  std::vector<Run> runs_;
  Time busy_;
  std::int64_t last_end_ = 0;
  std::uint64_t uses_ = 0;
};

}  // namespace tiersim::kernel
