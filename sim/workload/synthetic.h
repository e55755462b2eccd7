// Synthetic request streams: length distributions and open-loop arrival processes.
//
// Contract:
//  - parse_length_dist("fixed:128" | "uniform:64:512" | "normal:512:128" | "lognormal:512:0.8")
//    returns the distribution or throws std::invalid_argument with the accepted forms. Normal is
//    (mean, standard deviation); lognormal is (median, sigma of the log). Samples are rounded to
//    the nearest integer and clamped to [1, 2^31].
//  - parse_arrivals("poisson:2.5" | "gamma:2.5:3" | "fixed:2.5") — rate in requests per second;
//    gamma's second value is the coefficient of variation of the gaps (burstiness).
//  - SyntheticSource yields `count` requests; request i's arrival is the sum of i gaps (request 0
//    arrives at 0). Every draw comes from Rng (exact mapping, rng.h), in a fixed order per
//    request: gap, prompt length, output length — same seed, same stream.
#pragma once

#include <cstdint>
#include <string>

#include "sim/workload/request.h"
#include "sim/workload/rng.h"

namespace tiersim::workload {

struct LengthDist {
  enum class Kind { kFixed, kUniform, kNormal, kLognormal } kind = Kind::kFixed;
  double a = 1;
  double b = 0;
  [[nodiscard]] std::uint32_t sample(Rng& rng) const;
};

struct Arrivals {
  enum class Kind { kPoisson, kGamma, kFixed } kind = Kind::kPoisson;
  double rate = 1;  // requests per second
  double cv = 1;    // gamma only
  [[nodiscard]] Time gap(Rng& rng) const;
};

[[nodiscard]] LengthDist parse_length_dist(const std::string& spec);
[[nodiscard]] Arrivals parse_arrivals(const std::string& spec);

struct SyntheticOptions {
  std::uint64_t count = 0;
  std::uint64_t seed = 1;
  Arrivals arrivals;
  LengthDist prompt;
  LengthDist output;
};

class SyntheticSource final : public RequestSource {
 public:
  explicit SyntheticSource(SyntheticOptions o) : o_(std::move(o)), rng_(o_.seed) {}
  [[nodiscard]] bool next(Request& out) override;
  [[nodiscard]] std::string name() const override { return "synthetic"; }

 private:
  SyntheticOptions o_;
  Rng rng_;
  std::uint64_t id_ = 0;
  Time now_;
};

}  // namespace tiersim::workload
