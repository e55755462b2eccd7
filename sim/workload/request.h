// One inference request of a workload, and the streaming interface every request source follows.
//
// Contract:
//  - Request ids count from 0 in source order; arrivals are exact picoseconds from the start of
//    the trace and never decrease.
//  - prefix_blocks lists the request's KV blocks of kPrefixBlockTokens prompt tokens (Mooncake's
//    hash_ids): equal ids in two requests are the same shared prefix block. Empty when unknown.
//  - Closed loop (docs/workloads.md, "Closed-loop users"): `user` names the user that issued the
//    request (kNoUser for open-loop requests); `after` is the id of that user's previous request
//    (kNoAfter for a user's first request). A scheduler releases a request with `after` set at
//    completion(after) + `think`; `arrival` is then the earliest possible release (the release if
//    every request took no time), so arrivals stay non-decreasing and open-loop consumers see a
//    zero-service-time approximation. `after` always names an earlier id.
//  - RequestSource::next() yields requests in order and holds O(1) requests in memory; errors are
//    trace::TraceError naming the file, the line (text forms) and the record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::workload {

inline constexpr std::uint32_t kPrefixBlockTokens = 512;
inline constexpr std::uint64_t kNoUser = ~std::uint64_t{0};
inline constexpr std::uint64_t kNoAfter = ~std::uint64_t{0};

struct Request {
  std::uint64_t id = 0;
  Time arrival;
  std::uint32_t prompt_tokens = 0;
  std::uint32_t output_tokens = 0;
  std::vector<std::uint64_t> prefix_blocks;
  std::uint64_t user = kNoUser;
  std::uint64_t after = kNoAfter;
  Time think;  // with `after`: the user's think time after that request completes
  friend bool operator==(const Request&, const Request&) = default;
};

class RequestSource {
 public:
  virtual ~RequestSource() = default;
  // The next request into `out`; false at the end.
  [[nodiscard]] virtual bool next(Request& out) = 0;
  // Names the source for messages (a path, or "synthetic").
  [[nodiscard]] virtual std::string name() const = 0;
};

}  // namespace tiersim::workload
