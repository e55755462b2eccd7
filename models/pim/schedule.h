// The result of scheduling one pseudo channel's PIM column steps (command_engine.h, the
// command-by-command reference, and fast_schedule.h, the closed form over the same rules).
#pragma once

#include <array>
#include <cstdint>

#include "models/dram/dram_types.h"
#include "models/pim/pim_spec.h"
#include "sim/units/units.h"

namespace tiersim::models::pim {

// The work of one pseudo channel: `steps` column steps, each read by `commands_per_step` column
// commands (bank-PIM: one MACab per input vector; bank-group PIM: ceil(batch /
// vectors_per_read) MACbg; logic: one RDbb), and, for logic-die PIM, `batch` input vectors the
// logic module applies to every burst.
struct PcWork {
  std::uint64_t steps = 0;
  std::uint64_t commands_per_step = 1;
  std::uint64_t batch = 1;
  std::uint64_t lanes = 16;  // elements per burst
};

// One column command as issued (for the functional mode): step = set x columns + column.
struct ColumnCommand {
  dram::Command cmd = dram::Command::kMACab;
  std::uint64_t set = 0;
  std::uint64_t row = 0;
  std::uint64_t bank = 0;  // bank index in each group (bank set); bank-PIM: all banks
  std::uint64_t column = 0;
  std::uint64_t step = 0;
  std::uint64_t vector_first = 0;  // input vectors this command applies (bank-group, bank PIM)
  std::uint64_t vector_count = 0;
  dram::Cycle at = 0;
};

struct PcSchedule {
  dram::Cycle first_column = 0;
  dram::Cycle last_column = 0;  // issue cycle of the last column command
  Time done;                    // last data consumed (and, logic, computed)
  std::array<std::uint64_t, dram::kCommands> commands{};  // per pseudo channel
};

}  // namespace tiersim::models::pim
