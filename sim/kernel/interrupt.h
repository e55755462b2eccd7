// Cooperative interruption of a run (Ctrl-C, SIGTERM): the handler only sets a flag; initiators
// check it at every synchronisation and every 65536 requests and stop the run with an
// Interrupted exception, so the run unwinds normally and its temp results file is deleted.
#pragma once

#include <stdexcept>

namespace tiersim::kernel {

class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted (no results written)") {}
};

// Installs SIGINT/SIGTERM handlers that request an interruption (idempotent).
void install_interrupt_handlers();
[[nodiscard]] bool interrupt_requested();

}  // namespace tiersim::kernel
