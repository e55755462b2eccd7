// Base class of every hardware component: a SystemC module with a TLM-2.0 target socket.
//
// A component is built by type name from its config map (`type: ideal_memory`) through
// ComponentRegistry; register an implementation with TIERSIM_REGISTER_COMPONENT next to it.
//
// Contract for implementations:
//  - static config::SchemaPtr schema(): the keys the component accepts (the `type` key is added
//    by the registry), with units, defaults and docs.
//  - serve(txn, in) times one request arriving at the component's port, by walking its resource
//    timelines arithmetically, and returns the response window (transaction.h conventions). It is
//    called in request-issue order and must not call wait().
//  - serves_requests() is false for pure endpoints (initiators, switches).
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <functional>
#include <memory>
#include <string>

#include "sim/config/node.h"
#include "sim/kernel/link_protocol.h"
#include "sim/kernel/registry.h"
#include "sim/kernel/transaction.h"
#include "sim/stats/stat_group.h"

namespace tiersim::kernel {

struct BuildContext {
  std::string name;
  ComponentId id = 0;
  const config::Node& cfg;
  stats::StatsRegistry& stats;
};

// Construct only through ComponentRegistry (or with a live sc_module_name, as SystemC requires).
class Component : public sc_core::sc_module {
 public:
  explicit Component(const BuildContext& ctx);
  ~Component() override = default;

  tlm_utils::simple_target_socket<Component> target;

  [[nodiscard]] ComponentId id() const { return id_; }
  [[nodiscard]] const std::string& component_name() const { return name_; }
  [[nodiscard]] virtual bool serves_requests() const { return true; }
  // Lowest and one-past-highest address the component serves (for trace range checks).
  [[nodiscard]] virtual std::uint64_t capacity_bytes() const { return 0; }

  virtual DataWindow serve(const TxnExtension& txn, DataWindow in) = 0;

  // A transfer passing *through* this component between two links (a switch, a root complex):
  // from neighbour `from` to neighbour `to`. Returns the window at the outgoing side. Only called
  // when forwards() is true; the default passes data through untouched.
  [[nodiscard]] virtual bool forwards() const { return false; }
  virtual DataWindow forward(ComponentId /*from*/, ComponentId /*to*/, Flow /*flow*/,
                             Bytes /*payload*/, DataWindow in) {
    return in;
  }
  // Called once all components exist: resolve names of other components given in the config
  // (throw ConfigError at the name's origin if unknown; `lookup` does that).
  using NameLookup = std::function<ComponentId(const std::string&, const config::Origin&)>;
  virtual void resolve_names(const NameLookup& /*lookup*/) {}

  // Called once after the run, before statistics are written (e.g. to record busy time).
  virtual void finalize(Time /*end*/) {}

 protected:
  stats::StatGroup& stats() { return *stats_; }

 private:
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  std::string name_;
  ComponentId id_;
  stats::StatGroup* stats_;
};

using ComponentRegistry = Registry<Component, BuildContext>;

// Schema of a component type: `type` plus the type's own keys.
[[nodiscard]] config::SchemaPtr component_schema(const std::string& type);

}  // namespace tiersim::kernel

// Registers `Class` (a Component with a static schema()) under the config type name `type`.
#define TIERSIM_REGISTER_COMPONENT(type, Class, doc)                                             \
  static const bool TIERSIM_CONCAT(tiersim_registered_component_, __LINE__) =                    \
      ::tiersim::kernel::ComponentRegistry::instance().add(                                      \
          {type, doc, &Class::schema, [](const ::tiersim::kernel::BuildContext& ctx) {           \
             /* SystemC names a module from the sc_module_name alive during its construction. */ \
             const sc_core::sc_module_name module_name(ctx.name.c_str());                        \
             return std::unique_ptr<::tiersim::kernel::Component>(std::make_unique<Class>(ctx)); \
           }})
