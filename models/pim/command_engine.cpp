#include "models/pim/command_engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "models/dram/timing_state.h"
#include "models/pim/pim_addresses.h"

namespace tiersim::models::pim {

using dram::Command;
using dram::Cycle;
using dram::DramAddress;

double logic_read_ps(const PimSpec& pim, const PimGeometry& geo, const PcWork& w) {
  const std::uint64_t macs = geo.groups_per_pc * w.lanes * w.batch;
  const std::uint64_t clocks = (macs + pim.logic_macs - 1) / pim.logic_macs;
  return static_cast<double>(clocks) * 1e12 / pim.logic_clock.as_hz();
}

CommandEngine::CommandEngine(const dram::DramSpec& dram, const PimSpec& pim)
    : dram_(dram), pim_(pim), geo_(geometry_of(dram)) {
  if (pim.kind != PimKind::kBank && geo_.banks_per_group < 2) {
    throw std::invalid_argument("bank-group and logic PIM need >= 2 banks per bank group");
  }
}

PcSchedule CommandEngine::run(const PcWork& w,
                              const std::function<void(const ColumnCommand&)>& on_column) const {
  PcSchedule out;
  if (w.steps == 0) return out;
  dram::TimingState ts(dram_);
  const bool bank = pim_.kind == PimKind::kBank;
  const Command col_cmd = column_command(pim_.kind);
  const std::uint64_t cols = geo_.columns;
  const std::uint64_t groups = geo_.groups_per_pc;
  const std::uint64_t sets = (w.steps + cols - 1) / cols;
  const std::uint64_t acts_needed = bank ? 1 : groups;
  const auto cols_in = [&](std::uint64_t s) { return std::min(cols, w.steps - s * cols); };
  const PimAddresses addr(dram_, pim_.kind);

  // Row-command order: bank-PIM ACTab(0), PREA(0), ACTab(1), ...; the others ACT(0), ACT(1),
  // PRE(0), ACT(2), PRE(1), ..., PRE(n-1) (each a group of one command per bank group).
  std::vector<std::pair<Command, std::uint64_t>> row_ops;
  row_ops.reserve(2 * sets);
  if (bank) {
    for (std::uint64_t s = 0; s < sets; ++s) {
      row_ops.emplace_back(Command::kACTab, s);
      row_ops.emplace_back(Command::kPREA, s);
    }
  } else {
    row_ops.emplace_back(Command::kACT, 0);
    for (std::uint64_t s = 1; s < sets; ++s) {
      row_ops.emplace_back(Command::kACT, s);
      row_ops.emplace_back(Command::kPRE, s - 1);
    }
    row_ops.emplace_back(Command::kPRE, sets - 1);
  }
  std::vector<std::uint64_t> acts_done(sets, 0);
  std::vector<std::uint64_t> cols_done(sets, 0);
  std::size_t ri = 0;    // row op
  std::uint64_t rg = 0;  // bank group within a group op
  std::uint64_t cs = 0;  // column queue: set, column, repeat
  std::uint64_t cc = 0;
  std::uint64_t cr = 0;
  Cycle row_bus = 0;
  Cycle col_bus = 0;
  double logic_free = 0.0;
  const double tck = static_cast<double>(dram_.tck.ps());
  const double read_ps = pim_.kind == PimKind::kLogic ? logic_read_ps(pim_, geo_, w) : 0.0;
  const Cycle to_data = dram_.read_latency + dram_.burst_cycles;
  constexpr Cycle kNever = std::numeric_limits<Cycle>::max();
  bool first = true;

  while (ri < row_ops.size() || cs < sets) {
    Cycle t_row = kNever;
    if (ri < row_ops.size()) {
      const auto [cmd, s] = row_ops[ri];
      const bool closes = cmd == Command::kPRE || cmd == Command::kPREA;
      if (!closes || cols_done[s] == cols_in(s) * w.commands_per_step) {
        const DramAddress a = bank ? addr.pc() : addr.bank(rg, s);
        t_row = std::max(row_bus, ts.earliest(cmd, a));
      }
    }
    Cycle t_col = kNever;
    if (cs < sets && acts_done[cs] == acts_needed) {
      t_col = col_bus;
      if (bank) {
        t_col = std::max(t_col, ts.earliest(col_cmd, addr.pc()));
      } else {
        for (std::uint64_t g = 0; g < groups; ++g) {
          t_col = std::max(t_col, ts.earliest(col_cmd, addr.bank(g, cs)));
        }
      }
    }
    if (t_row == kNever && t_col == kNever) {
      throw std::logic_error("pim command engine: no command can issue (dependency cycle)");
    }
    if (t_col <= t_row) {
      if (bank) {
        ts.issue(col_cmd, addr.pc(), t_col);
      } else {
        for (std::uint64_t g = 0; g < groups; ++g) ts.issue(col_cmd, addr.bank(g, cs), t_col);
      }
      ++out.commands[dram::index(col_cmd)];
      col_bus = t_col + 1;
      if (first) out.first_column = t_col;
      first = false;
      out.last_column = t_col;
      if (pim_.kind == PimKind::kLogic) {
        const double arrival = static_cast<double>(t_col + to_data) * tck;
        logic_free = std::max(logic_free, arrival) + read_ps;
      }
      if (on_column) {
        ColumnCommand c;
        c.cmd = col_cmd;
        c.set = cs;
        c.row = addr.row_of_set(cs);
        c.bank = addr.bank_of_set(cs);
        c.column = cc;
        c.step = cs * cols + cc;
        if (pim_.kind == PimKind::kLogic) {
          c.vector_first = 0;
          c.vector_count = w.batch;
        } else {
          const std::uint64_t per = bank ? 1 : pim_.vectors_per_read;
          c.vector_first = cr * per;
          c.vector_count = std::min(per, w.batch - c.vector_first);
        }
        c.at = t_col;
        on_column(c);
      }
      ++cols_done[cs];
      if (++cr == w.commands_per_step) {
        cr = 0;
        if (++cc == cols_in(cs)) {
          cc = 0;
          ++cs;
        }
      }
    } else {
      const auto [cmd, s] = row_ops[ri];
      ts.issue(cmd, bank ? addr.pc() : addr.bank(rg, s), t_row);
      ++out.commands[dram::index(cmd)];
      row_bus = t_row + 1;
      if (cmd == Command::kACT || cmd == Command::kACTab) ++acts_done[s];
      if (bank || ++rg == groups) {
        rg = 0;
        ++ri;
      }
    }
  }
  const Time data = dram_.tck * (out.last_column + to_data);
  out.done = max(data, Time::ps(static_cast<std::int64_t>(std::ceil(logic_free))));
  return out;
}

}  // namespace tiersim::models::pim
