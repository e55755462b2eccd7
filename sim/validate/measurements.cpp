#include "sim/validate/measurements.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "sim/trace/trace_reader.h"
#include "sim/workload/json_line.h"

namespace tiersim::validate {
namespace {

namespace json = workload::json;

const std::vector<std::string_view>& measurement_keys() {
  static const std::vector<std::string_view> k = {"record",   "id",     "kind",  "set",
                                                  "op",       "memory", "reps",  "samples",
                                                  "median_s", "min_s",  "max_s", "samples_s"};
  return k;
}

class RecordError {
 public:
  explicit RecordError(std::string what) : what_(std::move(what)) {}
  [[nodiscard]] const std::string& what() const { return what_; }

 private:
  std::string what_;
};

const json::Value& need(const json::Object& o, std::string_view key) {
  const json::Value* v = o.find(key);
  if (v == nullptr) throw RecordError("missing field '" + std::string(key) + "'");
  return *v;
}

std::string need_string(const json::Object& o, std::string_view key) {
  const json::Value& v = need(o, key);
  if (v.kind != json::Value::Kind::kString) {
    throw RecordError("field '" + std::string(key) + "' must be a string");
  }
  return v.text;
}

double need_seconds(const json::Value& v, std::string_view key) {
  const auto d = v.kind == json::Value::Kind::kNumber ? json::as_double(v.text) : std::nullopt;
  if (!d || !(*d > 0)) {
    throw RecordError("field '" + std::string(key) + "' must be a positive number of seconds");
  }
  return *d;
}

std::string value_text(const json::Value& v) {
  switch (v.kind) {
    case json::Value::Kind::kBool:
      return v.flag ? "true" : "false";
    case json::Value::Kind::kNull:
      return "null";
    case json::Value::Kind::kNumberArray: {
      std::string s = "[";
      for (std::size_t i = 0; i < v.numbers.size(); ++i) s += (i ? "," : "") + v.numbers[i];
      return s + "]";
    }
    default:
      return v.text;
  }
}

Measurement parse_point(const json::Object& o) {
  Measurement m;
  Point& p = m.point;
  p.id = need_string(o, "id");
  const std::string kind = need_string(o, "kind");
  const auto k = parse_kind(kind);
  if (!k) throw RecordError("unknown kind '" + kind + "'");
  p.kind = *k;
  const std::string set = need_string(o, "set");
  if (set != "calibration" && set != "held_out") {
    throw RecordError("set must be \"calibration\" or \"held_out\", got '" + set + "'");
  }
  p.calibration = set == "calibration";
  if (!kind_ops(p.kind).empty()) p.op = need_string(o, "op");
  if (!kind_memories(p.kind).empty()) p.memory = need_string(o, "memory");
  const auto& keys = kind_keys(p.kind);
  for (const auto& mem : o.members) {
    const bool known = std::find(measurement_keys().begin(), measurement_keys().end(), mem.key) !=
                           measurement_keys().end() ||
                       std::find(keys.begin(), keys.end(), mem.key) != keys.end();
    if (!known) throw RecordError("unknown field '" + mem.key + "' for kind " + kind);
  }
  for (const auto& key : keys) {
    const json::Value& v = need(o, key);
    const auto u = v.kind == json::Value::Kind::kNumber ? json::as_uint(v.text) : std::nullopt;
    if (!u) throw RecordError("field '" + std::string(key) + "' must be an unsigned integer");
    p.set(key, *u);
  }
  if (const auto bad = check(p)) throw RecordError("point '" + p.id + "': " + *bad);
  m.median_s = need_seconds(need(o, "median_s"), "median_s");
  if (const auto* v = o.find("min_s")) m.min_s = need_seconds(*v, "min_s");
  if (const auto* v = o.find("max_s")) m.max_s = need_seconds(*v, "max_s");
  const json::Value& s = need(o, "samples_s");
  if (s.kind != json::Value::Kind::kNumberArray || s.numbers.empty()) {
    throw RecordError("field 'samples_s' must be a non-empty array of numbers");
  }
  for (const auto& n : s.numbers) {
    const auto d = json::as_double(n);
    if (!d || !(*d > 0)) throw RecordError("samples_s: '" + n + "' is not a positive number");
    m.samples_s.push_back(*d);
  }
  return m;
}

}  // namespace

MeasurementFile read_measurements(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw trace::TraceError(path + ": cannot open the measurement file");
  MeasurementFile f;
  f.path = path;
  std::set<std::string> ids;
  std::string line;
  std::uint64_t line_no = 0;
  std::uint64_t record = 0;
  bool have_device = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++record;
    try {
      json::Object o;
      if (const auto err = json::parse_object(line, o)) throw RecordError(*err);
      const std::string kind = need_string(o, "record");
      if (!have_device && kind != "device") {
        throw RecordError("the first record must be the device record, got '" + kind + "'");
      }
      if (kind == "device") {
        if (have_device) throw RecordError("a second device record");
        have_device = true;
        f.device_name = need_string(o, "name");
        for (const auto& mem : o.members) {
          if (mem.key != "record") f.device.emplace_back(mem.key, value_text(mem.value));
        }
      } else if (kind == "point") {
        Measurement m = parse_point(o);
        m.line = line_no;
        if (!ids.insert(m.point.id).second) {
          throw RecordError("duplicate point id '" + m.point.id + "'");
        }
        f.points.push_back(std::move(m));
      } else if (kind == "error") {
        f.errors.emplace_back(need_string(o, "id"), need_string(o, "message"));
      } else if (kind != "end") {
        throw RecordError("unknown record '" + kind + "' (expected device, point, error or end)");
      }
    } catch (const RecordError& e) {
      throw trace::TraceError(path + ":" + std::to_string(line_no) + ": record " +
                              std::to_string(record) + ": " + e.what());
    }
  }
  if (!have_device) throw trace::TraceError(path + ": no device record (empty file?)");
  return f;
}

}  // namespace tiersim::validate
