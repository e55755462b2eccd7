#include "sim/validate/report.h"

#include <H5Cpp.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <ostream>

#include "sim/sweep/atomic_file.h"

namespace tiersim::validate {
namespace {

ErrorStats stats_of(const Report& r, const std::function<bool(const PointResult&)>& keep) {
  std::vector<double> m, p;
  for (const auto& x : r.points) {
    if (!keep(x)) continue;
    m.push_back(x.measured.as_seconds());
    p.push_back(x.predicted.as_seconds());
  }
  return error_stats(m, p);
}

std::string pct(double x) {
  return std::isnan(x) ? "n/a" : fmt::format("{:.1f}%", 100 * x);
}
std::string num(double x) {
  return std::isnan(x) ? "n/a" : fmt::format("{:.3f}", x);
}

std::string time_text(Time t) {
  const double s = t.as_seconds();
  if (s >= 1e-3) return fmt::format("{:.3f} ms", s * 1e3);
  if (s >= 1e-6) return fmt::format("{:.3f} us", s * 1e6);
  return fmt::format("{:.1f} ns", s * 1e9);
}

}  // namespace

std::string acceptance_group(const Point& p) {
  switch (p.kind) {
    case Kind::kHbmStream:
      return p.get("occupancy_pct") == 100 && p.get("bytes") >= (256u << 20) ? "plateau" : "";
    case Kind::kCopy:
      if (p.op == "d2d" || p.get("streams") != 1 || p.get("chained") != 0) return "";
      if (p.get("bytes") >= (64u << 20)) return "plateau";
      if (p.get("bytes") <= (64u << 10)) return "latency";
      return "";
    case Kind::kPointerChase:
      return "latency";
    case Kind::kDecodeAttention:
    case Kind::kLayer:
      return "attention";
    default:
      return "";
  }
}

std::vector<GroupStats> group_stats(const Report& r) {
  std::vector<GroupStats> g;
  g.push_back({"all", 0, stats_of(r, [](const PointResult&) { return true; })});
  g.push_back(
      {"calibration", 0, stats_of(r, [](const PointResult& x) { return x.point.calibration; })});
  g.push_back(
      {"held_out", 0, stats_of(r, [](const PointResult& x) { return !x.point.calibration; })});
  for (const auto& [name, bound] : std::vector<std::pair<std::string, double>>{
           {"plateau", 0.05}, {"latency", 0.10}, {"attention", 0.15}}) {
    g.push_back({"held_out/" + name, bound, stats_of(r, [&](const PointResult& x) {
                   return !x.point.calibration && acceptance_group(x.point) == name;
                 })});
  }
  for (const Kind k :
       {Kind::kCopy, Kind::kHbmStream, Kind::kPointerChase, Kind::kL2Sweep, Kind::kKvGather,
        Kind::kDecodeAttention, Kind::kGemv, Kind::kGemm, Kind::kLayer}) {
    const ErrorStats s = stats_of(
        r, [&](const PointResult& x) { return !x.point.calibration && x.point.kind == k; });
    if (s.n > 0) g.push_back({"held_out/" + std::string(to_string(k)), 0, s});
  }
  return g;
}

void print_report(std::ostream& out, const Report& r, bool per_point) {
  out << fmt::format("validate: {} ({}), GPU preset {}\n", r.measurements, r.device, r.gpu_preset);
  for (const auto& [key, value] : r.device_fields) {
    if (key == "synthetic")
      out << "NOTE: synthetic test input, not a measurement: " << value << "\n";
  }
  if (per_point) {
    out << fmt::format("{:<44} {:<11} {:>12} {:>12} {:>8} {:>7}\n", "point", "set", "measured",
                       "predicted", "error", "spread");
    for (const auto& x : r.points) {
      out << fmt::format("{:<44} {:<11} {:>12} {:>12} {:>+7.1f}% {:>7}\n", x.point.id,
                         x.point.calibration ? "calibration" : "held_out", time_text(x.measured),
                         time_text(x.predicted), 100 * x.error, pct(x.spread));
    }
  }
  out << fmt::format("\n{:<28} {:>4} {:>8} {:>8} {:>9} {:>7} {:>7} {:>9}\n", "set", "n", "MAPE",
                     "max|err|", "mean err", "<=5%", "<=10%", "Pearson r");
  for (const auto& g : group_stats(r)) {
    std::string verdict;
    if (g.bound > 0 && g.stats.n > 0) {
      verdict = fmt::format("  {} (bound {:.0f}%)", g.stats.mape <= g.bound ? "ok" : "OVER",
                            100 * g.bound);
    }
    out << fmt::format("{:<28} {:>4} {:>8} {:>8} {:>9} {:>7} {:>7} {:>9}{}\n", g.name, g.stats.n,
                       pct(g.stats.mape), pct(g.stats.max_abs), pct(g.stats.mean_signed),
                       pct(g.stats.within_5), pct(g.stats.within_10), num(g.stats.pearson_r),
                       verdict);
  }
  if (!r.unmeasured.empty()) {
    out << fmt::format("\n{} point(s) the backend could not measure:\n", r.unmeasured.size());
    for (const auto& [id, msg] : r.unmeasured) out << "  " << id << ": " << msg << "\n";
  }
}

void write_csv(const std::string& path, const Report& r) {
  std::string s = "id,kind,set,measured_s,predicted_s,error,spread\n";
  for (const auto& x : r.points) {
    s += fmt::format("{},{},{},{:.6e},{:.6e},{:.6f},{}\n", x.point.id, to_string(x.point.kind),
                     x.point.calibration ? "calibration" : "held_out", x.measured.as_seconds(),
                     x.predicted.as_seconds(), x.error,
                     std::isnan(x.spread) ? std::string() : fmt::format("{:.6f}", x.spread));
  }
  sweep::write_file_atomic(path, s);
}

void write_h5(const std::string& path, const Report& r) {
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  H5::Exception::dontPrint();
  try {
    H5::H5File f(tmp, H5F_ACC_TRUNC);
    const H5::StrType vstr(H5::PredType::C_S1, H5T_VARIABLE);
    const H5::DataSpace scalar(H5S_SCALAR);
    const auto str_attr = [&](H5::H5Object& o, const std::string& name, const std::string& v) {
      const char* p = v.c_str();
      o.createAttribute(name, vstr, scalar).write(vstr, &p);
    };
    str_attr(f, "measurements", r.measurements);
    str_attr(f, "device", r.device);
    str_attr(f, "gpu_preset", r.gpu_preset);
    H5::Group pts = f.createGroup("points");
    const hsize_t n = r.points.size();
    const H5::DataSpace space(1, &n);
    const auto strings = [&](const std::string& name,
                             const std::function<std::string(const PointResult&)>& get) {
      std::vector<std::string> keep;
      std::vector<const char*> ptrs;
      keep.reserve(r.points.size());
      for (const auto& x : r.points) keep.push_back(get(x));
      for (const auto& k : keep) ptrs.push_back(k.c_str());
      H5::DataSet d = pts.createDataSet(name, vstr, space);
      if (n > 0) d.write(ptrs.data(), vstr);
    };
    const auto doubles = [&](const std::string& name,
                             const std::function<double(const PointResult&)>& get) {
      std::vector<double> v;
      for (const auto& x : r.points) v.push_back(get(x));
      H5::DataSet d = pts.createDataSet(name, H5::PredType::NATIVE_DOUBLE, space);
      if (n > 0) d.write(v.data(), H5::PredType::NATIVE_DOUBLE);
    };
    strings("id", [](const PointResult& x) { return x.point.id; });
    strings("kind", [](const PointResult& x) { return std::string(to_string(x.point.kind)); });
    strings("set", [](const PointResult& x) {
      return std::string(x.point.calibration ? "calibration" : "held_out");
    });
    doubles("measured_s", [](const PointResult& x) { return x.measured.as_seconds(); });
    doubles("predicted_s", [](const PointResult& x) { return x.predicted.as_seconds(); });
    doubles("error", [](const PointResult& x) { return x.error; });
    doubles("spread", [](const PointResult& x) { return x.spread; });
    H5::Group sum = f.createGroup("summary");
    for (const auto& g : group_stats(r)) {
      std::string name = g.name;
      for (char& c : name) c = c == '/' ? '.' : c;
      H5::Group gg = sum.createGroup(name);
      const auto dattr = [&](const char* k, double v) {
        gg.createAttribute(k, H5::PredType::NATIVE_DOUBLE, scalar)
            .write(H5::PredType::NATIVE_DOUBLE, &v);
      };
      dattr("n", static_cast<double>(g.stats.n));
      dattr("mape", g.stats.mape);
      dattr("max_abs", g.stats.max_abs);
      dattr("mean_signed", g.stats.mean_signed);
      dattr("within_5", g.stats.within_5);
      dattr("within_10", g.stats.within_10);
      dattr("pearson_r", g.stats.pearson_r);
      dattr("bound", g.bound);
    }
  } catch (const H5::Exception& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path + ": cannot write the report: " + e.getDetailMsg());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace tiersim::validate
