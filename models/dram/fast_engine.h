// `fast` fidelity (the default): a request of any size is timed arithmetically. The address range
// is split by the mapping into runs — (data bus, bank, row, burst count) — with closed-form
// counting per block of the mapping (no per-burst loop for large requests); each unit's runs are
// timed as one interleaved stream with the same constraint table as `detailed` (TimingState):
// PRE/ACT at their earliest legal cycles (tRP, tRAS, tRC, tRRD, tFAW, refresh), the stream's
// column commands bounded by the data bus and tCCD_S across bank groups, tCCD_L within one, and
// read/write turnaround. Refresh happens at its due time, between runs.
//
// FR-FCFS window (scheduler: frfcfs): a request arriving while the bank still holds a row that a
// queued switch is about to close (arrival before that PRE) and that wants this row is served as
// row hits before the switch, as FR-FCFS would; the switch and the new row's columns slide later
// by its column time (tRTP + tRP + tRCD after its last column). At most read_queue /
// (2 x pseudo_channels x bank_groups) bursts join one closing row: half the queue entries a bank
// holds when a stream interleaves its bank groups and pseudo channels (the other half waits for
// the next row). The factor 2 is calibrated on the row-conflict trace (docs/models/dram.md).
// ACT reordering: ACT-to-ACT rules above the bank (tRRD_S, tRRD_L, tFAW) are kept out of the
// TimingState and checked against a small sorted list of recent ACT cycles per node, so an ACT
// takes the earliest cycle legal for its own bank and those rules, possibly before ACTs already
// placed for later arrivals (FR-FCFS issues ACTs to ready banks out of order; a bank waiting on
// tRP/tRAS/tRC no longer delays ACTs to the other banks). The reach back is bounded by the read
// queue: read_queue / pseudo_channels ACTs at the densest legal rate (HBM3: 32 x tFAW/4 = 192
// cycles before the newest ACT of the pseudo channel).
// Not modelled: column bursts of later requests filling data-bus gaps (columns stay in arrival
// order per data bus; random at saturation: fast ~8% slower), and the detailed write-drain
// batching (long 2:1 mixes: fast ~8% faster).
//
// Contract: as Engine. State per bank (open row) and per channel; no allocation per request once
// the scratch buffers have grown to the largest request shape seen.
#pragma once

#include <cstdint>
#include <vector>

#include "models/dram/address_mapping.h"
#include "models/dram/engine.h"
#include "models/dram/timing_state.h"

namespace tiersim::models::dram {

class FastEngine : public Engine {
 public:
  FastEngine(const DramSpec& spec, const AddressMapping& mapping);
  DramResult serve(const DramRequest& r) override;

 private:
  struct Run {
    std::uint64_t unit;  // node at the data-bus level
    DramAddress addr;
    std::uint64_t bursts;
  };
  struct Bank {
    std::int64_t open_row = -1;
    Cycle last_column = 0;
    // FR-FCFS window: the row closed by the latest switch, the cycle of that PRE, the last column
    // issued to it, and how many bursts have joined it since the switch.
    std::int64_t prev_row = -1;
    Cycle prev_close = 0;
    Cycle prev_last = 0;
    std::uint64_t joined = 0;
    Cycle session_floor = 0;  // earliest column of the open row after joins to the previous one
  };
  struct Scope {
    Cycle due = 0;
    std::uint32_t next_bank = 0;
  };
  void add_run(std::uint64_t unit, const DramAddress& a, std::uint64_t n);
  void split_small(std::uint64_t first, std::uint64_t n);
  void split_blocks(std::uint64_t first, std::uint64_t n);
  void schedule_group(std::size_t begin, std::size_t end, bool write, Cycle t0);
  void catch_up_refresh(std::uint64_t scope, Cycle until);
  [[nodiscard]] DramAddress bank_address(std::uint64_t bank) const;
  // Earliest cycle >= from legal for the ACT-to-ACT rules above the bank; records it.
  Cycle place_act(const DramAddress& a, Cycle from, Cycle horizon_floor);

  struct ActRule {
    Level level;
    Cycle cycles;
    std::uint32_t window;
  };
  static DramSpec without_act_rules(const DramSpec& spec, std::vector<ActRule>& out);

  const DramSpec& spec_;
  const AddressMapping& mapping_;
  std::vector<ActRule> act_rules_;
  DramSpec timing_spec_;  // spec_ less act_rules_ (ACT-to-ACT above the bank): timing_'s table
  TimingState timing_;
  std::array<std::vector<std::vector<Cycle>>, kLevels> act_history_;  // per level, per node
  Cycle act_horizon_ = 0;
  Cycle act_window_ = 0;  // how far before the newest ACT a new one may still be placed  // widest
                          // ACT-to-ACT rule: older history cannot matter
  std::vector<Bank> banks_;
  std::vector<Scope> scopes_;
  std::vector<Cycle> last_act_;     // per channel (row command bus)
  std::vector<Cycle> last_col_;     // per data-bus unit
  std::vector<Run> runs_;           // scratch
  std::size_t block_position_ = 0;  // lowest digit among Ro, Ba, Ra
  std::uint64_t banks_per_scope_;
  std::uint64_t window_bursts_;  // FR-FCFS window per bank (bursts), from the read queue
  Cycle first_ = 0;
  Cycle last_ = 0;
};

}  // namespace tiersim::models::dram
