// One request of a device trace (see traces/FORMAT.md).
#pragma once

#include <cstdint>
#include <string>

#include "sim/units/units.h"

namespace tiersim::trace {

enum class Op : std::uint8_t { kRead = 0, kWrite = 1 };

struct Record {
  Time time;  // issue time, absolute, from the start of the trace
  Op op = Op::kRead;
  std::uint64_t address = 0;
  Bytes bytes;               // > 0
  std::uint16_t stream = 0;  // index into the reader's stream table; 0 is "default"
};

}  // namespace tiersim::trace
