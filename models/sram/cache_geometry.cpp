#include "models/sram/cache_geometry.h"

#include <fmt/format.h>

#include <bit>
#include <stdexcept>

namespace tiersim::models::sram {

CacheGeometry CacheGeometry::make(Bytes capacity, std::uint32_t ways, std::uint32_t partitions,
                                  bool hashed_sets) {
  if (ways == 0) throw std::invalid_argument("cache: ways must be >= 1");
  if (partitions == 0 || !std::has_single_bit(partitions)) {
    throw std::invalid_argument(
        fmt::format("cache: partitions must be a power of two, got {}", partitions));
  }
  const std::uint64_t unit = kLineBytes * ways * partitions;
  if (capacity.count() == 0 || capacity.count() % unit != 0) {
    throw std::invalid_argument(fmt::format(
        "cache: capacity {} B is not a positive multiple of 128 B x {} ways x {} partitions "
        "({} B)",
        capacity.count(), ways, partitions, unit));
  }
  return CacheGeometry(capacity, ways, partitions,
                       static_cast<unsigned>(std::countr_zero(partitions)), capacity.count() / unit,
                       hashed_sets);
}

}  // namespace tiersim::models::sram
