#include "models/pim/pim_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace tiersim::models::pim {

using dram::Command;
using dram::index;

namespace {
std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}
}  // namespace

PimEnergy& PimEnergy::operator+=(const PimEnergy& o) {
  act_pj += o.act_pj;
  column_pj += o.column_pj;
  mac_pj += o.mac_pj;
  io_pj += o.io_pj;
  background_pj += o.background_pj;
  return *this;
}

Bandwidth PimResult::internal_bandwidth() const {
  const double s = compute.as_seconds();
  return Bandwidth::bytes_per_second(s > 0 ? weight_bytes.as_double() / s : 0.0);
}

Bandwidth PimResult::effective_bandwidth() const {
  const double s = total().as_seconds();
  return Bandwidth::bytes_per_second(s > 0 ? weight_bytes.as_double() / s : 0.0);
}

PimResult& PimResult::operator+=(const PimResult& o) {
  load = load + o.load;
  compute = compute + o.compute;
  readout = readout + o.readout;
  flops += o.flops;
  mac_lanes += o.mac_lanes;
  weight_bytes = weight_bytes + o.weight_bytes;
  steps_per_pc += o.steps_per_pc;
  for (std::size_t i = 0; i < commands.size(); ++i) commands[i] += o.commands[i];
  energy += o.energy;
  return *this;
}

PimModel::PimModel(dram::DramSpec dram, PimSpec pim, Fidelity fidelity)
    : dram_(std::move(dram)),
      pim_(pim),
      geo_(geometry_of(dram_)),
      fidelity_(fidelity),
      engine_(dram_, pim_),
      fast_(dram_, pim_) {}

PimResult PimModel::gemv(const GemvShape& s) const {
  if (s.elem_bytes == 0 || dram_.burst_bytes.count() % s.elem_bytes != 0) {
    throw std::invalid_argument("pim gemv: element size must divide the burst");
  }
  const std::uint64_t lanes = dram_.burst_bytes.count() / s.elem_bytes;
  const Layout layout(geo_, pim_, s, lanes);
  const std::uint64_t per_step = pim_.kind == PimKind::kBank ? s.batch
                                 : pim_.kind == PimKind::kBankGroup
                                     ? ceil_div(s.batch, pim_.vectors_per_read)
                                     : 1;
  const PcWork work{layout.steps_per_pc(), per_step, s.batch, lanes};
  const PcSchedule sched = fidelity_ == Fidelity::kFast ? fast_.run(work) : engine_.run(work);

  // Rows of the busiest pseudo channel (readout) and its input sets (load).
  std::uint64_t pc_rows = 0;
  for (std::uint64_t pc = 0; pc < geo_.pcs; ++pc) {
    std::uint64_t rows = 0;
    for (std::uint64_t l = 0; l < layout.units_per_pc(); ++l) {
      rows += layout.unit_rows(layout.unit_id(pc, l));
    }
    pc_rows = std::max(pc_rows, rows);
  }
  const std::uint64_t load_bursts = std::min(s.input_sets, pc_rows) * s.batch * layout.kc();
  const std::uint64_t out_bursts =
      ceil_div(pc_rows * s.batch * s.elem_bytes, dram_.burst_bytes.count());

  PimResult r;
  r.op = fmt::format("{}-PIM gemv {}x{} x{}", to_string(pim_.kind), s.m, s.k, s.batch);
  r.load = dram_.cycles(static_cast<dram::Cycle>(load_bursts) * dram_.burst_cycles);
  r.compute = sched.done;
  r.readout = dram_.cycles(static_cast<dram::Cycle>(out_bursts) * dram_.burst_cycles);
  r.flops =
      2.0 * static_cast<double>(s.m) * static_cast<double>(s.k) * static_cast<double>(s.batch);
  r.weight_bytes = Bytes(s.m * s.k * s.elem_bytes);
  r.steps_per_pc = work.steps;
  for (std::size_t i = 0; i < r.commands.size(); ++i) r.commands[i] = sched.commands[i] * geo_.pcs;
  const std::uint64_t readers =
      pim_.kind == PimKind::kBank ? geo_.banks_per_pc() : geo_.groups_per_pc;
  r.mac_lanes = geo_.pcs * work.steps * readers * lanes * s.batch;

  const dram::EnergySpec& e = dram_.energy;
  const auto n = [&](Command c) { return static_cast<double>(r.commands[index(c)]); };
  const double banks = static_cast<double>(geo_.banks_per_pc());
  const double groups = static_cast<double>(geo_.groups_per_pc);
  r.energy.act_pj = (n(Command::kACT) + n(Command::kACTab) * banks) * e.act.as_pJ() +
                    (n(Command::kPRE) + n(Command::kPREA) * banks) * e.pre.as_pJ();
  r.energy.column_pj =
      n(Command::kMACab) * banks * e.column_access.as_pJ() +
      n(Command::kMACbg) * groups * (e.column_access.as_pJ() + e.bank_group_bus.as_pJ()) +
      n(Command::kRDbb) * groups *
          (e.column_access.as_pJ() + e.bank_group_bus.as_pJ() + e.tsv.as_pJ());
  r.energy.mac_pj = static_cast<double>(r.mac_lanes) * pim_.mac_energy.as_pJ();
  const double pcs = static_cast<double>(geo_.pcs);
  r.energy.io_pj = pcs * (static_cast<double>(load_bursts) * e.wr.as_pJ() +
                          static_cast<double>(out_bursts) * e.rd.as_pJ());
  r.energy.background_pj = e.background_watts_per_channel *
                           static_cast<double>(dram_.count(dram::Level::kChannel)) *
                           r.total().as_seconds() * 1e12;
  return r;
}

PimResult PimModel::decode_attention(std::uint64_t batch, std::uint64_t q_heads,
                                     std::uint64_t kv_heads, std::uint64_t context,
                                     std::uint64_t head_dim, std::uint32_t elem_bytes) const {
  if (kv_heads == 0 || q_heads % kv_heads != 0) {
    throw std::invalid_argument("pim decode attention: q_heads must be a multiple of kv_heads");
  }
  const std::uint64_t group = q_heads / kv_heads;
  const std::uint64_t sets = batch * kv_heads;
  PimResult r = gemv({sets * context, head_dim, group, elem_bytes, sets});
  r += gemv({sets * head_dim, context, group, elem_bytes, sets});
  r.op = fmt::format("{}-PIM decode attention b{} ctx{} h{}/{} d{}", to_string(pim_.kind), batch,
                     context, q_heads, kv_heads, head_dim);
  return r;
}

PimResult PimModel::moe_ffn(std::uint64_t tokens, std::uint64_t d_model, std::uint64_t d_ff,
                            std::uint64_t experts, std::uint32_t elem_bytes) const {
  if (experts == 0 || tokens == 0) {
    throw std::invalid_argument("pim moe ffn: tokens and experts must be > 0");
  }
  const std::uint64_t per_expert = ceil_div(tokens, experts);
  PimResult r = gemv({experts * 2 * d_ff, d_model, per_expert, elem_bytes, experts});
  r += gemv({experts * d_model, d_ff, per_expert, elem_bytes, experts});
  r.op = fmt::format("{}-PIM moe ffn {} tok / {} experts d{} ff{}", to_string(pim_.kind), tokens,
                     experts, d_model, d_ff);
  return r;
}

}  // namespace tiersim::models::pim
