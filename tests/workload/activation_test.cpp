// The FFN activation model calibrated to "LLM in a flash" for OPT-6.7B (issue 7, acceptance 4).
#include <gtest/gtest.h>

#include <vector>

#include "sim/workload/activation_model.h"

namespace tiersim::test {
namespace {

using workload::ActivationModel;
using workload::ActivationParams;

constexpr std::uint32_t kLayers = 32;      // OPT-6.7B num_hidden_layers
constexpr std::uint32_t kNeurons = 16384;  // OPT-6.7B ffn_dim

TEST(ActivationModel, CalibrationSolvesTheTargets) {
  const auto p = ActivationParams::calibrate(0.97, 0.024, 5);
  EXPECT_NEAR(p.expected_new(5), 0.024, 1e-12);
  EXPECT_NEAR(p.expected_aggregate(1), 0.03, 1e-12);
  // Hand solution of 0.03 x (1 - stay) x (1 - 0.03 (1 - stay) / 0.97)^4 = 0.024: stay ~ 0.105.
  EXPECT_NEAR(p.stay, 0.105, 0.002);
}

TEST(ActivationModel, Opt6_7bSparsityAndWindowedLoads) {
  const auto params = ActivationParams::calibrate(0.97, 0.024, 5);
  ActivationModel model(params, kLayers, kNeurons, 42);
  for (int t = 0; t < 10; ++t) model.step();  // past the cold start (first window)
  constexpr int kTokens = 150;
  double active = 0;
  double fresh = 0;
  for (int t = 0; t < kTokens; ++t) {
    model.step();
    for (std::uint32_t l = 0; l < kLayers; ++l) {
      active += static_cast<double>(model.active(l).size());
      fresh += model.newly_loaded(l);
    }
  }
  const double total = static_cast<double>(kTokens) * kLayers * kNeurons;
  const double sparsity = 1.0 - active / total;
  const double new_share = fresh / total;
  EXPECT_NEAR(sparsity, 0.97, 0.005);    // acceptance: 97% +- 0.5
  EXPECT_NEAR(new_share, 0.024, 0.003);  // acceptance: 2.4% +- 0.3 of the FFN per token
  // Tighter: both within 4 standard errors of the model's own expectation (78.6 M samples).
  EXPECT_NEAR(sparsity, 0.97, 0.0005);
  EXPECT_NEAR(new_share, 0.024, 0.0005);
}

TEST(ActivationModel, AggregateCurveFollowsTheFormula) {
  const auto params = ActivationParams::calibrate(0.97, 0.024, 5);
  ActivationModel model(params, 4, kNeurons, 7);
  constexpr std::uint32_t kMaxK = 30;
  std::vector<std::vector<std::uint64_t>> last(4, std::vector<std::uint64_t>(kNeurons, 0));
  std::vector<double> union_sum(kMaxK + 1, 0.0);
  int samples = 0;
  for (std::uint64_t t = 1; t <= 400; ++t) {
    model.step();
    for (std::uint32_t l = 0; l < 4; ++l) {
      for (const std::uint32_t n : model.active(l)) last[l][n] = t;
      if (t <= kMaxK) continue;
      // A neuron last active `age` tokens ago is in the union of the last k tokens for k > age.
      std::vector<std::uint64_t> by_age(kMaxK + 1, 0);
      for (const std::uint64_t seen : last[l]) {
        if (seen != 0 && t - seen < kMaxK) ++by_age[t - seen];
      }
      std::uint64_t u = 0;
      for (std::uint32_t k = 1; k <= kMaxK; ++k) {
        u += by_age[k - 1];
        union_sum[k] += static_cast<double>(u);
      }
      ++samples;
    }
  }
  for (const std::uint32_t k : {1u, 5u, 10u, 20u, 30u}) {
    const double s_agg = union_sum[k] / (static_cast<double>(samples) * kNeurons);
    EXPECT_NEAR(s_agg, params.expected_aggregate(k), 0.004) << "k = " << k;
  }
}

TEST(ActivationModel, SameSeedSameActivations) {
  const auto params = ActivationParams::calibrate(0.97, 0.024, 5);
  ActivationModel a(params, 2, 4096, 9);
  ActivationModel b(params, 2, 4096, 9);
  ActivationModel c(params, 2, 4096, 10);
  bool differs = false;
  for (int t = 0; t < 20; ++t) {
    a.step();
    b.step();
    c.step();
    ASSERT_EQ(a.active(1), b.active(1));
    differs = differs || a.active(1) != c.active(1);
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace tiersim::test
