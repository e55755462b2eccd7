// The closed form of CommandEngine: the same command streams and the same constraint table,
// computed per bank row (bank-PIM) or bank set (the others) instead of per command — O(rows)
// arithmetic for a GEMV of any size (docs/models/pim.md, "Closed form").
//
// Per set s with n_s = columns x commands_per_step column commands (gaps g(from, to) from
// DramSpec::gap for the two commands' relation):
//  bank-PIM:  first_s = max(act_s + g(ACTab, MACab), last_{s-1} + g(MACab, MACab));
//             last_s = first_s + (n_s - 1) g(MACab, MACab);
//             pre_s = max(last_s + g(MACab, PREA), act_s + g(ACTab, PREA));
//             act_{s+1} = max(pre_s + g(PREA, ACTab), act_s + g(ACTab, ACTab)).
//  bank-group / logic: the G ACTs of a set keep the offsets o_g they take on an idle device
//             (tRRD, tFAW; computed once through dram::TimingState); act_s is bounded by the
//             previous set's ACTs (every ACT-ACT rule between the two patterns, tFAW windows
//             straddling them), by the row bus after PRE(s-2), and by PRE(s-banks_per_group) +
//             tRP of the same banks; columns start at max(last_{s-1} + g(col, col),
//             act_s + o_{G-1} + g(ACT, col)); the PREs follow the last column (tRTP), tRAS and the
//             ACTs of s+1 on the row bus.
//  logic die: a set's n reads arrive d apart from r_0 on; with per-read work w the module
//             finishes at max(free + n w, r_0 + max((n - 1) d + w, n w)) (max-plus of the
//             in-order queue).
// Contract: equals CommandEngine on the cases tests/pim check (tolerance there); no allocation
// per call.
#pragma once

#include <array>
#include <vector>

#include "models/dram/spec.h"
#include "models/pim/schedule.h"

namespace tiersim::models::pim {

class FastSchedule {
 public:
  FastSchedule(const dram::DramSpec& dram, const PimSpec& pim);
  [[nodiscard]] PcSchedule run(const PcWork& work) const;

 private:
  [[nodiscard]] PcSchedule run_bank(const PcWork& w) const;
  [[nodiscard]] PcSchedule run_groups(const PcWork& w) const;

  const dram::DramSpec& dram_;
  PimSpec pim_;
  PimGeometry geo_;
  dram::Command col_;
  std::vector<dram::Cycle> act_offset_;  // o_g
  dram::Cycle act_shift_ = 0;            // least act_s - act_{s-1} the ACT rules allow
  dram::Cycle pre_tail_ = 0;             // max_g (o_g - g): tRAS of the ACT pattern
  dram::Cycle rp_shift_ = 0;             // max_g (g - o_g) - (G - 1): tRP to the next ACTs
};

}  // namespace tiersim::models::pim
