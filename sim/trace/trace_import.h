// Importers for device traces of other simulators (traces/FORMAT.md, "Importing traces"):
//  - Ramulator 2 `LoadStoreTrace`: "LD|ST <address>" per line, optionally preceded by a bubble
//    count; one request per frontend cycle, `bubbles` idle cycles before it.
//  - DRAMsim3: "<hex address> READ|WRITE <cycle>" per line, the cycle in memory-clock cycles.
//
// Contract:
//  - open_imported_trace() returns a streaming TraceReader (memory O(line buffer)) that yields
//    tiersim Records: time = cycle / clock rounded to the nearest picosecond (one rounding per
//    record, so no drift), bytes = request_size, stream 0 ("default").
//  - Blank lines and lines whose first non-blank character is '#' are skipped; fields are
//    separated by spaces, tabs or commas.
//  - A bad line throws TraceError "<path>:<line>: record <n>: <what>" (n counts records from 1),
//    like the native text reader; an unreadable file "<path>: cannot open trace: <error>".
//  - Throws std::invalid_argument if clock is not > 0 or request_size is 0.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sim/trace/trace_reader.h"
#include "sim/units/units.h"

namespace tiersim::trace {

enum class ImportFormat { kRamulator, kDramSim3 };

struct ImportOptions {
  Frequency clock = Frequency::hz(1.6e9);  // DDR4-3200 memory clock (tCK 0.625 ns)
  Bytes request_size{64};                  // one cache line / DRAM burst of a x64 channel
};

// "ramulator" or "dramsim3" (any case) sets `out` and returns true; anything else, false.
[[nodiscard]] bool parse_import_format(std::string_view name, ImportFormat& out);

[[nodiscard]] std::unique_ptr<TraceReader> open_imported_trace(const std::string& path,
                                                               ImportFormat format,
                                                               const ImportOptions& options);

}  // namespace tiersim::trace
