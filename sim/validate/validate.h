// `tiersim validate`: predicts every measured point with the simulator and compares
// (docs/validation.md).
//
// Contract: validate() picks the presets for the file's device (presets.h) unless a GPU preset
// is given, predicts each point (predict.h) in file order, and returns the report. Throws
// UnknownDevice when no preset matches the device name and none is given; config::ConfigError
// for a bad preset; std::runtime_error when a simulation fails.
#pragma once

#include <stdexcept>
#include <string>

#include "sim/validate/measurements.h"
#include "sim/validate/report.h"

namespace tiersim::validate {

class UnknownDevice : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ValidateOptions {
  std::string configs_dir = "configs";
  std::string gpu_preset;  // empty: chosen by device name
  std::string tiersim;     // binary that simulates host copies
};

[[nodiscard]] Report validate(const MeasurementFile& f, const ValidateOptions& o);

}  // namespace tiersim::validate
