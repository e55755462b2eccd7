// HDF5 form of the logical trace (private to sim/workload; traces/FORMAT.md):
//   root attributes  format = "tiersim-logical-trace", version = 2, model, generator (strings)
//   /requests        compound: id u64, arrival_ps i64, prompt_tokens u32, output_tokens u32,
//                    prefix_count u32, user u64, after u64, think_ps i64 (the last three from
//                    version 2; a version-1 file is read without them)
//   /prefix_blocks   u64: every request's prefix block ids, concatenated in request order
//   /accesses        compound: step u64, request u64, layer u16, kind u8, index u32, count u64,
//                    bytes u64, m u32, n u32, k u32
// All three are 1-D tables of sim/trace/hdf5_table.h (chunked by 65536 rows, shuffle + deflate(1),
// without modification times).
// The reader holds one chunk of each table in memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <H5Cpp.h>

#include "sim/trace/hdf5_table.h"
#include "sim/trace/writer_core.h"
#include "sim/workload/logical_trace.h"

namespace tiersim::workload::h5 {

struct RequestRow {
  std::uint64_t id;
  std::int64_t arrival_ps;
  std::uint32_t prompt_tokens;
  std::uint32_t output_tokens;
  std::uint32_t prefix_count;
  std::uint64_t user;
  std::uint64_t after;
  std::int64_t think_ps;
};

struct AccessRow {
  std::uint64_t step;
  std::uint64_t request;
  std::uint16_t layer;
  std::uint8_t kind;
  std::uint32_t index;
  std::uint64_t count;
  std::uint64_t bytes;
  std::uint32_t m;
  std::uint32_t n;
  std::uint32_t k;
};

// The request row type of a file `version` (file = on-disk layout, else the in-memory RequestRow).
[[nodiscard]] H5::CompType request_type(bool file, int version = kLogicalVersion);
[[nodiscard]] H5::CompType access_type(bool file);

template <class Row>
using Appender = trace::hdf5::HdfAppender<Row>;
template <class Row>
using BlockReader = trace::hdf5::HdfBlockReader<Row>;

class Hdf5LogicalWriter final : public LogicalTraceWriter {
 public:
  Hdf5LogicalWriter(const std::string& path, const LogicalHeader& header);
  ~Hdf5LogicalWriter() override;
  Hdf5LogicalWriter(const Hdf5LogicalWriter&) = delete;
  Hdf5LogicalWriter& operator=(const Hdf5LogicalWriter&) = delete;
  void write_request(const Request& r) override;
  void write_access(const Access& a) override;
  void close() override;

 private:
  void create(const LogicalHeader& header);
  void abandon() noexcept;
  [[noreturn]] void fail(const H5::Exception& e);
  void check_open() const;

  trace::WriterCore core_;  // temp-file protocol only
  LogicalRules rules_;
  H5::H5File file_;
  Appender<RequestRow> requests_;
  Appender<std::uint64_t> prefix_;
  Appender<AccessRow> accesses_;
  enum class State { kOpen, kClosed, kFailed } state_ = State::kOpen;
};

class Hdf5LogicalReader final : public LogicalTraceReader {
 public:
  explicit Hdf5LogicalReader(const std::string& path);
  [[nodiscard]] const LogicalHeader& header() const override { return header_; }
  [[nodiscard]] bool next_request(Request& out) override;
  [[nodiscard]] bool next_access(Access& out) override;
  [[nodiscard]] std::optional<std::uint64_t> request_count() const override {
    return requests_.total();
  }

 private:
  [[noreturn]] void fail(const H5::Exception& e) const;
  std::string path_;
  H5::H5File file_;
  LogicalHeader header_;
  LogicalRules rules_;
  BlockReader<RequestRow> requests_;
  BlockReader<std::uint64_t> prefix_;
  BlockReader<AccessRow> accesses_;
  int version_ = kLogicalVersion;
  bool requests_done_ = false;
};

}  // namespace tiersim::workload::h5
