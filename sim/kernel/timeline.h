// Resource timelines: the timing primitive of every tiersim device (see docs/architecture.md).
//
// A resource (a link direction, a memory channel, a bank, a compute unit) knows when it is next
// free. A request is timed by reserving the resources it touches, arithmetically: no event per
// byte or burst. Contention is real: a reservation never starts before the resource is free.
//
// Contract:
//  - reserve(earliest, duration) starts at max(earliest, free_at()), occupies the resource for
//    `duration`, and returns the start. Reservations are first-come-first-served in call order.
//  - occupy(start, end) marks [start, end) busy (start >= free_at() is the caller's duty; checked
//    in debug builds) for models that compute the interval themselves.
//  - busy_time() sums occupied time; utilization = busy_time / elapsed.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::kernel {

class Timeline {
 public:
  [[nodiscard]] Time free_at() const { return free_at_; }
  [[nodiscard]] Time busy_time() const { return busy_; }
  [[nodiscard]] std::uint64_t reservations() const { return uses_; }

  Time reserve(Time earliest, Time duration) {
    const Time start = max(earliest, free_at_);
    free_at_ = start + duration;
    busy_ += duration;
    ++uses_;
    return start;
  }

  void occupy(Time start, Time end) {
    assert(start >= free_at_ && end >= start);
    free_at_ = end;
    busy_ += end - start;
    ++uses_;
  }

 private:
  Time free_at_;
  Time busy_;
  std::uint64_t uses_ = 0;
};

// N identical servers (channels, DMA engines, ports): a request takes the one free earliest
// (lowest index on ties, so results are deterministic).
class TimelinePool {
 public:
  explicit TimelinePool(std::size_t servers) : lanes_(servers) { assert(servers > 0); }

  struct Grant {
    std::size_t server;
    Time start;
  };

  Grant reserve(Time earliest, Time duration) {
    std::size_t best = 0;
    Time best_start = max(earliest, lanes_[0].free_at());
    for (std::size_t i = 1; i < lanes_.size() && best_start > earliest; ++i) {
      const Time s = max(earliest, lanes_[i].free_at());
      if (s < best_start) {
        best_start = s;
        best = i;
      }
    }
    lanes_[best].reserve(earliest, duration);
    return {best, best_start};
  }

  [[nodiscard]] std::size_t size() const { return lanes_.size(); }
  [[nodiscard]] const Timeline& server(std::size_t i) const { return lanes_[i]; }
  [[nodiscard]] Time busy_time() const {
    Time t;
    for (const auto& l : lanes_) t += l.busy_time();
    return t;
  }

 private:
  std::vector<Timeline> lanes_;
};

}  // namespace tiersim::kernel
