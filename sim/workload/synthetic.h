// Synthetic request streams: length distributions, open-loop arrival processes, and closed-loop
// users.
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
//  - parse_think("fixed:S" | "exp:MEAN" | "gamma:MEAN:CV"): think times in seconds.
//  - ClosedLoopSource (request.h, "Closed loop"): `users` users each issue `per_user` requests;
//    a user's request j > 0 carries after = the user's request j - 1 and a drawn think time. The
//    table is ordered by nominal arrival (the release if every request took no time): user u's
//    first request arrives at a drawn think time after 0 (staggered starts), request j at the
//    previous nominal arrival + think; ties go to the lower user. Each user draws from its own
//    Rng(derive_seed(seed, u + 1)): the first think time, then per request prompt, output and
//    (unless it is the user's last) the next think time, so a user's requests do not depend on
//    the others'. A first request has think 0. Memory: O(users).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

// Think-time distribution, as an Arrivals process of rate 1 / mean.
[[nodiscard]] Arrivals parse_think(const std::string& spec);

struct ClosedLoopOptions {
  std::uint64_t users = 1;
  std::uint64_t per_user = 1;
  std::uint64_t seed = 1;
  Arrivals think;
  LengthDist prompt;
  LengthDist output;
};

class ClosedLoopSource final : public RequestSource {
 public:
  explicit ClosedLoopSource(ClosedLoopOptions o);
  [[nodiscard]] bool next(Request& out) override;
  [[nodiscard]] std::string name() const override { return "closed-loop"; }

 private:
  struct User {
    Rng rng;
    Time next;                         // nominal arrival of the user's next request
    Time think;                        // drawn think time before it
    std::uint64_t issued = 0;          // requests issued so far
    std::uint64_t last_id = kNoAfter;  // id of the user's latest request
  };
  ClosedLoopOptions o_;
  std::vector<User> users_;
  std::uint64_t id_ = 0;
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
