#include "sim/sweep/collect.h"

#include <H5Cpp.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <variant>

#include "sim/sweep/atomic_file.h"
#include "sim/sweep/local_runner.h"

namespace tiersim::sweep {

namespace fs = std::filesystem;

namespace {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Column {
  std::string name;
  int kind = 0;  // 0 string, 1 int64, 2 float64
};

// The /summary attributes of a results file, in creation order.
std::vector<std::pair<std::string, Value>> read_summary(const std::string& path) {
  std::vector<std::pair<std::string, Value>> out;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // failures are handled here, not printed
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return out;
  const hid_t g = H5Gopen2(f, "/summary", H5P_DEFAULT);
  if (g >= 0) {
    H5O_info_t info;
    H5Oget_info(g, &info);
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
      hid_t a =
          H5Aopen_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT);
      if (a < 0) {  // files without creation-order tracking: name order
        a = H5Aopen_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT);
      }
      if (a < 0) continue;
      std::string name(static_cast<std::size_t>(H5Aget_name(a, 0, nullptr)), '\0');
      H5Aget_name(a, name.size() + 1, name.data());
      const hid_t t = H5Aget_type(a);
      Value v;
      switch (H5Tget_class(t)) {
        case H5T_INTEGER: {
          std::int64_t x = 0;
          H5Aread(a, H5T_NATIVE_INT64, &x);
          v = x;
          break;
        }
        case H5T_FLOAT: {
          double x = 0;
          H5Aread(a, H5T_NATIVE_DOUBLE, &x);
          v = x;
          break;
        }
        case H5T_STRING: {
          if (H5Tis_variable_str(t) > 0) {
            char* s = nullptr;
            const hid_t mt = H5Tcopy(H5T_C_S1);
            H5Tset_size(mt, H5T_VARIABLE);
            H5Tset_cset(mt, H5Tget_cset(t));
            H5Aread(a, mt, &s);
            v = std::string(s ? s : "");
            const hid_t space = H5Aget_space(a);
            H5Dvlen_reclaim(mt, space, H5P_DEFAULT, &s);
            H5Sclose(space);
            H5Tclose(mt);
          } else {
            std::string s(H5Tget_size(t), '\0');
            H5Aread(a, t, s.data());
            v = std::string(s.c_str());
          }
          break;
        }
        default:
          break;
      }
      H5Tclose(t);
      H5Aclose(a);
      out.emplace_back(std::move(name), std::move(v));
    }
    H5Gclose(g);
  }
  H5Fclose(f);
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

std::string text_of(const Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
  if (std::holds_alternative<double>(v)) return fmt::format("{:.17g}", std::get<double>(v));
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "";
}

std::string status_of(const fs::path& json) {
  std::ifstream f(json);
  if (!f) return "";
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string s = ss.str();
  const auto k = s.find("\"status\": \"");
  if (k == std::string::npos) return "";
  return s.substr(k + 11, s.find('"', k + 11) - k - 11);
}

void write_h5(const std::string& path, const std::vector<Column>& cols,
              const std::vector<std::vector<Value>>& rows) {
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  H5::Exception::dontPrint();
  {
    H5::H5File f(tmp, H5F_ACC_TRUNC);
    std::size_t offset = 0;
    std::vector<std::size_t> offsets;
    const H5::StrType vstr(H5::PredType::C_S1, H5T_VARIABLE);
    for (const auto& c : cols) {
      offsets.push_back(offset);
      offset += c.kind == 0 ? sizeof(char*) : 8;
    }
    H5::CompType ct(offset);
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (cols[i].kind == 0) ct.insertMember(cols[i].name, offsets[i], vstr);
      if (cols[i].kind == 1) ct.insertMember(cols[i].name, offsets[i], H5::PredType::NATIVE_INT64);
      if (cols[i].kind == 2) ct.insertMember(cols[i].name, offsets[i], H5::PredType::NATIVE_DOUBLE);
    }
    std::vector<unsigned char> buf(offset * rows.size(), 0);
    std::vector<std::string> strings;  // keep the text alive while writing
    strings.reserve(rows.size() * cols.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < cols.size(); ++c) {
        unsigned char* at = buf.data() + r * offset + offsets[c];
        const Value& v = rows[r][c];
        if (cols[c].kind == 0) {
          strings.push_back(text_of(v));
          const char* p = strings.back().c_str();
          std::memcpy(at, &p, sizeof(p));
        } else if (cols[c].kind == 1) {
          const std::int64_t x =
              std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0;
          std::memcpy(at, &x, 8);
        } else {
          double x = std::numeric_limits<double>::quiet_NaN();
          if (std::holds_alternative<double>(v)) x = std::get<double>(v);
          if (std::holds_alternative<std::int64_t>(v))
            x = static_cast<double>(std::get<std::int64_t>(v));
          std::memcpy(at, &x, 8);
        }
      }
    }
    hsize_t dims[1] = {rows.size()};
    H5::DataSpace space(1, dims);
    H5::DataSet ds = f.createDataSet("table", ct, space);
    if (!rows.empty()) ds.write(buf.data(), ct);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

CollectOutcome collect(const SweepSpec& spec) {
  const auto pts = resolve_points(spec);
  const fs::path dir = fs::path(spec.output) / "points";
  std::vector<Column> cols = {{"point", 1}, {"hash", 0}, {"status", 0}};
  for (const auto& a : spec.axes) cols.push_back({a, 0});
  const std::size_t fixed = cols.size();
  std::map<std::string, std::size_t> metric_index;
  std::vector<std::vector<std::pair<std::string, Value>>> metrics(pts.size());
  std::vector<std::string> status(pts.size());
  CollectOutcome out;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const fs::path h5 = dir / (pts[i].hash + ".h5");
    status[i] = fs::exists(h5) ? "ok" : status_of(dir / (pts[i].hash + ".json"));
    if (status[i].empty()) status[i] = "missing";
    if (status[i] == "ok") {
      metrics[i] = read_summary(h5.string());
      ++out.ok;
      for (const auto& [name, v] : metrics[i]) {
        if (metric_index.count(name)) continue;
        metric_index[name] = cols.size();
        cols.push_back({name, std::holds_alternative<std::int64_t>(v) ? 1
                              : std::holds_alternative<double>(v)     ? 2
                                                                      : 0});
      }
    }
  }
  std::vector<std::vector<Value>> rows;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    std::vector<Value> row(cols.size());
    row[0] = static_cast<std::int64_t>(i);
    row[1] = pts[i].hash;
    row[2] = status[i];
    // Axis values of this point (a points/random sweep may leave some axes unset).
    for (const auto& [k, v] : spec.points[i].params) {
      for (std::size_t c = 3; c < fixed; ++c) {
        if (cols[c].name == k) row[c] = v;
      }
    }
    for (const auto& [name, v] : metrics[i]) row[metric_index[name]] = v;
    rows.push_back(std::move(row));
  }
  std::string csv;
  for (std::size_t c = 0; c < cols.size(); ++c) csv += (c ? "," : "") + csv_field(cols[c].name);
  csv += "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < cols.size(); ++c)
      csv += (c ? "," : "") + csv_field(text_of(row[c]));
    csv += "\n";
  }
  out.rows = rows.size();
  out.csv = (fs::path(spec.output) / "summary.csv").string();
  out.h5 = (fs::path(spec.output) / "summary.h5").string();
  fs::create_directories(spec.output);
  write_file_atomic(out.csv, csv);
  write_h5(out.h5, cols, rows);
  return out;
}

}  // namespace tiersim::sweep
