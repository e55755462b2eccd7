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

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/trace/trace_record.h"

namespace tiersim::trace {

// Blanks around fields: space, tab, carriage return. Fields are separated by blanks and commas.
[[nodiscard]] constexpr bool is_field_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}
[[nodiscard]] constexpr bool is_field_separator(char c) {
  return is_field_blank(c) || c == ',';
}

// Splits `line` into at most fields.size() fields; returns how many were found.
[[nodiscard]] std::size_t split_fields(std::string_view line, std::span<std::string_view> fields);

[[nodiscard]] bool parse_time_ns(std::string_view field, Time& out, std::string& error);
[[nodiscard]] bool parse_op(std::string_view field, Op& out, std::string& error);
[[nodiscard]] bool parse_address(std::string_view field, std::uint64_t& out, std::string& error);
[[nodiscard]] bool parse_bytes(std::string_view field, Bytes& out, std::string& error);

}  // namespace tiersim::trace
