#include "sim/trace/import_ramulator.h"

#include <limits>

#include <fmt/format.h>

#include "sim/trace/record_rules.h"
#include "sim/trace/text_fields.h"

namespace tiersim::trace {

namespace {

constexpr std::string_view kExpected = "(expected: [bubbles] LD|ST address)";

[[nodiscard]] bool op_of(std::string_view f, Op& op) {
  if (f.size() != 2) return false;
  const auto up = [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  };
  const char a = up(f[0]);
  const char b = up(f[1]);
  if (a == 'L' && b == 'D') {
    op = Op::kRead;
    return true;
  }
  if (a == 'S' && b == 'T') {
    op = Op::kWrite;
    return true;
  }
  return false;
}

[[nodiscard]] bool starts_with_digit(std::string_view f) {
  return !f.empty() && f[0] >= '0' && f[0] <= '9';
}

}  // namespace

void RamulatorTraceReader::parse(const Fields& fields, std::size_t count, Record& out) {
  // With a bubble count the op is the second field: a record starts with a digit only then.
  const bool has_bubbles = count > 0 && starts_with_digit(fields[0]);
  const std::size_t op_at = has_bubbles ? 1 : 0;
  const std::uint64_t bubbles = has_bubbles ? decimal(fields[0], "bubble count") : 0;
  if (count <= op_at) fail(fmt::format("missing field 'op' {}", kExpected));
  if (!op_of(fields[op_at], out.op)) {
    fail(fmt::format("bad op {} (expected LD or ST)", quoted(fields[op_at])));
  }
  if (count <= op_at + 1) fail(fmt::format("missing field 'address' {}", kExpected));
  std::string error;
  if (!parse_address(fields[op_at + 1], out.address, error)) fail(error);
  if (count > op_at + 2) fail(fmt::format("unexpected extra field {}", quoted(fields[op_at + 2])));

  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t step = records_read() == 0 ? 0 : 1;  // one request per frontend cycle
  if (cycle_ > kMax - step || bubbles > kMax - cycle_ - step) {
    fail("cycle count overflows 64 bits");
  }
  cycle_ += step + bubbles;
  out.time = time_at(cycle_);
}

}  // namespace tiersim::trace
