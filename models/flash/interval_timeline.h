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
//  - Speed (exact): a few skip-ahead hints remember stretches [earliest, start) a past
//    reservation of some duration found no room in; bookings only shrink gaps, so a later
//    reservation at least as long skips them instead of walking every too-short gap again
//    (tests/flash/interval_timeline_test.cpp checks against a brute-force first fit).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>

#include "sim/units/units.h"

namespace tiersim::models::flash {

class IntervalTimeline {
 public:
  // remember = false: a one-off reservation (e.g. a booked block of work timed elsewhere) does
  // not take a hint slot from the recurring durations (exact either way; hints only save time).
  Time reserve(Time earliest, Time duration, bool remember = true) {
    ++uses_;
    if (duration == Time::zero()) return earliest;
    busy_ += duration;
    Time start = earliest;
    // Skip-ahead (exact): a past query (e0, d0) answered s0; bookings only shrink gaps, so for
    // d >= d0 and e0 <= earliest <= s0 no start in [earliest, s0) can fit.
    for (const Hint& h : hints_) {
      if (h.d <= duration.ps() && h.e <= start.ps() && start.ps() < h.s) start = Time::ps(h.s);
    }
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
    if (remember) {
      // Starts in [earliest, s) do not fit `duration` (nor, after this booking, s itself).
      const Hint n{earliest.ps(), s, duration.ps()};
      Hint* slot = nullptr;
      for (Hint& h : hints_) {
        if (h.d == n.d) slot = &h;
      }
      if (slot == nullptr) {
        slot = &hints_[hint_next_++ % kHints];
        *slot = n;
      } else if (n.e <= slot->s && slot->e <= n.s) {  // overlapping: the union has no fit
        slot->e = std::min(slot->e, n.e);
        slot->s = std::max(slot->s, n.s);
      } else if (n.e < slot->e) {
        *slot = n;
      }
    }
    if (e > last_end_.ps()) last_end_ = Time::ps(e);
    return start;
  }

  void forget_before(Time t) {
    while (!booked_.empty() && booked_.begin()->second <= t.ps()) booked_.erase(booked_.begin());
    for (Hint& h : hints_) {
      if (h.s <= t.ps()) h = Hint{};  // no later query can start before t
    }
  }

  [[nodiscard]] Time busy_time() const { return busy_; }
  [[nodiscard]] std::uint64_t reservations() const { return uses_; }
  [[nodiscard]] Time last_end() const { return last_end_; }  // end of the latest booking
  [[nodiscard]] std::size_t intervals() const { return booked_.size(); }

 private:
  struct Hint {
    std::int64_t e = 0, s = 0, d = INT64_MAX;
  };
  static constexpr std::size_t kHints = 8;
  Hint hints_[kHints];
  std::size_t hint_next_ = 0;
  std::map<std::int64_t, std::int64_t> booked_;  // start ps -> end ps, disjoint, non-touching
  Time busy_;
  Time last_end_;
  std::uint64_t uses_ = 0;
};

}  // namespace tiersim::models::flash
