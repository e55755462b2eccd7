#include "sim/kernel/link_protocol.h"

#include <fmt/format.h>

#include "sim/config/config_error.h"
#include "sim/config/did_you_mean.h"

namespace tiersim::kernel {

using config::Type;

std::string SimpleProtocol::describe() const {
  if (rev_.bytes_per_second() > 0.0 && rev_.bytes_per_second() != bw_.bytes_per_second()) {
    return fmt::format("simple link: {:.3f} GB/s forward, {:.3f} GB/s reverse, payload only",
                       bw_.as_GBps(), rev_.as_GBps());
  }
  return fmt::format("simple link: {:.3f} GB/s per direction, payload only", bw_.as_GBps());
}

config::SchemaPtr link_schema(const std::string& type) {
  const auto* e = LinkRegistry::instance().find(type);
  if (e == nullptr) return nullptr;
  auto s = std::make_shared<config::Schema>(fmt::format("link type `{}`", type), e->doc);
  s->add("type", Type::kString, "Link type.").default_to("simple");
  s->add("name", Type::kString, "Link name (statistics group). Default: `<a>_<b>`.");
  s->add("between", Type::kList, "The two components it joins, e.g. `[host, hbm]`.")
      .require()
      .items(Type::kString);
  s->add("latency", Type::kTime, "Latency of one traversal (one hop, one direction).")
      .default_to("0 ns");
  s->add("source", Type::kString,
         "Where the numbers come from (standard, datasheet, paper + table, measured, assumed).")
      .default_to("assumed");
  const config::SchemaPtr own = e->schema();
  for (const auto& f : own->fields()) s->add(f.key, f.type, f.doc) = f;
  return s;
}

config::SchemaPtr resolve_link(const config::Node& item, const std::string& path) {
  const config::Node* type = item.find("type");
  const std::string t = (type == nullptr || type->is_null()) ? "simple" : type->as_string();
  auto s = link_schema(t);
  if (!s) {
    const auto names = LinkRegistry::instance().names();
    const std::string hint = config::closest(t, names);
    throw config::ConfigError(
        type->origin(),
        fmt::format("{}.type: unknown link type '{}'{}", path, t,
                    hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)),
        fmt::format("known link types: {}", fmt::join(names, ", ")));
  }
  return s;
}

}  // namespace tiersim::kernel
