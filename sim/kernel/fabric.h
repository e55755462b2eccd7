// The interconnect: routes every transaction from its source to its target component over the
// configured links, occupying each hop.
//
// Contract:
//  - Initiators bind to `in`; component i's target socket is bound to `out` in id order, so
//    out[i] reaches component i.
//  - route(a, b) is the fewest-hop path (breadth-first; ties broken by link declaration order, so
//    routing is deterministic). Routes are computed once per pair and cached.
//  - A read sends its request (Flow::kReadRequest) along the route, lets the target time it, and
//    carries the data (kReadData) back along the reversed route; a write carries its data
//    (kWriteData) forward and its acknowledgement (kAck) back. Each link's protocol decides what
//    that costs on the wire. Components in the middle of a route (switches, root complexes) time
//    the transfer passing through them (Component::forward). The completion annotated on return
//    is when the last byte (or the ack) reached the source.
#pragma once

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <memory>
#include <string>
#include <vector>

#include "sim/kernel/link.h"

namespace tiersim::kernel {

class Fabric : public sc_core::sc_module {
 public:
  struct Hop {
    std::size_t link;
    int dir;
    ComponentId from;  // the component the hop leaves
    ComponentId to;    // the component it reaches
  };
  using Route = std::vector<Hop>;

  Fabric(sc_core::sc_module_name name, std::size_t components);

  tlm_utils::multi_passthrough_target_socket<Fabric> in;
  tlm_utils::multi_passthrough_initiator_socket<Fabric> out;

  Link& add_link(std::unique_ptr<Link> link);
  // The components, indexed by id (for forwarding through intermediate nodes).
  void set_components(std::vector<class Component*> components);
  // Null if b is unreachable from a.
  [[nodiscard]] const Route* route(ComponentId a, ComponentId b);
  [[nodiscard]] const std::vector<std::unique_ptr<Link>>& links() const { return links_; }

 private:
  void b_transport(int port, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  DataWindow walk(const Route& r, bool reverse, Flow flow, Bytes bytes, DataWindow w, Time now);

  std::size_t n_;
  std::vector<std::unique_ptr<Link>> links_;
  std::vector<class Component*> components_;
  std::vector<std::vector<std::size_t>> adjacency_;  // component -> link indices
  std::vector<std::unique_ptr<Route>> routes_;       // n*n cache; null = not computed yet
  std::vector<char> route_known_;
  // The last route asked for (an initiator usually talks to one target).
  ComponentId last_a_ = 0;
  ComponentId last_b_ = 0;
  const Route* last_route_ = nullptr;
};

}  // namespace tiersim::kernel
