// Entry point for test executables that use SystemC: main() silences the banner and hands over
// to SystemC, which calls sc_main(), which runs GoogleTest.
#include <gtest/gtest.h>

#include <cstdlib>
#include <systemc>

#include "sim/kernel/sc_entry.h"

int sc_main(int argc, char* argv[]) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

int main(int argc, char* argv[]) {
  return tiersim::kernel::systemc_main(argc, argv);
}
