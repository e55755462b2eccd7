// The simulated system: components built by type name from `system.components`, joined by
// `system.links` through the Fabric.
//
// Contract:
//  - Component ids follow declaration order in the config (deterministic).
//  - Names must be identifiers ([A-Za-z_][A-Za-z0-9_]*); link endpoints must name components;
//    violations are ConfigErrors at the offending value.
//  - system_schema() validates the section; component entries are validated against the schema of
//    their registered `type` (unknown types get a "did you mean").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/kernel/component.h"
#include "sim/kernel/fabric.h"

namespace tiersim::kernel {

[[nodiscard]] config::SchemaPtr system_schema();

class System {
 public:
  // `sys` is the validated `system` map.
  System(const config::Node& sys, stats::StatsRegistry& stats);
  ~System();

  [[nodiscard]] Fabric& fabric() { return *fabric_; }
  [[nodiscard]] std::size_t size() const { return components_.size(); }
  [[nodiscard]] Component& component(ComponentId id) { return *components_[id]; }
  // Throws ConfigError at `where` if there is no such component.
  [[nodiscard]] ComponentId id_of(const std::string& name, const config::Origin& where) const;
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Component>> components_;
  std::unique_ptr<Fabric> fabric_;
};

}  // namespace tiersim::kernel
