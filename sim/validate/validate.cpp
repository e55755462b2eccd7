#include "sim/validate/validate.h"

#include <cmath>
#include <limits>

#include "sim/validate/predict.h"
#include "sim/validate/presets.h"

namespace tiersim::validate {

Report validate(const MeasurementFile& f, const ValidateOptions& o) {
  PresetFiles files;
  if (!o.gpu_preset.empty()) {
    files = presets_with_gpu(o.gpu_preset, o.configs_dir);
  } else if (const auto p = presets_for_device(f.device_name, o.configs_dir)) {
    files = *p;
  } else {
    throw UnknownDevice(f.path + ": unknown device '" + f.device_name +
                        "': no GPU preset matches it (known: " + known_devices() +
                        "); name one with --gpu configs/gpu/<preset>.yaml");
  }
  Predictor predictor(files, o.tiersim);
  Report r;
  r.measurements = f.path;
  r.device = f.device_name;
  r.gpu_preset = files.gpu;
  r.device_fields = f.device;
  r.unmeasured = f.errors;
  for (const auto& m : f.points) {
    PointResult x;
    x.point = m.point;
    x.measured = Time::ps(std::llround(m.median_s * 1e12));
    x.predicted = predictor.predict(m.point);
    x.error = signed_error(x.measured.as_seconds(), x.predicted.as_seconds());
    x.spread = m.min_s > 0 && m.max_s > 0 ? (m.max_s - m.min_s) / m.median_s
                                          : std::numeric_limits<double>::quiet_NaN();
    r.points.push_back(std::move(x));
  }
  return r;
}

}  // namespace tiersim::validate
