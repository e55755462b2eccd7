// What both trace writers share: the stream table, record validation and the temp-file protocol.
//
// Contract:
//  - temp_path() is "<path>.tmp.<pid>"; commit() renames it onto path(), discard() removes it.
//  - stream_id() validates the tag (so every written trace can be read back in either form) and
//    throws TraceError "<path>: bad stream tag '<tag>' (must match ...)" or
//    "<path>: too many stream tags (at most 65536)".
//  - check() validates a record with the reader's rules and throws TraceError
//    "<path>: record <n>: <what>" (n counts the records written so far, from 1). A rejected
//    record is not counted and the writer stays usable.
//  - unwinding() tells a writer's destructor that it runs because of an exception thrown after
//    the writer was created; the writer then discards its temp file instead of publishing a trace
//    that may be incomplete.
#pragma once

#include <cstdint>
#include <string>

#include "sim/trace/stream_table.h"
#include "sim/trace/trace_record.h"

namespace tiersim::trace {

class WriterCore {
 public:
  explicit WriterCore(std::string path);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& temp_path() const { return temp_path_; }
  [[nodiscard]] const StreamTable& streams() const { return streams_; }
  [[nodiscard]] std::uint64_t records() const { return records_; }

  [[nodiscard]] std::uint16_t stream_id(const std::string& tag);
  void check(const Record& r);

  // Renames the temp file onto path(); throws TraceError on failure (the temp file is removed).
  void commit() const;
  void discard() const noexcept;
  [[nodiscard]] bool unwinding() const noexcept;

 private:
  std::string path_;
  std::string temp_path_;
  StreamTable streams_;
  std::uint64_t records_ = 0;
  Time previous_;
  int uncaught_at_start_ = 0;
};

}  // namespace tiersim::trace
