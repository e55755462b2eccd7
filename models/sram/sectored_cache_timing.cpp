#include "models/sram/sectored_cache_timing.h"

#include <algorithm>
#include <bit>

namespace tiersim::models::sram {

namespace {

// Mask of the sectors of line `line` that [begin, end) touches (nonzero when they overlap).
std::uint8_t sector_mask(std::uint64_t line, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t line_begin = line * kLineBytes;
  const std::uint64_t lo = std::max(begin, line_begin) - line_begin;
  const std::uint64_t hi = std::min(end, line_begin + kLineBytes) - line_begin;  // exclusive
  const auto first = static_cast<unsigned>(lo / kSectorBytes);
  const auto last = static_cast<unsigned>((hi - 1) / kSectorBytes);
  return static_cast<std::uint8_t>(((2U << last) - 1U) & ~((1U << first) - 1U));
}

}  // namespace

SectoredCacheTiming::SectoredCacheTiming(const SectoredCacheParams& p, BackingMemory& backing)
    : params_(p),
      tags_(CacheGeometry::make(p.capacity, p.ways, p.partitions, p.hashed_sets)),
      backing_(backing),
      ports_(p.partitions),
      part_bytes_(p.partitions, 0) {}

kernel::DataWindow SectoredCacheTiming::access(kernel::TxnKind kind, Time arrival, Time data_last,
                                               std::uint64_t address, Bytes bytes,
                                               std::uint32_t home) {
  if (bytes.count() == 0) return {arrival, arrival};
  const bool write = kind == kernel::TxnKind::kWrite;
  const CacheGeometry& g = tags_.geometry();
  home %= g.partitions();
  const auto latency_of = [&](std::uint32_t q) {
    return q == home ? params_.near_latency : params_.far_latency;
  };

  const std::uint64_t end = address + bytes.count();
  std::uint64_t missing_sectors = 0;
  std::uint64_t first_missing_line = 0;
  std::uint64_t written_back_sectors = 0;
  std::uint64_t first_written_back_line = 0;
  bool any_hit = false;
  Time miss_latency;  // largest latency of a partition with a miss
  std::fill(part_bytes_.begin(), part_bytes_.end(), 0);

  for (std::uint64_t line = address / kLineBytes; line * kLineBytes < end; ++line) {
    const std::uint8_t mask = sector_mask(line, address, end);
    const LineResult r = tags_.access_line(line, mask, write);
    const std::uint32_t q = g.partition_of(line);
    const std::uint64_t line_begin = line * kLineBytes;
    part_bytes_[q] += std::min(end, line_begin + kLineBytes) - std::max(address, line_begin);
    if (r.missing != mask) any_hit = true;
    if (r.missing != 0) {
      if (missing_sectors == 0) first_missing_line = line;
      missing_sectors += static_cast<std::uint64_t>(std::popcount(r.missing));
      miss_latency = max(miss_latency, latency_of(q));
    }
    if (r.evicted_dirty != 0) {
      if (written_back_sectors == 0) first_written_back_line = r.evicted_line;
      written_back_sectors += static_cast<std::uint64_t>(std::popcount(r.evicted_dirty));
    }
  }

  if (written_back_sectors != 0) {
    backing_.write(arrival, first_written_back_line * kLineBytes,
                   Bytes(written_back_sectors * kSectorBytes));
  }

  Time first = Time::max();
  Time last;
  Time data_end;
  Time max_latency;
  for (std::uint32_t q = 0; q < g.partitions(); ++q) {
    if (part_bytes_[q] == 0) continue;
    const Time xfer = params_.partition_bandwidth.transfer_time(Bytes(part_bytes_[q]));
    const Time s = ports_[q].reserve(arrival, xfer);
    first = min(first, s + latency_of(q));
    last = max(last, s + xfer + latency_of(q));
    data_end = max(data_end, s + xfer);
    max_latency = max(max_latency, latency_of(q));
  }

  if (write) {
    const Time ack = max(data_end, data_last) + max_latency;
    return {ack, ack};
  }
  if (missing_sectors != 0) {
    const Bytes fill(missing_sectors * kSectorBytes);
    bytes_fetched_ += fill.count();
    const kernel::DataWindow m = backing_.read(arrival, first_missing_line * kLineBytes, fill);
    last = max(last, m.last + miss_latency);
    if (!any_hit) first = m.first + miss_latency;
  }
  return {first, last};
}

Time SectoredCacheTiming::port_busy() const {
  Time t;
  for (const auto& p : ports_) t += p.busy_time();
  return t;
}

}  // namespace tiersim::models::sram
