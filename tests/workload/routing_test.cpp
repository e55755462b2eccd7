// MoE routing model: uniform balance, Zipf skew, token-to-token locality.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/workload/routing_model.h"

namespace tiersim::test {
namespace {

using workload::parse_routing;
using workload::RoutingModel;

std::vector<double> shares(RoutingModel& m, int tokens) {
  std::vector<double> count(m.params().experts, 0.0);
  for (int t = 0; t < tokens; ++t) {
    const auto& r = m.route(0);
    EXPECT_EQ(r.size(), m.params().top_k);
    EXPECT_NE(r[0], r[1]);
    for (const auto e : r) count[e] += 1.0;
  }
  for (double& c : count) c /= tokens * m.params().top_k;
  return count;
}

TEST(Routing, UniformIsBalanced) {
  RoutingModel m(parse_routing("uniform", 8, 2), 1, 3);
  for (const double s : shares(m, 40000)) EXPECT_NEAR(s, 1.0 / 8, 0.005);
}

TEST(Routing, ZipfSkewsTowardsTheTopRank) {
  RoutingModel m(parse_routing("zipf:1.2", 8, 2), 1, 3);
  auto s = shares(m, 40000);
  std::sort(s.begin(), s.end());
  EXPECT_GT(s.back(), 2.5 * s.front());
}

TEST(Routing, LocalityRepeatsThePreviousChoice) {
  RoutingModel m(parse_routing("locality:0.8", 8, 2), 1, 3);
  std::vector<std::uint32_t> prev = m.route(0);
  int same = 0;
  constexpr int kTokens = 20000;
  for (int t = 0; t < kTokens; ++t) {
    const auto cur = m.route(0);
    same += cur[0] == prev[0] ? 1 : 0;
    prev = cur;
  }
  // Kept with p = 0.8, or redrawn and equal by chance (1/8): 0.8 + 0.2 / 8 = 0.825.
  EXPECT_NEAR(static_cast<double>(same) / kTokens, 0.825, 0.01);
}

}  // namespace
}  // namespace tiersim::test
