// tiersim entry point. SystemC's sc_elab_and_sim() calls sc_main(); we provide main() ourselves so
// the SystemC banner can be silenced before the kernel starts.
#include <cstdlib>
#include <systemc>

#include "sim/kernel/sc_entry.h"

#include "sim/cli/commands.h"

int sc_main(int argc, char* argv[]) {
  return tiersim::cli::main(argc, argv);
}

int main(int argc, char* argv[]) {
  return tiersim::kernel::systemc_main(argc, argv);
}
