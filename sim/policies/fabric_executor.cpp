#include "sim/policies/fabric_executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "sim/kernel/sc_time_conv.h"

namespace tiersim::policies {

using kernel::from_sc;
using kernel::to_sc;
using kernel::TxnKind;

FabricExecutor::FabricExecutor(sc_core::sc_module_name name, kernel::System& system)
    : sc_core::sc_module(name), socket("socket"), system_(system) {
  gp_.set_extension(&ext_);
  gp_.set_data_ptr(nullptr);
  gp_.set_streaming_width(0);
  gp_.set_byte_enable_ptr(nullptr);
  gp_.set_dmi_allowed(false);
  socket.bind(system_.fabric().in);
}

FabricExecutor::~FabricExecutor() {
  // The payload would delete its extensions; ours is a member, so detach it first.
  if (gp_.get_extension<kernel::TxnExtension>() != nullptr) gp_.clear_extension(&ext_);
}

Time FabricExecutor::issue(TxnKind kind, ComponentId source, ComponentId target,
                           std::uint64_t address, Bytes bytes, Time at) {
  const Time now = kernel::now();
  if (at < now) {
    throw std::logic_error(fmt::format(
        "executor: a transaction issued at {} ps, before the simulated time {} ps (a policy "
        "issued work before its step's start)",
        at.ps(), now.ps()));
  }
  ext_.id = issued_++;
  ext_.source = source;
  ext_.target = target;
  ext_.kind = kind;
  ext_.bytes = bytes;
  ext_.address = address;
  ext_.stream = 0;
  ext_.now = now;
  ext_.data_last = at;
  ext_.resp_first = Time::max();
  gp_.set_command(kind == TxnKind::kWrite ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  gp_.set_address(address);
  gp_.set_data_length(
      static_cast<unsigned int>(std::min<std::uint64_t>(bytes.count(), 0xffffffffu)));
  gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = to_sc(at - now);
  socket->b_transport(gp_, delay);
  if (gp_.get_response_status() != tlm::TLM_OK_RESPONSE) {
    const auto names = system_.names();
    throw std::runtime_error(fmt::format(
        "executor: the system could not carry a {} from '{}' to '{}' ({})",
        kind == TxnKind::kCompute ? "compute" : (kind == TxnKind::kWrite ? "write" : "read"),
        names.at(source), names.at(target), gp_.get_response_string()));
  }
  Moved& m = moved_[{source, target, kind}];
  m.bytes += bytes.count();
  ++m.transactions;
  return now + from_sc(delay);
}

Time FabricExecutor::read(ComponentId source, ComponentId target, std::uint64_t address,
                          Bytes bytes, Time at) {
  ext_.flops = 0;
  ext_.op = {};
  return issue(TxnKind::kRead, source, target, address, bytes, at);
}

Time FabricExecutor::write(ComponentId source, ComponentId target, std::uint64_t address,
                           Bytes bytes, Time at) {
  ext_.flops = 0;
  ext_.op = {};
  return issue(TxnKind::kWrite, source, target, address, bytes, at);
}

Time FabricExecutor::compute(ComponentId unit, const kernel::OpShape& op, std::uint64_t flops,
                             Bytes bytes, Time at, std::uint64_t address) {
  ext_.flops = flops;
  ext_.op = op;
  return issue(TxnKind::kCompute, unit, unit, address, bytes, at);
}

ComponentId FabricExecutor::id(const std::string& name, const config::Origin& where) const {
  return system_.id_of(name, where);
}

Bytes FabricExecutor::capacity(ComponentId c) const {
  return Bytes(system_.component(c).capacity_bytes());
}

}  // namespace tiersim::policies
