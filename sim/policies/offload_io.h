// Shared pieces of the offloading policies (flexgen, deepspeed_zero_inference, instinfer):
// named component lookup, percentage splits, and a host I/O path that issues a large transfer as
// fixed-size requests with a bounded number in flight (a page-cache read-ahead window, a swap
// cluster, an NVMe queue).
//
// Contract:
//  - issue_chunked(bytes, request, depth, at, issue) cuts `bytes` into ceil(bytes / request)
//    requests (the last one shorter) and calls issue(offset, size, t) for each in order; request
//    i is issued at max(at, completion of request i - depth) (at most `depth` in flight, FIFO).
//    Returns the completion of the last request (`at` when bytes == 0). No allocation: the
//    in-flight window is a fixed ring of kMaxDepth entries (depth is clamped to it).
//  - split(bytes, percent) is floor(bytes x percent / 100) in exact integer arithmetic for whole
//    percents (percent in [0, 100]); the remainder of a three-way split goes to the last tier.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "sim/units/units.h"

namespace tiersim::policies {

inline constexpr std::uint32_t kMaxDepth = 64;

template <class Issue>
[[nodiscard]] Time issue_chunked(Bytes bytes, Bytes request, std::uint32_t depth, Time at,
                                 Issue&& issue) {
  if (bytes.count() == 0) return at;
  const std::uint64_t req = std::max<std::uint64_t>(request.count(), 1);
  depth = std::clamp<std::uint32_t>(depth, 1, kMaxDepth);
  std::array<Time, kMaxDepth> done{};
  const std::uint64_t n = (bytes.count() + req - 1) / req;
  Time last = at;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t off = i * req;
    const Bytes size(std::min(req, bytes.count() - off));
    const Time t = i >= depth ? max(at, done[i % depth]) : at;
    const Time c = issue(off, size, t);
    done[i % depth] = c;
    last = max(last, c);
  }
  return last;
}

// Three-way placement in whole percents (FlexGen's --percent): gpu + cpu <= 100, disk the rest.
struct Percent3 {
  std::uint32_t gpu = 100;
  std::uint32_t cpu = 0;
  [[nodiscard]] std::uint32_t disk() const { return 100 - gpu - cpu; }
};

[[nodiscard]] inline Bytes split(Bytes b, std::uint32_t percent) {
  // b x p / 100 without overflow for any realistic size (< 2^57 bytes).
  return Bytes(b.count() / 100 * percent + b.count() % 100 * percent / 100);
}

struct Split3 {
  Bytes gpu, cpu, disk;
};

[[nodiscard]] inline Split3 split3(Bytes b, const Percent3& p) {
  Split3 s{split(b, p.gpu), split(b, p.cpu), Bytes(0)};
  s.disk = b - s.gpu - s.cpu;
  return s;
}

}  // namespace tiersim::policies
