// The `dram` component: a thin adapter from transactions to a DRAM engine of the configured
// fidelity (fast or detailed), plus statistics and energy.
//
// Timing: serve() forwards the request (address, size, read/write, arrival) to the engine and
// returns its data window (engine.h). Writes are acknowledged when their last beat is written;
// a write's data is taken as available at arrival (in.first).
// Statistics: requests and bytes by direction, commands by type, row hits/misses/conflicts (per
// burst), refresh cycles and refresh time share, per-channel bytes series, request latency,
// queue depth (requests in the memory, averaged per window), energy by component.
// Timeline (`--timeline`): each request, arrival to last data beat, on the track
// "<name> requests" (requests overlap: async slices).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/dram/address_mapping.h"
#include "models/dram/engine.h"
#include "models/dram/spec.h"
#include "sim/kernel/component.h"

namespace tiersim::models::dram {

class DramComponent : public kernel::Component {
 public:
  explicit DramComponent(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema() { return dram_schema(); }

  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  void finalize(Time end) override;
  [[nodiscard]] std::uint64_t capacity_bytes() const override { return spec_.capacity().count(); }

 private:
  DramSpec spec_;
  AddressMapping mapping_;
  std::unique_ptr<Engine> engine_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
  stats::LatencyHistogram& latency_;
  stats::TimeSeries& queue_depth_;
  int activity_track_ = -1;  // timeline track when recording
  std::uint64_t next_request_id_ = 0;
};

}  // namespace tiersim::models::dram
