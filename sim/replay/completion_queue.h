// The completion times of an initiator's requests in flight, earliest first.
//
// A fixed-capacity sorted ring: pop the earliest in O(1); insert from the back, which is O(1) when
// completions arrive in order (the usual case for one initiator) and O(n) at worst. No allocation
// after construction. Cheaper than a binary heap on the hot path of every request.
#pragma once

#include <cassert>
#include <cstddef>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::replay {

class CompletionQueue {
 public:
  explicit CompletionQueue(std::size_t capacity) : cap_(capacity), buf_(capacity) {}

  [[nodiscard]] bool full() const { return size_ == cap_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] Time earliest() const {
    assert(size_ > 0);
    return buf_[head_];
  }
  void pop() {
    assert(size_ > 0);
    head_ = next(head_);
    --size_;
  }
  void push(Time t) {
    assert(size_ < cap_);
    // Walk back from the tail while the previous element is later than t.
    std::size_t pos = wrap(head_ + size_);
    for (std::size_t k = size_; k > 0; --k) {
      const std::size_t prev = pos == 0 ? cap_ - 1 : pos - 1;
      if (!(t < buf_[prev])) break;
      buf_[pos] = buf_[prev];
      pos = prev;
    }
    buf_[pos] = t;
    ++size_;
  }

 private:
  [[nodiscard]] std::size_t next(std::size_t i) const { return i + 1 == cap_ ? 0 : i + 1; }
  [[nodiscard]] std::size_t wrap(std::size_t i) const { return i >= cap_ ? i - cap_ : i; }
  std::size_t cap_;
  std::vector<Time> buf_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace tiersim::replay
