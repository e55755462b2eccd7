// A kernel::System built straight from a config tree, for component tests that time serve()
// without running SystemC (header-only: only SystemC test executables include it).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/kernel/system.h"
#include "sim/stats/stat_group.h"

namespace tiersim::test {

class SystemFromNode {
 public:
  // `root` must hold a `system:` section; it is validated against the system schema.
  explicit SystemFromNode(config::Node root) : root_(std::move(root)) {
    config::Node* sys = root_.find("system");
    if (sys == nullptr) throw std::runtime_error("test YAML has no system: section");
    config::validate(*sys, *kernel::system_schema(), "system");
    system_ = std::make_unique<kernel::System>(*sys, stats_);
  }
  kernel::Component& get(const std::string& name) {
    return system_->component(system_->id_of(name, config::Origin{"test", 0, 0}));
  }
  // The value of counter `name` in statistics group `group` (a test failure if absent).
  std::uint64_t counter(const std::string& group, const std::string& name) const {
    for (const auto& g : stats_.groups()) {
      if (g.name() != group) continue;
      for (const auto& c : g.counters()) {
        if (c.name == name) return c.value.value;
      }
    }
    ADD_FAILURE() << "no counter " << group << "/" << name;
    return 0;
  }

 private:
  config::Node root_;
  stats::StatsRegistry stats_{Time::us(1)};
  std::unique_ptr<kernel::System> system_;
};

// A compute transaction of `flops` operations touching `bytes` of memory.
inline kernel::TxnExtension compute_txn(std::uint64_t flops, std::uint64_t bytes) {
  kernel::TxnExtension t;
  t.kind = kernel::TxnKind::kCompute;
  t.flops = flops;
  t.bytes = Bytes(bytes);
  return t;
}

}  // namespace tiersim::test
