#include "sim/kernel/component.h"

#include <fmt/format.h>

#include "sim/kernel/sc_time_conv.h"

namespace tiersim::kernel {

Component::Component(const BuildContext& ctx)
    : target("target"), name_(ctx.name), id_(ctx.id), stats_(&ctx.stats.group(ctx.name)) {
  target.register_b_transport(this, &Component::b_transport);
}

void Component::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  TxnExtension* ext = nullptr;
  gp.get_extension(ext);
  if (ext == nullptr) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const Time t_now = ext->now;
  const Time arrival = t_now + from_sc(delay);
  DataWindow in{arrival, ext->kind == TxnKind::kWrite ? max(arrival, ext->data_last) : arrival};
  const DataWindow out = serve(*ext, in);
  ext->resp_first = out.first;
  delay = to_sc(out.last - t_now);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

config::SchemaPtr component_schema(const std::string& type) {
  const auto* e = ComponentRegistry::instance().find(type);
  if (e == nullptr) return nullptr;
  auto own = e->schema();
  auto s = std::make_shared<config::Schema>(fmt::format("component type `{}`", type), e->doc);
  s->add("type", config::Type::kString, "Component type.").require();
  for (const auto& f : own->fields()) s->add(f.key, f.type, f.doc) = f;
  return s;
}

}  // namespace tiersim::kernel
