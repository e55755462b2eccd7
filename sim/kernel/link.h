// A point-to-point, full-duplex link between two components: per-direction timeline at the
// protocol's raw rate of that direction (LinkProtocol::direction_bandwidth), fixed latency per
// traversal, cut-through forwarding.
//
// Timing of carry() for a transfer of `payload` bytes of kind `flow` over one direction, given the
// data window [head, tail] at the link's input (tail > head when data streams in from upstream):
//   wire     = protocol.wire_bytes(flow, payload)      (headers, framing, link-layer overhead)
//   start    = the earliest time >= head at which [start, busy_end) is idle  (queueing = start -
//   head) busy_end = max(start + wire/raw_bandwidth, tail)    (held until the tail has passed)
//   output window = [start + latency, busy_end + latency]
// Each direction is a gap-filling timeline (gap_timeline.h): a transfer whose data is ready
// before an already booked later transfer uses the idle time before it, so calls that arrive out
// of time order (temporal decoupling, out-of-order completions of a drive) do not serialize. In
// time order this is first-come-first-served. `now` (the caller's current simulation time; no
// later call has head < now) lets the direction drop bookings that ended; 0 keeps them all.
// A transfer with zero wire bytes (a posted write's acknowledgement, a simple link's read
// request) takes the latency only and occupies nothing.
#pragma once

#include <array>
#include <string>

#include <memory>

#include "sim/kernel/gap_timeline.h"
#include "sim/kernel/link_protocol.h"
#include "sim/kernel/transaction.h"
#include "sim/stats/stat_group.h"

namespace tiersim::kernel {

class Link {
 public:
  Link(std::string name, ComponentId a, ComponentId b, const std::string& a_name,
       const std::string& b_name, std::unique_ptr<LinkProtocol> protocol, Time latency,
       stats::StatGroup& stats);
  // A `simple` link of bandwidth `bw`.
  Link(std::string name, ComponentId a, ComponentId b, const std::string& a_name,
       const std::string& b_name, Bandwidth bw, Time latency, stats::StatGroup& stats);

  // dir 0: a -> b, dir 1: b -> a.
  DataWindow carry(int dir, Flow flow, Bytes payload, DataWindow in, Time now = Time::zero());
  // Payload data if bytes > 0, else a zero-byte acknowledgement.
  DataWindow carry(int dir, Bytes bytes, DataWindow in, Time now = Time::zero()) {
    return carry(dir, bytes.count() > 0 ? Flow::kWriteData : Flow::kAck, bytes, in, now);
  }
  [[nodiscard]] const LinkProtocol& protocol() const { return *protocol_; }

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] ComponentId a() const { return a_; }
  [[nodiscard]] ComponentId b() const { return b_; }
  [[nodiscard]] Bandwidth bandwidth() const { return protocol_->raw_bandwidth(); }
  [[nodiscard]] Bandwidth bandwidth(int dir) const { return raw_[static_cast<std::size_t>(dir)]; }
  [[nodiscard]] Time latency() const { return latency_; }
  [[nodiscard]] const GapTimeline& direction(int dir) const {
    return dirs_[static_cast<std::size_t>(dir)].tl;
  }
  [[nodiscard]] std::uint64_t bytes_carried(int dir) const {
    return dirs_[static_cast<std::size_t>(dir)].bytes->value;
  }

 private:
  struct Direction {
    GapTimeline tl;
    stats::Counter* bytes;
    stats::Counter* wire_bytes;
    stats::Counter* transfers;
    stats::TimeSeries* series;
    stats::LatencyHistogram* queueing;
    int activity_track = -1;  // timeline track when recording
  };
  std::string name_;
  ComponentId a_;
  ComponentId b_;
  std::unique_ptr<LinkProtocol> protocol_;
  bool payload_only_;             // a SimpleProtocol: skip the virtual call on the hot path
  std::array<Bandwidth, 2> raw_;  // per direction
  Time latency_;
  std::array<Direction, 2> dirs_;
};

}  // namespace tiersim::kernel
