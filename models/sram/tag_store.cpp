#include "models/sram/tag_store.h"

#include <bit>
#include <cassert>

namespace tiersim::models::sram {

TagStore::TagStore(const CacheGeometry& g) : geometry_(g), ways_(g.total_ways()) {}

bool TagStore::contains(std::uint64_t line) const {
  const std::uint64_t base = geometry_.first_way(line);
  for (std::uint32_t w = 0; w < geometry_.ways(); ++w) {
    const Way& way = ways_[base + w];
    if (way.valid != 0 && way.line == line) return true;
  }
  return false;
}

LineResult TagStore::access_line(std::uint64_t line, std::uint8_t sectors, bool write) {
  assert(sectors != 0 && sectors < (1U << kSectorsPerLine));
  const std::uint64_t base = geometry_.first_way(line);
  const std::uint32_t touched = static_cast<std::uint32_t>(std::popcount(sectors));
  ++counts_.line_accesses;
  counts_.sectors += touched;

  Way* hit = nullptr;
  Way* victim = &ways_[base];
  for (std::uint32_t w = 0; w < geometry_.ways(); ++w) {
    Way& way = ways_[base + w];
    if (way.valid != 0 && way.line == line) {
      hit = &way;
      break;
    }
    // Prefer an empty way; among full ways the least recently used (lowest stamp).
    if (victim->valid != 0 && (way.valid == 0 || way.stamp < victim->stamp)) victim = &way;
  }

  LineResult r;
  Way* target = hit;
  if (hit != nullptr) {
    r.missing = static_cast<std::uint8_t>(sectors & ~hit->valid);
    r.outcome = r.missing == 0 ? LineOutcome::kHit : LineOutcome::kSectorMiss;
    if (r.missing == 0) {
      ++counts_.hits;
    } else {
      ++counts_.sector_misses;
    }
  } else {
    r.outcome = LineOutcome::kMiss;
    r.missing = sectors;
    ++counts_.misses;
    if (victim->valid != 0 && victim->dirty != 0) {
      r.evicted_dirty = victim->dirty;
      r.evicted_line = victim->line;
      ++counts_.write_backs;
      counts_.sectors_written_back += static_cast<std::uint64_t>(std::popcount(victim->dirty));
    }
    *victim = Way{line, 0, 0, 0};
    target = victim;
  }
  counts_.sector_hits += touched - static_cast<std::uint32_t>(std::popcount(r.missing));
  target->valid = static_cast<std::uint8_t>(target->valid | sectors);
  if (write) target->dirty = static_cast<std::uint8_t>(target->dirty | sectors);
  target->stamp = ++clock_;
  return r;
}

}  // namespace tiersim::models::sram
