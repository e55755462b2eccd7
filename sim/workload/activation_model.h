// Seeded statistical model of FFN neuron activation in ReLU-family models (docs/workloads.md).
//
// Each neuron of each layer follows its own two-state Markov chain over tokens:
//   P(active at t | active at t-1)   = stay
//   P(active at t | inactive at t-1) = wake = p (1 - stay) / (1 - p)
// whose stationary activation probability is p = 1 - sparsity. The chain makes windowing work:
// a neuron active on one token is more likely active on the next. For a window of w tokens the
// expected fraction of neurons newly loaded per token (active now, inactive in all w previous) is
//   new(w) = p (1 - stay) (1 - wake)^(w - 1)
// and the aggregate activation over the last k tokens is
//   s_agg(k) = 1 - (1 - p) (1 - wake)^(k - 1).
// calibrate() solves new(w) = target for `stay` by bisection (new(w) increases with 1 - stay on
// [0, 1] for the sparsities of interest), e.g. OPT-6.7B in "LLM in a flash": sparsity 0.97 and
// 2.4% newly loaded with a 5-token window.
//
// Contract:
//  - The first token's states are drawn from the stationary distribution; then step() advances
//    every neuron of every layer by one token: one Rng draw per neuron, layer by layer, neuron by
//    neuron (Rng::chance against exact thresholds). Same seed -> same activations.
//  - active(layer) lists the active neurons of the current token in increasing order;
//    newly_loaded(layer) counts those not active in any of the previous `window` tokens.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/workload/rng.h"

namespace tiersim::workload {

struct ActivationParams {
  double sparsity = 0.97;  // stationary fraction of inactive neurons
  double stay = 0.0;       // P(active | active on the previous token)
  std::uint32_t window = 5;

  [[nodiscard]] double wake() const;
  [[nodiscard]] double expected_new(std::uint32_t w) const;
  [[nodiscard]] double expected_aggregate(std::uint32_t k) const;
  // Parameters with new(window) = new_fraction; throws std::invalid_argument when no stay in
  // [0, 1) reaches it.
  [[nodiscard]] static ActivationParams calibrate(double sparsity, double new_fraction,
                                                  std::uint32_t window);
};

class ActivationModel {
 public:
  ActivationModel(ActivationParams params, std::uint32_t layers, std::uint32_t neurons,
                  std::uint64_t seed);

  // Advances to the next token (the constructor has already drawn the first one).
  void step();
  [[nodiscard]] const std::vector<std::uint32_t>& active(std::uint32_t layer) const {
    return active_[layer];
  }
  [[nodiscard]] std::uint32_t newly_loaded(std::uint32_t layer) const { return new_[layer]; }
  [[nodiscard]] std::uint64_t token() const { return token_; }
  [[nodiscard]] std::uint32_t layers() const { return layers_; }
  [[nodiscard]] std::uint32_t neurons() const { return neurons_; }
  [[nodiscard]] const ActivationParams& params() const { return params_; }

 private:
  void record_token();

  ActivationParams params_;
  std::uint32_t layers_;
  std::uint32_t neurons_;
  Rng rng_;
  std::uint64_t stay_threshold_;
  std::uint64_t wake_threshold_;
  std::uint64_t start_threshold_;
  std::vector<std::uint8_t> state_;       // layers x neurons, 1 = active
  std::vector<std::uint64_t> last_seen_;  // token + 1 of the last activation; 0 = never
  std::vector<std::vector<std::uint32_t>> active_;
  std::vector<std::uint32_t> new_;
  std::uint64_t token_ = 0;
};

}  // namespace tiersim::workload
