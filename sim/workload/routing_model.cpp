#include "sim/workload/routing_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tiersim::workload {

RoutingParams parse_routing(const std::string& spec, std::uint32_t experts, std::uint32_t top_k) {
  RoutingParams p{experts, top_k, 0.0, 0.0};
  auto num = [&](const std::string& s) {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size() || !(v >= 0)) throw std::invalid_argument("bad number in '" + spec + "'");
    return v;
  };
  try {
    if (spec == "uniform") return p;
    if (spec.starts_with("zipf:")) {
      const std::string rest = spec.substr(5);
      const std::size_t c = rest.find(':');
      p.zipf_alpha = num(rest.substr(0, c));
      if (c != std::string::npos) p.stickiness = num(rest.substr(c + 1));
      return p;
    }
    if (spec.starts_with("locality:")) {
      p.stickiness = num(spec.substr(9));
      if (p.stickiness > 1) throw std::invalid_argument("stickiness above 1");
      return p;
    }
  } catch (const std::logic_error&) {
    // fall through to the usage message
  }
  throw std::invalid_argument(
      "routing: expected uniform, zipf:ALPHA, locality:P or "
      "zipf:ALPHA:P, got '" +
      spec + "'");
}

RoutingModel::RoutingModel(RoutingParams p, std::uint32_t layers, std::uint64_t seed)
    : p_(p),
      rng_(seed),
      stick_threshold_(Rng::threshold_for(p.stickiness)),
      cumulative_(layers),
      previous_(layers) {
  if (p_.top_k == 0 || p_.top_k > p_.experts) throw std::invalid_argument("routing: bad top_k");
  for (auto& cum : cumulative_) {
    // Rank order: a seeded Fisher-Yates shuffle of the expert ids.
    std::vector<std::uint32_t> order(p_.experts);
    for (std::uint32_t i = 0; i < p_.experts; ++i) order[i] = i;
    for (std::uint32_t i = p_.experts - 1; i > 0; --i) {
      std::swap(order[i], order[rng_.below(i + 1)]);
    }
    std::vector<double> w(p_.experts);
    for (std::uint32_t r = 0; r < p_.experts; ++r) {
      w[order[r]] = 1.0 / std::pow(static_cast<double>(r + 1), p_.zipf_alpha);
    }
    cum.resize(p_.experts);
    double acc = 0;
    for (std::uint32_t e = 0; e < p_.experts; ++e) cum[e] = acc += w[e];
  }
}

std::uint32_t RoutingModel::draw(std::uint32_t layer) {
  const auto& cum = cumulative_[layer];
  const double u = rng_.uniform01() * cum.back();
  const auto it = std::upper_bound(cum.begin(), cum.end(), u);
  return static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(it - cum.begin(), p_.experts - 1));
}

const std::vector<std::uint32_t>& RoutingModel::route(std::uint32_t layer) {
  std::vector<std::uint32_t>& prev = previous_[layer];
  std::vector<std::uint32_t> chosen;
  chosen.reserve(p_.top_k);
  auto taken = [&](std::uint32_t e) {
    return std::find(chosen.begin(), chosen.end(), e) != chosen.end();
  };
  for (std::uint32_t slot = 0; slot < p_.top_k; ++slot) {
    if (stick_threshold_ > 0 && slot < prev.size() && rng_.chance(stick_threshold_) &&
        !taken(prev[slot])) {
      chosen.push_back(prev[slot]);
      continue;
    }
    std::uint32_t e = draw(layer);
    while (taken(e)) e = draw(layer);
    chosen.push_back(e);
  }
  prev = std::move(chosen);
  return prev;
}

}  // namespace tiersim::workload
