// The Executor (executor.h) over the kernel: a SystemC initiator bound to the system's fabric.
//
// Contract (beyond executor.h):
//  - Each call is one b_transport on `socket` (bound to System::fabric().in) with
//    delay = at - sc_time_stamp(); it never waits, so `at` must be >= sc_time_stamp() (the serving
//    driver only lets SystemC time advance to the start of the step being run). A transaction the
//    fabric cannot route (no path) throws std::runtime_error naming both ends.
//  - compute() sends a TxnKind::kCompute transaction with source == target == unit (no link is
//    crossed) carrying the op shape, flops and bytes.
//  - Bytes and transactions are counted per (source, target, kind) in a deterministic order
//    (moved()), for the results' "bytes moved per tier" table.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "sim/kernel/system.h"
#include "sim/policies/executor.h"

namespace tiersim::policies {

struct Moved {
  std::uint64_t bytes = 0;
  std::uint64_t transactions = 0;
};
using MovedKey = std::tuple<ComponentId, ComponentId, kernel::TxnKind>;  // source, target, kind

class FabricExecutor : public sc_core::sc_module, public Executor {
 public:
  FabricExecutor(sc_core::sc_module_name name, kernel::System& system);
  ~FabricExecutor() override;

  tlm_utils::simple_initiator_socket<FabricExecutor> socket;

  [[nodiscard]] Time read(ComponentId source, ComponentId target, std::uint64_t address,
                          Bytes bytes, Time at) override;
  [[nodiscard]] Time write(ComponentId source, ComponentId target, std::uint64_t address,
                           Bytes bytes, Time at) override;
  [[nodiscard]] Time compute(ComponentId unit, const kernel::OpShape& op, std::uint64_t flops,
                             Bytes bytes, Time at, std::uint64_t address = 0) override;
  [[nodiscard]] ComponentId id(const std::string& name, const config::Origin& where) const override;
  [[nodiscard]] Bytes capacity(ComponentId c) const override;

  [[nodiscard]] const std::map<MovedKey, Moved>& moved() const { return moved_; }
  [[nodiscard]] std::uint64_t transactions() const { return issued_; }

 private:
  Time issue(kernel::TxnKind kind, ComponentId source, ComponentId target, std::uint64_t address,
             Bytes bytes, Time at);

  kernel::System& system_;
  tlm::tlm_generic_payload gp_;
  kernel::TxnExtension ext_;
  std::uint64_t issued_ = 0;
  std::map<MovedKey, Moved> moved_;
};

}  // namespace tiersim::policies
