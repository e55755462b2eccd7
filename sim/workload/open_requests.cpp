#include <fstream>

#include <fmt/format.h>

#include "sim/workload/importers.h"
#include "sim/workload/logical_trace.h"

namespace tiersim::workload {

std::string detect_request_format(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw trace::TraceError(fmt::format("{}: cannot open trace", path));
  std::string first;
  std::getline(in, first);
  if (first.starts_with("\xEF\xBB\xBF")) first.erase(0, 3);
  if (first.starts_with("\x89HDF")) return "logical";
  if (first.starts_with("{\"format\": \"tiersim-logical-trace\"")) return "logical";
  if (first.starts_with("{")) return "mooncake";
  if (first.starts_with("TIMESTAMP,")) return "azure";
  if (first.starts_with("Timestamp,Model")) return "burstgpt";
  return "";
}

namespace {

// The request table of a logical trace, as a request source.
class LogicalRequests final : public RequestSource {
 public:
  explicit LogicalRequests(const std::string& path)
      : path_(path), reader_(open_logical_trace(path)) {}
  [[nodiscard]] bool next(Request& out) override { return reader_->next_request(out); }
  [[nodiscard]] std::string name() const override { return path_; }

 private:
  std::string path_;
  std::unique_ptr<LogicalTraceReader> reader_;
};

}  // namespace

std::unique_ptr<RequestSource> open_requests(const std::string& path, const std::string& format) {
  const std::string f = format == "auto" ? detect_request_format(path) : format;
  if (f == "azure") return std::make_unique<AzureCsvSource>(path);
  if (f == "mooncake") return std::make_unique<MooncakeJsonlSource>(path);
  if (f == "burstgpt") return std::make_unique<BurstGptCsvSource>(path);
  if (f == "logical") return std::make_unique<LogicalRequests>(path);
  throw trace::TraceError(fmt::format(
      "{}: unknown request trace format '{}' (expected azure, mooncake, burstgpt or logical)", path,
      f.empty() ? "?" : f));
}

}  // namespace tiersim::workload
