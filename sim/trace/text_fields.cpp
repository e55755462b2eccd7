#include "sim/trace/text_fields.h"

#include <limits>

#include <fmt/format.h>

#include "sim/trace/record_rules.h"

namespace tiersim::trace {

std::size_t split_fields(std::string_view line, std::span<std::string_view> fields) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (count < fields.size()) {
    while (i < line.size() && is_field_separator(line[i])) ++i;
    if (i == line.size()) break;
    const std::size_t start = i;
    while (i < line.size() && !is_field_separator(line[i])) ++i;
    fields[count++] = line.substr(start, i - start);
  }
  return count;
}

namespace {

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kMaxPs =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr int kMaxTimeDecimals = 3;

enum class Parsed { kOk, kSyntax, kOverflow };

[[nodiscard]] constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

[[nodiscard]] constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[nodiscard]] bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

[[nodiscard]] Parsed parse_decimal(std::string_view s, std::uint64_t& out) {
  if (!all_digits(s)) return Parsed::kSyntax;
  std::uint64_t v = 0;
  for (char c : s) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (kU64Max - d) / 10) return Parsed::kOverflow;
    v = v * 10 + d;
  }
  out = v;
  return Parsed::kOk;
}

[[nodiscard]] Parsed parse_hex(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return Parsed::kSyntax;
  for (char c : s) {
    if (hex_value(c) < 0) return Parsed::kSyntax;
  }
  std::uint64_t v = 0;
  for (char c : s) {
    if (v > (kU64Max >> 4)) return Parsed::kOverflow;
    v = (v << 4) | static_cast<std::uint64_t>(hex_value(c));
  }
  out = v;
  return Parsed::kOk;
}

[[nodiscard]] bool equals_ignore_case(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

// Splits "123.45" into whole and fraction digits; false if not of the form D+ or D+.D+
[[nodiscard]] bool split_decimal(std::string_view s, std::string_view& whole,
                                 std::string_view& frac) {
  const std::size_t dot = s.find('.');
  whole = s.substr(0, dot);
  frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (!all_digits(whole)) return false;
  return dot == std::string_view::npos || all_digits(frac);
}

}  // namespace

bool parse_time_ns(std::string_view field, Time& out, std::string& error) {
  const bool negative = !field.empty() && field.front() == '-';
  std::string_view whole;
  std::string_view frac;
  if (!split_decimal(negative ? field.substr(1) : field, whole, frac)) {
    error = fmt::format("time {} is not a decimal number of nanoseconds", quoted(field));
    return false;
  }
  if (negative) {
    error = fmt::format("time {} is negative (times must be >= 0)", quoted(field));
    return false;
  }
  if (frac.size() > static_cast<std::size_t>(kMaxTimeDecimals)) {
    error = fmt::format("time {} has more than {} decimals (resolution is 1 ps)", quoted(field),
                        kMaxTimeDecimals);
    return false;
  }
  std::uint64_t ns = 0;
  std::uint64_t frac_ps = 0;
  bool fits = parse_decimal(whole, ns) == Parsed::kOk;
  if (fits && !frac.empty()) {
    (void)parse_decimal(frac, frac_ps);  // at most 3 digits: cannot fail
    for (std::size_t i = frac.size(); i < static_cast<std::size_t>(kMaxTimeDecimals); ++i) {
      frac_ps *= 10;
    }
  }
  fits = fits && ns <= (kMaxPs - frac_ps) / 1000;
  if (!fits) {
    error = fmt::format("time {} is too large (at most {} ns)", quoted(field),
                        time_ns_text(Time::max()));
    return false;
  }
  out = Time::ps(static_cast<std::int64_t>(ns * 1000 + frac_ps));
  return true;
}

bool parse_op(std::string_view field, Op& out, std::string& error) {
  if (equals_ignore_case(field, "R") || equals_ignore_case(field, "READ")) {
    out = Op::kRead;
    return true;
  }
  if (equals_ignore_case(field, "W") || equals_ignore_case(field, "WRITE")) {
    out = Op::kWrite;
    return true;
  }
  error = fmt::format("bad op {} (expected R, W, READ or WRITE)", quoted(field));
  return false;
}

bool parse_address(std::string_view field, std::uint64_t& out, std::string& error) {
  const bool hex = field.size() >= 2 && field[0] == '0' && (field[1] == 'x' || field[1] == 'X');
  const Parsed p = hex ? parse_hex(field.substr(2), out) : parse_decimal(field, out);
  if (p == Parsed::kOk) return true;
  if (p == Parsed::kSyntax) {
    error = fmt::format("address {} is not a hex or decimal integer", quoted(field));
  } else {
    error = fmt::format("address {} does not fit in 64 bits", quoted(field));
  }
  return false;
}

bool parse_bytes(std::string_view field, Bytes& out, std::string& error) {
  std::uint64_t v = 0;
  const Parsed p = parse_decimal(field, v);
  if (p == Parsed::kOk && v > 0) {
    out = Bytes(v);
    return true;
  }
  if (p == Parsed::kOk) {
    error = bytes_not_positive_message("0");
  } else if (p == Parsed::kOverflow) {
    error = fmt::format("bytes {} does not fit in 64 bits", quoted(field));
  } else if (!field.empty() && field.front() == '-' && all_digits(field.substr(1))) {
    error = bytes_not_positive_message(field);
  } else {
    error = fmt::format("bytes {} is not a decimal integer", quoted(field));
  }
  return false;
}

}  // namespace tiersim::trace
