// DRAMsim3 trace importer (traces/FORMAT.md, "DRAMsim3").
//
// Line: <address> READ|WRITE <cycle>
//  - The address is hexadecimal, with or without a 0x prefix (DRAMsim3 reads it with std::hex);
//  - READ or WRITE in any case; the cycle is a decimal count of memory-clock cycles, so the
//    request is issued at cycle / clock. Cycles must not decrease.
// Errors (after "<path>:<line>: record <n>: "):
//   missing field 'op' (expected: address READ|WRITE cycle)   (also 'cycle')
//   address 'zz' is not a hex integer                          (also: does not fit in 64 bits)
//   bad op 'X' (expected READ or WRITE)
//   cycle 'x' is not a decimal integer                         (also: does not fit in 64 bits)
//   unexpected extra field 'foo'
//   time 5 ns is earlier than the previous record's 7 ns (times must be non-decreasing)
#pragma once

#include "sim/trace/import_line_reader.h"

namespace tiersim::trace {

class DramSim3TraceReader final : public ImportLineReader {
 public:
  DramSim3TraceReader(const std::string& path, const ImportOptions& options)
      : ImportLineReader(path, options) {}

 private:
  void parse(const Fields& fields, std::size_t count, Record& out) override;
};

}  // namespace tiersim::trace
