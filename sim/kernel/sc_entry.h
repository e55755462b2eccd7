// The process entry point of every tiersim program that elaborates SystemC: silences the banner
// (before SystemC prints it) and hands over to SystemC, which calls the program's sc_main().
//   int main(int argc, char* argv[]) { return tiersim::kernel::systemc_main(argc, argv); }
#pragma once

#include <cstdlib>
#include <systemc>

namespace tiersim::kernel {

inline int systemc_main(int argc, char* argv[]) {
  ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}

}  // namespace tiersim::kernel
