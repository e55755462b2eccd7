#include "sim/kernel/sc_time_conv.h"

#include <cstdlib>

namespace tiersim::kernel {

void init_systemc() {
  static bool done = false;
  if (done) return;
  done = true;
  ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  // Keep SystemC's own reports terse and on stderr; errors end the run through exceptions.
  sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
  // "Simulation stopped by user" (after an error in a process) and other notes: not for users.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
}

}  // namespace tiersim::kernel
