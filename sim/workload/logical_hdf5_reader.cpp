#include <fmt/format.h>

#include "sim/trace/hdf5_error.h"
#include "sim/trace/record_rules.h"
#include "sim/trace/trace_reader.h"
#include "sim/workload/logical_hdf5.h"

namespace tiersim::workload::h5 {

namespace {

std::string read_string_attr(const H5::H5File& f, const char* name) {
  const H5::Attribute a = f.openAttribute(name);
  std::string v;
  a.read(a.getStrType(), v);
  return v;
}

}  // namespace

Hdf5LogicalReader::Hdf5LogicalReader(const std::string& path) : path_(path) {
  trace::hdf5::quiet_hdf5_errors();
  try {
    file_ = H5::H5File(path, H5F_ACC_RDONLY);
    auto not_logical = [&](const std::string& why) {
      throw trace::TraceError(fmt::format("{}: not a tiersim logical trace ({})", path, why));
    };
    if (!file_.attrExists("format")) not_logical("missing 'format' attribute");
    const std::string format = read_string_attr(file_, "format");
    if (format != kLogicalFormat) {
      not_logical(fmt::format("format is '{}', expected '{}'", format, kLogicalFormat));
    }
    int version = 0;
    file_.openAttribute("version").read(H5::PredType::NATIVE_INT, &version);
    if (version < kLogicalMinVersion || version > kLogicalVersion) {
      throw trace::TraceError(fmt::format(
          "{}: unsupported logical trace version {} (this tiersim reads versions {} to {})", path,
          version, kLogicalMinVersion, kLogicalVersion));
    }
    version_ = version;
    for (const char* ds : {"requests", "prefix_blocks", "accesses"}) {
      if (!file_.nameExists(ds)) not_logical(fmt::format("missing /{}", ds));
    }
    if (file_.attrExists("model")) header_.model = read_string_attr(file_, "model");
    if (file_.attrExists("generator")) header_.generator = read_string_attr(file_, "generator");
    requests_ = BlockReader<RequestRow>(file_, "requests", request_type(false, version_));
    prefix_ = BlockReader<std::uint64_t>(file_, "prefix_blocks", H5::PredType::NATIVE_UINT64);
    accesses_ = BlockReader<AccessRow>(file_, "accesses", access_type(false));
  } catch (const H5::Exception& e) {
    fail(e);
  }
}

void Hdf5LogicalReader::fail(const H5::Exception& e) const {
  throw trace::TraceError(
      fmt::format("{}: cannot read HDF5 trace: {}", path_, trace::hdf5::error_text(e)));
}

bool Hdf5LogicalReader::next_request(Request& out) {
  if (requests_done_) return false;
  try {
    RequestRow row{};
    if (!requests_.next(row)) {
      requests_done_ = true;
      return false;
    }
    out.id = row.id;
    out.arrival = Time::ps(row.arrival_ps);
    out.prompt_tokens = row.prompt_tokens;
    out.output_tokens = row.output_tokens;
    out.user = version_ >= 2 ? row.user : kNoUser;
    out.after = version_ >= 2 ? row.after : kNoAfter;
    out.think = version_ >= 2 ? Time::ps(row.think_ps) : Time::zero();
    out.prefix_blocks.resize(row.prefix_count);
    for (std::uint64_t& b : out.prefix_blocks) {
      if (!prefix_.next(b)) {
        throw trace::TraceError(
            fmt::format("{}: request {}: /prefix_blocks ends early", path_, rules_.requests() + 1));
      }
    }
  } catch (const H5::Exception& e) {
    fail(e);
  }
  if (const auto what = rules_.check_request(out)) {
    throw trace::TraceError(fmt::format("{}: request {}: {}", path_, rules_.requests() + 1, *what));
  }
  return true;
}

bool Hdf5LogicalReader::next_access(Access& out) {
  Request skipped;
  while (!requests_done_) (void)next_request(skipped);
  AccessRow row{};
  try {
    if (!accesses_.next(row)) return false;
  } catch (const H5::Exception& e) {
    fail(e);
  }
  out.step = row.step;
  out.request = row.request;
  out.layer = row.layer;
  out.kind = static_cast<AccessKind>(row.kind);
  out.index = row.index;
  out.count = row.count;
  out.bytes = Bytes(row.bytes);
  out.m = row.m;
  out.n = row.n;
  out.k = row.k;
  if (const auto what = rules_.check_access(out)) {
    throw trace::TraceError(trace::record_error(path_, rules_.accesses() + 1, *what));
  }
  return true;
}

}  // namespace tiersim::workload::h5
