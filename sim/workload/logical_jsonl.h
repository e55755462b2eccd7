// JSONL form of the logical trace (traces/FORMAT.md): a header line, one line per request, then
// one line per access. Private to sim/workload; use create_/open_logical_trace().
//
// format_request()/format_access() give the exact line text (without '\n'), so `tiersim trace
// head` prints what the JSONL writer writes.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "sim/trace/writer_core.h"
#include "sim/workload/json_line.h"
#include "sim/workload/logical_trace.h"
#include "sim/workload/text_source.h"

namespace tiersim::workload {

[[nodiscard]] std::string format_header(const LogicalHeader& h);
[[nodiscard]] std::string format_request(const Request& r);
[[nodiscard]] std::string format_access(const Access& a);

class JsonlLogicalWriter final : public LogicalTraceWriter {
 public:
  JsonlLogicalWriter(const std::string& path, const LogicalHeader& header);
  ~JsonlLogicalWriter() override;
  JsonlLogicalWriter(const JsonlLogicalWriter&) = delete;
  JsonlLogicalWriter& operator=(const JsonlLogicalWriter&) = delete;
  void write_request(const Request& r) override;
  void write_access(const Access& a) override;
  void close() override;

 private:
  void line(const std::string& text);
  void check_open() const;
  void abandon() noexcept;
  trace::WriterCore core_;
  LogicalRules rules_;
  std::FILE* file_ = nullptr;
};

class JsonlLogicalReader final : public LogicalTraceReader {
 public:
  explicit JsonlLogicalReader(const std::string& path);
  [[nodiscard]] const LogicalHeader& header() const override { return header_; }
  [[nodiscard]] bool next_request(Request& out) override;
  [[nodiscard]] bool next_access(Access& out) override;
  [[nodiscard]] std::optional<std::uint64_t> request_count() const override { return std::nullopt; }

 private:
  // Reads the next line into obj_; false at the end.
  [[nodiscard]] bool fetch();
  [[noreturn]] void bad(const std::string& what, bool request) const;

  TextSource text_;
  LogicalHeader header_;
  LogicalRules rules_;
  json::Object obj_;
  bool have_line_ = false;  // obj_ holds a line not yet consumed
  bool at_end_ = false;
};

}  // namespace tiersim::workload
