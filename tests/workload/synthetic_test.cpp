// Synthetic request streams: distributions and determinism.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/workload/request_stats.h"
#include "sim/workload/synthetic.h"

namespace tiersim::test {
namespace {

using workload::Request;
using workload::SyntheticOptions;
using workload::SyntheticSource;

SyntheticOptions options(const std::string& arrivals, const std::string& prompt,
                         const std::string& output, std::uint64_t n) {
  SyntheticOptions o;
  o.count = n;
  o.seed = 5;
  o.arrivals = workload::parse_arrivals(arrivals);
  o.prompt = workload::parse_length_dist(prompt);
  o.output = workload::parse_length_dist(output);
  return o;
}

TEST(Synthetic, PoissonRateAndLengthMeans) {
  SyntheticSource src(options("poisson:4", "uniform:100:300", "normal:200:20", 40000));
  workload::RequestStats s;
  Request r;
  while (src.next(r)) s.add(r);
  EXPECT_EQ(s.count(), 40000u);
  EXPECT_NEAR(s.arrival_rate(), 4.0, 4.0 * 4 / std::sqrt(40000.0));  // 4 standard errors
  EXPECT_NEAR(s.prompt().mean, 200.0, 1.0);
  EXPECT_EQ(s.prompt().min, 100u);
  EXPECT_EQ(s.prompt().max, 300u);
  EXPECT_NEAR(s.output().mean, 200.0, 0.5);
}

TEST(Synthetic, GammaBurstinessAndLognormalMedian) {
  SyntheticSource src(options("gamma:2:3", "lognormal:512:0.8", "fixed:7", 40000));
  std::vector<double> gaps;
  workload::RequestStats s;
  Request r;
  Time prev;
  while (src.next(r)) {
    if (r.id > 0) gaps.push_back((r.arrival - prev).as_seconds());
    prev = r.arrival;
    s.add(r);
  }
  double mean = 0;
  for (const double g : gaps) mean += g;
  mean /= static_cast<double>(gaps.size());
  double var = 0;
  for (const double g : gaps) var += (g - mean) * (g - mean);
  var /= static_cast<double>(gaps.size());
  EXPECT_NEAR(mean, 0.5, 0.03);
  EXPECT_NEAR(std::sqrt(var) / mean, 3.0, 0.2);  // coefficient of variation
  EXPECT_NEAR(s.prompt().median, 512.0, 10.0);
  EXPECT_EQ(s.output().min, 7u);
  EXPECT_EQ(s.output().max, 7u);
}

TEST(Synthetic, SameSeedSameStream) {
  SyntheticSource a(options("poisson:3", "normal:100:30", "uniform:1:9", 100));
  SyntheticSource b(options("poisson:3", "normal:100:30", "uniform:1:9", 100));
  Request x;
  Request y;
  while (a.next(x)) {
    ASSERT_TRUE(b.next(y));
    ASSERT_EQ(x, y);
  }
}

TEST(Synthetic, BadSpecsNameTheForms) {
  EXPECT_THROW((void)workload::parse_length_dist("gauss:1:2"), std::invalid_argument);
  EXPECT_THROW((void)workload::parse_arrivals("poisson:-1"), std::invalid_argument);
}

}  // namespace
}  // namespace tiersim::test
