// Parsers for the fields of a text trace line (traces/FORMAT.md). Exact: no floating point.
//
// Contract: each parser returns true and sets `out`, or returns false and sets `error` to the
// `<what>` part of the error message (the caller adds "<path>:<line>: record <n>: "). On success
// nothing is allocated.
//  - time:    decimal nanoseconds, >= 0, at most 3 fractional digits, fits int64 picoseconds.
//  - op:      R, W, READ or WRITE, any case.
//  - address: 0x-prefixed hex or decimal, fits uint64.
//  - bytes:   decimal, > 0, fits uint64.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/trace/trace_record.h"

namespace tiersim::trace {

[[nodiscard]] bool parse_time_ns(std::string_view field, Time& out, std::string& error);
[[nodiscard]] bool parse_op(std::string_view field, Op& out, std::string& error);
[[nodiscard]] bool parse_address(std::string_view field, std::uint64_t& out, std::string& error);
[[nodiscard]] bool parse_bytes(std::string_view field, Bytes& out, std::string& error);

}  // namespace tiersim::trace
