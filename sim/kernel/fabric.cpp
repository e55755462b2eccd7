#include "sim/kernel/fabric.h"

#include <deque>

#include "sim/kernel/component.h"
#include "sim/kernel/sc_time_conv.h"

namespace tiersim::kernel {

Fabric::Fabric(sc_core::sc_module_name name, std::size_t components)
    : sc_core::sc_module(name),
      in("in"),
      out("out"),
      n_(components),
      adjacency_(components),
      routes_(components * components),
      route_known_(components * components, 0) {
  in.register_b_transport(this, &Fabric::b_transport);
}

Link& Fabric::add_link(std::unique_ptr<Link> link) {
  adjacency_[link->a()].push_back(links_.size());
  adjacency_[link->b()].push_back(links_.size());
  links_.push_back(std::move(link));
  std::fill(route_known_.begin(), route_known_.end(), 0);
  last_route_ = nullptr;
  return *links_.back();
}

void Fabric::set_components(std::vector<Component*> components) {
  components_ = std::move(components);
}

const Fabric::Route* Fabric::route(ComponentId a, ComponentId b) {
  const std::size_t key = std::size_t{a} * n_ + b;
  if (route_known_[key]) return routes_[key].get();
  route_known_[key] = 1;
  // Breadth-first search over components; remember the hop that reached each one.
  std::vector<int> via_link(n_, -1);
  std::vector<char> seen(n_, 0);
  std::deque<ComponentId> q{a};
  seen[a] = 1;
  while (!q.empty() && !seen[b]) {
    const ComponentId c = q.front();
    q.pop_front();
    for (std::size_t li : adjacency_[c]) {
      const Link& l = *links_[li];
      const ComponentId other = l.a() == c ? l.b() : l.a();
      if (seen[other]) continue;
      seen[other] = 1;
      via_link[other] = static_cast<int>(li);
      q.push_back(other);
    }
  }
  if (!seen[b]) return nullptr;
  auto r = std::make_unique<Route>();
  for (ComponentId c = b; c != a;) {
    const Link& l = *links_[static_cast<std::size_t>(via_link[c])];
    const ComponentId prev = l.a() == c ? l.b() : l.a();
    r->insert(r->begin(),
              Hop{static_cast<std::size_t>(via_link[c]), l.a() == prev ? 0 : 1, prev, c});
    c = prev;
  }
  routes_[key] = std::move(r);
  return routes_[key].get();
}

DataWindow Fabric::walk(const Route& r, bool reverse, Flow flow, Bytes bytes, DataWindow w,
                        Time now) {
  const std::size_t n = r.size();
  if (n == 1) {  // the common case: one hop, nothing in between
    return links_[r[0].link]->carry(reverse ? 1 - r[0].dir : r[0].dir, flow, bytes, w, now);
  }
  for (std::size_t k = 0; k < n; ++k) {
    const Hop& h = reverse ? r[n - 1 - k] : r[k];
    const ComponentId from = reverse ? h.to : h.from;
    const ComponentId to = reverse ? h.from : h.to;
    if (k > 0 && !components_.empty()) {
      // `from` sits between the previous hop and this one.
      Component* mid = components_[from];
      if (mid->forwards()) {
        const Hop& prev = reverse ? r[n - k] : r[k - 1];
        const ComponentId before = reverse ? prev.to : prev.from;
        w = mid->forward(before, to, flow, bytes, w);
      }
    }
    w = links_[h.link]->carry(reverse ? 1 - h.dir : h.dir, flow, bytes, w, now);
  }
  return w;
}

void Fabric::b_transport(int /*port*/, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  TxnExtension* ext = nullptr;
  gp.get_extension(ext);
  if (ext == nullptr || ext->target >= n_ || ext->source >= n_) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const Route* r = last_route_;
  if (r == nullptr || ext->source != last_a_ || ext->target != last_b_) {
    r = route(ext->source, ext->target);
    last_a_ = ext->source;
    last_b_ = ext->target;
    last_route_ = r;
  }
  if (r == nullptr) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const Time t_now = ext->now;
  const Time t0 = t_now + from_sc(delay);
  const bool write = ext->kind == TxnKind::kWrite;
  const DataWindow at_target =
      walk(*r, false, write ? Flow::kWriteData : Flow::kReadRequest, ext->bytes, {t0, t0}, t_now);
  ext->data_last = at_target.last;
  ext->resp_first = Time::max();
  sc_core::sc_time d = to_sc(at_target.first - t_now);
  out[ext->target]->b_transport(gp, d);
  if (gp.get_response_status() != tlm::TLM_OK_RESPONSE) return;
  const Time resp_last = t_now + from_sc(d);
  const Time resp_first = ext->resp_first == Time::max() ? resp_last : ext->resp_first;
  const DataWindow back = walk(*r, true, write ? Flow::kAck : Flow::kReadData,
                               write ? Bytes(0) : ext->bytes, {resp_first, resp_last}, t_now);
  ext->resp_first = back.first;
  delay = to_sc(back.last - t_now);
}

}  // namespace tiersim::kernel
