#include "sim/kernel/link.h"

#include <fmt/format.h>

#include "sim/stats/activity.h"

namespace tiersim::kernel {

Link::Link(std::string name, ComponentId a, ComponentId b, const std::string& a_name,
           const std::string& b_name, Bandwidth bw, Time latency, stats::StatGroup& stats)
    : Link(std::move(name), a, b, a_name, b_name, std::make_unique<SimpleProtocol>(bw), latency,
           stats) {}

Link::Link(std::string name, ComponentId a, ComponentId b, const std::string& a_name,
           const std::string& b_name, std::unique_ptr<LinkProtocol> protocol, Time latency,
           stats::StatGroup& stats)
    : name_(std::move(name)),
      a_(a),
      b_(b),
      protocol_(std::move(protocol)),
      payload_only_(dynamic_cast<const SimpleProtocol*>(protocol_.get()) != nullptr),
      raw_{protocol_->direction_bandwidth(0), protocol_->direction_bandwidth(1)},
      latency_(latency) {
  const std::array<std::string, 2> tags = {fmt::format("{}_to_{}", a_name, b_name),
                                           fmt::format("{}_to_{}", b_name, a_name)};
  for (std::size_t d = 0; d < 2; ++d) {
    auto& dir = dirs_[d];
    dir.bytes =
        &stats.counter(fmt::format("bytes_{}", tags[d]), "Payload bytes carried in this direction");
    dir.wire_bytes = &stats.counter(fmt::format("wire_bytes_{}", tags[d]),
                                    "Bytes on the wire in this direction (payload + protocol "
                                    "overhead)");
    dir.transfers = &stats.counter(fmt::format("transfers_{}", tags[d]),
                                   "Data transfers carried in this direction");
    dir.series = &stats.series(fmt::format("bytes_{}", tags[d]), "B",
                               "Bytes carried per window in this direction (divide by the window "
                               "for bandwidth)");
    dir.queueing = &stats.histogram(fmt::format("queueing_{}", tags[d]),
                                    "Time a transfer waited for the link in this direction");
    if (stats::ActivityRecorder* rec = stats::activity()) {
      dir.activity_track = rec->track("links", fmt::format("{}: {}", name_, tags[d]));
    }
  }
}

DataWindow Link::carry(int dir, Flow flow, Bytes payload, DataWindow in, Time now) {
  const bool data = flow == Flow::kWriteData || flow == Flow::kReadData;
  const Bytes wire =
      payload_only_ ? (data ? payload : Bytes(0)) : protocol_->wire_bytes(flow, payload);
  if (wire.count() == 0) return {in.first + latency_, in.last + latency_};
  Direction& d = dirs_[static_cast<std::size_t>(dir)];
  if (now > Time::zero()) d.tl.forget_before(now);
  const auto [start, busy_end] =
      d.tl.reserve(in.first, raw_[static_cast<std::size_t>(dir)].transfer_time(wire), in.last);
  if (data) {
    d.bytes->add(payload.count());
    d.transfers->add();
  }
  d.wire_bytes->add(wire.count());
  d.series->add_interval(start, busy_end, data ? payload.as_double() : 0.0);
  if (d.activity_track >= 0) {
    static constexpr const char* kLabels[] = {"write data", "read request", "read data", "ack"};
    stats::activity()->span(d.activity_track, start, busy_end, kLabels[static_cast<int>(flow)],
                            payload.count());
  }
  d.queueing->add(start - in.first);
  return {start + latency_, busy_end + latency_};
}

}  // namespace tiersim::kernel
