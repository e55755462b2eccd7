// `fast` fidelity (the default): a request of any size is timed arithmetically. The address range
// is split by the mapping into runs — (data bus, bank, row, burst count) — with closed-form
// counting per block of the mapping (no per-burst loop for large requests); row commands go
// through the same constraint table as `detailed` (TimingState): PRE/ACT at their earliest legal
// cycles (tRP, tRAS, tRC, tRRD, tFAW, refresh). Refresh happens at its due time, between runs.
//
// Column commands: a data bus's columns of one request take, burst by burst, the earliest cycle
// legal against every column already placed on that bus (ColumnTimeline: tCCD_S/L, tCCDR,
// read/write turnaround from the table, pairwise), so later requests' ready bursts fill bus gaps
// as FR-FCFS does. More than kTrainBursts (16) per bus form one closed-form train after the bus's
// columns: max(first ready + (N-1) x max(tCCD_S, burst), per-bank ready + (n-1) x tCCD_L).
// Column-to-column rules are therefore kept out of the TimingState, as are the ACT-to-ACT rules
// above the bank (tRRD_S, tRRD_L, tFAW): those are checked against a sorted list of recent ACT
// cycles per node, so an ACT takes the earliest cycle legal for its own bank and those rules,
// possibly before ACTs placed for later arrivals (FR-FCFS issues ACTs to ready banks out of
// order). Both reach back at most read_queue / pseudo_channels ACTs at the densest legal rate
// (HBM3: 32 x tFAW/4 = 192 cycles) before the newest, plus tRCD for columns.
//
// Controller queues, as in `detailed`: requests enter a channel in arrival order (reads and
// writes share one arrival queue) when the read or write queue (capacity in bursts) has a free
// entry; an entry frees when its burst's column issues. Writes drain in batches of
// (write_high - write_low) bursts per channel: a batch starts once the ACTs already placed for
// reads on the channel have issued, later writes join it until it is full, and reads wait for its
// last write column (no read commands while a batch drains).
//
// FR-FCFS window (scheduler: frfcfs): a request admitted while the bank still holds a row that a
// queued switch is about to close (before that PRE) and that wants this row is served as row hits
// before the switch; the switch and the new row's later columns slide by its column time. At most
// read_queue / (2 x pseudo_channels x bank_groups) bursts join one closing row; the factor 2 was
// calibrated on the row-conflict trace with the earlier in-order column stream.
// Not modelled: the new row's columns already placed do not move when a join slides the switch,
// and all banks of a stream switching rows together (FR-FCFS serves every queued hit first) does
// not idle the bus as in `detailed` (row-conflict trace: fast ~7% faster).
//
// Lockstep (exact, a speed-up only): channels share no state, so channels that have received
// the same runs (up to the channel index) at the same cycles are in the same state and time the
// same runs identically. While every request so far has given every channel the same runs (any
// request of whole stripes across the channels, e.g. 4 KiB-aligned on HBM3's default mapping),
// only channel 0 is timed; its counters and bytes count for all. The first request that breaks
// the symmetry copies channel 0's state to the others, which then run on their own.
//
// Contract: as Engine. State per bank (open row), per data bus and per channel; no allocation per
// request once the scratch buffers and per-bus lists have grown to their working size. Results
// and counters are the same with and without lockstep (set_lockstep(false)).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "models/dram/address_mapping.h"
#include "models/dram/column_timeline.h"
#include "models/dram/engine.h"
#include "models/dram/timing_state.h"

namespace tiersim::models::dram {

class FastEngine : public Engine {
 public:
  FastEngine(const DramSpec& spec, const AddressMapping& mapping);
  DramResult serve(const DramRequest& r) override;
  // For tests and benchmarks: allow (default) or forbid lockstep timing. Call before serving.
  void set_lockstep(bool on) { lockstep_ = on && lockstep_possible_; }
  [[nodiscard]] bool lockstep() const { return lockstep_; }

 private:
  struct Run {
    std::uint64_t unit;  // node at the data-bus level
    DramAddress addr;
    std::uint64_t bursts;
    // Admission segment: consecutive runs of one channel in the full run order (a request is
    // admitted to a channel once per segment, as it spans blocks).
    std::uint64_t segment = 0;
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
  void split_blocks(std::uint64_t first, std::uint64_t n, bool channel0_only);
  void schedule_group(std::size_t begin, std::size_t end, bool write, Cycle t0);
  // Places n columns to one bank (the last an auto-precharge one when auto_pre) on the bus's
  // timeline from `from`; returns the first and last cycles.
  std::pair<Cycle, Cycle> place_columns(std::uint64_t unit, Command col, const DramAddress& a,
                                        std::uint64_t n, Cycle from, bool auto_pre);
  void finish_run(const Run& r, Command last_cmd, Cycle last);
  // The cycle from which a request arriving (at the controller) at t0 may issue commands on
  // `channel`: queue admission, then write-drain batching (channel_bursts_: its bursts there).
  Cycle admit(std::size_t channel, bool write, Cycle t0);
  // A burst of the request being scheduled leaves its queue (its column issues) at `at`.
  void depart(Cycle at);
  void catch_up_refresh(std::uint64_t scope, Cycle until);
  [[nodiscard]] DramAddress bank_address(std::uint64_t bank) const;
  // Earliest cycle >= from legal for the ACT-to-ACT rules above the bank; records it.
  Cycle place_act(const DramAddress& a, Cycle from, Cycle horizon_floor);

  struct ActRule {
    Level level;
    Cycle cycles;
    std::uint32_t window;
  };
  // spec's table less the ACT-to-ACT rules above the bank (returned in `out`) and the
  // column-to-column rules (kept by the ColumnTimeline).
  static DramSpec timing_table(const DramSpec& spec, std::vector<ActRule>& out);

  const DramSpec& spec_;
  const AddressMapping& mapping_;
  std::vector<ActRule> act_rules_;
  // timing_'s table: spec_ less the ACT-to-ACT rules above the bank and the column rules.
  DramSpec timing_spec_;
  TimingState timing_;
  ColumnTimeline columns_;
  std::array<std::vector<std::vector<Cycle>>, kLevels> act_history_;  // per level, per node
  Cycle act_horizon_ = 0;
  Cycle act_window_ = 0;  // how far before the newest ACT a new one may still be placed  // widest
                          // ACT-to-ACT rule: older history cannot matter
  std::vector<Bank> banks_;
  std::vector<Scope> scopes_;
  std::vector<Cycle> last_col_;  // per data-bus unit
  std::vector<Run> runs_;        // scratch
  // Per channel: column cycles of the bursts in the read / write queue (min-heaps), and the
  // admission cycle of the latest request (admission is in arrival order).
  std::vector<std::vector<Cycle>> read_queue_;
  std::vector<std::vector<Cycle>> write_queue_;
  std::vector<Cycle> admitted_;
  std::vector<Cycle>* queue_ = nullptr;  // the queue of the request being scheduled
  std::size_t queue_cap_ = 0;
  std::uint64_t channel_bursts_ = 0;  // its bursts on the channel being scheduled
  struct WriteBatch {
    Cycle start = 0;  // no write of the batch before (the reads' ACTs placed before it)
    Cycle end = 0;    // its last write column so far
    std::uint64_t bursts = 0;
  };
  std::vector<WriteBatch> batch_;    // per channel
  std::vector<Cycle> read_act_end_;  // per channel: last ACT for a read
  std::uint64_t batch_bursts_;       // write_high - write_low
  std::size_t block_position_ = 0;   // lowest digit among Ro, Ba, Ra
  std::uint64_t banks_per_scope_;
  std::uint64_t window_bursts_;  // FR-FCFS window per bank (bursts), from the read queue
  Cycle first_ = 0;
  Cycle last_ = 0;
  // Lockstep: whether every channel still mirrors channel 0, and scratch for the check.
  [[nodiscard]] bool runs_symmetric();
  void leave_lockstep();
  bool lockstep_possible_ = false;
  bool lockstep_ = false;
  std::vector<std::size_t> ch0_runs_;
  std::vector<std::size_t> ch_pos_;
};

}  // namespace tiersim::models::dram
