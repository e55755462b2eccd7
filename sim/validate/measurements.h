// Reading the CUDA reference backend's measurements (docs/validation.md, "Measurement file").
//
// The file is JSON Lines: one flat JSON object per line (blank lines allowed), told apart by
// "record":
//   device  first, exactly once: "name" (the CUDA device name) and any other members (SM count,
//           L2 size, clocks, driver and CUDA versions, nvidia-smi readings), kept as text.
//   point   one per measured point: the point (suite.h json_members: id, kind, set, op, memory,
//           the kind's integer parameters) plus "median_s" (> 0), "samples_s" (>= 1 positive
//           numbers), and optionally "min_s", "max_s", "reps", "samples".
//   error   a point the backend could not measure: "id", "message" (kept, reported, not scored).
//   end     last: run totals (kept as text).
// Contract: read_measurements() throws trace::TraceError "<path>:<line>: record <n>: <what>"
// naming the first bad record (n counts non-blank lines), or "<path>: <why>" if the file cannot
// be read or has no device record. Point ids must be unique; points must pass validate::check().
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/validate/suite.h"

namespace tiersim::validate {

struct Measurement {
  Point point;
  double median_s = 0;
  double min_s = 0;  // 0 if absent
  double max_s = 0;  // 0 if absent
  std::vector<double> samples_s;
  std::uint64_t line = 0;
};

struct MeasurementFile {
  std::string path;
  std::string device_name;
  std::vector<std::pair<std::string, std::string>> device;  // every device member, as text
  std::vector<Measurement> points;
  std::vector<std::pair<std::string, std::string>> errors;  // id, message
};

[[nodiscard]] MeasurementFile read_measurements(const std::string& path);

}  // namespace tiersim::validate
