#include "sim/workload/activation_model.h"

#include <cmath>
#include <stdexcept>

namespace tiersim::workload {

double ActivationParams::wake() const {
  const double p = 1.0 - sparsity;
  return p * (1.0 - stay) / (1.0 - p);
}

double ActivationParams::expected_new(std::uint32_t w) const {
  const double p = 1.0 - sparsity;
  return p * (1.0 - stay) * std::pow(1.0 - wake(), static_cast<double>(w) - 1.0);
}

double ActivationParams::expected_aggregate(std::uint32_t k) const {
  const double p = 1.0 - sparsity;
  return 1.0 - (1.0 - p) * std::pow(1.0 - wake(), static_cast<double>(k) - 1.0);
}

ActivationParams ActivationParams::calibrate(double sparsity, double new_fraction,
                                             std::uint32_t window) {
  if (!(sparsity > 0.5 && sparsity < 1.0) || window == 0 || !(new_fraction > 0.0)) {
    throw std::invalid_argument("activation model: need 0.5 < sparsity < 1, window >= 1, new > 0");
  }
  ActivationParams a{sparsity, 0.0, window};
  if (a.expected_new(window) < new_fraction) {
    throw std::invalid_argument(
        "activation model: the newly loaded fraction cannot exceed the no-memory value");
  }
  double lo = 0.0;  // stay
  double hi = 1.0;
  for (int i = 0; i < 100; ++i) {
    a.stay = 0.5 * (lo + hi);
    if (a.expected_new(window) > new_fraction) {
      lo = a.stay;
    } else {
      hi = a.stay;
    }
  }
  a.stay = 0.5 * (lo + hi);
  return a;
}

ActivationModel::ActivationModel(ActivationParams params, std::uint32_t layers,
                                 std::uint32_t neurons, std::uint64_t seed)
    : params_(params),
      layers_(layers),
      neurons_(neurons),
      rng_(seed),
      stay_threshold_(Rng::threshold_for(params.stay)),
      wake_threshold_(Rng::threshold_for(params.wake())),
      start_threshold_(Rng::threshold_for(1.0 - params.sparsity)),
      state_(std::size_t{layers} * neurons),
      last_seen_(std::size_t{layers} * neurons),
      active_(layers),
      new_(layers) {
  for (std::uint8_t& s : state_) s = rng_.chance(start_threshold_) ? 1 : 0;
  record_token();
}

void ActivationModel::step() {
  ++token_;
  for (std::uint8_t& s : state_) s = rng_.chance(s != 0 ? stay_threshold_ : wake_threshold_);
  record_token();
}

void ActivationModel::record_token() {
  const std::uint64_t now = token_ + 1;  // last_seen_ stores token + 1
  for (std::uint32_t l = 0; l < layers_; ++l) {
    auto& act = active_[l];
    act.clear();
    std::uint32_t fresh = 0;
    const std::size_t base = std::size_t{l} * neurons_;
    for (std::uint32_t n = 0; n < neurons_; ++n) {
      if (state_[base + n] == 0) continue;
      act.push_back(n);
      const std::uint64_t seen = last_seen_[base + n];
      if (seen == 0 || now - seen > params_.window) ++fresh;
      last_seen_[base + n] = now;
    }
    new_[l] = fresh;
  }
}

}  // namespace tiersim::workload
