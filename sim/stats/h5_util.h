// Internal to sim/stats: thin RAII and error handling over the HDF5 C API for ResultsFile.
//
// Contract:
//  - Handle owns one HDF5 identifier and closes it exactly once (move-only).
//  - Writer turns every failed HDF5 call into std::runtime_error naming the file, the operation and
//    the object, with the HDF5 error-stack description appended. HDF5's own error printing is off.
//  - Everything created through Writer has object time tracking disabled (same content, same
//    bytes) and tracks creation order of links and attributes, so readers such as h5py iterate
//    groups and attributes in the order they were written.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/stats/results_file.h"

namespace tiersim::stats::h5 {

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Handle() { close(); }
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = kInvalid; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  [[nodiscard]] hid_t get() const { return id_; }
  [[nodiscard]] bool valid() const { return id_ >= 0; }
  // Closes now; returns the HDF5 status (negative on failure, 0 if nothing was open).
  herr_t close();

 private:
  static constexpr hid_t kInvalid = -1;
  hid_t id_ = kInvalid;
  Closer closer_ = nullptr;
};

// Turns off HDF5's automatic error-stack printing for the process (as H5::Exception::dontPrint()).
void silence_hdf5_errors();

class Writer {
 public:
  explicit Writer(std::string file) : file_(std::move(file)) {}

  [[nodiscard]] const std::string& file() const { return file_; }

  // Throw std::runtime_error("HDF5 results file '<file>': <op> <object> failed: <detail>").
  [[noreturn]] void fail(std::string_view op, std::string_view object) const;
  hid_t check_id(hid_t id, std::string_view op, std::string_view object) const;
  void check_rc(herr_t rc, std::string_view op, std::string_view object) const;

  // Property lists for the objects we create (no time tracking, creation order tracked).
  [[nodiscard]] Handle file_create_plist() const;
  [[nodiscard]] Handle group_create_plist() const;
  [[nodiscard]] Handle dataset_create_plist() const;

  // `path` is absolute inside the file ("/components/dram0").
  [[nodiscard]] Handle create_group(hid_t file, const std::string& path) const;
  [[nodiscard]] Handle open_or_create_group(hid_t file, const std::string& path) const;

  // Scalar attribute: int64, uint64, float64 (little-endian in the file) or a vlen UTF-8 string.
  void write_attr(hid_t obj, std::string_view obj_path, const Attr& attr) const;

  // 1-D datasets holding the whole vector. Arrays of 4 KiB or more are chunked and compressed
  // (shuffle + deflate 1); empty vectors give a 0-length dataset.
  [[nodiscard]] Handle write_vector(hid_t file, const std::string& path,
                                    const std::vector<double>& v) const;
  [[nodiscard]] Handle write_vector(hid_t file, const std::string& path,
                                    const std::vector<std::uint64_t>& v) const;
  [[nodiscard]] Handle write_vector(hid_t file, const std::string& path,
                                    const std::vector<std::int64_t>& v) const;
  [[nodiscard]] Handle write_vector(hid_t file, const std::string& path,
                                    const std::vector<std::string>& v) const;
  // Scalar dataset of one vlen UTF-8 string.
  [[nodiscard]] Handle write_scalar_string(hid_t file, const std::string& path,
                                           const std::string& s) const;

  // A variable-length UTF-8 string datatype.
  [[nodiscard]] Handle string_type() const;

 private:
  [[nodiscard]] Handle write_numeric(hid_t file, const std::string& path, hid_t file_type,
                                     hid_t mem_type, const void* data, std::size_t n,
                                     std::size_t elem_size) const;
  std::string file_;
};

}  // namespace tiersim::stats::h5
