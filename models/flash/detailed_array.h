// `detailed` fidelity of the NAND array (flash_backend.h): every flash command is an event.
//
// A request becomes flash operations, one per die and group of up to P pages (multi-plane, the
// grouping of the fast engine). Each die has a FIFO command queue (operations start in issue
// order), a data register per plane and a cache register; each channel is one bus.
// Read operation on die d, channel c, pages k of n (events in time order, per request):
//  1. issue: n address sequences (command_overhead each, one per plane) on the channel bus once
//     the die has finished its previous array operation (FIFO);
//  2. sensed (after the slowest tR of the operation, times 1 + retries of a retried page): the
//     data moves to the cache register once the previous operation's data has left it (cache
//     read); the die may then start its next operation. Without cache read the die stays busy
//     until its data has left;
//  3. data-out: per page a column-select command (command_overhead) plus the page's requested
//     bytes on the bus (once per attempt under read retry); the cache register is free after the
//     last page.
// Program operation: data-in (command_overhead + bytes per page) into the cache register once it
// is free (cache program: while the die still programs the previous operation; without it, only
// when the die is idle), then tPROG (slowest page type of the operation) when the die is free.
// Garbage collection (collect) queues `moved` copyback pairs (tR + tPROG of successive page
// types) and one erase (tBERS) on the die's FIFO.
// Order between requests (the LT contract: serve() must answer at once): requests are simulated
// in issue order, each against the schedule the older ones left; a younger request's transfers
// use only the bus gaps left by older ones (channel: gap-filling timeline), its die operations
// queue behind them (die FIFO). So an older request is never delayed by a younger one.
// Events are processed from a reused heap; no allocation per event in steady state.
#pragma once

#include <cstdint>
#include <vector>

#include "models/flash/flash_backend.h"
#include "models/flash/interval_timeline.h"

namespace tiersim::models::flash {

class DetailedFlash final : public FlashBackend {
 public:
  explicit DetailedFlash(NandParams p);

  FlashTiming read(std::uint64_t address, Bytes bytes, Time earliest, Time now) override;
  FlashTiming program(std::uint64_t address, Bytes bytes, Time earliest, Time now) override;
  Time collect(std::uint32_t die, std::uint32_t moved, Time earliest) override;

  void book_busy(Time from, const std::vector<Time>& die_busy,
                 const std::vector<Time>& channel_busy) override;
  [[nodiscard]] Time channel_busy(std::uint32_t c) const override {
    return channels_[c].busy_time();
  }
  [[nodiscard]] Time die_busy(std::uint32_t d) const override { return die_busy_[d]; }
  // Events processed so far (one per command stage), for the fidelity comparison.
  [[nodiscard]] std::uint64_t events() const { return events_; }

 private:
  enum class Stage : std::uint8_t { kIssue, kSensed, kLoaded };
  struct Op {
    std::uint64_t lpn0;   // first page; page k of the op is lpn0 + k * stripe
    std::uint32_t pages;  // pages in the operation (<= planes)
    std::uint32_t die;
    std::uint32_t channel;
    std::uint32_t next;  // next operation of this request on the same die (kNone: last)
    Time array;          // slowest tR (x attempts) / tPROG of the operation
    std::uint32_t tries[8];
  };
  struct Event {
    Time t;
    std::uint32_t seq;
    std::uint32_t op;
    Stage stage;
  };
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  FlashTiming run(std::uint64_t address, Bytes bytes, Time earliest, Time now, bool write);
  void post(Time t, std::uint32_t op, Stage s);
  Time page_transfer(std::uint64_t lpn) const;

  std::vector<IntervalTimeline> channels_;
  std::vector<Time> die_free_;    // die done with its last queued array operation
  std::vector<Time> cache_free_;  // cache register free (reads: data out; programs: moved in)
  std::vector<Time> die_busy_;
  std::vector<Op> ops_;                        // reused per request
  std::vector<Event> heap_;                    // reused per request
  std::vector<std::uint32_t> last_op_of_die_;  // per die, reused per request
  std::uint32_t seq_ = 0;
  std::uint64_t events_ = 0;
  std::uint64_t req_address_ = 0;
  std::uint64_t req_end_ = 0;
  Time forgotten_;
};

}  // namespace tiersim::models::flash
