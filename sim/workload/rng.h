// Seeded random numbers with an exact, portable mapping from std::mt19937_64 to distributions.
//
// The standard library's distributions are implementation-defined, so tiersim maps the engine's
// 64-bit outputs itself. Contract:
//  - Rng(seed) wraps std::mt19937_64(seed); the C++ standard fixes its output sequence, and every
//    method below consumes a documented number of outputs, so the same seed gives the same values
//    on every platform whose libm gives the same results for log/sqrt/cos (glibc does).
//  - uniform01(): one output; (u >> 11) * 2^-53, in [0, 1).
//  - below(n): unbiased integer in [0, n) (Lemire's multiply-shift with rejection); n > 0.
//  - chance(threshold): one output; true when the output is < threshold. Use threshold_for(p) to
//    turn a probability into a threshold once (exact: floor(p * 2^64), saturating at 1).
//  - exponential(mean), normal(), gamma(shape, scale) use the inverse transform, Box-Muller
//    (two outputs per pair, the second value cached) and Marsaglia-Tsang respectively.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace tiersim::workload {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  [[nodiscard]] std::uint64_t next_u64() { return engine_(); }
  [[nodiscard]] double uniform01();
  // In (0, 1]: for logarithms.
  [[nodiscard]] double uniform01_open_low() { return 1.0 - uniform01(); }
  [[nodiscard]] std::uint64_t below(std::uint64_t n);
  [[nodiscard]] static std::uint64_t threshold_for(double p);
  [[nodiscard]] bool chance(std::uint64_t threshold) { return engine_() < threshold; }
  [[nodiscard]] double exponential(double mean);
  [[nodiscard]] double normal();  // mean 0, standard deviation 1
  [[nodiscard]] double gamma(double shape, double scale);

 private:
  std::mt19937_64 engine_;
  std::optional<double> spare_normal_;
};

// Derives an independent seed for a sub-stream (SplitMix64 of seed ^ hash(salt)).
[[nodiscard]] std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t salt);

}  // namespace tiersim::workload
