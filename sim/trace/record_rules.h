// Rules every trace record obeys, and the error texts that name a violation (traces/FORMAT.md).
// Shared by the text and HDF5 readers and by both writers so all forms agree.
//
// Contract:
//  - record_violation() returns nullopt for a valid record (without allocating) or the `<what>`
//    part of an error: negative time, unknown op, zero bytes, stream index outside the table, or a
//    time earlier than `previous`.
//  - time_ns_text() prints an exact picosecond time as decimal nanoseconds with the fewest
//    fractional digits (7000 ps -> "7", 12500 ps -> "12.5", 12345 ps -> "12.345"). It is the
//    inverse of the text reader's time parser.
//  - quoted() wraps a field in single quotes for an error message, shortening very long fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "sim/trace/trace_record.h"

namespace tiersim::trace {

// Appends time_ns_text(t) to `out` without allocating beyond the buffer's growth.
void append_time_ns(fmt::memory_buffer& out, Time t);
[[nodiscard]] std::string time_ns_text(Time t);

[[nodiscard]] std::string quoted(std::string_view field);

[[nodiscard]] std::string bytes_not_positive_message(std::string_view got);
[[nodiscard]] std::string time_order_message(Time t, Time previous);

// `previous` is the previous record's time (Time::zero() before the first record).
[[nodiscard]] std::optional<std::string> record_violation(const Record& r, Time previous,
                                                          std::size_t stream_count);

// "<path>:<line>: record <n>: <what>" (text form).
[[nodiscard]] std::string text_record_error(std::string_view path, std::uint64_t line,
                                            std::uint64_t record, std::string_view what);
// "<path>: record <n>: <what>" (HDF5 form and writers).
[[nodiscard]] std::string record_error(std::string_view path, std::uint64_t record,
                                       std::string_view what);

}  // namespace tiersim::trace
