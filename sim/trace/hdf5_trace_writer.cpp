#include <string_view>

#include <fmt/format.h>

#include "sim/trace/hdf5_error.h"
#include "sim/trace/hdf5_table.h"
#include "sim/trace/hdf5_trace.h"

namespace tiersim::trace {

Hdf5TraceWriter::Hdf5TraceWriter(const std::string& path) : core_(path) {
  hdf5::quiet_hdf5_errors();
  // Report the usual cause (missing directory, no permission) as the text writer does.
  hdf5::create_empty_file(core_.temp_path(), path);
  try {
    create();
  } catch (const H5::Exception& e) {
    const std::string text = hdf5::error_text(e);
    abandon();
    throw TraceError(fmt::format("{}: cannot create HDF5 trace: {}", core_.path(), text));
  }
}

void Hdf5TraceWriter::create() {
  H5::FileCreatPropList fcpl;
  hdf5::disable_time_tracking(fcpl);
  file_ = H5::H5File(core_.temp_path(), H5F_ACC_TRUNC, fcpl);

  const H5::DataSpace scalar(H5S_SCALAR);
  const H5::StrType string_type = hdf5::vlen_string_type();
  file_.createAttribute(hdf5::kFormatAttr, string_type, scalar)
      .write(string_type, std::string(hdf5::kFormatName));
  const int version = hdf5::kFormatVersion;
  file_.createAttribute(hdf5::kVersionAttr, H5::PredType::STD_I32LE, scalar)
      .write(H5::PredType::NATIVE_INT, &version);

  requests_ = hdf5::HdfAppender<hdf5::Row>(file_, hdf5::kRequests, hdf5::file_row_type(),
                                           hdf5::memory_row_type());
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
  try {
    requests_.push(hdf5::Row{r.time.ps(), static_cast<std::uint8_t>(r.op), r.address,
                             r.bytes.count(), r.stream});
  } catch (const H5::Exception& e) {
    fail(e);
  }
}

void Hdf5TraceWriter::write_streams() {
  const auto& tags = core_.streams().tags();
  std::vector<const char*> ptrs;
  ptrs.reserve(tags.size());
  for (const std::string& t : tags) ptrs.push_back(t.c_str());
  const hsize_t n = ptrs.size();
  const H5::DataSpace space(1, &n);
  H5::DSetCreatPropList dcpl;
  hdf5::disable_time_tracking(dcpl);
  const H5::StrType type = hdf5::vlen_string_type();
  file_.createDataSet(hdf5::kStreams, type, space, dcpl).write(ptrs.data(), type);
}

void Hdf5TraceWriter::close() {
  if (state_ != State::kOpen) return;
  try {
    requests_.flush();
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
