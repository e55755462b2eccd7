// Shared machinery of the line-oriented request importers: streaming lines, record numbering,
// error texts, and exact decimal/date parsing into picoseconds.
//
// Contract:
//  - next_line() skips blank lines (and, when a header is expected, the first line) and counts
//    records from 1; error() builds "<path>:<line>: record <n>: <what>" (traces/FORMAT.md style).
//  - parse_decimal_ps(text, unit_ps) reads a non-negative decimal ("12", "3.25") in a unit of
//    `unit_ps` picoseconds, exactly; more fractional digits than the unit resolves are an error.
//  - parse_datetime(text) reads "YYYY-MM-DD HH:MM:SS[.fffffff][+00:00]" (UTC) exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/trace/line_reader.h"
#include "sim/trace/trace_reader.h"

namespace tiersim::workload {

class TextSource {
 public:
  explicit TextSource(const std::string& path) : path_(path), lines_(path) {}

  // The next non-blank line; false at the end of the file. A header line (count = false) is not
  // a record.
  [[nodiscard]] bool next_line(std::string_view& line, bool count = true);
  [[nodiscard]] trace::TraceError error(std::string_view what) const;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::uint64_t records() const { return records_; }
  [[nodiscard]] std::uint64_t line_number() const { return lines_.line_number(); }

 private:
  std::string path_;
  trace::LineReader lines_;
  std::uint64_t records_ = 0;
};

// Comma-separated fields of a CSV line (no quoting: the supported traces have none).
[[nodiscard]] std::vector<std::string_view> split_csv(std::string_view line);

[[nodiscard]] std::optional<std::int64_t> parse_decimal_ps(std::string_view text,
                                                           std::int64_t unit_ps);

// A UTC time as whole seconds since 1970 plus picoseconds within the second.
struct DateTime {
  std::int64_t seconds = 0;
  std::int64_t ps = 0;
};
[[nodiscard]] std::optional<DateTime> parse_datetime(std::string_view text);
// b - a in picoseconds.
[[nodiscard]] std::int64_t ps_between(const DateTime& a, const DateTime& b);

// A token count: decimal digits, at most 2^32 - 1 (a trailing ".0" is accepted).
[[nodiscard]] std::optional<std::uint32_t> parse_tokens(std::string_view text);

}  // namespace tiersim::workload
