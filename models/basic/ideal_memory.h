// ideal_memory: a memory with a fixed access latency and one bandwidth-limited data port.
//
// Timing (one resource timeline, the data port):
//   start = max(arrival, port.free_at());  port busy for bytes / bandwidth
//   read : data leaves in [start + latency, start + latency + bytes/bandwidth]
//   write: acknowledged at max(start + bytes/bandwidth, last byte arrived) + latency
// Latency overlaps with other requests' transfers (pipelined), so back-to-back streams reach the
// configured bandwidth. Stand-in for real device models (DRAM, flash) until they exist.
#pragma once

#include "sim/kernel/component.h"
#include "sim/kernel/timeline.h"

namespace tiersim::models {

class IdealMemory : public kernel::Component {
 public:
  explicit IdealMemory(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;
  [[nodiscard]] std::uint64_t capacity_bytes() const override { return capacity_.count(); }

 private:
  Time latency_;
  Bandwidth bandwidth_;
  Bytes capacity_;
  kernel::Timeline port_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::Counter& busy_ps_;
  stats::TimeSeries& read_series_;
  stats::TimeSeries& write_series_;
  int activity_track_ = -1;  // timeline track of the data port when recording
};

}  // namespace tiersim::models
