// Clock cycles to exact time: cycles / frequency, rounded to the nearest picosecond (one
// rounding for the whole count, so 470 cycles is not 470 rounded periods).
#pragma once

#include <cmath>
#include <cstdint>

#include "sim/units/units.h"

namespace tiersim::models::sram {

[[nodiscard]] inline Time cycles_to_time(std::uint64_t cycles, Frequency clock) {
  const long double ps = static_cast<long double>(cycles) * 1e12L / clock.as_hz();
  return Time::ps(static_cast<std::int64_t>(std::llround(ps)));
}

}  // namespace tiersim::models::sram
