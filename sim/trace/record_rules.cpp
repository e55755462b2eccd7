#include "sim/trace/record_rules.h"

namespace tiersim::trace {

namespace {

constexpr std::size_t kMaxQuotedField = 64;

}  // namespace

void append_time_ns(fmt::memory_buffer& out, Time t) {
  const std::int64_t ps = t.ps();
  // Magnitude as unsigned so that INT64_MIN does not overflow.
  const std::uint64_t mag =
      ps < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(ps) : static_cast<std::uint64_t>(ps);
  if (ps < 0) out.push_back('-');
  const std::uint64_t whole = mag / 1000;
  std::uint64_t frac = mag % 1000;
  fmt::format_to(fmt::appender(out), "{}", whole);
  if (frac == 0) return;
  int digits = 3;
  while (frac % 10 == 0) {
    frac /= 10;
    --digits;
  }
  fmt::format_to(fmt::appender(out), ".{:0{}}", frac, digits);
}

std::string time_ns_text(Time t) {
  fmt::memory_buffer buf;
  append_time_ns(buf, t);
  return fmt::to_string(buf);
}

std::string quoted(std::string_view field) {
  if (field.size() <= kMaxQuotedField) return fmt::format("'{}'", field);
  return fmt::format("'{}...'", field.substr(0, kMaxQuotedField));
}

std::string bytes_not_positive_message(std::string_view got) {
  return fmt::format("bytes must be positive, got {}", got);
}

std::string time_order_message(Time t, Time previous) {
  return fmt::format(
      "time {} ns is earlier than the previous record's {} ns (times must be non-decreasing)",
      time_ns_text(t), time_ns_text(previous));
}

std::optional<std::string> record_violation(const Record& r, Time previous,
                                            std::size_t stream_count) {
  if (r.time < Time::zero()) {
    return fmt::format("time {} ns is negative (times must be >= 0)", time_ns_text(r.time));
  }
  const auto op = static_cast<unsigned>(r.op);
  if (op > static_cast<unsigned>(Op::kWrite)) {
    return fmt::format("bad op code {} (expected 0 for read or 1 for write)", op);
  }
  if (r.bytes.count() == 0) return bytes_not_positive_message("0");
  if (r.stream >= stream_count) {
    return fmt::format("stream index {} is out of range (the stream table has {} tags)", r.stream,
                       stream_count);
  }
  if (r.time < previous) return time_order_message(r.time, previous);
  return std::nullopt;
}

std::string text_record_error(std::string_view path, std::uint64_t line, std::uint64_t record,
                              std::string_view what) {
  return fmt::format("{}:{}: record {}: {}", path, line, record, what);
}

std::string record_error(std::string_view path, std::uint64_t record, std::string_view what) {
  return fmt::format("{}: record {}: {}", path, record, what);
}

}  // namespace tiersim::trace
