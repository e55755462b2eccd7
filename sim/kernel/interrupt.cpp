#include "sim/kernel/interrupt.h"

#include <csignal>

namespace tiersim::kernel {

namespace {
volatile std::sig_atomic_t g_requested = 0;
extern "C" void on_interrupt(int) {
  g_requested = 1;
}
}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

bool interrupt_requested() {
  return g_requested != 0;
}

}  // namespace tiersim::kernel
