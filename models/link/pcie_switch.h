// pcie_switch: a PCIe switch or a root complex — a node that requests pass through.
//
// Every transfer passing through pays `latency`. Traffic between two downstream neighbours
// (peer-to-peer, e.g. GPU <-> SSD) additionally goes through the P2P path: a shared timeline at
// `p2p_bandwidth` (0 = line rate, as in a switch) plus `p2p_latency`. Neighbours listed in
// `upstream` (the root complex above a switch, host memory behind a root complex) are not peers:
// traffic to or from them is not P2P. Some platforms route P2P through the root complex at a
// reduced rate; model them with a root complex whose p2p_bandwidth is that rate.
#pragma once

#include <string>
#include <vector>

#include "sim/kernel/component.h"
#include "sim/kernel/timeline.h"

namespace tiersim::models {

class PcieSwitch : public kernel::Component {
 public:
  explicit PcieSwitch(const kernel::BuildContext& ctx);
  static config::SchemaPtr schema();

  [[nodiscard]] bool serves_requests() const override { return false; }
  kernel::DataWindow serve(const kernel::TxnExtension& txn, kernel::DataWindow in) override;
  [[nodiscard]] bool forwards() const override { return true; }
  kernel::DataWindow forward(kernel::ComponentId from, kernel::ComponentId to, kernel::Flow flow,
                             Bytes payload, kernel::DataWindow in) override;
  void resolve_names(const NameLookup& lookup) override;

 private:
  [[nodiscard]] bool is_upstream(kernel::ComponentId id) const;
  Time latency_;
  Bandwidth p2p_bandwidth_;
  Time p2p_latency_;
  std::vector<std::string> upstream_;
  std::vector<config::Origin> upstream_origins_;
  std::vector<kernel::ComponentId> upstream_ids_;
  kernel::Timeline p2p_;
  stats::Counter& p2p_bytes_;
  stats::Counter& forwarded_bytes_;
};

}  // namespace tiersim::models
