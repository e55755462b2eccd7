#include "sim/kernel/link.h"

#include <fmt/format.h>

namespace tiersim::kernel {

Link::Link(std::string name, ComponentId a, ComponentId b, const std::string& a_name,
           const std::string& b_name, Bandwidth bw, Time latency, stats::StatGroup& stats)
    : name_(std::move(name)), a_(a), b_(b), bw_(bw), latency_(latency) {
  const std::array<std::string, 2> tags = {fmt::format("{}_to_{}", a_name, b_name),
                                           fmt::format("{}_to_{}", b_name, a_name)};
  for (std::size_t d = 0; d < 2; ++d) {
    auto& dir = dirs_[d];
    dir.bytes = &stats.counter(fmt::format("bytes_{}", tags[d]), "Bytes carried in this direction");
    dir.transfers = &stats.counter(fmt::format("transfers_{}", tags[d]),
                                   "Data transfers carried in this direction");
    dir.series = &stats.series(fmt::format("bytes_{}", tags[d]), "B",
                               "Bytes carried per window in this direction (divide by the window "
                               "for bandwidth)");
    dir.queueing = &stats.histogram(fmt::format("queueing_{}", tags[d]),
                                    "Time a transfer waited for the link in this direction");
  }
}

DataWindow Link::carry(int dir, Bytes bytes, DataWindow in) {
  if (bytes.count() == 0) return {in.first + latency_, in.last + latency_};
  Direction& d = dirs_[static_cast<std::size_t>(dir)];
  const Time start = max(in.first, d.tl.free_at());
  const Time busy_end = max(start + bw_.transfer_time(bytes), in.last);
  d.tl.occupy(start, busy_end);
  d.bytes->add(bytes.count());
  d.transfers->add();
  d.series->add_interval(start, busy_end, bytes.as_double());
  d.queueing->add(start - in.first);
  return {start + latency_, busy_end + latency_};
}

}  // namespace tiersim::kernel
