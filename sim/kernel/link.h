// A point-to-point, full-duplex link between two components: per-direction bandwidth timeline,
// fixed latency per traversal, cut-through forwarding.
//
// Timing of carry() for `bytes` over one direction, given the data window [head, tail] at the
// link's input (tail >= head; tail > head when the data streams in from an upstream hop):
//   start    = max(head, direction.free_at())           (queueing delay = start - head)
//   busy_end = max(start + bytes/bandwidth, tail)        (the link is held until the tail passed)
//   output window = [start + latency, busy_end + latency]
// Zero-byte control messages (read requests, write acknowledgements) take the latency only and
// occupy no bandwidth.
#pragma once

#include <array>
#include <string>

#include "sim/kernel/timeline.h"
#include "sim/kernel/transaction.h"
#include "sim/stats/stat_group.h"

namespace tiersim::kernel {

class Link {
 public:
  Link(std::string name, ComponentId a, ComponentId b, const std::string& a_name,
       const std::string& b_name, Bandwidth bw, Time latency, stats::StatGroup& stats);

  // dir 0: a -> b, dir 1: b -> a.
  DataWindow carry(int dir, Bytes bytes, DataWindow in);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] ComponentId a() const { return a_; }
  [[nodiscard]] ComponentId b() const { return b_; }
  [[nodiscard]] Bandwidth bandwidth() const { return bw_; }
  [[nodiscard]] Time latency() const { return latency_; }
  [[nodiscard]] const Timeline& direction(int dir) const {
    return dirs_[static_cast<std::size_t>(dir)].tl;
  }
  [[nodiscard]] std::uint64_t bytes_carried(int dir) const {
    return dirs_[static_cast<std::size_t>(dir)].bytes->value;
  }

 private:
  struct Direction {
    Timeline tl;
    stats::Counter* bytes;
    stats::Counter* transfers;
    stats::TimeSeries* series;
    stats::LatencyHistogram* queueing;
  };
  std::string name_;
  ComponentId a_;
  ComponentId b_;
  Bandwidth bw_;
  Time latency_;
  std::array<Direction, 2> dirs_;
};

}  // namespace tiersim::kernel
