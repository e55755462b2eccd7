// The command-by-command PIM scheduler of one pseudo channel (the reference the closed form in
// fast_schedule.h is checked against): every command's cycle is the earliest the DRAM standard's
// constraint table allows (dram::TimingState), on separate row and column command buses (one
// command per cycle each).
//
// Command streams (docs/models/pim.md, "Commands"):
//  - bank-PIM, per bank row i: ACTab, then columns x commands_per_step MACab, then PREA.
//  - bank-group / logic PIM, per bank set s (bank s mod banks_per_group of every group, row
//    s / banks_per_group): one ACT per group, columns x commands_per_step MACbg / RDbb (each aimed
//    at the set's banks of all groups), one PRE per group. The row-command bus runs ACT(s+1)
//    ahead: ACT(0), ACT(1), PRE(0), ACT(2), PRE(1), ..., so a set's activation hides behind the
//    previous set's reads.
//  - Dependencies besides timing: a column command waits for its set's ACTs; a PRE / PREA waits
//    for its set's last column command.
//  - Logic-die PIM: a bundle read's data reaches the logic die read_latency + burst_cycles after
//    the RDbb; the module (logic_macs lanes at logic_clock) takes ceil(groups x lanes x batch /
//    logic_macs) clocks per read, in order.
// Refresh is not scheduled during a PIM operation (docs: known gap).
#pragma once

#include <functional>

#include "models/dram/spec.h"
#include "models/pim/schedule.h"

namespace tiersim::models::pim {

class CommandEngine {
 public:
  CommandEngine(const dram::DramSpec& dram, const PimSpec& pim);
  // Schedules `work` on pseudo channel 0 from cycle 0; on_column (if set) sees every column
  // command in issue order.
  [[nodiscard]] PcSchedule run(
      const PcWork& work, const std::function<void(const ColumnCommand&)>& on_column = {}) const;

 private:
  const dram::DramSpec& dram_;
  PimSpec pim_;
  PimGeometry geo_;
};

// Per-read compute time of a logic-die module, in ps (exact double; rounded once at the end).
[[nodiscard]] double logic_read_ps(const PimSpec& pim, const PimGeometry& geo, const PcWork& w);

}  // namespace tiersim::models::pim
