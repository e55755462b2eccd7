#include "sim/trace/import_line_reader.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/trace/text_fields.h"

namespace tiersim::trace {

namespace {

constexpr std::uint64_t kMaxPs =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

const ImportOptions& checked(const ImportOptions& o) {
  if (!(o.clock.as_hz() > 0.0)) throw std::invalid_argument("trace import: clock must be > 0");
  if (o.request_size.count() == 0) {
    throw std::invalid_argument("trace import: request size must be > 0 B");
  }
  return o;
}

}  // namespace

std::optional<Time> cycles_to_time(std::uint64_t cycles, Frequency clock) {
  const double hz = clock.as_hz();
  if (hz >= 1.0 && hz < 0x1.0p63 && hz == std::floor(hz)) {
    __extension__ using u128 = unsigned __int128;
    const auto f = static_cast<u128>(static_cast<std::uint64_t>(hz));
    const u128 ps = (static_cast<u128>(cycles) * 2'000'000'000'000ULL + f) / (2 * f);
    if (ps > kMaxPs) return std::nullopt;
    return Time::ps(static_cast<std::int64_t>(ps));
  }
  const long double ps = std::round(static_cast<long double>(cycles) * 1e12L / hz);
  if (!(ps <= static_cast<long double>(kMaxPs) - 1024.0L)) return std::nullopt;
  return Time::ps(static_cast<std::int64_t>(ps));
}

ImportLineReader::ImportLineReader(const std::string& path, const ImportOptions& options)
    : path_(path), options_(checked(options)), lines_(path) {}

bool ImportLineReader::next(Record& out) {
  if (done_) return false;
  std::string_view line;
  switch (lines_.next_content(line)) {
    case LineReader::Status::kEnd:
      done_ = true;
      return false;
    case LineReader::Status::kTooLong:
      fail(fmt::format("line is longer than {} bytes", LineReader::kMaxLineBytes));
    case LineReader::Status::kLine:
      break;
  }
  Fields fields{};
  const std::size_t count = split_fields(line, fields);
  out.bytes = options_.request_size;
  out.stream = 0;
  parse(fields, count, out);
  if (out.time < previous_) fail(time_order_message(out.time, previous_));
  previous_ = out.time;
  ++records_;
  return true;
}

void ImportLineReader::fail(std::string_view what) const {
  throw TraceError(text_record_error(path_, lines_.line_number(), records_ + 1, what));
}

Time ImportLineReader::time_at(std::uint64_t cycle) const {
  const auto t = cycles_to_time(cycle, options_.clock);
  if (!t) fail(fmt::format("cycle {} is too large for a time in picoseconds", cycle));
  return *t;
}

std::uint64_t ImportLineReader::decimal(std::string_view field, std::string_view name) const {
  if (field.empty()) fail(fmt::format("{} is empty", name));
  std::uint64_t v = 0;
  for (char c : field) {
    if (c < '0' || c > '9')
      fail(fmt::format("{} {} is not a decimal integer", name, quoted(field)));
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) {
      fail(fmt::format("{} {} does not fit in 64 bits", name, quoted(field)));
    }
    v = v * 10 + d;
  }
  return v;
}

double ImportLineReader::progress() const {
  const std::uint64_t size = lines_.file_size();
  if (size == 0) return done_ ? 1.0 : 0.0;
  return std::min(1.0, static_cast<double>(lines_.bytes_consumed()) / static_cast<double>(size));
}

}  // namespace tiersim::trace
