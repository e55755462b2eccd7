// The NAND array behind an SSD controller, as the controller sees it: read/program a logical
// byte range, garbage-collect a victim block, and busy time per channel and die. Two fidelities
// implement it (selected by `fidelity:` of `ssd`):
//  - `fast` (flash_array.h): a request is timed arithmetically over gap-filling die and channel
//    timelines, per multi-plane operation;
//  - `detailed` (detailed_array.h): every flash command (address cycles, sense, cache move,
//    data-out/data-in, program, copyback, erase) is an event, with per-die FIFO command queues,
//    cache registers and the channel bus arbitrated per transfer.
//
// Contract (both):
//  - read()/program() are called in request-issue order with non-decreasing `now` (the caller's
//    simulation time); `earliest` (>= now) is when the controller issues the flash commands.
//    They return absolute times (FlashTiming). Data placement is the striping rule (nand.h).
//  - collect(die, moved, earliest): one garbage collection on `die`: `moved` valid pages copied
//    back on the die (read + program, no channel traffic) and one block erase, from no earlier
//    than `earliest`; returns when the die is done.
//  - Read retry (nand.read_retry_probability): the number of extra attempts of a page read is a
//    deterministic function of (seed, request sequence number, page), so both fidelities draw
//    the same retries for the same request stream.
//  - book_busy(from, die_busy, channel_busy): work timed elsewhere (the CSD engine's
//    extrapolated attention groups, models/csd/csd.h) occupies each die d for die_busy[d] and
//    each channel c for channel_busy[c], as one block each from no earlier than `from`: `fast`
//    in the first gap that holds it (as the timed groups' reads, booked up front, leave no room
//    in between: a read issued into the window waits for them), `detailed` at the end of each
//    die's FIFO queue (channels as in `fast`). Busy times and the channel series include it;
//    no commands are counted.
//  - Statistics: channel/die busy time; optional per-channel busy series (ps of bus time per
//    window, set_channel_series), flash commands issued.
#pragma once

#include <cstdint>
#include <vector>

#include "models/flash/interval_timeline.h"
#include "models/flash/nand.h"
#include "sim/stats/time_series.h"

namespace tiersim::models::flash {

class FlashBackend {
 public:
  explicit FlashBackend(NandParams p) : p_(std::move(p)), channel_bw_(p_.channel_bandwidth()) {}
  virtual ~FlashBackend() = default;
  FlashBackend(const FlashBackend&) = delete;
  FlashBackend& operator=(const FlashBackend&) = delete;

  [[nodiscard]] const NandParams& params() const { return p_; }
  [[nodiscard]] PagePlace place(std::uint64_t logical_page) const {
    return place_page(p_, logical_page);
  }
  // Peak channel-side bandwidth: channels x rate x width (what an engine inside the drive sees).
  [[nodiscard]] Bandwidth aggregate_channel_bandwidth() const {
    return Bandwidth::bytes_per_second(channel_bw_.bytes_per_second() * p_.geometry.channels);
  }

  virtual FlashTiming read(std::uint64_t address, Bytes bytes, Time earliest, Time now) = 0;
  virtual FlashTiming program(std::uint64_t address, Bytes bytes, Time earliest, Time now) = 0;
  virtual Time collect(std::uint32_t die, std::uint32_t moved, Time earliest) = 0;

  // Sizes: die_busy has geometry.dies() entries, channel_busy geometry.channels (contract).
  virtual void book_busy(Time from, const std::vector<Time>& die_busy,
                         const std::vector<Time>& channel_busy) = 0;

  [[nodiscard]] virtual Time channel_busy(std::uint32_t channel) const = 0;
  [[nodiscard]] virtual Time die_busy(std::uint32_t die) const = 0;
  [[nodiscard]] std::uint64_t commands() const { return commands_; }
  [[nodiscard]] std::uint64_t retries() const { return retries_; }
  // One series per channel (entries may be null): bus busy time (ps) per window.
  void set_channel_series(std::vector<stats::TimeSeries*> s) { series_ = std::move(s); }

 protected:
  // Extra read attempts of page `lpn` in the current request (see the contract).
  [[nodiscard]] std::uint32_t retries_of(std::uint64_t lpn) const;
  void next_request() { ++request_; }
  void record_bus(std::uint32_t channel, Time start, Time duration) {
    if (channel < series_.size() && series_[channel] != nullptr && duration > Time::zero()) {
      series_[channel]->add_interval(start, start + duration, static_cast<double>(duration.ps()));
    }
  }
  // Books `busy` on `timeline` as one block from no earlier than `from` (book_busy's contract);
  // when `channel` is set, the block also goes to that channel's busy series.
  void book_block(IntervalTimeline& timeline, Time from, Time busy, const std::uint32_t* channel);
  NandParams p_;
  Bandwidth channel_bw_;
  std::uint64_t commands_ = 0;
  std::uint64_t retries_ = 0;

 private:
  std::uint64_t request_ = 0;
  std::vector<stats::TimeSeries*> series_;
};

}  // namespace tiersim::models::flash
