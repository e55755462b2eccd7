#include "models/link/pcie_switch.h"

#include <algorithm>
#include <stdexcept>

namespace tiersim::models {

using config::Type;

config::SchemaPtr PcieSwitch::schema() {
  auto s = std::make_shared<config::Schema>("pcie_switch");
  s->add("latency", Type::kTime, "Forwarding latency of every transfer passing through.")
      .default_to("0 ns");
  s->add("p2p_bandwidth", Type::kBandwidth,
         "Rate of the peer-to-peer path (traffic between two downstream neighbours); 0 = line "
         "rate (a switch). Root complexes that route P2P at a reduced rate set it.")
      .default_to("0 B/s");
  s->add("p2p_latency", Type::kTime, "Extra latency of peer-to-peer traffic.").default_to("0 ns");
  s->add("upstream", Type::kList,
         "Neighbours that are not peers (the root complex above a switch; host memory behind a "
         "root complex).")
      .items(Type::kString);
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  return s;
}

PcieSwitch::PcieSwitch(const kernel::BuildContext& ctx)
    : Component(ctx),
      latency_(ctx.cfg.get_time("latency")),
      p2p_bandwidth_(ctx.cfg.get_bandwidth("p2p_bandwidth")),
      p2p_latency_(ctx.cfg.get_time("p2p_latency")),
      p2p_bytes_(stats().counter("p2p_bytes", "Payload bytes forwarded peer-to-peer")),
      forwarded_bytes_(stats().counter("forwarded_bytes", "Payload bytes forwarded in total")) {
  if (const config::Node* up = ctx.cfg.find("upstream"); up != nullptr && up->is_seq()) {
    for (const auto& n : up->items()) upstream_.push_back(n.as_string());
  }
  upstream_origins_.clear();
  if (const config::Node* up = ctx.cfg.find("upstream"); up != nullptr && up->is_seq()) {
    for (const auto& n : up->items()) upstream_origins_.push_back(n.origin());
  }
}

void PcieSwitch::resolve_names(const NameLookup& lookup) {
  upstream_ids_.clear();
  for (std::size_t i = 0; i < upstream_.size(); ++i) {
    upstream_ids_.push_back(lookup(upstream_[i], upstream_origins_[i]));
  }
}

kernel::DataWindow PcieSwitch::serve(const kernel::TxnExtension&, kernel::DataWindow) {
  throw std::logic_error("pcie_switch '" + component_name() + "' cannot serve requests");
}

bool PcieSwitch::is_upstream(kernel::ComponentId id) const {
  return std::find(upstream_ids_.begin(), upstream_ids_.end(), id) != upstream_ids_.end();
}

kernel::DataWindow PcieSwitch::forward(kernel::ComponentId from, kernel::ComponentId to,
                                       kernel::Flow flow, Bytes payload, kernel::DataWindow in) {
  const bool data = flow == kernel::Flow::kWriteData || flow == kernel::Flow::kReadData;
  if (data) forwarded_bytes_.add(payload.count());
  kernel::DataWindow out{in.first + latency_, in.last + latency_};
  if (is_upstream(from) || is_upstream(to)) return out;
  // Peer-to-peer: through the P2P path.
  if (data) p2p_bytes_.add(payload.count());
  if (!data || p2p_bandwidth_.bytes_per_second() <= 0.0) {
    return {out.first + p2p_latency_, out.last + p2p_latency_};
  }
  const Time start = max(out.first, p2p_.free_at());
  const Time end = max(start + p2p_bandwidth_.transfer_time(payload), out.last);
  p2p_.occupy(start, end);
  return {start + p2p_latency_, end + p2p_latency_};
}

TIERSIM_REGISTER_COMPONENT("pcie_switch", PcieSwitch,
                           "A PCIe switch or root complex that transfers pass through (P2P path).");

}  // namespace tiersim::models
