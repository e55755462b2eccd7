#include "sim/trace/hdf5_trace.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "sim/trace/hdf5_error.h"
#include "sim/trace/record_rules.h"
#include "sim/trace/stream_table.h"

namespace tiersim::trace {

namespace {

constexpr hsize_t kMaxBlockRows = hsize_t{1} << 20;

// Rows read per block: whole chunks, about kChunkRows of them, never more than kMaxBlockRows.
[[nodiscard]] hsize_t block_rows_for(const H5::DataSet& ds) {
  const H5::DSetCreatPropList cpl = ds.getCreatePlist();
  if (cpl.getLayout() != H5D_CHUNKED) return hdf5::kChunkRows;
  hsize_t chunk = 0;
  cpl.getChunk(1, &chunk);
  chunk = std::max<hsize_t>(chunk, 1);
  const hsize_t chunks = std::max<hsize_t>(hdf5::kChunkRows / chunk, 1);
  return std::min(chunk * chunks, kMaxBlockRows);
}

[[nodiscard]] bool is_scalar_like(const H5::Attribute& a) {
  return a.getSpace().getSimpleExtentNpoints() == 1;
}

// A stored string up to its first NUL, without trailing space padding.
[[nodiscard]] std::string unpadded(const char* p, std::size_t max_len) {
  std::size_t n = ::strnlen(p, max_len);
  while (n > 0 && p[n - 1] == ' ') --n;
  return std::string(p, n);
}

// Frees the strings HDF5 allocated for a variable-length read, however the reader leaves.
class VlenBuffer {
 public:
  VlenBuffer(const H5::DataType& type, const H5::DataSpace& space, hsize_t n)
      : type_(type), space_(space), ptrs_(n, nullptr) {}
  ~VlenBuffer() { (void)H5Dvlen_reclaim(type_.getId(), space_.getId(), H5P_DEFAULT, ptrs_.data()); }
  VlenBuffer(const VlenBuffer&) = delete;
  VlenBuffer& operator=(const VlenBuffer&) = delete;
  [[nodiscard]] std::vector<char*>& ptrs() { return ptrs_; }

 private:
  const H5::DataType& type_;
  const H5::DataSpace& space_;
  std::vector<char*> ptrs_;
};

// Reads a 1-D dataset of `n` fixed- or variable-length strings.
[[nodiscard]] std::vector<std::string> read_strings(const H5::DataSet& ds, hsize_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  const H5::StrType file_type = ds.getStrType();
  if (file_type.isVariableStr()) {
    H5::StrType mem(H5::PredType::C_S1, H5T_VARIABLE);
    mem.setCset(file_type.getCset());
    const H5::DataSpace space = ds.getSpace();
    VlenBuffer buf(mem, space, n);
    ds.read(buf.ptrs().data(), mem);
    for (const char* p : buf.ptrs()) out.emplace_back(p == nullptr ? "" : p);
    return out;
  }
  const std::size_t len = file_type.getSize();
  H5::StrType mem(H5::PredType::C_S1, len);
  mem.setCset(file_type.getCset());
  mem.setStrpad(file_type.getStrpad());
  std::vector<char> buf(n * len);
  ds.read(buf.data(), mem);
  for (hsize_t i = 0; i < n; ++i) out.push_back(unpadded(buf.data() + i * len, len));
  return out;
}

[[nodiscard]] bool has_integer_field(const H5::CompType& t, const char* name) {
  const int n = t.getNmembers();
  for (int i = 0; i < n; ++i) {
    const auto index = static_cast<unsigned>(i);
    if (t.getMemberName(index) == name) return t.getMemberClass(index) == H5T_INTEGER;
  }
  return false;
}

[[nodiscard]] bool is_dataset(const H5::H5File& f, const char* name) {
  return f.nameExists(name) && f.childObjType(name) == H5O_TYPE_DATASET;
}

}  // namespace

Hdf5TraceReader::Hdf5TraceReader(const std::string& path) : path_(path) {
  hdf5::quiet_hdf5_errors();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw TraceError(fmt::format("{}: cannot open trace: {}", path, std::strerror(errno)));
  }
  ::close(fd);
  try {
    open();
  } catch (const H5::Exception& e) {
    throw TraceError(fmt::format("{}: cannot read HDF5 trace: {}", path_, hdf5::error_text(e)));
  }
}

void Hdf5TraceReader::open() {
  file_.openFile(path_, H5F_ACC_RDONLY);
  check_format_attributes();
  open_requests();
  read_streams();
  rows_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(block_rows_, total_)));
}

void Hdf5TraceReader::not_a_trace(const std::string& why) const {
  throw TraceError(fmt::format("{}: not a tiersim device trace ({})", path_, why));
}

void Hdf5TraceReader::check_format_attributes() const {
  if (!file_.attrExists(hdf5::kFormatAttr)) not_a_trace("missing 'format' attribute");
  const H5::Attribute format = file_.openAttribute(hdf5::kFormatAttr);
  if (format.getTypeClass() != H5T_STRING || !is_scalar_like(format)) {
    not_a_trace("'format' attribute is not a string");
  }
  std::string stored;
  format.read(format.getStrType(), stored);
  const std::string name = unpadded(stored.c_str(), stored.size());
  if (name != hdf5::kFormatName) {
    not_a_trace(fmt::format("format is {}, expected '{}'", quoted(name), hdf5::kFormatName));
  }
  if (!file_.attrExists(hdf5::kVersionAttr)) not_a_trace("missing 'version' attribute");
  const H5::Attribute version = file_.openAttribute(hdf5::kVersionAttr);
  if (version.getTypeClass() != H5T_INTEGER || !is_scalar_like(version)) {
    not_a_trace("'version' attribute is not an integer");
  }
  std::int64_t v = 0;
  version.read(H5::PredType::NATIVE_INT64, &v);
  if (v != hdf5::kFormatVersion) {
    throw TraceError(fmt::format("{}: unsupported trace version {} (this tiersim reads version {})",
                                 path_, v, hdf5::kFormatVersion));
  }
}

void Hdf5TraceReader::open_requests() {
  if (!is_dataset(file_, hdf5::kRequests)) not_a_trace("missing /requests");
  requests_ = file_.openDataSet(hdf5::kRequests);
  const H5::DataSpace space = requests_.getSpace();
  if (requests_.getTypeClass() != H5T_COMPOUND || space.getSimpleExtentNdims() != 1) {
    not_a_trace("/requests is not a 1-D compound dataset");
  }
  const H5::CompType type = requests_.getCompType();
  for (const char* field : hdf5::kFieldNames) {
    if (!has_integer_field(type, field)) {
      not_a_trace(fmt::format("/requests has no integer field '{}'", field));
    }
  }
  hsize_t rows = 0;
  space.getSimpleExtentDims(&rows);
  total_ = rows;
  file_space_ = requests_.getSpace();
  block_rows_ = block_rows_for(requests_);
  row_type_ = hdf5::memory_row_type();
}

void Hdf5TraceReader::read_streams() {
  if (!is_dataset(file_, hdf5::kStreams)) not_a_trace("missing /streams");
  const H5::DataSet ds = file_.openDataSet(hdf5::kStreams);
  const H5::DataSpace space = ds.getSpace();
  if (ds.getTypeClass() != H5T_STRING || space.getSimpleExtentNdims() != 1) {
    not_a_trace("/streams is not a 1-D dataset of strings");
  }
  hsize_t n = 0;
  space.getSimpleExtentDims(&n);
  const auto bad = [&](const std::string& why) {
    throw TraceError(fmt::format("{}: bad /streams: {}", path_, why));
  };
  if (n == 0) bad(fmt::format("it is empty (entry 0 must be '{}')", kDefaultStream));
  if (n > kMaxStreams) bad(fmt::format("it has {} tags (at most {})", n, kMaxStreams));
  streams_ = read_strings(ds, n);
  if (streams_[0] != kDefaultStream) {
    bad(fmt::format("entry 0 is {}, expected '{}'", quoted(streams_[0]), kDefaultStream));
  }
  StreamTable seen;
  for (std::size_t i = 1; i < streams_.size(); ++i) {
    const std::string& tag = streams_[i];
    if (!is_valid_stream_tag(tag)) {
      bad(fmt::format("entry {} {} is not a valid stream tag (must match {})", i, quoted(tag),
                      kStreamTagPattern));
    }
    if (seen.find(tag)) bad(fmt::format("entry {} repeats tag {}", i, quoted(tag)));
    (void)seen.intern(tag);
  }
}

void Hdf5TraceReader::refill() {
  const hsize_t start = fetched_;
  const hsize_t count = std::min<hsize_t>(rows_.size(), total_ - fetched_);
  try {
    // The dataspaces are members: no HDF5 call runs between a failed read and error_text().
    file_space_.selectHyperslab(H5S_SELECT_SET, &count, &start);
    mem_space_.setExtentSimple(1, &count);
    requests_.read(rows_.data(), row_type_, mem_space_, file_space_);
  } catch (const H5::Exception& e) {
    throw TraceError(fmt::format("{}: cannot read HDF5 trace: {}", path_, hdf5::error_text(e)));
  }
  fetched_ += count;
  row_pos_ = 0;
  row_end_ = static_cast<std::size_t>(count);
}

bool Hdf5TraceReader::next(Record& out) {
  if (row_pos_ == row_end_) {
    if (fetched_ == total_) return false;
    refill();
  }
  const hdf5::Row& row = rows_[row_pos_++];
  out.time = Time::ps(row.time_ps);
  out.op = static_cast<Op>(row.op);
  out.address = row.address;
  out.bytes = Bytes(row.bytes);
  out.stream = row.stream;
  if (const auto what = record_violation(out, previous_, streams_.size())) {
    throw TraceError(record_error(path_, records_ + 1, *what));
  }
  previous_ = out.time;
  ++records_;
  return true;
}

double Hdf5TraceReader::progress() const {
  if (total_ == 0) return 1.0;
  return static_cast<double>(records_) / static_cast<double>(total_);
}

}  // namespace tiersim::trace
