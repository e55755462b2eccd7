// Appending to and streaming from 1-D extendible HDF5 tables, shared by the device trace
// (hdf5_trace.h) and the logical trace (sim/workload/logical_hdf5.h).
//
// Contract:
//  - Tables are chunked by kChunkRows rows, shuffle + deflate(kDeflateLevel), and record no object
//    modification times, so identical content gives identical files.
//  - HdfAppender buffers one chunk of rows and appends it when full; flush() appends the rest.
//  - HdfBlockReader reads rows in order, one chunk at a time (O(chunk) memory).
//  - HDF5 failures surface as H5::Exception; callers turn them into TraceErrors with the path.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <H5Cpp.h>

#include "sim/trace/hdf5_schema.h"

namespace tiersim::trace::hdf5 {

// Identical content must give identical files, so no object records its modification time.
void disable_time_tracking(const H5::PropList& plist);

// Creates (truncates) `temp_path` so the usual causes (missing directory, no permission) are
// reported as "<path>: cannot create trace: <strerror>" TraceErrors before HDF5 is involved.
void create_empty_file(const std::string& temp_path, const std::string& path);

// A new empty extendible 1-D dataset `name` of `file_type` rows.
[[nodiscard]] H5::DataSet create_table(H5::H5File& file, const char* name,
                                       const H5::DataType& file_type);

template <class Row>
class HdfAppender {
 public:
  HdfAppender() = default;
  HdfAppender(H5::H5File& file, const char* name, const H5::DataType& file_type,
              H5::DataType mem_type)
      : dataset_(create_table(file, name, file_type)), mem_type_(std::move(mem_type)) {
    pending_.reserve(kChunkRows);
  }
  void push(const Row& r) {
    pending_.push_back(r);
    if (pending_.size() >= kChunkRows) flush();
  }
  void flush() {
    if (pending_.empty()) return;
    const hsize_t count = pending_.size();
    const hsize_t rows = written_ + count;
    dataset_.extend(&rows);
    H5::DataSpace file_space = dataset_.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &written_);
    const H5::DataSpace mem_space(1, &count);
    dataset_.write(pending_.data(), mem_type_, mem_space, file_space);
    written_ = rows;
    pending_.clear();
  }
  void close() { dataset_.close(); }

 private:
  H5::DataSet dataset_;
  H5::DataType mem_type_;
  std::vector<Row> pending_;
  hsize_t written_ = 0;
};

template <class Row>
class HdfBlockReader {
 public:
  HdfBlockReader() = default;
  HdfBlockReader(const H5::H5File& file, const char* name, H5::DataType mem_type)
      : dataset_(file.openDataSet(name)), mem_type_(std::move(mem_type)) {
    const H5::DataSpace space = dataset_.getSpace();
    if (space.getSimpleExtentNdims() != 1) {
      throw H5::DataSetIException("openDataSet", std::string("/") + name + " is not 1-D");
    }
    space.getSimpleExtentDims(&total_);
  }
  [[nodiscard]] bool next(Row& out) {
    if (pos_ == end_) {
      if (fetched_ >= total_) return false;
      const hsize_t count = std::min<hsize_t>(kChunkRows, total_ - fetched_);
      rows_.resize(count);
      H5::DataSpace file_space = dataset_.getSpace();
      file_space.selectHyperslab(H5S_SELECT_SET, &count, &fetched_);
      const H5::DataSpace mem_space(1, &count);
      dataset_.read(rows_.data(), mem_type_, mem_space, file_space);
      fetched_ += count;
      pos_ = 0;
      end_ = count;
    }
    out = rows_[pos_++];
    return true;
  }
  [[nodiscard]] hsize_t total() const { return total_; }
  [[nodiscard]] hsize_t consumed() const { return fetched_ - (end_ - pos_); }

 private:
  H5::DataSet dataset_;
  H5::DataType mem_type_;
  std::vector<Row> rows_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  hsize_t total_ = 0;
  hsize_t fetched_ = 0;
};

}  // namespace tiersim::trace::hdf5
