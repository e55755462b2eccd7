// Request sources: what an initiator replays (a device trace, a synthetic pattern, ...).
//
// Contract:
//  - next() yields requests with non-decreasing arrival times, deterministically for a given
//    config and seed; false at the end.
//  - streams() is the stream-tag table (index 0 "default"); it may grow while reading.
//  - where() names the last request returned, for error messages ("file.trace: record 12").
//  - Register a source type with TIERSIM_REGISTER_WORKLOAD next to its implementation; its
//    schema() lists only its own keys (the common workload keys are added by workload_schema()).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/node.h"
#include "sim/kernel/registry.h"
#include "sim/kernel/transaction.h"

namespace tiersim::replay {

struct Request {
  Time arrival;
  kernel::TxnKind kind = kernel::TxnKind::kRead;
  std::uint64_t address = 0;
  Bytes bytes;
  std::uint16_t stream = 0;
};

class RequestSource {
 public:
  virtual ~RequestSource() = default;
  [[nodiscard]] virtual bool next(Request& out) = 0;
  [[nodiscard]] virtual const std::vector<std::string>& streams() const = 0;
  [[nodiscard]] virtual double progress() const = 0;
  [[nodiscard]] virtual std::string where() const = 0;
};

struct WorkloadContext {
  std::string name;
  const config::Node& cfg;
  std::uint64_t seed;
};

using WorkloadRegistry = kernel::Registry<RequestSource, WorkloadContext>;

// Schema of a workload entry: common keys plus the registered type's own keys.
[[nodiscard]] config::SchemaPtr workload_schema(const std::string& type);
// Resolver for `workloads:` list items (by their `type`).
[[nodiscard]] config::SchemaPtr resolve_workload(const config::Node& item, const std::string& path);

}  // namespace tiersim::replay

#define TIERSIM_REGISTER_WORKLOAD(type, Class, doc)                                                \
  static const bool TIERSIM_CONCAT(tiersim_registered_workload_, __LINE__) =                       \
      ::tiersim::replay::WorkloadRegistry::instance().add(                                         \
          {type, doc, &Class::schema, [](const ::tiersim::replay::WorkloadContext& c) {            \
             return std::unique_ptr<::tiersim::replay::RequestSource>(std::make_unique<Class>(c)); \
           }})
