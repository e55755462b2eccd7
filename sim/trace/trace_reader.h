// Streaming readers for device traces (text and HDF5 forms; traces/FORMAT.md).
//
// Contract:
//  - open_trace() picks the form from the file's content: HDF5 if it starts with the HDF5
//    signature, text otherwise (the extension does not matter).
//  - next() yields records in file order; it never loads the whole trace. Memory is O(chunk).
//  - Records must have non-decreasing time, size > 0, a known op. A violation throws TraceError
//    whose message names the file and the record: "<file>:<line>: record <n>: <what>" for text,
//    "<file>: record <n>: <what>" for HDF5 (n counts from 1).
//  - streams() is the stream-tag table; index 0 is always "default". For text traces it grows as
//    new tags are seen.
//  - progress() is a fraction in [0,1] (bytes or records consumed), for progress bars only.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/trace/trace_record.h"

namespace tiersim::trace {

class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  // Reads the next record into `out`; false at end of trace.
  [[nodiscard]] virtual bool next(Record& out) = 0;
  [[nodiscard]] virtual const std::vector<std::string>& streams() const = 0;
  [[nodiscard]] virtual std::uint64_t records_read() const = 0;
  [[nodiscard]] virtual double progress() const = 0;
  [[nodiscard]] virtual const std::string& path() const = 0;
};

[[nodiscard]] std::unique_ptr<TraceReader> open_trace(const std::string& path);

}  // namespace tiersim::trace
