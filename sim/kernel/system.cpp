#include "sim/kernel/system.h"

#include <fmt/format.h>

#include "sim/config/config_error.h"
#include "sim/config/did_you_mean.h"

namespace tiersim::kernel {

using config::ConfigError;
using config::Node;
using config::Schema;
using config::SchemaPtr;
using config::Type;

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

SchemaPtr resolve_component(const Node& item, const std::string& path) {
  const Node* type = item.find("type");
  if (type == nullptr || type->is_null()) {
    throw ConfigError(item.origin(), fmt::format("missing required key 'type' in {}", path),
                      fmt::format("known component types: {}",
                                  fmt::join(ComponentRegistry::instance().names(), ", ")));
  }
  const std::string t = type->as_string();
  SchemaPtr s = component_schema(t);
  if (!s) {
    const auto names = ComponentRegistry::instance().names();
    const std::string hint = config::closest(t, names);
    throw ConfigError(type->origin(),
                      fmt::format("{}.type: unknown component type '{}'{}", path, t,
                                  hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)),
                      fmt::format("known component types: {}", fmt::join(names, ", ")));
  }
  return s;
}

}  // namespace

SchemaPtr system_schema() {
  static const SchemaPtr s = [] {
    auto sys = std::make_shared<Schema>("system", "Components and the links between them.");
    sys->add("components", Type::kDict,
             "Named components; each has a `type` (see the component reference) and its keys.")
        .require()
        .items_by(resolve_component);
    sys->add("links", Type::kList,
             "Links between components, each of a registered link `type` (default `simple`); "
             "transfers follow the fewest-hop path.")
        .items_by(resolve_link);
    return sys;
  }();
  return s;
}

System::System(const Node& sys, stats::StatsRegistry& stats) {
  const Node& comps = sys.at("components");
  if (comps.entries().empty()) {
    throw ConfigError(comps.origin(), "system.components: at least one component is needed");
  }
  if (comps.entries().size() > 65535) {
    throw ConfigError(comps.origin(), "system.components: at most 65535 components");
  }
  for (const auto& e : comps.entries()) {
    if (!is_identifier(e.key)) {
      throw ConfigError(e.key_origin, fmt::format("component name '{}' is not an identifier "
                                                  "([A-Za-z_][A-Za-z0-9_]*)",
                                                  e.key));
    }
    const std::string type = e.value.get_string("type");
    const auto* entry = ComponentRegistry::instance().find(type);
    BuildContext ctx{e.key, static_cast<ComponentId>(components_.size()), e.value, stats};
    components_.push_back(entry->make(ctx));
  }
  fabric_ = std::make_unique<Fabric>("fabric", components_.size());
  std::vector<Component*> raw;
  for (auto& c : components_) {
    fabric_->out.bind(c->target);
    raw.push_back(c.get());
  }
  fabric_->set_components(std::move(raw));
  for (auto& c : components_) {
    c->resolve_names(
        [this](const std::string& n, const config::Origin& where) { return id_of(n, where); });
  }

  if (const Node* links = sys.find("links"); links != nullptr && links->is_seq()) {
    for (const auto& l : links->items()) {
      const Node& between = l.at("between");
      if (between.items().size() != 2) {
        throw ConfigError(between.origin(), fmt::format("a link joins exactly 2 components, got {}",
                                                        between.items().size()));
      }
      const ComponentId a = id_of(between.items()[0].as_string(), between.items()[0].origin());
      const ComponentId b = id_of(between.items()[1].as_string(), between.items()[1].origin());
      if (a == b) {
        throw ConfigError(between.origin(), "a link must join two different components");
      }
      const std::string an = components_[a]->component_name();
      const std::string bn = components_[b]->component_name();
      const std::string name = l.get_string_or("name", fmt::format("{}_{}", an, bn));
      for (const auto& c : components_) {
        if (c->component_name() == name) {
          throw ConfigError(l.origin(), fmt::format("link name '{}' is also a component name; "
                                                    "names share one statistics namespace",
                                                    name));
        }
      }
      for (const auto& existing : fabric_->links()) {
        if (existing->name() == name) {
          throw ConfigError(l.origin(), fmt::format("duplicate link name '{}'", name));
        }
      }
      const auto* type = LinkRegistry::instance().find(l.get_string_or("type", "simple"));
      fabric_->add_link(std::make_unique<Link>(name, a, b, an, bn, type->make(LinkContext{l}),
                                               l.get_time("latency"), stats.group(name)));
    }
  }
}

System::~System() = default;

ComponentId System::id_of(const std::string& name, const config::Origin& where) const {
  for (const auto& c : components_) {
    if (c->component_name() == name) return c->id();
  }
  const std::string hint = config::closest(name, names());
  throw ConfigError(where,
                    fmt::format("no component named '{}'{}", name,
                                hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)),
                    fmt::format("components: {}", fmt::join(names(), ", ")));
}

std::vector<std::string> System::names() const {
  std::vector<std::string> n;
  for (const auto& c : components_) n.push_back(c->component_name());
  return n;
}

}  // namespace tiersim::kernel
