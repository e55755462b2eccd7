// The run's HDF5 results file (schema: docs/output.md).
//
// Contract:
//  - The constructor creates "<path>.tmp.<pid>"; commit() closes it and renames it onto <path>
//    (atomic on POSIX). If the object is destroyed without commit(), the temp file is deleted, so
//    an interrupted or failed run never leaves a truncated results file at <path>.
//  - Object modification times are not tracked, so the same content gives the same datasets.
//  - Per-request rows are streamed: append_request() buffers rows and writes them in chunks to an
//    extendible, chunked, compressed dataset; memory stays bounded however long the run.
//  - Everything under /run_info (wall time, host) is the only content that varies between two
//    runs of the same config and seed.
//  - Errors: a missing directory, or any failed HDF5 operation, throws std::runtime_error naming
//    the file and the operation (HDF5's own error printing is turned off). Each write_* call
//    creates its objects, so calling one twice for the same target fails. Any call after
//    commit() throws std::logic_error (except append_request() when requests are off: a no-op).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/stats/stat_group.h"
#include "sim/units/units.h"

namespace tiersim::stats {

// One row of /requests.
struct RequestRow {
  std::uint64_t id;      // workload index << 48 | sequence number within the workload
  std::uint16_t stream;  // index into /names/streams
  std::uint8_t kind;     // 0 read, 1 write, 2 compute
  std::uint16_t source;  // index into /names/components
  std::uint16_t target;  // index into /names/components
  std::uint64_t address;
  std::uint64_t bytes;
  std::int64_t arrival_ps;   // when the request was due (trace time)
  std::int64_t issue_ps;     // when it entered the system (>= arrival under back-pressure)
  std::int64_t complete_ps;  // when its last byte completed
};

using AttrValue = std::variant<std::int64_t, std::uint64_t, double, std::string>;
struct Attr {
  std::string name;
  AttrValue value;
};

// One column of a table written by ResultsFile::write_table: a 1-D dataset named `name`.
struct Column {
  std::string name;
  std::variant<std::vector<std::int64_t>, std::vector<std::uint64_t>, std::vector<double>,
               std::vector<std::string>>
      values;
  std::string doc;  // stored as the dataset's `doc` attribute
};

class ResultsFile {
 public:
  explicit ResultsFile(const std::string& path, bool write_requests = true);
  ~ResultsFile();
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  void write_config(const std::string& resolved_yaml, const std::string& source_file);
  void append_request(const RequestRow& row);
  void write_names(const std::string& table, const std::vector<std::string>& names);
  void write_summary(const std::vector<Attr>& attrs);
  void write_stats(const StatsRegistry& reg);
  void write_run_info(const std::vector<Attr>& attrs);
  // A columnar table: group `path` (absolute, e.g. "/serving/steps", parents created) with one
  // 1-D dataset per column, all of the same length (checked: std::invalid_argument otherwise),
  // plus the group attribute `rows` (uint64). pandas: DataFrame({k: g[k][()] for k in g}).
  void write_table(const std::string& path, const std::vector<Column>& columns);
  void commit();

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& temp_path() const { return tmp_path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::string tmp_path_;
  bool write_requests_;
  bool committed_ = false;
};

}  // namespace tiersim::stats
