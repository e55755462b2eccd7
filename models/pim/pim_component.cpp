#include "models/pim/pim_component.h"

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <utility>

#include "models/dram/detailed_engine.h"
#include "models/dram/fast_engine.h"
#include "sim/config/config_error.h"

namespace tiersim::models::pim {

using kernel::OpKind;

namespace {

Fidelity fidelity_of(const config::Node& cfg) {
  return cfg.get_string("fidelity") == "detailed" ? Fidelity::kDetailed : Fidelity::kFast;
}

// The model, with what the schema cannot check (an organization the PIM kind cannot use)
// reported at the `pim.kind` key.
std::unique_ptr<PimModel> make_model(const config::Node& cfg) {
  dram::DramSpec d = dram::spec_from_config(cfg);
  const PimSpec p = pim_spec_from(cfg.at("pim"));
  try {
    return std::make_unique<PimModel>(std::move(d), p, fidelity_of(cfg));
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(cfg.at("pim").at("kind").origin(), e.what());
  }
}

}  // namespace

PimComponent::PimComponent(const kernel::BuildContext& ctx)
    : Component(ctx),
      model_(make_model(ctx.cfg)),
      mapping_(model_->dram(), ctx.cfg.at("mapping").origin()),
      pim_ops_(stats().counter("pim_ops", "PIM operators served")),
      gemv_ops_(stats().counter("gemv_ops", "GEMV operators")),
      attention_ops_(stats().counter("attention_ops", "Decode-attention operators")),
      moe_ops_(stats().counter("moe_ops", "MoE expert-FFN operators")),
      reads_(stats().counter("reads", "Normal read requests served")),
      writes_(stats().counter("writes", "Normal write requests served")),
      bytes_read_(stats().counter("bytes_read", "Bytes read by normal requests")),
      bytes_written_(stats().counter("bytes_written", "Bytes written by normal requests")) {
  if (model_->fidelity() == Fidelity::kDetailed) {
    memory_ = std::make_unique<dram::DetailedEngine>(model_->dram(), mapping_);
  } else {
    memory_ = std::make_unique<dram::FastEngine>(model_->dram(), mapping_);
  }
}

PimResult PimComponent::time_op(const kernel::OpShape& op) const {
  const std::uint64_t batch = op.batch == 0 ? 1 : op.batch;
  switch (op.kind) {
    case OpKind::kGemv:
      return model_->gemv({op.m, op.k, batch, op.elem_bytes, 1});
    case OpKind::kDecodeAttention:
      return model_->decode_attention(batch, op.q_heads, op.kv_heads, op.context, op.head_dim,
                                      op.elem_bytes);
    case OpKind::kMoeFfn:
      return model_->moe_ffn(batch, op.m, op.n, op.k, op.elem_bytes);
    default:
      break;
  }
  throw std::invalid_argument(
      fmt::format("pim '{}' cannot run operator kind {} (gemv, "
                  "decode_attention, moe_ffn)",
                  component_name(), kernel::op_kind_name(op.kind)));
}

kernel::DataWindow PimComponent::serve(const kernel::TxnExtension& txn, kernel::DataWindow in) {
  const bool dual = model_->pim().dual_row_buffer;
  if (txn.kind == kernel::TxnKind::kCompute) {
    const PimResult r = time_op(txn.op);
    const Time earliest = dual ? in.first : max(in.first, normal_last_);
    const Time start = timeline_.reserve(earliest, r.total());
    pim_ops_.add();
    if (txn.op.kind == OpKind::kGemv) gemv_ops_.add();
    if (txn.op.kind == OpKind::kDecodeAttention) attention_ops_.add();
    if (txn.op.kind == OpKind::kMoeFfn) moe_ops_.add();
    totals_ += r;
    const Time end = start + r.total();
    return {end, end};
  }
  const bool write = txn.kind == kernel::TxnKind::kWrite;
  const Time arrival = dual ? in.first : max(in.first, timeline_.free_at());
  const dram::DramResult r = memory_->serve({txn.address, txn.bytes, write, arrival});
  normal_last_ = max(normal_last_, r.last);
  (write ? writes_ : reads_).add();
  (write ? bytes_written_ : bytes_read_).add(txn.bytes.count());
  return {r.first, r.last};
}

void PimComponent::finalize(Time end) {
  stats().counter("flops", "Useful floating-point operations of the PIM operators").value =
      static_cast<std::uint64_t>(std::llround(totals_.flops));
  stats().counter("weight_bytes", "Operand bytes the PIM operators streamed from the banks").value =
      totals_.weight_bytes.count();
  stats().counter("pim_busy_ps", "Time PIM operators occupied the stack, ps").value =
      static_cast<std::uint64_t>(timeline_.busy_time().ps());
  using dram::Command;
  for (const Command c : {Command::kACT, Command::kPRE, Command::kACTab, Command::kPREA,
                          Command::kMACab, Command::kMACbg, Command::kRDbb}) {
    const auto name = dram::kCommandNames[dram::index(c)];
    stats()
        .counter(fmt::format("cmd_{}", name), fmt::format("{} commands of PIM operators", name))
        .value = totals_.commands[dram::index(c)];
  }
  // Normal accesses: ACT and RD/WR bursts of the DRAM engine.
  const dram::DramCounters& c = memory_->counters();
  const dram::EnergySpec& e = model_->dram().energy;
  const auto n = [&](Command cmd) { return static_cast<double>(c.commands[dram::index(cmd)]); };
  PimEnergy en = totals_.energy;
  en.act_pj +=
      n(Command::kACT) * e.act.as_pJ() + (n(Command::kPRE) + n(Command::kPREA)) * e.pre.as_pJ();
  en.io_pj += (n(Command::kRD) + n(Command::kRDA)) * e.rd.as_pJ() +
              (n(Command::kWR) + n(Command::kWRA)) * e.wr.as_pJ();
  en.background_pj = e.background_watts_per_channel *
                     static_cast<double>(model_->dram().count(dram::Level::kChannel)) *
                     end.as_seconds() * 1e12;
  const auto pj = [](double v) { return static_cast<std::uint64_t>(std::llround(v)); };
  stats().counter("energy_act_pJ", "ACT/PRE energy (all-bank ACTs count every bank), pJ").value =
      pj(en.act_pj);
  stats().counter("energy_column_pJ", "PIM column reads (array, bank-group bus, TSV), pJ").value =
      pj(en.column_pj);
  stats().counter("energy_mac_pJ", "PIM MAC energy (bank, bank-group or logic die), pJ").value =
      pj(en.mac_pj);
  stats().counter("energy_io_pJ", "External I/O: inputs, results, normal RD/WR, pJ").value =
      pj(en.io_pj);
  stats().counter("energy_background_pJ", "Background power over the run, pJ").value =
      pj(en.background_pj);
  stats().counter("energy_total_pJ", "Total PIM stack energy, pJ").value = pj(en.total_pj());
}

TIERSIM_REGISTER_COMPONENT("pim", PimComponent,
                           "HBM stack with bank-, bank-group- or logic-die PIM: GEMV, decode "
                           "attention and MoE FFN timed from PIM DRAM commands.");

}  // namespace tiersim::models::pim
