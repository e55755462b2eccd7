// The memory behind a cache, as the cache sees it: an injected interface that times the fills
// of misses and the write-backs of dirty evictions.
//
// Contract:
//  - read(at, address, bytes) times a fill of `bytes` (whole sectors, possibly from several lines,
//    coalesced by the caller into one request starting at `address`) issued at `at`; it returns
//    the window in which the data arrives at the cache (first byte, last byte; both >= at).
//  - write(at, address, bytes) times a write-back issued at `at`. The cache does not wait for it
//    (write buffer), but it occupies the backing memory, delaying later fills.
//  - Calls come in issue order.
//
// TimelineBacking is the simple implementation the sectored_cache component uses: one timeline
// with a bandwidth and a pipelined latency (like ideal_memory). A model that owns a real memory
// (the DRAM model) can implement BackingMemory by calling that model's timing directly.
#pragma once

#include <cstdint>

#include "sim/kernel/timeline.h"
#include "sim/kernel/transaction.h"
#include "sim/units/units.h"

namespace tiersim::models::sram {

class BackingMemory {
 public:
  virtual ~BackingMemory() = default;
  virtual kernel::DataWindow read(Time at, std::uint64_t address, Bytes bytes) = 0;
  virtual void write(Time at, std::uint64_t address, Bytes bytes) = 0;
};

// start = max(at, free_at); busy bytes / bandwidth; data in [start + latency, start + latency +
// bytes / bandwidth]. A write-back occupies the timeline for bytes / bandwidth.
class TimelineBacking final : public BackingMemory {
 public:
  TimelineBacking(Time latency, Bandwidth bandwidth) : latency_(latency), bandwidth_(bandwidth) {}

  kernel::DataWindow read(Time at, std::uint64_t /*address*/, Bytes bytes) override {
    const Time xfer = bandwidth_.transfer_time(bytes);
    const Time start = port_.reserve(at, xfer);
    return {start + latency_, start + latency_ + xfer};
  }
  void write(Time at, std::uint64_t /*address*/, Bytes bytes) override {
    (void)port_.reserve(at, bandwidth_.transfer_time(bytes));
  }
  [[nodiscard]] const kernel::Timeline& port() const { return port_; }

 private:
  Time latency_;
  Bandwidth bandwidth_;
  kernel::Timeline port_;
};

}  // namespace tiersim::models::sram
