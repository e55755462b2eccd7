// Tag store of a sectored, set-associative, write-back cache with LRU replacement.
//
// One entry per way: the line index, an LRU stamp, and valid/dirty bits per 32 B sector. Work is
// per line (a scan of the set's ways), never per byte.
//
// access_line() contract, for one line and the mask of its sectors the request touches:
//  - tag present: outcome kHit if every touched sector is valid, else kSectorMiss with
//    `missing` = the touched sectors that were not valid;
//  - tag absent: kMiss, `missing` = all touched sectors; the victim is an invalid way if any,
//    else the least recently used one; its dirty sectors are reported in `evicted_dirty` (a
//    write-back) and the way is reallocated;
//  - afterwards the touched sectors are valid (a read fills them from the backing memory; a write
//    writes them whole, without fetching) and, for writes, dirty; the line becomes most recent.
//  - The statistics (CacheCounts) are updated; sector counts use whole sectors.
#pragma once

#include <cstdint>
#include <vector>

#include "models/sram/cache_geometry.h"

namespace tiersim::models::sram {

struct CacheCounts {
  std::uint64_t line_accesses = 0;  // lines touched by requests
  std::uint64_t hits = 0;           // lines with every touched sector valid
  std::uint64_t sector_misses = 0;  // lines present with some touched sector invalid
  std::uint64_t misses = 0;         // lines absent
  std::uint64_t sectors = 0;        // sectors touched
  std::uint64_t sector_hits = 0;    // sectors touched that were valid
  std::uint64_t write_backs = 0;    // evicted lines with dirty sectors
  std::uint64_t sectors_written_back = 0;

  // Fraction of touched sectors that hit (NVIDIA's lts__t_sector_hit_rate); 0 with no accesses.
  [[nodiscard]] double sector_hit_rate() const {
    return sectors == 0 ? 0.0 : static_cast<double>(sector_hits) / static_cast<double>(sectors);
  }
};

enum class LineOutcome : std::uint8_t { kHit, kSectorMiss, kMiss };

struct LineResult {
  LineOutcome outcome = LineOutcome::kHit;
  std::uint8_t missing = 0;        // touched sectors that were not valid
  std::uint8_t evicted_dirty = 0;  // dirty sectors of the evicted line (a write-back)
  std::uint64_t evicted_line = 0;  // its line index (meaningful when evicted_dirty != 0)
};

class TagStore {
 public:
  explicit TagStore(const CacheGeometry& g);

  // `line` = address / 128; `sectors` = bit i set for touched sector i (nonzero, < 16).
  LineResult access_line(std::uint64_t line, std::uint8_t sectors, bool write);

  [[nodiscard]] const CacheGeometry& geometry() const { return geometry_; }
  [[nodiscard]] const CacheCounts& counts() const { return counts_; }
  // True if the line is present (any valid sector); does not change LRU state.
  [[nodiscard]] bool contains(std::uint64_t line) const;

 private:
  struct Way {
    std::uint64_t line = 0;
    std::uint64_t stamp = 0;
    std::uint8_t valid = 0;  // 0 = way empty
    std::uint8_t dirty = 0;
  };
  CacheGeometry geometry_;
  std::vector<Way> ways_;
  std::uint64_t clock_ = 0;
  CacheCounts counts_;
};

}  // namespace tiersim::models::sram
