// The cached mapping table of an SSD controller (DFTL-style): the logical-to-physical table lives
// in flash as translation pages (page_size / 4 B entries each) and the controller DRAM caches
// `capacity` of them, least recently used first out.
//
// Contract:
//  - access(lpn, dirty) returns whether the translation page holding lpn was cached (a hit) and
//    makes it most recently used; on a miss it is inserted, evicting the LRU page; if that page
//    was dirty, evicted() returns its number until the next access (the caller programs it).
//    dirty = true marks the page modified (a write updated its entries).
//  - Capacity 0 pages means the whole table is in DRAM: every access hits (the default).
//  - Memory: one 4 B slot per translation page plus 13 B per cached page; no allocation after
//    construction.
#pragma once

#include <cstdint>
#include <vector>

namespace tiersim::models::flash {

class MappingCache {
 public:
  MappingCache(std::uint64_t translation_pages, std::uint32_t cached_pages);
  bool access(std::uint64_t tpage, bool dirty);
  [[nodiscard]] bool enabled() const { return cap_ > 0; }
  [[nodiscard]] std::int64_t evicted() const { return evicted_; }
  [[nodiscard]] std::uint64_t misses() const { return misses_; }
  [[nodiscard]] std::uint64_t hits() const { return hits_; }

 private:
  static constexpr std::uint32_t kNil = ~std::uint32_t{0};
  void unlink(std::uint32_t s);
  void push_front(std::uint32_t s);
  std::uint32_t cap_;
  std::vector<std::uint32_t> slot_of_;  // per translation page: cache slot or kNil
  std::vector<std::uint64_t> page_of_;  // per slot
  std::vector<std::uint32_t> prev_, next_;
  std::vector<std::uint8_t> dirty_;
  std::uint32_t head_ = kNil, tail_ = kNil, used_ = 0;
  std::int64_t evicted_ = -1;
  std::uint64_t misses_ = 0, hits_ = 0;
};

}  // namespace tiersim::models::flash
