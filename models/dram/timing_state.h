// The constraint engine: for every node of every level, the earliest cycle each command may be
// issued there, kept up to date as commands issue (the "next legal time" of DRAMSys/Ramulator).
// Both fidelities time commands through it; it knows only the timing table, not bank state.
//
// Contract:
//  - issue(cmd, a, at) applies every constraint whose `from` holds cmd: non-sibling rules raise
//    the next-legal cycle of their `to` commands at the node of `level` on a's path; sibling rules
//    raise it at every other node of `level` under the same parent; window rules keep the last
//    `window` issue cycles per node and raise it to the oldest + cycles once the window is full.
//  - earliest(cmd, a) is the largest next-legal cycle of cmd over the nodes on a's path (0 when
//    nothing constrains it). A command at cycle c is legal (timing-wise) iff c >= earliest.
//  - Commands need not be issued in time order, but window rules assume they are per node.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/dram/spec.h"

namespace tiersim::models::dram {

class TimingState {
 public:
  explicit TimingState(const DramSpec& spec);

  [[nodiscard]] Cycle earliest(Command cmd, const DramAddress& a) const;
  void issue(Command cmd, const DramAddress& a, Cycle at);
  // Flat index of a's node at level l (0 .. spec.nodes(l) - 1).
  [[nodiscard]] std::uint64_t node(Level l, const DramAddress& a) const;
  [[nodiscard]] const DramSpec& spec() const { return spec_; }
  // Makes channel `dst`'s whole subtree (every level's next-legal cycles and window histories)
  // a copy of channel `src`'s. Channels share no rule unless a sibling rule sits at the channel
  // level (couples_channels()).
  void copy_channel(std::uint64_t src, std::uint64_t dst);
  [[nodiscard]] bool couples_channels() const;

 private:
  struct Rule {
    Level level;
    CommandMask to;
    Cycle cycles;
    std::uint32_t window;
    bool sibling;
    std::size_t history = 0;  // index into history_ (window rules)
  };
  using NextTable = std::array<Cycle, kCommands>;
  void raise(std::size_t level, std::uint64_t node, CommandMask to, Cycle at);

  const DramSpec& spec_;
  std::array<std::vector<Rule>, kCommands> rules_by_from_;
  std::array<std::vector<NextTable>, kLevels> next_;
  // Window rules: per rule, per node, `window` cycles in a ring and the ring's head.
  std::vector<std::vector<Cycle>> history_;
  std::vector<std::vector<std::uint32_t>> history_head_;
};

}  // namespace tiersim::models::dram
