#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "sim/trace/hdf5_error.h"
#include "sim/trace/hdf5_trace.h"

namespace tiersim::trace {

namespace {

// Identical content must give identical files, so no object records its modification time.
void disable_time_tracking(const H5::PropList& plist) {
  if (H5Pset_obj_track_times(plist.getId(), 0) < 0) {
    throw H5::PropListIException("H5Pset_obj_track_times", "cannot disable time tracking");
  }
}

}  // namespace

Hdf5TraceWriter::Hdf5TraceWriter(const std::string& path) : core_(path) {
  hdf5::quiet_hdf5_errors();
  // Report the usual cause (missing directory, no permission) as the text writer does.
  const int fd = ::open(core_.temp_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw TraceError(fmt::format("{}: cannot create trace: {}", path, std::strerror(errno)));
  }
  ::close(fd);
  try {
    create();
  } catch (const H5::Exception& e) {
    const std::string text = hdf5::error_text(e);
    abandon();
    throw TraceError(fmt::format("{}: cannot create HDF5 trace: {}", core_.path(), text));
  }
  pending_.reserve(hdf5::kChunkRows);
}

void Hdf5TraceWriter::create() {
  H5::FileCreatPropList fcpl;
  disable_time_tracking(fcpl);
  file_ = H5::H5File(core_.temp_path(), H5F_ACC_TRUNC, fcpl);

  const H5::DataSpace scalar(H5S_SCALAR);
  const H5::StrType string_type = hdf5::vlen_string_type();
  file_.createAttribute(hdf5::kFormatAttr, string_type, scalar)
      .write(string_type, std::string(hdf5::kFormatName));
  const int version = hdf5::kFormatVersion;
  file_.createAttribute(hdf5::kVersionAttr, H5::PredType::STD_I32LE, scalar)
      .write(H5::PredType::NATIVE_INT, &version);

  const hsize_t dims = 0;
  const hsize_t max_dims = H5S_UNLIMITED;
  const H5::DataSpace space(1, &dims, &max_dims);
  H5::DSetCreatPropList dcpl;
  dcpl.setChunk(1, &hdf5::kChunkRows);
  dcpl.setShuffle();
  dcpl.setDeflate(hdf5::kDeflateLevel);
  disable_time_tracking(dcpl);
  requests_ = file_.createDataSet(hdf5::kRequests, hdf5::file_row_type(), space, dcpl);
  row_type_ = hdf5::memory_row_type();
}

Hdf5TraceWriter::~Hdf5TraceWriter() {
  if (state_ != State::kOpen) return;
  if (core_.unwinding()) {
    abandon();
    return;
  }
  try {
    close();
  } catch (...) {
    // close() failed and removed the temp file; a destructor must not throw.
    (void)0;
  }
}

std::uint16_t Hdf5TraceWriter::stream_id(const std::string& tag) {
  return core_.stream_id(tag);
}

void Hdf5TraceWriter::write(const Record& r) {
  if (state_ != State::kOpen) {
    throw TraceError(fmt::format("{}: write to a closed trace writer", core_.path()));
  }
  core_.check(r);
  pending_.push_back(hdf5::Row{r.time.ps(), static_cast<std::uint8_t>(r.op), r.address,
                               r.bytes.count(), r.stream});
  if (pending_.size() < hdf5::kChunkRows) return;
  try {
    flush();
  } catch (const H5::Exception& e) {
    fail(e);
  }
}

void Hdf5TraceWriter::flush() {
  if (pending_.empty()) return;
  const hsize_t count = pending_.size();
  const hsize_t rows = written_ + count;
  requests_.extend(&rows);
  H5::DataSpace file_space = requests_.getSpace();
  file_space.selectHyperslab(H5S_SELECT_SET, &count, &written_);
  const H5::DataSpace mem_space(1, &count);
  requests_.write(pending_.data(), row_type_, mem_space, file_space);
  written_ = rows;
  pending_.clear();
}

void Hdf5TraceWriter::write_streams() {
  const auto& tags = core_.streams().tags();
  std::vector<const char*> ptrs;
  ptrs.reserve(tags.size());
  for (const std::string& t : tags) ptrs.push_back(t.c_str());
  const hsize_t n = ptrs.size();
  const H5::DataSpace space(1, &n);
  H5::DSetCreatPropList dcpl;
  disable_time_tracking(dcpl);
  const H5::StrType type = hdf5::vlen_string_type();
  file_.createDataSet(hdf5::kStreams, type, space, dcpl).write(ptrs.data(), type);
}

void Hdf5TraceWriter::close() {
  if (state_ != State::kOpen) return;
  try {
    flush();
    write_streams();
    requests_.close();
    file_.close();
  } catch (const H5::Exception& e) {
    fail(e);
  }
  state_ = State::kClosed;
  core_.commit();
}

void Hdf5TraceWriter::abandon() noexcept {
  try {
    requests_.close();
    file_.close();
  } catch (...) {
    // Nothing more can be done; the temp file is removed below.
    (void)0;
  }
  core_.discard();
  state_ = State::kFailed;
}

void Hdf5TraceWriter::fail(const H5::Exception& e) {
  const std::string text = hdf5::error_text(e);
  abandon();
  throw TraceError(fmt::format("{}: cannot write HDF5 trace: {}", core_.path(), text));
}

}  // namespace tiersim::trace
