// `fast` fidelity of the NAND array (flash_backend.h): each request is timed arithmetically over
// die and channel timelines, per multi-plane operation, with no per-byte work.
//
// Read timing: the pages a request touches on one die are grouped into multi-plane operations of
// up to P pages (consecutive pages on a die sit on successive planes, so any P of them are on
// distinct planes). An operation occupies its die for the slowest tR among its pages (times
// 1 + retries of a retried page); the die is free again once the data sits in the cache
// register (cache read; the register is not a modelled resource); then each page's requested
// bytes cross the channel: command_overhead + bytes / (rate x width / 8), once per attempt.
// Dies and channels are gap-filling timelines (interval_timeline.h): out-of-order per-die/channel
// scheduling.
// Program timing: data crosses the channel first, then the die programs for the slowest tPROG
// among the pages of a multi-plane operation. Garbage collection occupies the die for
// moved x (mean tR + mean tPROG) + tBERS (collect()).
// The fast engine ignores nand.cache_read/cache_program (it behaves as with both on).
#pragma once

#include <cstdint>
#include <vector>

#include "models/flash/flash_backend.h"
#include "models/flash/interval_timeline.h"

namespace tiersim::models::flash {

class FlashArray final : public FlashBackend {
 public:
  explicit FlashArray(NandParams p);

  // Reads bytes [address, address + bytes) with flash commands issued no earlier than `earliest`.
  FlashTiming read(std::uint64_t address, Bytes bytes, Time earliest, Time now) override;
  // Programs the pages of [address, address + bytes); data available from `earliest`.
  FlashTiming program(std::uint64_t address, Bytes bytes, Time earliest, Time now) override;
  Time collect(std::uint32_t die, std::uint32_t moved, Time earliest) override;

  // Occupies die `die` for `duration` from no earlier than `earliest`; returns the end.
  Time occupy_die(std::uint32_t die, Time earliest, Time duration) {
    return dies_[die].reserve(earliest, duration) + duration;
  }
  void book_busy(Time from, const std::vector<Time>& die_busy,
                 const std::vector<Time>& channel_busy) override;
  [[nodiscard]] Time channel_busy(std::uint32_t c) const override {
    return channels_[c].busy_time();
  }
  [[nodiscard]] Time die_busy(std::uint32_t d) const override { return dies_[d].busy_time(); }

 private:
  FlashTiming run(std::uint64_t address, Bytes bytes, Time earliest, Time now, bool write);
  std::vector<IntervalTimeline> channels_;
  std::vector<IntervalTimeline> dies_;
  Time forgotten_;
};

}  // namespace tiersim::models::flash
