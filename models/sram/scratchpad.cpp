#include "models/sram/scratchpad.h"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/config/config_error.h"

namespace tiersim::models {

using config::Type;

namespace {

std::uint32_t positive_u32(const config::Node& cfg, const char* key) {
  const std::uint64_t v = cfg.get_uint(key);
  if (v == 0 || v > 0xFFFF'FFFFULL) {
    throw config::ConfigError(cfg.at(key).origin(),
                              fmt::format("{}: must be between 1 and 4294967295", key));
  }
  return static_cast<std::uint32_t>(v);
}

sram::ScratchpadParams params_from(const config::Node& cfg) {
  sram::ScratchpadParams p;
  p.banks = positive_u32(cfg, "banks");
  p.interleave = cfg.get_size("interleave");
  if (p.interleave.count() == 0) {
    throw config::ConfigError(cfg.at("interleave").origin(), "interleave: must be > 0 B");
  }
  p.bank_bandwidth = cfg.get_bandwidth("bank_bandwidth");
  p.latency = cfg.get_time("latency");
  p.ports = positive_u32(cfg, "ports");
  p.port_bandwidth = cfg.get_bandwidth("port_bandwidth");
  return p;
}

}  // namespace

config::SchemaPtr SramScratchpad::schema() {
  auto s = std::make_shared<config::Schema>("sram_scratchpad");
  s->add("banks", Type::kUInt, "Number of banks (each with its own timeline).")
      .require()
      .at_least(1);
  s->add("interleave", Type::kSize,
         "Bytes mapped to one bank before the next bank (granule g is in bank g % banks).")
      .default_to("4 B");
  s->add("bank_bandwidth", Type::kBandwidth, "Bandwidth of one bank (0 = unlimited).").require();
  s->add("latency", Type::kTime, "Access latency, pipelined (overlaps other transfers).")
      .default_to("0 ns");
  s->add("ports", Type::kUInt, "Request ports; a request takes the earliest-free one.")
      .default_to("1")
      .at_least(1);
  s->add("port_bandwidth", Type::kBandwidth, "Bandwidth of one port (0 = unlimited).")
      .default_to("0 B/s");
  s->add("capacity", Type::kSize,
         "Addressable bytes; requests beyond it are errors. 0 means unbounded.")
      .default_to("0 B");
  s->add("source", Type::kString,
         "Where the numbers come from (datasheet, paper + table, measured, assumed).")
      .default_to("assumed");
  return s;
}

SramScratchpad::SramScratchpad(const kernel::BuildContext& ctx)
    : Component(ctx),
      capacity_(ctx.cfg.get_size("capacity")),
      timing_(params_from(ctx.cfg)),
      reads_(stats().counter("reads", "Read requests served")),
      writes_(stats().counter("writes", "Write requests served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read")),
      bytes_written_(stats().counter("bytes_written", "Bytes written")),
      bank_accesses_(stats().counter("bank_accesses",
                                     "Bank shares reserved (one per bank per "
                                     "request)")),
      bank_conflicts_(stats().counter("bank_conflicts", "Bank shares delayed by a busy bank")),
      conflict_stall_ps_(stats().counter("conflict_stall_ps", "Total bank-conflict wait, ps")),
      bank_busy_ps_(stats().counter("bank_busy_ps", "Sum of all banks' busy time, ps")) {}

kernel::DataWindow SramScratchpad::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  if (capacity_.count() != 0 &&
      (txn.address > capacity_.count() || txn.bytes.count() > capacity_.count() - txn.address)) {
    throw std::out_of_range(
        fmt::format("{}: request [{:#x}, +{} B) is outside the scratchpad's capacity of {} B",
                    component_name(), txn.address, txn.bytes.count(), capacity_.count()));
  }
  const auto a = timing_.access(txn.kind, in.first, in.last, txn.address, txn.bytes);
  if (txn.kind == kernel::TxnKind::kWrite) {
    writes_.add();
    bytes_written_.add(txn.bytes.count());
  } else {
    reads_.add();
    bytes_read_.add(txn.bytes.count());
  }
  bank_accesses_.add(a.banks_touched);
  bank_conflicts_.add(a.conflicts);
  conflict_stall_ps_.add(static_cast<std::uint64_t>(a.conflict_stall.ps()));
  return a.window;
}

void SramScratchpad::finalize(Time /*end*/) {
  bank_busy_ps_.value = static_cast<std::uint64_t>(timing_.bank_busy().ps());
}

TIERSIM_REGISTER_COMPONENT("sram_scratchpad", SramScratchpad,
                           "Banked SRAM scratchpad: ports, interleaved banks, bank conflicts.");

}  // namespace tiersim::models
