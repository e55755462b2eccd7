// NAND flash as data: cell type, per-page-type timing, geometry, channel bus, and the static
// striping rule that places logical pages on channels/dies/planes. Shared by both fidelities of
// the flash array (flash_backend.h) and by `ssd` and `csd`.
//
// Geometry: channels x ways (chips per channel) x dies per chip x planes x blocks x pages; a
// channel bus (rate in MT/s x width in bits) is shared by the ways x dies on it.
// Striping (channel first, then die, then plane): logical page p lives on
//   channel = p % C, die-on-channel = (p / C) % (W*D), plane = (p / (C*W*D)) % P,
//   page-in-block = (p / (C*W*D*P)) % pages_per_block, page type = page-in-block % bits_per_cell
// (LSB/CSB/MSB... interleaved along a block's wordlines).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
  // Cache read: a die may sense the next page while the previous one waits in (or streams out
  // of) the cache register. Cache program: the next page's data may stream into the cache
  // register while the die programs. Only the detailed fidelity distinguishes them (fast assumes
  // both; flash_array.h).
  bool cache_read = true;
  bool cache_program = true;
  // Read retry: each page read fails ECC with this probability and is sensed and transferred
  // again with shifted read levels, up to read_retry_max extra attempts (seeded, deterministic).
  double read_retry_probability = 0.0;
  std::uint32_t read_retry_max = 4;
  std::uint64_t seed = 1;

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

// The striping rule above.
[[nodiscard]] PagePlace place_page(const NandParams& p, std::uint64_t logical_page);

// Timing of one request: data window plus the critical-path parts (for latency breakdowns).
struct FlashTiming {
  Time first;                 // first byte at the controller (read) / first program start (write)
  Time last;                  // last byte at the controller (read) / last program done (write)
  Time array;                 // tR (or tPROG) of the operation that finished last
  Time transfer;              // channel time (command + data) of that operation's last page
  std::uint64_t ops = 0;      // multi-plane operations issued
  std::uint64_t pages = 0;    // pages touched
  std::uint64_t retries = 0;  // extra read attempts (read retry)
};

}  // namespace tiersim::models::flash
