// The NAND array behind an SSD controller: geometry, cell timing, channel buses and per-die
// timelines, with the static striping rule that places logical pages on channels/dies/planes.
//
// Geometry: channels x ways (chips per channel) x dies per chip x planes x blocks x pages; a
// channel bus (rate in MT/s x width in bits) is shared by the ways x dies on it.
// Striping (channel first, then die, then plane): logical page p lives on
//   channel = p % C, die-on-channel = (p / C) % (W*D), plane = (p / (C*W*D)) % P,
//   page-in-block = (p / (C*W*D*P)) % pages_per_block, page type = page-in-block % bits_per_cell
// (LSB/CSB/MSB... interleaved along a block's wordlines).
//
// Read timing (per page, no per-byte work): the pages a request touches on one die are grouped
// into multi-plane operations of up to P pages (consecutive pages on a die sit on successive
// planes, so any P of them are on distinct planes). An operation occupies its die for the
// slowest tR among its pages (cache read: the die is free again once the data sits in the cache
// register; the register is not a modelled resource); then each page's requested bytes cross the
// channel: command_overhead + bytes / (rate x width / 8). Dies and channels are gap-filling
// timelines (interval_timeline.h): out-of-order per-die/channel scheduling.
// Program timing: data crosses the channel first, then the die programs for the slowest tPROG
// among the pages of a multi-plane operation. Erase occupies a die for tBERS.
//
// Contract: read()/program() are called with non-decreasing `now` (the caller's simulation
// time); earliest >= now. They return absolute times.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/flash/interval_timeline.h"
#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/units/units.h"

namespace tiersim::models::flash {

enum class CellType : std::uint8_t { kSlc = 1, kMlc = 2, kTlc = 3, kQlc = 4 };

[[nodiscard]] CellType parse_cell(const std::string& s);
[[nodiscard]] inline std::uint32_t bits_per_cell(CellType c) {
  return static_cast<std::uint32_t>(c);
}

struct Geometry {
  std::uint32_t channels = 8;
  std::uint32_t ways = 4;          // chips (chip enables) per channel
  std::uint32_t dies_per_way = 1;  // dies per chip
  std::uint32_t planes = 2;        // per die
  std::uint32_t blocks_per_plane = 1024;
  std::uint32_t pages_per_block = 384;
  Bytes page_size = Bytes::KiB(16);

  [[nodiscard]] std::uint32_t dies_per_channel() const { return ways * dies_per_way; }
  [[nodiscard]] std::uint32_t dies() const { return channels * dies_per_channel(); }
  [[nodiscard]] std::uint64_t pages() const {
    return std::uint64_t{dies()} * planes * blocks_per_plane * pages_per_block;
  }
  [[nodiscard]] Bytes raw_capacity() const { return Bytes(pages() * page_size.count()); }
};

struct NandParams {
  CellType cell = CellType::kTlc;
  std::vector<Time> read;     // tR per page type (LSB, CSB, MSB, TSB), bits_per_cell entries
  std::vector<Time> program;  // tPROG per page type
  Time erase;                 // tBERS
  Geometry geometry;
  TransferRate channel_rate;  // MT/s of the channel bus (ONFI NV-DDR / Toggle)
  std::uint32_t channel_width_bits = 8;
  Time command_overhead;  // command + address cycles on the channel per page transfer

  [[nodiscard]] Bandwidth channel_bandwidth() const {
    return Bandwidth::bytes_per_second(channel_rate.transfers_per_second() * channel_width_bits /
                                       8.0);
  }
  [[nodiscard]] Time mean_read() const;
  [[nodiscard]] Time mean_program() const;
};

// Schema of the `nand` map shared by `ssd` and `csd` (units, defaults, docs).
[[nodiscard]] config::SchemaPtr nand_schema();
// Reads a validated `nand` map; throws ConfigError at the offending key on inconsistency.
[[nodiscard]] NandParams nand_from_config(const config::Node& n);

struct PagePlace {
  std::uint32_t channel;
  std::uint32_t die;  // global die index: channel * dies_per_channel + die-on-channel
  std::uint32_t plane;
  std::uint32_t type;  // page type index (0 = LSB)
};

// Timing of one request: data window plus the critical-path parts (for latency breakdowns).
struct FlashTiming {
  Time first;               // first byte at the controller (read) / first program start (write)
  Time last;                // last byte at the controller (read) / last program done (write)
  Time array;               // tR (or tPROG) of the operation that finished last
  Time transfer;            // channel time (command + data) of that operation's last page
  std::uint64_t ops = 0;    // multi-plane operations issued
  std::uint64_t pages = 0;  // pages touched
};

class FlashArray {
 public:
  explicit FlashArray(NandParams p);

  [[nodiscard]] const NandParams& params() const { return p_; }
  [[nodiscard]] PagePlace place(std::uint64_t logical_page) const;

  // Reads bytes [address, address + bytes) with flash commands issued no earlier than `earliest`.
  FlashTiming read(std::uint64_t address, Bytes bytes, Time earliest, Time now);
  // Programs the pages of [address, address + bytes); data available from `earliest`.
  FlashTiming program(std::uint64_t address, Bytes bytes, Time earliest, Time now);

  // Occupies die `die` for `duration` from no earlier than `earliest` (garbage collection:
  // on-die copyback and erase, no channel traffic); returns the end.
  Time occupy_die(std::uint32_t die, Time earliest, Time duration) {
    return dies_[die].reserve(earliest, duration) + duration;
  }
  [[nodiscard]] const std::vector<IntervalTimeline>& channels() const { return channels_; }
  [[nodiscard]] const std::vector<IntervalTimeline>& dies() const { return dies_; }
  // Peak channel-side bandwidth: channels x rate x width (what an engine inside the drive sees).
  [[nodiscard]] Bandwidth aggregate_channel_bandwidth() const;

 private:
  FlashTiming run(std::uint64_t address, Bytes bytes, Time earliest, Time now, bool write);
  NandParams p_;
  Bandwidth channel_bw_;
  std::vector<IntervalTimeline> channels_;
  std::vector<IntervalTimeline> dies_;
  Time forgotten_;
};

}  // namespace tiersim::models::flash
