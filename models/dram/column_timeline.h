// Column commands already placed on each data bus, so that a new column takes the earliest cycle
// legal against all of them — also a gap before columns placed for earlier arrivals, as FR-FCFS
// fills data-bus gaps with ready bursts of later requests (fast fidelity).
//
// Contract:
//  - Legality is pairwise: a column Y at cycle c and a recorded column X at x keep
//    c - x >= gap(X, Y, rel) when x <= c, and x - c >= gap(Y, X, rel) when x > c, rel being the
//    first level at which their targets differ (DramSpec::gap: tCCD_S/L, tCCDR, tCS, read/write
//    turnaround, all from the constraint table). Column-to-column rules must therefore be left out
//    of the TimingState that times the other commands.
//  - A train (a long dense column stream on one bus, recorded as one entry) counts as its last
//    column for the pair rule, and as any column of the bus for the rest: a column after it keeps
//    the widest gap of that command pair within a bus less the train's spacing, a column before
//    it the widest gap of the pair.
//  - Reach: entries older than `horizon` cycles before the bus's newest column are dropped, and
//    place() never returns a cycle that could conflict with a dropped one.
//  - No allocation per call once each bus's list has grown to its working size.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/dram/spec.h"

namespace tiersim::models::dram {

class ColumnTimeline {
 public:
  explicit ColumnTimeline(const DramSpec& spec);
  void set_horizon(Cycle horizon) { horizon_ = horizon; }

  // Earliest cycle >= from at which a column `cmd` to `a` is legal on data bus `unit`.
  [[nodiscard]] Cycle place(std::uint64_t unit, Command cmd, const DramAddress& a,
                            Cycle from) const;
  // Records a column at `at` (as returned by place()).
  void record(std::uint64_t unit, Command cmd, const DramAddress& a, Cycle at);
  // Records a dense train of columns [first, last], `spacing` cycles apart, ending with a column
  // `cmd` to `a`. The caller places its first column after every recorded one:
  // first = place(unit, cmd, first target, max(from, newest(unit) + 1)).
  void record_train(std::uint64_t unit, Command cmd, const DramAddress& a, Cycle first, Cycle last,
                    Cycle spacing);
  // Makes bus `dst` a copy of bus `src`, its entries' targets moved to channel `dst_channel`
  // (the rest of each address kept).
  void copy_bus(std::uint64_t src, std::uint64_t dst, std::uint32_t dst_channel);
  // The latest recorded column on `unit` (a train: its last); kNone when none.
  [[nodiscard]] Cycle newest(std::uint64_t unit) const;
  static constexpr Cycle kNone = -1;

 private:
  struct Entry {
    Cycle at;     // the column (a train: its last column)
    Cycle first;  // == at, or a train's first column
    Cycle spacing;
    DramAddress addr;
    Command cmd;
  };
  [[nodiscard]] Cycle need(const Entry& x, Command cmd, const DramAddress& a) const;
  [[nodiscard]] std::size_t rel(const DramAddress& x, const DramAddress& y) const;

  struct Bus {
    std::vector<Entry> v;  // sorted by `at`; those before `head` are dropped
    std::size_t head = 0;
    // Every gap between consecutive entries from the one at dense_from on is too narrow for a
    // column (< 2 x narrowest_): a column after dense_from goes after the newest entry.
    Cycle dense_from = 0;
  };
  void prune(Bus& b) const;
  void note_append(Bus& b, Cycle at, Cycle first);

  const DramSpec& spec_;
  Cycle horizon_ = 0;
  Cycle widest_ = 0;     // largest column-to-column gap within one bus
  Cycle narrowest_ = 1;  // smallest one (at least 1)
  // Largest gap within one bus per (from, to) command pair.
  std::array<std::array<Cycle, kCommands>, kCommands> pair_widest_{};
  std::vector<Bus> bus_;  // per unit
};

}  // namespace tiersim::models::dram
