// cxl_device: the controller of a CXL Type-3 memory expander — its CXL port (PHY, link layer,
// ARB/MUX) and its request pipeline (CXL.mem transaction layer, address decode, ECC, the DRAM
// controller's front end) — in front of the device DRAM, which is a `dram` component reached
// over the device's internal memory bus (a link from this node to the DRAM).
//
// Topology: host root port --[link type: cxl]-- cxl_device --[device memory bus]-- dram.
// Workloads target the `dram`; the fabric routes them through this node, which times the
// transfers passing through (Component::forward):
//  - host -> memory (M2S: read requests, write data): + request_latency;
//  - memory -> host (S2M: read data, write completions): + response_latency;
//  - optionally, `max_request_rate` (requests/s, 0 = unlimited) serialises requests through
//    the request pipeline (one timeline): start = max(arrival, pipeline free).
// Latency applies to the first and last byte alike (the data streams through, cut-through).
// Statistics: reads, writes, bytes_read, bytes_written (payload forwarded to/from the memory).
#pragma once

#include "sim/kernel/component.h"
#include "sim/kernel/timeline.h"

namespace tiersim::models::cxl {

class CxlDevice : public kernel::Component {
 public:
  explicit CxlDevice(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  [[nodiscard]] bool serves_requests() const override { return false; }
  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  [[nodiscard]] bool forwards() const override { return true; }
  kernel::DataWindow forward(kernel::ComponentId from, kernel::ComponentId to, kernel::Flow flow,
                             Bytes payload, kernel::DataWindow in) override;

 private:
  Time request_latency_;
  Time response_latency_;
  Time request_interval_;  // 1 / max_request_rate; zero = unlimited
  kernel::Timeline pipeline_;
  stats::Counter& reads_;
  stats::Counter& writes_;
  stats::Counter& bytes_read_;
  stats::Counter& bytes_written_;
};

}  // namespace tiersim::models::cxl
