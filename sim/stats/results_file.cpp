#include "sim/stats/results_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "sim/stats/h5_util.h"

#ifndef TIERSIM_VERSION
#error "TIERSIM_VERSION must be defined by the build (tiersim_options)"
#endif

namespace tiersim::stats {

namespace {

constexpr hid_t kDefault = 0;  // H5P_DEFAULT / H5S_ALL without the old-style cast
constexpr std::size_t kRowsPerChunk = 16384;
constexpr std::int64_t kSchemaVersion = 1;
constexpr const char* kRequests = "/requests";

struct Field {
  const char* name;
  std::size_t mem_offset;
  hid_t mem_type;
  hid_t file_type;
};

// The RequestRow members, in order, with their native and (little-endian) file types.
std::vector<Field> request_fields() {
  return {
      {"id", offsetof(RequestRow, id), H5T_NATIVE_UINT64, H5T_STD_U64LE},
      {"stream", offsetof(RequestRow, stream), H5T_NATIVE_UINT16, H5T_STD_U16LE},
      {"kind", offsetof(RequestRow, kind), H5T_NATIVE_UINT8, H5T_STD_U8LE},
      {"source", offsetof(RequestRow, source), H5T_NATIVE_UINT16, H5T_STD_U16LE},
      {"target", offsetof(RequestRow, target), H5T_NATIVE_UINT16, H5T_STD_U16LE},
      {"address", offsetof(RequestRow, address), H5T_NATIVE_UINT64, H5T_STD_U64LE},
      {"bytes", offsetof(RequestRow, bytes), H5T_NATIVE_UINT64, H5T_STD_U64LE},
      {"arrival_ps", offsetof(RequestRow, arrival_ps), H5T_NATIVE_INT64, H5T_STD_I64LE},
      {"issue_ps", offsetof(RequestRow, issue_ps), H5T_NATIVE_INT64, H5T_STD_I64LE},
      {"complete_ps", offsetof(RequestRow, complete_ps), H5T_NATIVE_INT64, H5T_STD_I64LE},
  };
}

std::string temp_path_for(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

void check_directory(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw std::runtime_error("results file '" + path + "': directory '" + dir.string() +
                             "' does not exist (it is not created automatically)");
  }
}

}  // namespace

struct ResultsFile::Impl {
  explicit Impl(const std::string& results_path) : w(results_path) {}

  h5::Writer w;
  h5::Handle file;
  h5::Handle requests;           // /requests, while write_requests
  h5::Handle row_mem_type;       // RequestRow as laid out in memory
  std::vector<RequestRow> rows;  // buffered rows, capacity kRowsPerChunk
  hsize_t rows_written = 0;

  void create_requests() {
    const std::vector<Field> fields = request_fields();
    row_mem_type = h5::Handle(
        w.check_id(H5Tcreate(H5T_COMPOUND, sizeof(RequestRow)), "create type of", kRequests),
        H5Tclose);
    std::size_t packed = 0;
    for (const Field& f : fields) packed += H5Tget_size(f.file_type);
    // The file type is packed: no padding bytes, so no uninitialised memory reaches the file.
    const h5::Handle file_type(
        w.check_id(H5Tcreate(H5T_COMPOUND, packed), "create type of", kRequests), H5Tclose);
    std::size_t offset = 0;
    for (const Field& f : fields) {
      w.check_rc(H5Tinsert(row_mem_type.get(), f.name, f.mem_offset, f.mem_type), "define field of",
                 kRequests);
      w.check_rc(H5Tinsert(file_type.get(), f.name, offset, f.file_type), "define field of",
                 kRequests);
      offset += H5Tget_size(f.file_type);
    }
    const hsize_t dims[1] = {0};
    const hsize_t max_dims[1] = {H5S_UNLIMITED};
    const h5::Handle space(
        w.check_id(H5Screate_simple(1, dims, max_dims), "create dataspace for", kRequests),
        H5Sclose);
    const h5::Handle dcpl = w.dataset_create_plist();
    const hsize_t chunk[1] = {kRowsPerChunk};
    w.check_rc(H5Pset_chunk(dcpl.get(), 1, chunk), "set chunking for", kRequests);
    w.check_rc(H5Pset_shuffle(dcpl.get()), "set shuffle filter for", kRequests);
    w.check_rc(H5Pset_deflate(dcpl.get(), 1), "set deflate filter for", kRequests);
    requests = h5::Handle(w.check_id(H5Dcreate2(file.get(), kRequests, file_type.get(), space.get(),
                                                kDefault, dcpl.get(), kDefault),
                                     "create dataset", kRequests),
                          H5Dclose);
    rows.reserve(kRowsPerChunk);
  }

  void flush_rows() {
    if (rows.empty()) return;
    const hsize_t start[1] = {rows_written};
    const hsize_t count[1] = {rows.size()};
    const hsize_t new_size[1] = {rows_written + rows.size()};
    w.check_rc(H5Dset_extent(requests.get(), new_size), "extend dataset", kRequests);
    const h5::Handle file_space(
        w.check_id(H5Dget_space(requests.get()), "get dataspace of", kRequests), H5Sclose);
    w.check_rc(
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
        "select rows of", kRequests);
    const h5::Handle mem_space(
        w.check_id(H5Screate_simple(1, count, nullptr), "create dataspace for", kRequests),
        H5Sclose);
    w.check_rc(H5Dwrite(requests.get(), row_mem_type.get(), mem_space.get(), file_space.get(),
                        kDefault, rows.data()),
               "write rows of", kRequests);
    rows_written = new_size[0];
    rows.clear();
  }

  // Closes every open HDF5 object, the file last; returns false if any close failed.
  bool close_all() {
    bool ok = requests.close() >= 0;
    ok = row_mem_type.close() >= 0 && ok;
    ok = file.close() >= 0 && ok;
    return ok;
  }

  void write_attrs(const std::string& group_path, const std::vector<Attr>& attrs) const {
    const h5::Handle g = w.create_group(file.get(), group_path);
    for (const Attr& a : attrs) w.write_attr(g.get(), group_path, a);
  }

  void write_histogram(const std::string& path, const std::string& doc,
                       const LatencyHistogram& h) const {
    const h5::Handle g = w.create_group(file.get(), path);
    { const h5::Handle e = w.write_vector(file.get(), path + "/edges_ps", h.edges_ps()); }
    { const h5::Handle c = w.write_vector(file.get(), path + "/counts", h.counts()); }
    const bool empty = h.count() == 0;
    const auto ps = [&](Time t) { return AttrValue(empty ? std::int64_t{0} : t.ps()); };
    const std::vector<Attr> attrs = {
        {"count", h.count()},
        {"underflow", h.underflow()},
        {"overflow", h.overflow()},
        {"min_ps", ps(h.min())},
        {"max_ps", ps(h.max())},
        {"mean_ps", ps(h.mean())},
        {"p50_ps", ps(h.percentile(0.50))},
        {"p90_ps", ps(h.percentile(0.90))},
        {"p99_ps", ps(h.percentile(0.99))},
        {"p999_ps", ps(h.percentile(0.999))},
        {"doc", doc},
    };
    for (const Attr& a : attrs) w.write_attr(g.get(), path, a);
  }

  void write_group(const StatGroup& sg) const {
    const std::string base = "/components/" + sg.name();
    {
      const h5::Handle g = w.create_group(file.get(), base);
      for (const auto& c : sg.counters()) w.write_attr(g.get(), base, {c.name, c.value.value});
    }
    { const h5::Handle s = w.create_group(file.get(), base + "/series"); }
    for (const auto& s : sg.all_series()) {
      const std::string path = base + "/series/" + s.name;
      const h5::Handle ds = w.write_vector(file.get(), path, s.value.values());
      w.write_attr(ds.get(), path, {"window_ps", s.value.window().ps()});
      w.write_attr(ds.get(), path, {"unit", s.value.unit()});
      w.write_attr(ds.get(), path, {"doc", s.doc});
    }
    { const h5::Handle h = w.create_group(file.get(), base + "/histograms"); }
    for (const auto& h : sg.histograms()) {
      write_histogram(base + "/histograms/" + h.name, h.doc, h.value);
    }
  }
};

ResultsFile::ResultsFile(const std::string& path, bool write_requests)
    : path_(path), tmp_path_(temp_path_for(path)), write_requests_(write_requests) {
  h5::silence_hdf5_errors();
  check_directory(path_);
  impl_ = std::make_unique<Impl>(path_);
  try {
    const h5::Writer& w = impl_->w;
    {
      const h5::Handle fcpl = w.file_create_plist();
      const h5::Handle fapl(w.check_id(H5Pcreate(H5P_FILE_ACCESS), "create", "file access plist"),
                            H5Pclose);
      // SEMI: closing the file fails loudly if any object inside it is still open.
      w.check_rc(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), "configure", "file access");
      impl_->file =
          h5::Handle(w.check_id(H5Fcreate(tmp_path_.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()),
                                "create temporary file", tmp_path_),
                     H5Fclose);
    }
    const h5::Handle root(w.check_id(H5Gopen2(impl_->file.get(), "/", kDefault), "open", "/"),
                          H5Gclose);
    w.write_attr(root.get(), "/", {"format", std::string("tiersim-results")});
    w.write_attr(root.get(), "/", {"schema_version", kSchemaVersion});
    w.write_attr(root.get(), "/", {"tiersim_version", std::string(TIERSIM_VERSION)});
    if (write_requests_) impl_->create_requests();
  } catch (...) {
    impl_->close_all();
    std::remove(tmp_path_.c_str());
    throw;
  }
}

ResultsFile::~ResultsFile() {
  if (committed_ || !impl_) return;
  impl_->close_all();
  impl_.reset();
  std::remove(tmp_path_.c_str());
}

void ResultsFile::append_request(const RequestRow& row) {
  if (!write_requests_) return;
  if (committed_) throw std::logic_error("ResultsFile::append_request after commit: " + path_);
  impl_->rows.push_back(row);
  if (impl_->rows.size() == kRowsPerChunk) impl_->flush_rows();
}

void ResultsFile::write_config(const std::string& resolved_yaml, const std::string& source_file) {
  if (committed_) throw std::logic_error("ResultsFile::write_config after commit: " + path_);
  const hid_t f = impl_->file.get();
  { const h5::Handle g = impl_->w.create_group(f, "/config"); }
  const h5::Handle ds = impl_->w.write_scalar_string(f, "/config/resolved", resolved_yaml);
  impl_->w.write_attr(ds.get(), "/config/resolved", {"source_file", source_file});
}

void ResultsFile::write_names(const std::string& table, const std::vector<std::string>& names) {
  if (committed_) throw std::logic_error("ResultsFile::write_names after commit: " + path_);
  const hid_t f = impl_->file.get();
  { const h5::Handle g = impl_->w.open_or_create_group(f, "/names"); }
  const h5::Handle ds = impl_->w.write_vector(f, "/names/" + table, names);
}

void ResultsFile::write_table(const std::string& path, const std::vector<Column>& columns) {
  if (committed_) throw std::logic_error("ResultsFile::write_table after commit: " + path_);
  std::size_t rows = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::size_t n = std::visit([](const auto& v) { return v.size(); }, columns[i].values);
    if (i == 0) rows = n;
    if (n != rows) {
      throw std::invalid_argument("ResultsFile::write_table " + path + ": column '" +
                                  columns[i].name + "' has a different length");
    }
  }
  const hid_t f = impl_->file.get();
  // Parents first (open_or_create_group creates one level).
  for (std::size_t pos = path.find('/', 1); pos != std::string::npos;
       pos = path.find('/', pos + 1)) {
    const h5::Handle parent = impl_->w.open_or_create_group(f, path.substr(0, pos));
  }
  const h5::Handle g = impl_->w.create_group(f, path);
  impl_->w.write_attr(g.get(), path, Attr{"rows", std::uint64_t{rows}});
  for (const Column& c : columns) {
    const std::string ds_path = path + "/" + c.name;
    const h5::Handle ds =
        std::visit([&](const auto& v) { return impl_->w.write_vector(f, ds_path, v); }, c.values);
    if (!c.doc.empty()) impl_->w.write_attr(ds.get(), ds_path, Attr{"doc", c.doc});
  }
}

void ResultsFile::write_summary(const std::vector<Attr>& attrs) {
  if (committed_) throw std::logic_error("ResultsFile::write_summary after commit: " + path_);
  impl_->write_attrs("/summary", attrs);
}

void ResultsFile::write_stats(const StatsRegistry& reg) {
  if (committed_) throw std::logic_error("ResultsFile::write_stats after commit: " + path_);
  { const h5::Handle g = impl_->w.create_group(impl_->file.get(), "/components"); }
  for (const StatGroup& sg : reg.groups()) impl_->write_group(sg);
}

void ResultsFile::write_run_info(const std::vector<Attr>& attrs) {
  if (committed_) throw std::logic_error("ResultsFile::write_run_info after commit: " + path_);
  impl_->write_attrs("/run_info", attrs);
}

void ResultsFile::commit() {
  if (committed_) throw std::logic_error("ResultsFile::commit called twice: " + path_);
  if (write_requests_) impl_->flush_rows();
  if (!impl_->close_all()) impl_->w.fail("close", "(an object was still open or a flush failed)");
  if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    throw std::runtime_error("results file '" + path_ + "': rename from '" + tmp_path_ +
                             "' failed: " + std::strerror(err));
  }
  committed_ = true;
}

}  // namespace tiersim::stats
