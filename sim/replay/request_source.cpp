#include "sim/replay/request_source.h"

#include <fmt/format.h>

#include "sim/config/config_error.h"
#include "sim/config/did_you_mean.h"

namespace tiersim::replay {

using config::ConfigError;
using config::Type;

config::SchemaPtr workload_schema(const std::string& type) {
  const auto* e = WorkloadRegistry::instance().find(type);
  if (e == nullptr) return nullptr;
  auto s = std::make_shared<config::Schema>(fmt::format("workload type `{}`", type), e->doc);
  s->add("type", Type::kString, "Workload type.").require();
  s->add("name", Type::kString, "Name (statistics group). Default: `workload<index>`.");
  s->add("source", Type::kString, "Component that issues the requests.").require();
  s->add("target", Type::kString, "Component that serves them.").require();
  s->add("max_outstanding", Type::kUInt,
         "Requests in flight at once; a new one waits for a completion (back-pressure).")
      .default_to("64")
      .at_least(1);
  s->add("start", Type::kTime, "Offset added to every arrival time.").default_to("0 ns");
  const config::SchemaPtr own = e->schema();  // keep alive while copying its fields
  for (const auto& f : own->fields()) s->add(f.key, f.type, f.doc) = f;
  return s;
}

config::SchemaPtr resolve_workload(const config::Node& item, const std::string& path) {
  const config::Node* type = item.find("type");
  const auto names = WorkloadRegistry::instance().names();
  if (type == nullptr || type->is_null()) {
    throw ConfigError(item.origin(), fmt::format("missing required key 'type' in {}", path),
                      fmt::format("known workload types: {}", fmt::join(names, ", ")));
  }
  auto s = workload_schema(type->as_string());
  if (!s) {
    const std::string hint = config::closest(type->text(), names);
    throw ConfigError(type->origin(),
                      fmt::format("{}.type: unknown workload type '{}'{}", path, type->text(),
                                  hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)),
                      fmt::format("known workload types: {}", fmt::join(names, ", ")));
  }
  return s;
}

}  // namespace tiersim::replay
