// One inference request of a workload, and the streaming interface every request source follows.
//
// Contract:
//  - Request ids count from 0 in source order; arrivals are exact picoseconds from the start of
//    the trace and never decrease.
//  - prefix_blocks lists the request's KV blocks of kPrefixBlockTokens prompt tokens (Mooncake's
//    hash_ids): equal ids in two requests are the same shared prefix block. Empty when unknown.
//  - RequestSource::next() yields requests in order and holds O(1) requests in memory; errors are
//    trace::TraceError naming the file, the line (text forms) and the record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/units/units.h"

namespace tiersim::workload {

inline constexpr std::uint32_t kPrefixBlockTokens = 512;

struct Request {
  std::uint64_t id = 0;
  Time arrival;
  std::uint32_t prompt_tokens = 0;
  std::uint32_t output_tokens = 0;
  std::vector<std::uint64_t> prefix_blocks;
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
