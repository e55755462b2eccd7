#include "sim/stats/h5_util.h"

#include <algorithm>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace tiersim::stats::h5 {

namespace {

constexpr hid_t kDefault = 0;  // H5P_DEFAULT / H5E_DEFAULT without the old-style cast
constexpr std::size_t kCompressFromBytes = 4096;
constexpr hsize_t kMaxChunkElems = 65536;
constexpr unsigned kCreationOrder = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

// Records the outermost and innermost descriptions of the HDF5 error stack: the outermost says
// what the API call was doing, the innermost why it failed ("name already exists").
struct ErrorEnds {
  std::string outermost;
  std::string innermost;
};

herr_t collect_error(unsigned n, const H5E_error2_t* err, void* data) {
  auto* ends = static_cast<ErrorEnds*>(data);
  if (err == nullptr || err->desc == nullptr) return 0;
  if (n == 0) ends->outermost = err->desc;
  ends->innermost = err->desc;
  return 0;
}

std::string error_stack_detail() {
  ErrorEnds ends;
  H5Ewalk2(kDefault, H5E_WALK_DOWNWARD, collect_error, &ends);
  H5Eclear2(kDefault);
  if (ends.innermost.empty() || ends.innermost == ends.outermost) return ends.outermost;
  return ends.outermost + ": " + ends.innermost;
}

}  // namespace

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    close();
    id_ = std::exchange(o.id_, kInvalid);
    closer_ = o.closer_;
  }
  return *this;
}

herr_t Handle::close() {
  if (id_ < 0) return 0;
  const herr_t rc = closer_(id_);
  id_ = kInvalid;
  return rc;
}

void silence_hdf5_errors() {
  H5Eset_auto2(kDefault, nullptr, nullptr);
}

void Writer::fail(std::string_view op, std::string_view object) const {
  std::string msg = "HDF5 results file '";
  msg.append(file_).append("': ").append(op);
  if (!object.empty()) msg.append(" ").append(object);
  msg.append(" failed");
  const std::string detail = error_stack_detail();
  if (!detail.empty()) msg.append(": ").append(detail);
  throw std::runtime_error(msg);
}

hid_t Writer::check_id(hid_t id, std::string_view op, std::string_view object) const {
  if (id < 0) fail(op, object);
  return id;
}

void Writer::check_rc(herr_t rc, std::string_view op, std::string_view object) const {
  if (rc < 0) fail(op, object);
}

Handle Writer::file_create_plist() const {
  Handle p(check_id(H5Pcreate(H5P_FILE_CREATE), "create", "file creation property list"), H5Pclose);
  // The file creation list configures the root group like a group creation list does.
  check_rc(H5Pset_obj_track_times(p.get(), 0), "disable time tracking on", "/");
  check_rc(H5Pset_link_creation_order(p.get(), kCreationOrder), "track link order on", "/");
  check_rc(H5Pset_attr_creation_order(p.get(), kCreationOrder), "track attribute order on", "/");
  return p;
}

Handle Writer::group_create_plist() const {
  Handle p(check_id(H5Pcreate(H5P_GROUP_CREATE), "create", "group creation property list"),
           H5Pclose);
  check_rc(H5Pset_obj_track_times(p.get(), 0), "disable time tracking on", "group plist");
  check_rc(H5Pset_link_creation_order(p.get(), kCreationOrder), "track link order on",
           "group plist");
  check_rc(H5Pset_attr_creation_order(p.get(), kCreationOrder), "track attribute order on",
           "group plist");
  return p;
}

Handle Writer::dataset_create_plist() const {
  Handle p(check_id(H5Pcreate(H5P_DATASET_CREATE), "create", "dataset creation property list"),
           H5Pclose);
  check_rc(H5Pset_obj_track_times(p.get(), 0), "disable time tracking on", "dataset plist");
  check_rc(H5Pset_attr_creation_order(p.get(), kCreationOrder), "track attribute order on",
           "dataset plist");
  return p;
}

Handle Writer::create_group(hid_t file, const std::string& path) const {
  const Handle gcpl = group_create_plist();
  return Handle(check_id(H5Gcreate2(file, path.c_str(), kDefault, gcpl.get(), kDefault),
                         "create group", path),
                H5Gclose);
}

Handle Writer::open_or_create_group(hid_t file, const std::string& path) const {
  const htri_t exists = H5Lexists(file, path.c_str(), kDefault);
  if (exists < 0) fail("look up", path);
  if (exists > 0) {
    return Handle(check_id(H5Gopen2(file, path.c_str(), kDefault), "open group", path), H5Gclose);
  }
  return create_group(file, path);
}

Handle Writer::string_type() const {
  Handle t(check_id(H5Tcopy(H5T_C_S1), "create", "string type"), H5Tclose);
  check_rc(H5Tset_size(t.get(), H5T_VARIABLE), "configure", "string type");
  check_rc(H5Tset_cset(t.get(), H5T_CSET_UTF8), "configure", "string type");
  return t;
}

void Writer::write_attr(hid_t obj, std::string_view obj_path, const Attr& attr) const {
  const std::string what = std::string(obj_path) + " attribute '" + attr.name + "'";
  Handle space(check_id(H5Screate(H5S_SCALAR), "create dataspace for", what), H5Sclose);
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        Handle str_type;
        hid_t file_type = -1;
        hid_t mem_type = -1;
        const void* buf = &v;
        const char* chars = nullptr;
        if constexpr (std::is_same_v<V, std::int64_t>) {
          file_type = H5T_STD_I64LE;
          mem_type = H5T_NATIVE_INT64;
        } else if constexpr (std::is_same_v<V, std::uint64_t>) {
          file_type = H5T_STD_U64LE;
          mem_type = H5T_NATIVE_UINT64;
        } else if constexpr (std::is_same_v<V, double>) {
          file_type = H5T_IEEE_F64LE;
          mem_type = H5T_NATIVE_DOUBLE;
        } else {
          static_assert(std::is_same_v<V, std::string>);
          str_type = string_type();
          file_type = mem_type = str_type.get();
          chars = v.c_str();
          buf = &chars;
        }
        Handle a(
            check_id(H5Acreate2(obj, attr.name.c_str(), file_type, space.get(), kDefault, kDefault),
                     "create", what),
            H5Aclose);
        check_rc(H5Awrite(a.get(), mem_type, buf), "write", what);
        check_rc(a.close(), "close", what);
      },
      attr.value);
}

Handle Writer::write_numeric(hid_t file, const std::string& path, hid_t file_type, hid_t mem_type,
                             const void* data, std::size_t n, std::size_t elem_size) const {
  const hsize_t dims[1] = {n};
  Handle space(check_id(H5Screate_simple(1, dims, nullptr), "create dataspace for", path),
               H5Sclose);
  const Handle dcpl = dataset_create_plist();
  if (n * elem_size >= kCompressFromBytes) {
    const hsize_t chunk[1] = {std::min<hsize_t>(n, kMaxChunkElems)};
    check_rc(H5Pset_chunk(dcpl.get(), 1, chunk), "set chunking for", path);
    check_rc(H5Pset_shuffle(dcpl.get()), "set shuffle filter for", path);
    check_rc(H5Pset_deflate(dcpl.get(), 1), "set deflate filter for", path);
  }
  Handle ds(check_id(H5Dcreate2(file, path.c_str(), file_type, space.get(), kDefault, dcpl.get(),
                                kDefault),
                     "create dataset", path),
            H5Dclose);
  if (n > 0) {
    check_rc(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, kDefault, data), "write dataset", path);
  }
  return ds;
}

Handle Writer::write_vector(hid_t file, const std::string& path,
                            const std::vector<double>& v) const {
  return write_numeric(file, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), v.size(),
                       sizeof(double));
}

Handle Writer::write_vector(hid_t file, const std::string& path,
                            const std::vector<std::uint64_t>& v) const {
  return write_numeric(file, path, H5T_STD_U64LE, H5T_NATIVE_UINT64, v.data(), v.size(),
                       sizeof(std::uint64_t));
}

Handle Writer::write_vector(hid_t file, const std::string& path,
                            const std::vector<std::int64_t>& v) const {
  return write_numeric(file, path, H5T_STD_I64LE, H5T_NATIVE_INT64, v.data(), v.size(),
                       sizeof(std::int64_t));
}

Handle Writer::write_vector(hid_t file, const std::string& path,
                            const std::vector<std::string>& v) const {
  std::vector<const char*> ptrs;
  ptrs.reserve(v.size());
  for (const std::string& s : v) ptrs.push_back(s.c_str());
  const hsize_t dims[1] = {v.size()};
  Handle space(check_id(H5Screate_simple(1, dims, nullptr), "create dataspace for", path),
               H5Sclose);
  const Handle type = string_type();
  const Handle dcpl = dataset_create_plist();
  Handle ds(check_id(H5Dcreate2(file, path.c_str(), type.get(), space.get(), kDefault, dcpl.get(),
                                kDefault),
                     "create dataset", path),
            H5Dclose);
  if (!ptrs.empty()) {
    check_rc(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, kDefault, ptrs.data()),
             "write dataset", path);
  }
  return ds;
}

Handle Writer::write_scalar_string(hid_t file, const std::string& path,
                                   const std::string& s) const {
  Handle space(check_id(H5Screate(H5S_SCALAR), "create dataspace for", path), H5Sclose);
  const Handle type = string_type();
  const Handle dcpl = dataset_create_plist();
  Handle ds(check_id(H5Dcreate2(file, path.c_str(), type.get(), space.get(), kDefault, dcpl.get(),
                                kDefault),
                     "create dataset", path),
            H5Dclose);
  const char* chars = s.c_str();
  check_rc(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, kDefault, &chars), "write dataset",
           path);
  return ds;
}

}  // namespace tiersim::stats::h5
