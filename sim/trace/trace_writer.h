// Writers for device traces (text and HDF5 forms; traces/FORMAT.md).
// Both write to "<path>.tmp.<pid>" and rename on close(), so a crash never leaves a truncated
// trace.
#pragma once

#include <memory>
#include <string>

#include "sim/trace/trace_record.h"

namespace tiersim::trace {

class TraceWriter {
 public:
  virtual ~TraceWriter() = default;
  // Returns the stream index for `tag` (adds it if new). "default" is 0.
  virtual std::uint16_t stream_id(const std::string& tag) = 0;
  virtual void write(const Record& r) = 0;
  // Flushes and atomically renames into place. Called by the destructor if not called.
  virtual void close() = 0;
};

enum class TraceForm { kText, kHdf5 };

// Form chosen from the extension: ".h5"/".hdf5" -> HDF5, anything else -> text.
[[nodiscard]] std::unique_ptr<TraceWriter> create_trace(const std::string& path);
[[nodiscard]] std::unique_ptr<TraceWriter> create_trace(const std::string& path, TraceForm form);

}  // namespace tiersim::trace
