#include "models/flash/flash_backend.h"

namespace tiersim::models::flash {

namespace {
// splitmix64: a fixed, well-mixed function of its input (deterministic on every platform).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

std::uint32_t FlashBackend::retries_of(std::uint64_t lpn) const {
  if (p_.read_retry_probability <= 0.0) return 0;
  std::uint64_t h = mix(p_.seed ^ mix(request_ ^ mix(lpn)));
  std::uint32_t n = 0;
  while (n < p_.read_retry_max) {
    const double u = static_cast<double>(h >> 11) * 0x1.0p-53;
    if (u >= p_.read_retry_probability) break;
    ++n;
    h = mix(h);
  }
  return n;
}

void FlashBackend::book_block(IntervalTimeline& timeline, Time from, Time busy,
                              const std::uint32_t* channel) {
  if (busy <= Time::zero()) return;
  const Time start = timeline.reserve(from, busy, /*remember=*/false);
  if (channel != nullptr) record_bus(*channel, start, busy);
}

}  // namespace tiersim::models::flash
