#include "tests/stats/h5_read.h"

#include <cstddef>
#include <stdexcept>

namespace tiersim::test::h5read {

namespace {

constexpr hid_t kDefault = 0;  // H5P_DEFAULT

std::size_t element_count(const H5::DataSet& ds) {
  const H5::DataSpace space = ds.getSpace();
  return static_cast<std::size_t>(space.getSimpleExtentNpoints());
}

}  // namespace

std::vector<std::string> attr_names(const H5::H5Object& obj) {
  std::vector<std::string> out;
  const int n = obj.getNumAttrs();
  for (int i = 0; i < n; ++i) {
    const ssize_t len = H5Aget_name_by_idx(obj.getId(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC,
                                           static_cast<hsize_t>(i), nullptr, 0, kDefault);
    if (len < 0) throw std::runtime_error("H5Aget_name_by_idx failed");
    std::string name(static_cast<std::size_t>(len) + 1, '\0');
    H5Aget_name_by_idx(obj.getId(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, static_cast<hsize_t>(i),
                       name.data(), name.size(), kDefault);
    name.resize(static_cast<std::size_t>(len));
    out.push_back(name);
  }
  return out;
}

std::vector<std::string> link_names(const H5::Group& group) {
  std::vector<std::string> out;
  const hsize_t n = group.getNumObjs();
  for (hsize_t i = 0; i < n; ++i) {
    const ssize_t len = H5Lget_name_by_idx(group.getId(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i,
                                           nullptr, 0, kDefault);
    if (len < 0) throw std::runtime_error("H5Lget_name_by_idx failed");
    std::string name(static_cast<std::size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(group.getId(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name.data(),
                       name.size(), kDefault);
    name.resize(static_cast<std::size_t>(len));
    out.push_back(name);
  }
  return out;
}

std::string attr_kind(const H5::H5Object& obj, const std::string& name) {
  const H5::Attribute a = obj.openAttribute(name);
  const H5::DataType t = a.getDataType();
  switch (t.getClass()) {
    case H5T_INTEGER: {
      const H5::IntType it = a.getIntType();
      if (it.getSize() != 8) return "other";
      return it.getSign() == H5T_SGN_NONE ? "uint64" : "int64";
    }
    case H5T_FLOAT:
      return t.getSize() == 8 ? "double" : "other";
    case H5T_STRING:
      return a.getStrType().isVariableStr() ? "string" : "other";
    default:
      return "other";
  }
}

std::string str_attr(const H5::H5Object& obj, const std::string& name) {
  const H5::Attribute a = obj.openAttribute(name);
  std::string out;
  a.read(a.getStrType(), out);
  return out;
}

std::int64_t i64_attr(const H5::H5Object& obj, const std::string& name) {
  std::int64_t v = 0;
  obj.openAttribute(name).read(H5::PredType::NATIVE_INT64, &v);
  return v;
}

std::uint64_t u64_attr(const H5::H5Object& obj, const std::string& name) {
  std::uint64_t v = 0;
  obj.openAttribute(name).read(H5::PredType::NATIVE_UINT64, &v);
  return v;
}

double f64_attr(const H5::H5Object& obj, const std::string& name) {
  double v = 0;
  obj.openAttribute(name).read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

std::vector<double> read_f64(const H5::DataSet& ds) {
  std::vector<double> v(element_count(ds));
  if (!v.empty()) ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
  return v;
}

std::vector<std::uint64_t> read_u64(const H5::DataSet& ds) {
  std::vector<std::uint64_t> v(element_count(ds));
  if (!v.empty()) ds.read(v.data(), H5::PredType::NATIVE_UINT64);
  return v;
}

std::vector<std::string> read_strings(const H5::DataSet& ds) {
  std::vector<char*> raw(element_count(ds), nullptr);
  if (raw.empty()) return {};
  const H5::StrType type = ds.getStrType();
  ds.read(raw.data(), type);
  std::vector<std::string> out;
  for (char* p : raw) {
    out.emplace_back(p == nullptr ? "" : p);
    H5free_memory(p);
  }
  return out;
}

std::string read_scalar_string(const H5::DataSet& ds) {
  std::string out;
  ds.read(out, ds.getStrType());
  return out;
}

std::vector<stats::RequestRow> read_requests(const H5::DataSet& ds) {
  using stats::RequestRow;
  H5::CompType t(sizeof(RequestRow));
  t.insertMember("id", offsetof(RequestRow, id), H5::PredType::NATIVE_UINT64);
  t.insertMember("stream", offsetof(RequestRow, stream), H5::PredType::NATIVE_UINT16);
  t.insertMember("kind", offsetof(RequestRow, kind), H5::PredType::NATIVE_UINT8);
  t.insertMember("source", offsetof(RequestRow, source), H5::PredType::NATIVE_UINT16);
  t.insertMember("target", offsetof(RequestRow, target), H5::PredType::NATIVE_UINT16);
  t.insertMember("address", offsetof(RequestRow, address), H5::PredType::NATIVE_UINT64);
  t.insertMember("bytes", offsetof(RequestRow, bytes), H5::PredType::NATIVE_UINT64);
  t.insertMember("arrival_ps", offsetof(RequestRow, arrival_ps), H5::PredType::NATIVE_INT64);
  t.insertMember("issue_ps", offsetof(RequestRow, issue_ps), H5::PredType::NATIVE_INT64);
  t.insertMember("complete_ps", offsetof(RequestRow, complete_ps), H5::PredType::NATIVE_INT64);
  std::vector<RequestRow> rows(element_count(ds));
  if (!rows.empty()) ds.read(rows.data(), t);
  return rows;
}

}  // namespace tiersim::test::h5read
