// Conversions between tiersim::Time (exact ps) and SystemC's sc_time.
// Precondition: the SystemC time resolution is 1 ps (kernel::init_systemc() sets it).
#pragma once

#include <systemc>

#include "sim/units/units.h"

namespace tiersim::kernel {

[[nodiscard]] inline sc_core::sc_time to_sc(Time t) {
  return sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(t.ps()));
}
[[nodiscard]] inline Time from_sc(const sc_core::sc_time& t) {
  return Time::ps(static_cast<std::int64_t>(t.value()));
}
[[nodiscard]] inline Time now() { return from_sc(sc_core::sc_time_stamp()); }

// Sets the 1 ps resolution and silences the banner. Call once, before any sc_time is made.
void init_systemc();

}  // namespace tiersim::kernel
