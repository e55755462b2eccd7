#include "sim/trace/import_dramsim3.h"

#include <fmt/format.h>

#include "sim/trace/record_rules.h"

namespace tiersim::trace {

namespace {

constexpr std::string_view kExpected = "(expected: address READ|WRITE cycle)";

[[nodiscard]] int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[nodiscard]] bool equals_upper(std::string_view f, std::string_view upper) {
  if (f.size() != upper.size()) return false;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const char c = f[i] >= 'a' && f[i] <= 'z' ? static_cast<char>(f[i] - 'a' + 'A') : f[i];
    if (c != upper[i]) return false;
  }
  return true;
}

}  // namespace

void DramSim3TraceReader::parse(const Fields& fields, std::size_t count, Record& out) {
  std::string_view hex = fields[0];
  if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
  if (hex.empty()) fail(fmt::format("address {} is not a hex integer", quoted(fields[0])));
  std::uint64_t address = 0;
  for (char c : hex) {
    const int v = hex_value(c);
    if (v < 0) fail(fmt::format("address {} is not a hex integer", quoted(fields[0])));
    if (address >> 60 != 0)
      fail(fmt::format("address {} does not fit in 64 bits", quoted(fields[0])));
    address = (address << 4) | static_cast<std::uint64_t>(v);
  }
  out.address = address;

  if (count < 2) fail(fmt::format("missing field 'op' {}", kExpected));
  if (equals_upper(fields[1], "READ")) {
    out.op = Op::kRead;
  } else if (equals_upper(fields[1], "WRITE")) {
    out.op = Op::kWrite;
  } else {
    fail(fmt::format("bad op {} (expected READ or WRITE)", quoted(fields[1])));
  }
  if (count < 3) fail(fmt::format("missing field 'cycle' {}", kExpected));
  out.time = time_at(decimal(fields[2], "cycle"));
  if (count > 3) fail(fmt::format("unexpected extra field {}", quoted(fields[3])));
}

}  // namespace tiersim::trace
