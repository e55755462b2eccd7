// Shared machinery of the foreign-trace importers (trace_import.h): a line-oriented TraceReader
// that skips blank and '#' lines, splits fields, converts clock cycles to exact times and names
// the file, line and record in every error.
//
// Contract for subclasses: parse(fields, count, out) fills `out` from one record line (count is
// the number of fields found, at most kMaxFields; fields past `count` are empty) or calls fail().
// The base sets out.bytes to the request size and out.stream to 0 before calling parse(), and
// checks afterwards that times never decrease.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/trace/line_reader.h"
#include "sim/trace/trace_import.h"
#include "sim/trace/trace_reader.h"

namespace tiersim::trace {

// Exact cycles / clock, rounded to the nearest picosecond (half up); nullopt if the time does
// not fit in int64 picoseconds.
[[nodiscard]] std::optional<Time> cycles_to_time(std::uint64_t cycles, Frequency clock);

class ImportLineReader : public TraceReader {
 public:
  static constexpr std::size_t kMaxFields = 4;
  using Fields = std::array<std::string_view, kMaxFields>;

  ImportLineReader(const std::string& path, const ImportOptions& options);

  [[nodiscard]] bool next(Record& out) final;
  [[nodiscard]] const std::vector<std::string>& streams() const final { return streams_; }
  [[nodiscard]] std::uint64_t records_read() const final { return records_; }
  [[nodiscard]] double progress() const final;
  [[nodiscard]] const std::string& path() const final { return path_; }

 protected:
  virtual void parse(const Fields& fields, std::size_t count, Record& out) = 0;
  [[noreturn]] void fail(std::string_view what) const;
  // cycles_to_time(), failing with "cycle <n> is too large for a time in picoseconds".
  [[nodiscard]] Time time_at(std::uint64_t cycle) const;
  // Decimal unsigned integer; fails with "<name> '<field>' is not a decimal integer" or
  // "... does not fit in 64 bits".
  [[nodiscard]] std::uint64_t decimal(std::string_view field, std::string_view name) const;
  [[nodiscard]] const ImportOptions& options() const { return options_; }

 private:
  std::string path_;
  ImportOptions options_;
  LineReader lines_;
  std::vector<std::string> streams_{"default"};
  std::uint64_t records_ = 0;
  Time previous_;
  bool done_ = false;
};

}  // namespace tiersim::trace
