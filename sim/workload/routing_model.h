// Seeded MoE routing model: which top-k experts each token of each MoE layer uses.
//
// Modes (docs/workloads.md):
//  - uniform: every expert equally likely (as Duplex evaluates);
//  - zipf(alpha): expert popularity ~ 1 / rank^alpha, with a per-layer random rank order;
//  - locality: with probability `stickiness` a token keeps the previous token's choice of a slot
//    (when still distinct), otherwise it draws from the base (uniform or zipf) distribution.
// Contract: route() returns top_k distinct experts in slot order; the draws for one call are, per
// slot, one chance() for locality (when stickiness > 0) and then weighted draws with rejection of
// repeats (uniform01 each). Same seed, same routes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/workload/rng.h"

namespace tiersim::workload {

struct RoutingParams {
  std::uint32_t experts = 8;
  std::uint32_t top_k = 2;
  double zipf_alpha = 0.0;  // 0 = uniform
  double stickiness = 0.0;  // 0 = no token-to-token locality
};

// "uniform", "zipf:ALPHA", "locality:STICKINESS" or "zipf:ALPHA:STICKINESS".
[[nodiscard]] RoutingParams parse_routing(const std::string& spec, std::uint32_t experts,
                                          std::uint32_t top_k);

class RoutingModel {
 public:
  RoutingModel(RoutingParams p, std::uint32_t layers, std::uint64_t seed);
  [[nodiscard]] const std::vector<std::uint32_t>& route(std::uint32_t layer);
  [[nodiscard]] const RoutingParams& params() const { return p_; }

 private:
  [[nodiscard]] std::uint32_t draw(std::uint32_t layer);
  RoutingParams p_;
  Rng rng_;
  std::uint64_t stick_threshold_;
  std::vector<std::vector<double>> cumulative_;  // per layer, by expert id
  std::vector<std::vector<std::uint32_t>> previous_;
};

}  // namespace tiersim::workload
