#include "sim/workload/rng.h"

#include <cmath>
#include <numbers>

namespace tiersim::workload {

double Rng::uniform01() {
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

std::uint64_t Rng::below(std::uint64_t n) {
  __extension__ using u128 = unsigned __int128;
  u128 m = static_cast<u128>(engine_()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t reject_below = (0 - n) % n;
    while (low < reject_below) {
      m = static_cast<u128>(engine_()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::uint64_t Rng::threshold_for(double p) {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return ~std::uint64_t{0};
  return static_cast<std::uint64_t>(std::ldexp(p, 64));
}

double Rng::exponential(double mean) {
  return -mean * std::log(uniform01_open_low());
}

double Rng::normal() {
  if (spare_normal_) {
    const double v = *spare_normal_;
    spare_normal_.reset();
    return v;
  }
  const double r = std::sqrt(-2.0 * std::log(uniform01_open_low()));
  const double theta = 2.0 * std::numbers::pi * uniform01();
  spare_normal_ = r * std::sin(theta);
  return r * std::cos(theta);
}

double Rng::gamma(double shape, double scale) {
  if (shape < 1.0) {
    // Boost the shape by one, then scale by U^(1/shape) (Marsaglia-Tsang, section 6).
    const double g = gamma(shape + 1.0, 1.0);
    return scale * g * std::pow(uniform01_open_low(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0.0;
    double v = 0.0;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform01_open_low();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return scale * d * v;
  }
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t salt) {
  std::uint64_t z = seed ^ (salt * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace tiersim::workload
