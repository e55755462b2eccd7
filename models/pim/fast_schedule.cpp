#include "models/pim/fast_schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/dram/timing_state.h"
#include "models/pim/command_engine.h"
#include "models/pim/pim_addresses.h"

namespace tiersim::models::pim {

using dram::Command;
using dram::Cycle;
using dram::DramAddress;
using dram::kLevels;

namespace {

// The level at which two addresses first differ (kLevels: the same bank).
std::size_t relation(const DramAddress& a, const DramAddress& b) {
  for (std::size_t l = 0; l < kLevels; ++l) {
    if (a.at[l] != b.at[l]) return l;
  }
  return kLevels;
}

}  // namespace

FastSchedule::FastSchedule(const dram::DramSpec& dram, const PimSpec& pim)
    : dram_(dram), pim_(pim), geo_(geometry_of(dram)), col_(column_command(pim.kind)) {
  if (pim.kind == PimKind::kBank) return;
  if (geo_.banks_per_group < 2) {
    throw std::invalid_argument("bank-group and logic PIM need >= 2 banks per bank group");
  }
  const std::uint64_t groups = geo_.groups_per_pc;
  const PimAddresses addr(dram_, pim_.kind);
  // The ACT pattern of one set on an idle device (row bus: one command per cycle).
  dram::TimingState ts(dram_);
  Cycle bus = 0;
  for (std::uint64_t g = 0; g < groups; ++g) {
    const Cycle t = std::max(bus, ts.earliest(Command::kACT, addr.bank(g, 0)));
    ts.issue(Command::kACT, addr.bank(g, 0), t);
    act_offset_.push_back(t);
    bus = t + 1;
  }
  // Shift between consecutive sets: every pairwise ACT rule from set s-1 (banks of set 0) to set
  // s (banks of set 1), and the tFAW-like windows straddling the two patterns.
  for (std::uint64_t i = 0; i < groups; ++i) {
    for (std::uint64_t k = 0; k < groups; ++k) {
      const Cycle gap =
          dram_.gap(Command::kACT, Command::kACT, relation(addr.bank(i, 0), addr.bank(k, 1)));
      act_shift_ = std::max(act_shift_, act_offset_[i] + gap - act_offset_[k]);
    }
  }
  act_shift_ = std::max(act_shift_, act_offset_[groups - 1] + 1 - act_offset_[0]);
  for (const auto& c : dram_.constraints) {
    if (c.window <= 1 || (c.from & dram::bit(Command::kACT)) == 0 ||
        (c.to & dram::bit(Command::kACT)) == 0 || c.window > groups) {
      continue;
    }
    // The k-th ACT of set s counts from the ACT `window` earlier: index groups - window + k of
    // set s-1 (all the set's banks share the rule's node when it sits above the bank group).
    for (std::uint64_t k = 0; k < c.window; ++k) {
      act_shift_ =
          std::max(act_shift_, act_offset_[groups - c.window + k] + c.cycles - act_offset_[k]);
    }
  }
  for (std::uint64_t g = 0; g < groups; ++g) {
    const Cycle gg = static_cast<Cycle>(g);
    pre_tail_ = std::max(pre_tail_, act_offset_[g] - gg);
    rp_shift_ = std::max(rp_shift_, gg - act_offset_[g]);
  }
  rp_shift_ -= static_cast<Cycle>(groups - 1);
}

PcSchedule FastSchedule::run(const PcWork& w) const {
  if (w.steps == 0) return {};
  return pim_.kind == PimKind::kBank ? run_bank(w) : run_groups(w);
}

PcSchedule FastSchedule::run_bank(const PcWork& w) const {
  const auto g = [&](Command a, Command b) { return dram_.gap(a, b, kLevels); };
  const Cycle g_am = g(Command::kACTab, Command::kMACab);
  const Cycle g_mm = std::max<Cycle>(1, g(Command::kMACab, Command::kMACab));
  const Cycle g_mp = g(Command::kMACab, Command::kPREA);
  const Cycle g_ap = g(Command::kACTab, Command::kPREA);
  const Cycle g_pa = g(Command::kPREA, Command::kACTab);
  const Cycle g_aa = g(Command::kACTab, Command::kACTab);
  const std::uint64_t cols = geo_.columns;
  const std::uint64_t sets = (w.steps + cols - 1) / cols;
  PcSchedule out;
  Cycle act = 0;
  Cycle last = 0;
  for (std::uint64_t s = 0; s < sets; ++s) {
    const auto n = static_cast<Cycle>(std::min(cols, w.steps - s * cols) * w.commands_per_step);
    const Cycle first = s == 0 ? act + g_am : std::max(act + g_am, last + g_mm);
    if (s == 0) out.first_column = first;
    last = first + (n - 1) * g_mm;
    const Cycle pre = std::max({last + g_mp, act + g_ap, act + 1});
    act = std::max({pre + g_pa, act + g_aa, pre + 1});
  }
  out.last_column = last;
  out.commands[dram::index(Command::kACTab)] = sets;
  out.commands[dram::index(Command::kPREA)] = sets;
  out.commands[dram::index(Command::kMACab)] = w.steps * w.commands_per_step;
  out.done = dram_.tck * (last + dram_.read_latency + dram_.burst_cycles);
  return out;
}

PcSchedule FastSchedule::run_groups(const PcWork& w) const {
  const std::uint64_t groups = geo_.groups_per_pc;
  const std::uint64_t cols = geo_.columns;
  const std::uint64_t sets = (w.steps + cols - 1) / cols;
  const std::uint64_t nb = geo_.banks_per_group;
  const auto g = [&](Command a, Command b, std::size_t rel) { return dram_.gap(a, b, rel); };
  const Cycle g_cc = std::max<Cycle>(1, g(col_, col_, kLevels));
  const Cycle g_cc_next =
      std::max<Cycle>(1, g(col_, col_, nb > 1 ? dram::index(dram::Level::kBank) : kLevels));
  const Cycle g_ac = g(Command::kACT, col_, kLevels);
  const Cycle g_cp = g(col_, Command::kPRE, kLevels);
  const Cycle t_ras = g(Command::kACT, Command::kPRE, kLevels);
  const Cycle t_rp = g(Command::kPRE, Command::kACT, kLevels);
  const Cycle t_rc = g(Command::kACT, Command::kACT, kLevels);
  const Cycle o_last = act_offset_[groups - 1];
  const auto G = static_cast<Cycle>(groups);
  const Cycle to_data = dram_.read_latency + dram_.burst_cycles;
  const double tck = static_cast<double>(dram_.tck.ps());
  const double read_ps = pim_.kind == PimKind::kLogic ? logic_read_ps(pim_, geo_, w) : 0.0;
  const double d_ps = static_cast<double>(g_cc) * tck;

  // Ring buffers over the last banks_per_group sets (act, last PRE).
  constexpr std::size_t kRing = 64;
  std::array<Cycle, kRing> act_at{};
  std::array<Cycle, kRing> pre_end{};
  const auto slot = [](std::uint64_t s) { return s % kRing; };
  PcSchedule out;
  Cycle last = 0;
  double logic_free = 0.0;
  // act of set s+1 is needed for PRE(s) (it precedes PRE(s) on the row bus).
  const auto act_of = [&](std::uint64_t s) {
    Cycle a = 0;
    if (s >= 1) a = std::max(a, act_at[slot(s - 1)] + act_shift_);
    if (s >= 2) a = std::max(a, pre_end[slot(s - 2)] + 1);
    if (s >= nb) {
      a = std::max(a, pre_end[slot(s - nb)] + rp_shift_ + t_rp);
      a = std::max(a, act_at[slot(s - nb)] + t_rc);
    }
    return a;
  };
  act_at[slot(0)] = 0;
  for (std::uint64_t s = 0; s < sets; ++s) {
    const Cycle act = act_at[slot(s)];
    const auto n = static_cast<Cycle>(std::min(cols, w.steps - s * cols) * w.commands_per_step);
    Cycle first = act + o_last + g_ac;
    if (s > 0) first = std::max(first, last + g_cc_next);
    if (s == 0) out.first_column = first;
    last = first + (n - 1) * g_cc;
    if (pim_.kind == PimKind::kLogic) {
      const double r0 = static_cast<double>(first + to_data) * tck;
      const double nn = static_cast<double>(n);
      logic_free = std::max(logic_free + nn * read_ps,
                            r0 + std::max((nn - 1.0) * d_ps + read_ps, nn * read_ps));
    }
    // ACT(s+1) precedes PRE(s) on the row bus.
    Cycle next_act = 0;
    if (s + 1 < sets) {
      next_act = act_of(s + 1);
      act_at[slot(s + 1)] = next_act;
    }
    Cycle pre0 = std::max(last + g_cp, act + pre_tail_ + t_ras);
    if (s + 1 < sets) pre0 = std::max(pre0, next_act + o_last + 1);
    pre_end[slot(s)] = pre0 + G - 1;
  }
  out.last_column = last;
  out.commands[dram::index(Command::kACT)] = sets * groups;
  out.commands[dram::index(Command::kPRE)] = sets * groups;
  out.commands[dram::index(col_)] = w.steps * w.commands_per_step;
  const Time data = dram_.tck * (last + to_data);
  out.done = max(data, Time::ps(static_cast<std::int64_t>(std::ceil(logic_free))));
  return out;
}

}  // namespace tiersim::models::pim
