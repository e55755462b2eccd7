// Ramulator 2 LoadStoreTrace importer (traces/FORMAT.md, "Ramulator 2").
//
// Line: [<bubbles>] LD|ST <address>
//  - LD is a read, ST a write (any case); the address is 0x-prefixed hex or decimal.
//  - Ramulator 2's LoadStoreTrace frontend sends one request per frontend cycle. The optional
//    leading bubble count (decimal) is the number of idle cycles before the request, as in the
//    bubble-count field of Ramulator's processor traces. Record i is issued at cycle
//      c_0 = bubbles_0,  c_i = c_{i-1} + 1 + bubbles_i,
//    and time = c_i / clock.
// Errors (after "<path>:<line>: record <n>: "):
//   missing field 'address' (expected: [bubbles] LD|ST address)
//   bad op 'X' (expected LD or ST)
//   bubble count 'x' is not a decimal integer     (also: does not fit in 64 bits)
//   address '0xZZ' is not a hex or decimal integer (also: does not fit in 64 bits)
//   unexpected extra field 'foo'
//   cycle count overflows 64 bits
#pragma once

#include "sim/trace/import_line_reader.h"

namespace tiersim::trace {

class RamulatorTraceReader final : public ImportLineReader {
 public:
  RamulatorTraceReader(const std::string& path, const ImportOptions& options)
      : ImportLineReader(path, options) {}

 private:
  void parse(const Fields& fields, std::size_t count, Record& out) override;
  std::uint64_t cycle_ = 0;
};

}  // namespace tiersim::trace
