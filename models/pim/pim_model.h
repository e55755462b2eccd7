// Operator timing and energy of one PIM device (an HBM stack with bank-, bank-group- or logic-die
// PIM), plain C++: the `pim` component (pim_component.h), the bench and the tests use it
// (docs/models/pim.md).
//
// Contract:
//  - gemv(): y = W x for an m x k weight and `batch` input vectors, laid out by Layout. Every
//    pseudo channel runs its column steps in parallel; the busiest one sets the time:
//      load    = input bursts per pseudo channel (min(input_sets, its rows) x batch x kc) x
//                burst_cycles x tCK, written over the pseudo channel's data bus;
//      compute = the command schedule (FastSchedule for Fidelity::kFast, CommandEngine for
//                kDetailed) from its first command to the last data consumed;
//      readout = result bursts of the busiest pseudo channel (rows x batch x elem_bytes) x
//                burst_cycles x tCK.
//    total = load + compute + readout (not overlapped). Commands are the busiest pseudo
//    channel's x pseudo channels.
//  - Energy (pJ): ACT (ACTab = banks per pseudo channel ACTs) + PRE; column: MACab = banks x
//    column_access, MACbg = groups x (column_access + bank_group_bus), RDbb = groups x
//    (column_access + bank_group_bus + tsv); MAC: MAC lanes operated x mac_energy (padding
//    included); I/O: load bursts x WR + readout bursts x RD; background: the DRAM's background
//    power x channels x total.
//  - decode_attention(): scores = K q (m = batch x kv_heads x context rows of head_dim, batch =
//    q_heads / kv_heads query vectors, one input set per (sequence, KV head)), then values = V^T p
//    (m = batch x kv_heads x head_dim rows of context); the softmax between them is done by the
//    host on the read-out scores (its time is the readout and the next load). Sequential.
//  - moe_ffn(): up+gate (experts x 2 d_ff rows of d_model) then down (experts x d_model rows of
//    d_ff), ceil(tokens / experts) vectors per expert, one input set per expert.
//  - Throws std::invalid_argument for zero sizes or weights that do not fit.
#pragma once

#include <array>
#include <string>

#include "models/dram/spec.h"
#include "models/pim/command_engine.h"
#include "models/pim/fast_schedule.h"
#include "models/pim/layout.h"

namespace tiersim::models::pim {

enum class Fidelity : std::uint8_t { kFast, kDetailed };

struct PimEnergy {
  double act_pj = 0;
  double column_pj = 0;
  double mac_pj = 0;
  double io_pj = 0;
  double background_pj = 0;
  [[nodiscard]] double total_pj() const {
    return act_pj + column_pj + mac_pj + io_pj + background_pj;
  }
  PimEnergy& operator+=(const PimEnergy& o);
};

struct PimResult {
  std::string op;
  Time load;
  Time compute;
  Time readout;
  double flops = 0;             // 2 x m x k x batch (useful)
  std::uint64_t mac_lanes = 0;  // MAC lane operations including padding
  Bytes weight_bytes;           // m x k x elem_bytes
  std::uint64_t steps_per_pc = 0;
  std::array<std::uint64_t, dram::kCommands> commands{};  // whole device
  PimEnergy energy;
  [[nodiscard]] Time total() const { return load + compute + readout; }
  // Weight bytes over the compute phase / over the whole operator.
  [[nodiscard]] Bandwidth internal_bandwidth() const;
  [[nodiscard]] Bandwidth effective_bandwidth() const;
  PimResult& operator+=(const PimResult& o);
};

class PimModel {
 public:
  PimModel(dram::DramSpec dram, PimSpec pim, Fidelity fidelity = Fidelity::kFast);
  PimModel(const PimModel&) = delete;
  PimModel& operator=(const PimModel&) = delete;

  [[nodiscard]] const dram::DramSpec& dram() const { return dram_; }
  [[nodiscard]] const PimSpec& pim() const { return pim_; }
  [[nodiscard]] const PimGeometry& geometry() const { return geo_; }
  [[nodiscard]] Fidelity fidelity() const { return fidelity_; }
  // The external interface's peak (all data buses).
  [[nodiscard]] Bandwidth external_bandwidth() const { return dram_.peak_bandwidth(); }

  [[nodiscard]] PimResult gemv(const GemvShape& s) const;
  [[nodiscard]] PimResult decode_attention(std::uint64_t batch, std::uint64_t q_heads,
                                           std::uint64_t kv_heads, std::uint64_t context,
                                           std::uint64_t head_dim, std::uint32_t elem_bytes) const;
  [[nodiscard]] PimResult moe_ffn(std::uint64_t tokens, std::uint64_t d_model, std::uint64_t d_ff,
                                  std::uint64_t experts, std::uint32_t elem_bytes) const;

 private:
  dram::DramSpec dram_;
  PimSpec pim_;
  PimGeometry geo_;
  Fidelity fidelity_;
  CommandEngine engine_;
  FastSchedule fast_;
};

}  // namespace tiersim::models::pim
