// Importers for public request traces (docs/workloads.md lists the formats).
//
// Contract (all three):
//  - Stream the file line by line (memory O(one request)); request ids count from 0; arrivals are
//    relative to the first record's timestamp, exactly (Azure: 100 ns resolution text; Mooncake:
//    integer milliseconds; BurstGPT: decimal seconds).
//  - Timestamps must not decrease; a bad or missing field, or a decreasing timestamp, throws
//    trace::TraceError "<path>:<line>: record <n>: <what>" (the header line is not a record).
//  - Azure LLM inference 2023/2024 CSV: header `TIMESTAMP,ContextTokens,GeneratedTokens`.
//  - Mooncake JSONL: `timestamp` (ms), `input_length`, `output_length`, `hash_ids` (one id per
//    512-token block) -> prefix_blocks.
//  - BurstGPT CSV: header `Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type`.
//  - open_requests(path, format): format "azure", "mooncake", "burstgpt", "logical" (the request
//    table of a logical trace), or "auto" (by the first bytes: HDF5 or a logical-trace header ->
//    logical,
//    another JSON object -> mooncake, a header starting "TIMESTAMP," -> azure, "Timestamp,Model"
//    -> burstgpt); anything else is a TraceError listing the formats.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sim/workload/request.h"
#include "sim/workload/text_source.h"

namespace tiersim::workload {

class AzureCsvSource final : public RequestSource {
 public:
  explicit AzureCsvSource(const std::string& path);
  [[nodiscard]] bool next(Request& out) override;
  [[nodiscard]] std::string name() const override { return text_.path(); }

 private:
  TextSource text_;
  std::optional<DateTime> first_;
  Time previous_;
  std::uint64_t id_ = 0;
};

class MooncakeJsonlSource final : public RequestSource {
 public:
  explicit MooncakeJsonlSource(const std::string& path);
  [[nodiscard]] bool next(Request& out) override;
  [[nodiscard]] std::string name() const override { return text_.path(); }

 private:
  TextSource text_;
  std::optional<std::int64_t> first_ps_;
  Time previous_;
  std::uint64_t id_ = 0;
};

class BurstGptCsvSource final : public RequestSource {
 public:
  explicit BurstGptCsvSource(const std::string& path);
  [[nodiscard]] bool next(Request& out) override;
  [[nodiscard]] std::string name() const override { return text_.path(); }

 private:
  TextSource text_;
  std::optional<std::int64_t> first_ps_;
  Time previous_;
  std::uint64_t id_ = 0;
};

[[nodiscard]] std::unique_ptr<RequestSource> open_requests(const std::string& path,
                                                           const std::string& format);
// The format "auto" would pick for `path` ("azure", "mooncake", "burstgpt", "logical") or "".
[[nodiscard]] std::string detect_request_format(const std::string& path);

// Shared check: arrivals never decrease.
void check_arrival_order(const TextSource& text, Time t, Time previous);

}  // namespace tiersim::workload
