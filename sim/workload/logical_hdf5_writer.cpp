#include <fmt/format.h>

#include "sim/trace/hdf5_error.h"
#include "sim/trace/record_rules.h"
#include "sim/trace/trace_reader.h"
#include "sim/workload/logical_hdf5.h"

namespace tiersim::workload::h5 {

namespace {

void string_attr(H5::H5File& f, const char* name, const std::string& value) {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  f.createAttribute(name, t, H5::DataSpace(H5S_SCALAR)).write(t, value);
}

}  // namespace

Hdf5LogicalWriter::Hdf5LogicalWriter(const std::string& path, const LogicalHeader& header)
    : core_(path) {
  trace::hdf5::quiet_hdf5_errors();
  trace::hdf5::create_empty_file(core_.temp_path(), path);
  try {
    create(header);
  } catch (const H5::Exception& e) {
    const std::string text = trace::hdf5::error_text(e);
    abandon();
    throw trace::TraceError(fmt::format("{}: cannot create HDF5 trace: {}", path, text));
  }
}

void Hdf5LogicalWriter::create(const LogicalHeader& header) {
  H5::FileCreatPropList fcpl;
  trace::hdf5::disable_time_tracking(fcpl);
  file_ = H5::H5File(core_.temp_path(), H5F_ACC_TRUNC, fcpl);
  string_attr(file_, "format", std::string(kLogicalFormat));
  const int version = kLogicalVersion;
  file_.createAttribute("version", H5::PredType::STD_I32LE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_INT, &version);
  string_attr(file_, "model", header.model);
  string_attr(file_, "generator", header.generator);
  requests_ = Appender<RequestRow>(file_, "requests", request_type(true), request_type(false));
  prefix_ = Appender<std::uint64_t>(file_, "prefix_blocks", H5::PredType::STD_U64LE,
                                    H5::PredType::NATIVE_UINT64);
  accesses_ = Appender<AccessRow>(file_, "accesses", access_type(true), access_type(false));
}

Hdf5LogicalWriter::~Hdf5LogicalWriter() {
  if (state_ != State::kOpen) return;
  if (core_.unwinding()) {
    abandon();
    return;
  }
  try {
    close();
  } catch (...) {
    (void)0;  // close() removed the temp file; a destructor must not throw
  }
}

void Hdf5LogicalWriter::check_open() const {
  if (state_ != State::kOpen) {
    throw trace::TraceError(fmt::format("{}: write to a closed trace writer", core_.path()));
  }
}

void Hdf5LogicalWriter::write_request(const Request& r) {
  check_open();
  if (const auto what = rules_.check_request(r)) {
    throw trace::TraceError(
        fmt::format("{}: request {}: {}", core_.path(), rules_.requests() + 1, *what));
  }
  try {
    requests_.push(RequestRow{r.id, r.arrival.ps(), r.prompt_tokens, r.output_tokens,
                              static_cast<std::uint32_t>(r.prefix_blocks.size()), r.user, r.after,
                              r.think.ps()});
    for (const std::uint64_t b : r.prefix_blocks) prefix_.push(b);
  } catch (const H5::Exception& e) {
    fail(e);
  }
}

void Hdf5LogicalWriter::write_access(const Access& a) {
  check_open();
  if (const auto what = rules_.check_access(a)) {
    throw trace::TraceError(trace::record_error(core_.path(), rules_.accesses() + 1, *what));
  }
  try {
    accesses_.push(AccessRow{a.step, a.request, a.layer, static_cast<std::uint8_t>(a.kind), a.index,
                             a.count, a.bytes.count(), a.m, a.n, a.k});
  } catch (const H5::Exception& e) {
    fail(e);
  }
}

void Hdf5LogicalWriter::close() {
  if (state_ != State::kOpen) return;
  try {
    requests_.flush();
    prefix_.flush();
    accesses_.flush();
    requests_.close();
    prefix_.close();
    accesses_.close();
    file_.close();
  } catch (const H5::Exception& e) {
    fail(e);
  }
  state_ = State::kClosed;
  core_.commit();
}

void Hdf5LogicalWriter::abandon() noexcept {
  try {
    requests_.close();
    prefix_.close();
    accesses_.close();
    file_.close();
  } catch (...) {
    (void)0;  // the temp file is removed below
  }
  core_.discard();
  state_ = State::kFailed;
}

void Hdf5LogicalWriter::fail(const H5::Exception& e) {
  const std::string text = trace::hdf5::error_text(e);
  abandon();
  throw trace::TraceError(fmt::format("{}: cannot write HDF5 trace: {}", core_.path(), text));
}

}  // namespace tiersim::workload::h5
