// Helpers for the trace tests: reading a whole trace, capturing a TraceError's text.
#pragma once

#include <string>
#include <vector>

#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_record.h"

namespace tiersim::trace {

inline bool operator==(const Record& a, const Record& b) {
  return a.time == b.time && a.op == b.op && a.address == b.address && a.bytes == b.bytes &&
         a.stream == b.stream;
}

}  // namespace tiersim::trace

namespace tiersim::test {

struct TraceContents {
  std::vector<trace::Record> records;
  std::vector<std::string> streams;
};

// Reads every record of the trace at `path` (open_trace picks the form).
inline TraceContents read_trace(const std::string& path) {
  TraceContents c;
  auto reader = trace::open_trace(path);
  trace::Record r;
  while (reader->next(r)) c.records.push_back(r);
  c.streams = reader->streams();
  return c;
}

// The TraceError text raised while opening and reading `path`, or "no error".
inline std::string trace_error(const std::string& path) {
  try {
    (void)read_trace(path);
  } catch (const trace::TraceError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace tiersim::test
