// The validation report: per-point comparison, error statistics by set and by group, and its
// console, CSV and HDF5 forms (docs/validation.md, "Report").
//
// Groups (held-out points only, each with the acceptance bound on its MAPE):
//   plateau    HBM streams at 100% occupancy and >= 256 MiB; H2D/D2H single copies >= 64 MiB (5%)
//   latency    pointer chases; H2D/D2H single copies <= 64 KiB                         (10%)
//   attention  decode attention and the one-layer trace                                 (15%)
// Files are written atomically (temp file + rename).
//   CSV columns: id, kind, set, measured_s, predicted_s, error, spread
//     (error = (predicted - measured) / measured; spread = (max - min) / median of the samples,
//      empty when the measurement has no min/max)
//   HDF5: /points/<column> one dataset per CSV column; attributes on / (device, measurements,
//     gpu_preset) and on /summary/<set or group> (n, mape, max_abs, mean_signed, within_5,
//     within_10, pearson_r).
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "sim/units/units.h"
#include "sim/validate/error_stats.h"
#include "sim/validate/suite.h"

namespace tiersim::validate {

struct PointResult {
  Point point;
  Time measured;
  Time predicted;
  double error = 0;   // signed_error(measured, predicted)
  double spread = 0;  // NaN when unknown
};

struct Report {
  std::string measurements;  // path of the measurement file
  std::string device;
  std::string gpu_preset;
  std::vector<std::pair<std::string, std::string>> device_fields;
  std::vector<PointResult> points;
  std::vector<std::pair<std::string, std::string>> unmeasured;  // backend error records
};

struct GroupStats {
  std::string name;
  double bound = 0;  // acceptance bound on the MAPE (0: none)
  ErrorStats stats;
};

// "all", "calibration", "held_out", then the held-out groups above, then held-out per kind.
[[nodiscard]] std::vector<GroupStats> group_stats(const Report& r);
// Which acceptance group a held-out point belongs to ("" for none).
[[nodiscard]] std::string acceptance_group(const Point& p);

void print_report(std::ostream& out, const Report& r, bool per_point);
void write_csv(const std::string& path, const Report& r);
void write_h5(const std::string& path, const Report& r);

}  // namespace tiersim::validate
