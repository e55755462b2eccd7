#include "sim/trace/trace_import.h"

#include "sim/trace/import_dramsim3.h"
#include "sim/trace/import_ramulator.h"

namespace tiersim::trace {

bool parse_import_format(std::string_view name, ImportFormat& out) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower == "ramulator") {
    out = ImportFormat::kRamulator;
    return true;
  }
  if (lower == "dramsim3") {
    out = ImportFormat::kDramSim3;
    return true;
  }
  return false;
}

std::unique_ptr<TraceReader> open_imported_trace(const std::string& path, ImportFormat format,
                                                 const ImportOptions& options) {
  if (format == ImportFormat::kRamulator) {
    return std::make_unique<RamulatorTraceReader>(path, options);
  }
  return std::make_unique<DramSim3TraceReader>(path, options);
}

}  // namespace tiersim::trace
