// Text form of device traces (traces/FORMAT.md): one record per line,
//   time_ns  op  address  bytes  [stream]
// '#' comment lines and blank lines are ignored; fields are separated by spaces, tabs or commas.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "sim/trace/line_reader.h"
#include "sim/trace/stream_table.h"
#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_writer.h"
#include "sim/trace/writer_core.h"

namespace tiersim::trace {

// Streams a text trace line by line; memory is bounded by the line buffer (LineReader).
// Errors: TraceError "<path>:<line>: record <n>: <what>"; after one, the reader is done.
// A UTF-8 byte-order mark at the start of the file is skipped.
class TextTraceReader final : public TraceReader {
 public:
  explicit TextTraceReader(const std::string& path);

  [[nodiscard]] bool next(Record& out) override;
  [[nodiscard]] const std::vector<std::string>& streams() const override { return streams_.tags(); }
  [[nodiscard]] std::uint64_t records_read() const override { return records_; }
  [[nodiscard]] double progress() const override;
  [[nodiscard]] const std::string& path() const override { return path_; }

 private:
  // Parses one record line; throws TraceError naming the line and record.
  void parse(std::string_view line, Record& out);
  [[noreturn]] void fail(std::string_view what) const;

  std::string path_;
  LineReader lines_;
  StreamTable streams_;
  std::uint64_t records_ = 0;  // records returned so far
  Time previous_;
  bool done_ = false;
  std::string error_;  // scratch for field parsers; only written on failure
};

// Writes the text form: a two-line '#' header, then "time_ns op address bytes [stream]" per
// record (time with the fewest decimals that is exact, op R/W, address in 0x hex, the stream tag
// only when it is not "default"). Written to "<path>.tmp.<pid>" and renamed on close().
// Errors: TraceError "<path>: cannot create trace: <strerror>",
// "<path>: cannot write trace: <strerror>", and the WriterCore validation errors.
class TextTraceWriter final : public TraceWriter {
 public:
  explicit TextTraceWriter(const std::string& path);
  ~TextTraceWriter() override;
  TextTraceWriter(const TextTraceWriter&) = delete;
  TextTraceWriter& operator=(const TextTraceWriter&) = delete;

  std::uint16_t stream_id(const std::string& tag) override;
  void write(const Record& r) override;
  void close() override;

 private:
  void flush();
  [[noreturn]] void fail_io();  // discards the temp file and throws

  WriterCore core_;
  int fd_ = -1;
  fmt::memory_buffer buf_;
  enum class State { kOpen, kClosed, kFailed } state_ = State::kOpen;
};

}  // namespace tiersim::trace
