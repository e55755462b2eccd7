// The system's transaction interface as a policy sees it (policies reach hardware only through
// this). Implemented by the serving driver over the kernel's fabric; tests may implement it with
// a recording fake.
//
// Contract:
//  - Every call issues exactly one transaction through the fabric (TLM-2.0 b_transport, never
//    waiting) arriving at its target at absolute time `at`, and returns the absolute time it
//    completes at the issuer: the last byte of a read back at `source`, the acknowledgement of a
//    write back at `source`, the end of a compute kernel on `unit`.
//  - `at` must not be earlier than the time of the step being run (Policy::run_step's `start`);
//    resource timelines are first-come-first-served in call order, so a policy issues work in the
//    order it would be issued on hardware (e.g. prefetch of layer i+1 right after compute of
//    layer i is issued, not after the whole step).
//  - read/write: data moves between `source` and `target` over the route the fabric chooses;
//    each link, switch and the target's model time it (e.g. a `dram`, `ssd`, `csd`, `cxl_device`,
//    or an ideal host memory). A copy between two memories is a read into the issuer followed by
//    a write (or one transaction when the issuer is one end).
//  - compute: `unit` is a compute component (`gpu`, `cpu`, `pim`, `csd`); `op` names the operator
//    and its shape (kernel::OpShape); `flops` and `bytes` are its operations and memory traffic
//    (for units timing by roofline); `address` locates the operand region where the unit reads
//    it from its own memory (PIM rows, CSD flash pages).
//  - Every transaction is counted in the run statistics by (source, target, kind) so results can
//    report bytes moved per tier.
//  - id(name) resolves a component of the system by name; unknown names throw config::ConfigError
//    at `where` with a did-you-mean.
#pragma once

#include <cstdint>
#include <string>

#include "sim/config/node.h"
#include "sim/kernel/transaction.h"
#include "sim/units/units.h"

namespace tiersim::policies {

using kernel::ComponentId;

class Executor {
 public:
  virtual ~Executor() = default;
  [[nodiscard]] virtual Time read(ComponentId source, ComponentId target, std::uint64_t address,
                                  Bytes bytes, Time at) = 0;
  [[nodiscard]] virtual Time write(ComponentId source, ComponentId target, std::uint64_t address,
                                   Bytes bytes, Time at) = 0;
  [[nodiscard]] virtual Time compute(ComponentId unit, const kernel::OpShape& op,
                                     std::uint64_t flops, Bytes bytes, Time at,
                                     std::uint64_t address = 0) = 0;
  [[nodiscard]] virtual ComponentId id(const std::string& name,
                                       const config::Origin& where) const = 0;
  // Capacity of a memory component in bytes (0 when it has none, e.g. a compute unit).
  [[nodiscard]] virtual Bytes capacity(ComponentId c) const = 0;
};

}  // namespace tiersim::policies
