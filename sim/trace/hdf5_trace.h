// HDF5 form of device traces (layout in hdf5_schema.h and traces/FORMAT.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <H5Cpp.h>

#include "sim/trace/hdf5_schema.h"
#include "sim/trace/hdf5_table.h"
#include "sim/trace/trace_reader.h"
#include "sim/trace/trace_writer.h"
#include "sim/trace/writer_core.h"

namespace tiersim::trace {

// Reads /requests a block of whole chunks at a time (at most 1 Mi rows in memory) and validates
// every record with the text form's rules.
// Errors (TraceError):
//  - "<path>: not a tiersim device trace (<why>)" when the layout is wrong (missing /requests,
//    wrong format attribute, ...); "<path>: unsupported trace version <v> (...)";
//    "<path>: bad /streams: <why>" for a bad stream table;
//  - "<path>: record <n>: <what>" for an invalid record;
//  - "<path>: cannot read HDF5 trace: <HDF5's message>" for any HDF5 failure.
class Hdf5TraceReader final : public TraceReader {
 public:
  explicit Hdf5TraceReader(const std::string& path);

  [[nodiscard]] bool next(Record& out) override;
  [[nodiscard]] const std::vector<std::string>& streams() const override { return streams_; }
  [[nodiscard]] std::uint64_t records_read() const override { return records_; }
  [[nodiscard]] double progress() const override;
  [[nodiscard]] const std::string& path() const override { return path_; }

 private:
  void open();
  void check_format_attributes() const;
  void open_requests();
  void read_streams();
  void refill();  // reads the next block; converts HDF5 errors to TraceError
  [[noreturn]] void not_a_trace(const std::string& why) const;

  std::string path_;
  H5::H5File file_;
  H5::DataSet requests_;
  H5::CompType row_type_;
  H5::DataSpace file_space_;  // /requests' dataspace; the block to read is selected in it
  H5::DataSpace mem_space_;   // the block, in memory
  std::vector<std::string> streams_;
  std::vector<hdf5::Row> rows_;  // the current block
  std::size_t row_pos_ = 0;
  std::size_t row_end_ = 0;
  std::uint64_t total_ = 0;    // rows in /requests
  std::uint64_t fetched_ = 0;  // rows read from the file so far
  std::uint64_t records_ = 0;  // records returned so far
  hsize_t block_rows_ = hdf5::kChunkRows;
  Time previous_;
};

// Buffers one chunk of rows and appends it to /requests when full; /streams is written on
// close(). The file is built at "<path>.tmp.<pid>" and renamed onto <path> by close(). Object
// modification times are not recorded, so identical content gives identical files.
// Errors: WriterCore's validation errors, and "<path>: cannot write HDF5 trace: <HDF5's message>"
// (after which the temp file is removed and the writer is closed).
class Hdf5TraceWriter final : public TraceWriter {
 public:
  explicit Hdf5TraceWriter(const std::string& path);
  ~Hdf5TraceWriter() override;
  Hdf5TraceWriter(const Hdf5TraceWriter&) = delete;
  Hdf5TraceWriter& operator=(const Hdf5TraceWriter&) = delete;

  std::uint16_t stream_id(const std::string& tag) override;
  void write(const Record& r) override;
  void close() override;

 private:
  void create();
  void write_streams();
  void abandon() noexcept;  // closes the file and removes the temp file
  [[noreturn]] void fail(const H5::Exception& e);

  WriterCore core_;
  H5::H5File file_;
  hdf5::HdfAppender<hdf5::Row> requests_;
  enum class State { kOpen, kClosed, kFailed } state_ = State::kOpen;
};

}  // namespace tiersim::trace
