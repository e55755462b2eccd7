#include "sim/workload/synthetic.h"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace tiersim::workload {

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t c = s.find(':', start);
    parts.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) return parts;
    start = c + 1;
  }
}

double number(const std::string& s, const std::string& spec) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || !(v >= 0) || !std::isfinite(v)) {
    throw std::invalid_argument("bad number '" + s + "' in '" + spec + "'");
  }
  return v;
}

}  // namespace

std::uint32_t LengthDist::sample(Rng& rng) const {
  double v = a;
  switch (kind) {
    case Kind::kFixed:
      break;
    case Kind::kUniform: {
      const auto lo = static_cast<std::uint64_t>(a);
      const auto hi = static_cast<std::uint64_t>(b);
      v = static_cast<double>(lo + rng.below(hi - lo + 1));
      break;
    }
    case Kind::kNormal:
      v = a + b * rng.normal();
      break;
    case Kind::kLognormal:
      v = std::exp(std::log(a) + b * rng.normal());
      break;
  }
  v = std::nearbyint(v);
  if (!(v >= 1.0)) return 1;
  if (v > 2147483648.0) return 2147483648u;
  return static_cast<std::uint32_t>(v);
}

Time Arrivals::gap(Rng& rng) const {
  double seconds = 1.0 / rate;
  if (kind == Kind::kPoisson) seconds = rng.exponential(1.0 / rate);
  if (kind == Kind::kGamma) {
    const double shape = 1.0 / (cv * cv);
    seconds = rng.gamma(shape, 1.0 / (rate * shape));
  }
  return Time::ps(std::llround(seconds * 1e12));
}

LengthDist parse_length_dist(const std::string& spec) {
  const auto p = split(spec);
  LengthDist d;
  const std::string forms =
      "expected fixed:N, uniform:MIN:MAX, normal:MEAN:SD or lognormal:MEDIAN:SIGMA, got '" + spec +
      "'";
  if (p[0] == "fixed" && p.size() == 2) {
    d.kind = LengthDist::Kind::kFixed;
  } else if (p[0] == "uniform" && p.size() == 3) {
    d.kind = LengthDist::Kind::kUniform;
  } else if (p[0] == "normal" && p.size() == 3) {
    d.kind = LengthDist::Kind::kNormal;
  } else if (p[0] == "lognormal" && p.size() == 3) {
    d.kind = LengthDist::Kind::kLognormal;
  } else {
    throw std::invalid_argument(forms);
  }
  d.a = number(p[1], spec);
  if (p.size() == 3) d.b = number(p[2], spec);
  if (d.kind == LengthDist::Kind::kUniform && d.b < d.a) {
    throw std::invalid_argument("uniform MAX < MIN in '" + spec + "'");
  }
  if (d.kind == LengthDist::Kind::kLognormal && d.a <= 0) {
    throw std::invalid_argument("lognormal median must be > 0 in '" + spec + "'");
  }
  return d;
}

Arrivals parse_arrivals(const std::string& spec) {
  const auto p = split(spec);
  Arrivals a;
  if (p[0] == "poisson" && p.size() == 2) {
    a.kind = Arrivals::Kind::kPoisson;
  } else if (p[0] == "fixed" && p.size() == 2) {
    a.kind = Arrivals::Kind::kFixed;
  } else if (p[0] == "gamma" && p.size() == 3) {
    a.kind = Arrivals::Kind::kGamma;
    a.cv = number(p[2], spec);
  } else {
    throw std::invalid_argument("expected poisson:RATE, gamma:RATE:CV or fixed:RATE, got '" + spec +
                                "'");
  }
  a.rate = number(p[1], spec);
  if (a.rate <= 0 || (a.kind == Arrivals::Kind::kGamma && a.cv <= 0)) {
    throw std::invalid_argument("rate and cv must be > 0 in '" + spec + "'");
  }
  return a;
}

bool SyntheticSource::next(Request& out) {
  if (id_ >= o_.count) return false;
  if (id_ > 0) now_ += o_.arrivals.gap(rng_);
  out.id = id_++;
  out.arrival = now_;
  out.prompt_tokens = o_.prompt.sample(rng_);
  out.output_tokens = o_.output.sample(rng_);
  out.prefix_blocks.clear();
  out.user = kNoUser;
  out.after = kNoAfter;
  out.think = Time::zero();
  return true;
}

}  // namespace tiersim::workload

namespace tiersim::workload {

Arrivals parse_think(const std::string& spec) {
  const auto p = split(spec);
  Arrivals a;
  if (p[0] == "exp" && p.size() == 2) {
    a.kind = Arrivals::Kind::kPoisson;
  } else if (p[0] == "fixed" && p.size() == 2) {
    a.kind = Arrivals::Kind::kFixed;
  } else if (p[0] == "gamma" && p.size() == 3) {
    a.kind = Arrivals::Kind::kGamma;
    a.cv = number(p[2], spec);
  } else {
    throw std::invalid_argument("expected think times exp:MEAN, gamma:MEAN:CV or fixed:S, got '" +
                                spec + "'");
  }
  const double mean = number(p[1], spec);
  if (mean <= 0 || (a.kind == Arrivals::Kind::kGamma && a.cv <= 0)) {
    throw std::invalid_argument("think mean and cv must be > 0 in '" + spec + "'");
  }
  a.rate = 1.0 / mean;
  return a;
}

ClosedLoopSource::ClosedLoopSource(ClosedLoopOptions o) : o_(std::move(o)) {
  if (o_.users == 0) throw std::invalid_argument("closed loop needs at least one user");
  users_.reserve(o_.users);
  for (std::uint64_t u = 0; u < o_.users; ++u) {
    User user{Rng(derive_seed(o_.seed, u + 1)), Time::zero(), Time::zero()};
    user.think = o_.think.gap(user.rng);
    user.next = user.think;
    users_.push_back(std::move(user));
  }
}

bool ClosedLoopSource::next(Request& out) {
  User* best = nullptr;
  std::uint64_t best_u = 0;
  for (std::uint64_t u = 0; u < users_.size(); ++u) {
    User& user = users_[u];
    if (user.issued >= o_.per_user) continue;
    if (best == nullptr || user.next < best->next) {
      best = &user;
      best_u = u;
    }
  }
  if (best == nullptr) return false;
  out.id = id_++;
  out.arrival = best->next;
  out.user = best_u;
  out.after = best->last_id;
  out.think = best->last_id == kNoAfter ? Time::zero() : best->think;
  out.prompt_tokens = o_.prompt.sample(best->rng);
  out.output_tokens = o_.output.sample(best->rng);
  out.prefix_blocks.clear();
  best->last_id = out.id;
  ++best->issued;
  if (best->issued < o_.per_user) {
    best->think = o_.think.gap(best->rng);
    best->next = best->next + best->think;
  }
  return true;
}

}  // namespace tiersim::workload
