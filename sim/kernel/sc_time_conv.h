// Conversions between tiersim::Time (exact ps) and SystemC's sc_time.
// Precondition: the SystemC time resolution is 1 ps (kernel::init_systemc() sets it).
#pragma once

#include <systemc>

#include "sim/units/units.h"

namespace tiersim::kernel {

namespace detail {
// sc_time::from_value() is an out-of-line library call with checks; it is on the path of every
// request (several times). sc_time's scaling by a double is inline and computes
// floor(1.0 * v + 0.5), which is exact while v + 0.5 is representable, i.e. v < 2^52 ps
// (4503 s of simulated time); beyond that we fall back to from_value().
inline const sc_core::sc_time& one_ps() {
  static const sc_core::sc_time t = sc_core::sc_time::from_value(1);
  return t;
}
}  // namespace detail

[[nodiscard]] inline sc_core::sc_time to_sc(Time t) {
  const auto v = static_cast<sc_dt::uint64>(t.ps());
  if (v < (sc_dt::uint64{1} << 52)) return detail::one_ps() * static_cast<double>(v);
  return sc_core::sc_time::from_value(v);
}
[[nodiscard]] inline Time from_sc(const sc_core::sc_time& t) {
  return Time::ps(static_cast<std::int64_t>(t.value()));
}
[[nodiscard]] inline Time now() {
  return from_sc(sc_core::sc_time_stamp());
}

// Sets the 1 ps resolution and silences the banner. Call once, before any sc_time is made.
void init_systemc();

}  // namespace tiersim::kernel
