// Bank interleaving: how a byte range splits over banks, computed arithmetically.
//
// Granule g (bytes [g*granule, (g+1)*granule)) lives in bank g % banks. A range of any size is
// split per bank in O(min(banks, granules touched)) steps, never per byte or per granule.
//
// Contract:
//  - for_each_bank_share(address, bytes, granule, banks, f) calls f(bank, share) once for every
//    bank the range [address, address + bytes) touches, with share > 0 the exact number of the
//    range's bytes in that bank; the shares sum to `bytes`. Banks come in the order of their first
//    granule in the range. Nothing is called for bytes == 0.
//  - granule and banks must be > 0 (checked by the callers' configs; asserted here).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>

namespace tiersim::models::sram {

template <class F>
void for_each_bank_share(std::uint64_t address, std::uint64_t bytes, std::uint64_t granule,
                         std::uint64_t banks, F&& f) {
  assert(granule > 0 && banks > 0);
  if (bytes == 0) return;
  const std::uint64_t first = address / granule;
  const std::uint64_t last = (address + bytes - 1) / granule;
  const std::uint64_t granules = last - first + 1;
  const std::uint64_t head_unused = address % granule;  // before the range
  const std::uint64_t tail_unused = granule - 1 - (address + bytes - 1) % granule;  // after it
  const std::uint64_t last_offset = (granules - 1) % banks;  // offset j that holds granule `last`
  const std::uint64_t touched = std::min(banks, granules);
  for (std::uint64_t j = 0; j < touched; ++j) {
    // Granules first + j, first + j + banks, ... up to `last`.
    const std::uint64_t count = (granules - j + banks - 1) / banks;
    std::uint64_t share = count * granule;
    if (j == 0) share -= head_unused;
    if (j == last_offset) share -= tail_unused;
    f(static_cast<std::uint64_t>((first + j) % banks), share);
  }
}

}  // namespace tiersim::models::sram
