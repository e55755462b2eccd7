#include "tests/common/h5_results.h"

#include <H5Cpp.h>

#include <cstddef>
#include <stdexcept>

namespace tiersim::test::h5 {

namespace {

Attrs attrs_of(const H5::H5Object& obj) {
  Attrs out;
  const int n = obj.getNumAttrs();
  for (int i = 0; i < n; ++i) {
    H5::Attribute a = obj.openAttribute(static_cast<unsigned>(i));
    const std::string name = a.getName();
    switch (a.getTypeClass()) {
      case H5T_INTEGER:
        if (a.getIntType().getSign() == H5T_SGN_NONE) {
          std::uint64_t v = 0;
          a.read(H5::PredType::NATIVE_UINT64, &v);
          out[name] = v;
        } else {
          std::int64_t v = 0;
          a.read(H5::PredType::NATIVE_INT64, &v);
          out[name] = v;
        }
        break;
      case H5T_FLOAT: {
        double v = 0;
        a.read(H5::PredType::NATIVE_DOUBLE, &v);
        out[name] = v;
        break;
      }
      case H5T_STRING: {
        std::string v;
        a.read(a.getStrType(), v);
        out[name] = v;
        break;
      }
      default:
        out[name] = std::string("<unsupported attribute type>");
    }
  }
  return out;
}

std::vector<std::string> read_strings(const H5::DataSet& ds) {
  hsize_t n = 0;
  ds.getSpace().getSimpleExtentDims(&n);
  std::vector<char*> raw(n, nullptr);
  const H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  if (n > 0) ds.read(raw.data(), t);
  std::vector<std::string> out;
  for (char* s : raw) out.emplace_back(s == nullptr ? "" : s);
  if (n > 0) H5::DataSet::vlenReclaim(raw.data(), t, ds.getSpace());
  return out;
}

template <class T>
const T& get(const Attrs& a, const std::string& name) {
  auto it = a.find(name);
  if (it == a.end()) throw std::runtime_error("no attribute '" + name + "'");
  const T* v = std::get_if<T>(&it->second);
  if (v == nullptr) throw std::runtime_error("attribute '" + name + "' has another type");
  return *v;
}

}  // namespace

Results read_results(const std::string& path) {
  H5::Exception::dontPrint();
  try {
    H5::H5File f(path, H5F_ACC_RDONLY);
    Results r;
    H5::CompType row(sizeof(RequestRow));
    row.insertMember("id", offsetof(RequestRow, id), H5::PredType::NATIVE_UINT64);
    row.insertMember("stream", offsetof(RequestRow, stream), H5::PredType::NATIVE_UINT16);
    row.insertMember("kind", offsetof(RequestRow, kind), H5::PredType::NATIVE_UINT8);
    row.insertMember("source", offsetof(RequestRow, source), H5::PredType::NATIVE_UINT16);
    row.insertMember("target", offsetof(RequestRow, target), H5::PredType::NATIVE_UINT16);
    row.insertMember("address", offsetof(RequestRow, address), H5::PredType::NATIVE_UINT64);
    row.insertMember("bytes", offsetof(RequestRow, bytes), H5::PredType::NATIVE_UINT64);
    row.insertMember("arrival_ps", offsetof(RequestRow, arrival_ps), H5::PredType::NATIVE_INT64);
    row.insertMember("issue_ps", offsetof(RequestRow, issue_ps), H5::PredType::NATIVE_INT64);
    row.insertMember("complete_ps", offsetof(RequestRow, complete_ps), H5::PredType::NATIVE_INT64);
    H5::DataSet ds = f.openDataSet("/requests");
    hsize_t n = 0;
    ds.getSpace().getSimpleExtentDims(&n);
    r.requests.resize(n);
    if (n > 0) ds.read(r.requests.data(), row);
    r.summary = attrs_of(f.openGroup("/summary"));
    r.components = read_strings(f.openDataSet("/names/components"));
    H5::DataSet cfg = f.openDataSet("/config/resolved");
    cfg.read(r.resolved_config, cfg.getStrType(), cfg.getSpace());
    return r;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path + ": cannot read results: " + e.getDetailMsg());
  }
}

Attrs read_group_attrs(const std::string& path, const std::string& group_path) {
  H5::Exception::dontPrint();
  try {
    H5::H5File f(path, H5F_ACC_RDONLY);
    return attrs_of(f.openGroup(group_path));
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path + ": cannot read " + group_path + ": " + e.getDetailMsg());
  }
}

std::int64_t i64(const Attrs& a, const std::string& name) {
  return get<std::int64_t>(a, name);
}
std::uint64_t u64(const Attrs& a, const std::string& name) {
  return get<std::uint64_t>(a, name);
}
double f64(const Attrs& a, const std::string& name) {
  return get<double>(a, name);
}

}  // namespace tiersim::test::h5
