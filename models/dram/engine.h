// The interface both fidelities implement, and what they count.
//
// Contract:
//  - serve() times one request: `bytes` starting at `address` (any size; split over channels and
//    banks by the address mapping), arriving at the controller at `arrival`. Requests come in
//    non-decreasing arrival order. It returns the data window: reads, first and last data beat on
//    the data bus; writes, {last beat written, same} (the acknowledgement).
//  - A request's latency is last - arrival. Time starts at 0 (cycle 0); arrivals are rounded up
//    to the next tCK edge, plus the controller's front-end latency.
//  - Counters count commands, bursts by row-buffer outcome (hit: no ACT needed; miss: bank closed;
//    conflict: another row open), refreshes and bytes per channel. Channel series, when set,
//    receive bytes per channel over the data-bus interval that moved them.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/dram/dram_types.h"
#include "sim/stats/time_series.h"
#include "sim/units/units.h"

namespace tiersim::models::dram {

struct DramRequest {
  std::uint64_t address = 0;
  Bytes bytes;
  bool write = false;
  Time arrival;
};

struct DramResult {
  Time first;
  Time last;
};

struct DramCounters {
  std::array<std::uint64_t, kCommands> commands{};
  std::uint64_t row_hits = 0;
  std::uint64_t row_misses = 0;
  std::uint64_t row_conflicts = 0;
  std::uint64_t refresh_cycles = 0;  // sum over refresh scopes of cycles blocked by REFab/REFpb
  std::vector<std::uint64_t> bytes_read;     // per channel
  std::vector<std::uint64_t> bytes_written;  // per channel
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual DramResult serve(const DramRequest& r) = 0;
  [[nodiscard]] const DramCounters& counters() const { return counters_; }
  // Optional: one series per channel (bytes moved), indexed by channel; null entries are skipped.
  void set_channel_series(std::vector<stats::TimeSeries*> s) { series_ = std::move(s); }

 protected:
  void record_data(std::size_t channel, Time start, Time end, std::uint64_t bytes, bool write) {
    (write ? counters_.bytes_written : counters_.bytes_read)[channel] += bytes;
    if (channel < series_.size() && series_[channel] != nullptr) {
      series_[channel]->add_interval(start, end, static_cast<double>(bytes));
    }
  }
  DramCounters counters_;
  std::vector<stats::TimeSeries*> series_;
};

}  // namespace tiersim::models::dram
