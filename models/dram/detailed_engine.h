// `detailed` fidelity: a command-by-command, event-driven memory controller per channel — the
// reference the fast fidelity is checked against.
//
// Each channel has a read and a write queue of bursts (one RD/WR each), a scheduler (FCFS or
// FR-FCFS), a row policy (open, closed, timeout), write draining between a high and a low
// watermark, and all-bank or per-bank refresh. Instead of ticking every cycle it jumps to the next
// cycle at which some command becomes legal (DRAMSys style): every decision asks TimingState for
// the earliest legal cycle of each candidate command.
//
// Contract:
//  - submit() enqueues a request (arrivals non-decreasing); run_all() simulates every channel to
//    completion; result(id) is then the request's data window. serve() = submit + simulate the
//    touched channels until that request completes (requests submitted later are not visible to
//    earlier decisions, and a request arriving before a channel's current cycle waits for it).
//  - Scheduling per step: pending refreshes first; then, FR-FCFS, the oldest ready row hit, else
//    the oldest ready command; FCFS considers only the oldest burst of the active queue. A bank
//    whose open row has queued hits is not precharged for a conflicting burst.
//  - One command per cycle per command bus (row and column buses when dual_command_bus).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "models/dram/address_mapping.h"
#include "models/dram/engine.h"
#include "models/dram/timing_state.h"

namespace tiersim::models::dram {

class DetailedEngine : public Engine {
 public:
  DetailedEngine(const DramSpec& spec, const AddressMapping& mapping);

  std::size_t submit(const DramRequest& r);
  void run_all();
  [[nodiscard]] DramResult result(std::size_t id) const;
  DramResult serve(const DramRequest& r) override;

  // For tests: the constraint engine and the open row of a bank (-1: closed).
  [[nodiscard]] const TimingState& timing() const { return timing_; }
  [[nodiscard]] std::int64_t open_row(const DramAddress& a) const;

 private:
  struct Burst {
    std::uint32_t request;
    DramAddress addr;
    std::uint32_t bank;  // flat bank index in the device
    Cycle arrival;
    bool write;
    bool activated = false;
    bool precharged = false;
  };
  struct Bank {
    std::int64_t open_row = -1;
    Cycle last_column = 0;
  };
  struct Scope {  // one refresh scope node (e.g. a rank or a pseudo channel)
    Cycle due = 0;
    std::uint32_t next_bank = 0;  // per-bank refresh: round robin
  };
  struct Channel {
    std::deque<Burst> pending;  // not yet admitted (arrival order)
    std::deque<Burst> reads;
    std::deque<Burst> writes;
    Cycle clk = 0;
    Cycle row_bus_free = 0;
    Cycle col_bus_free = 0;
    bool draining = false;
    std::vector<Scope> scopes;
  };
  struct Tracking {
    std::uint64_t remaining = 0;
    Cycle first = 0;
    Cycle last = 0;
    bool write = false;
  };
  struct Choice {
    Command cmd = Command::kACT;
    Cycle at = 0;
    bool valid = false;
    bool hit = false;
    std::size_t burst = 0;  // index in the active queue; refresh: scope index
    bool refresh = false;
  };

  [[nodiscard]] bool busy(const Channel& ch) const;
  // Issues the next command of channel c (jumping its clock to it). False when idle.
  bool step(std::size_t c);
  void admit(Channel& ch);
  [[nodiscard]] Choice refresh_choice(std::size_t c, const Channel& ch) const;
  [[nodiscard]] Choice burst_choice(std::size_t c, Channel& ch, const std::deque<Burst>& q);
  [[nodiscard]] Choice timeout_choice(std::size_t c, const Channel& ch) const;
  [[nodiscard]] Cycle bus_ready(const Channel& ch, Command cmd) const;
  [[nodiscard]] bool row_wanted(const Channel& ch, std::uint32_t bank, std::uint32_t row,
                                const Burst* except) const;
  void issue_refresh(std::size_t c, Channel& ch, const Choice& ch_choice);
  void issue_burst(std::size_t c, Channel& ch, std::deque<Burst>& q, const Choice& choice);
  void note_command(Channel& ch, Command cmd, Cycle at);
  [[nodiscard]] DramAddress scope_address(std::size_t c, std::size_t s) const;
  [[nodiscard]] std::uint32_t scope_of_bank(std::uint32_t bank) const;
  [[nodiscard]] bool scope_refreshing(const Channel& ch, std::size_t c, std::uint32_t bank) const;
  void run_until_done(std::size_t request);

  const DramSpec& spec_;
  const AddressMapping& mapping_;
  TimingState timing_;
  std::vector<Bank> banks_;
  std::vector<Channel> channels_;
  std::vector<Tracking> requests_;
  std::vector<std::uint32_t> hit_stamp_;  // per bank: step stamp when a queued burst hits it
  std::uint32_t stamp_ = 0;
  std::uint64_t banks_per_scope_;
  std::uint64_t scopes_per_channel_;
  std::uint64_t banks_per_channel_;
  std::vector<std::size_t> touched_;
};

}  // namespace tiersim::models::dram
