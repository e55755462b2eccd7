#include "sim/stats/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace tiersim::stats {
namespace {

constexpr double kBinWidth = 0.0233;  // 10^(1/100) - 1 = 2.33% at 100 bins per decade

std::uint64_t total(const std::vector<std::uint64_t>& v) {
  return std::accumulate(v.begin(), v.end(), std::uint64_t{0});
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  const LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.mean(), Time::zero());
  EXPECT_EQ(h.percentile(0.5), Time::zero());
  EXPECT_EQ(h.underflow(), 0u);
  EXPECT_EQ(h.overflow(), 0u);
  EXPECT_EQ(total(h.counts()), 0u);
}

TEST(LatencyHistogram, AxisIsLogFrom1psTo1000sWith100BinsPerDecade) {
  const LatencyHistogram h;
  const auto edges = h.edges_ps();
  ASSERT_EQ(edges.size(), 1501u);
  ASSERT_EQ(h.counts().size(), 1500u);
  EXPECT_NEAR(edges.front(), 1.0, 1e-12);
  EXPECT_NEAR(edges.back() / 1e15, 1.0, 1e-12);
  EXPECT_NEAR(edges[100], 10.0, 1e-9);    // one decade
  EXPECT_NEAR(edges[300], 1000.0, 1e-6);  // 1 ns
  for (std::size_t i = 1; i < edges.size(); ++i) {
    ASSERT_NEAR(edges[i] / edges[i - 1], std::pow(10.0, 0.01), 1e-9) << "edge " << i;
  }
}

TEST(LatencyHistogram, BinsPerDecadeIsConfigurableAndValidated) {
  const LatencyHistogram h(10);
  EXPECT_EQ(h.counts().size(), 150u);
  EXPECT_NEAR(h.edges_ps()[10], 10.0, 1e-9);
  EXPECT_THROW(LatencyHistogram(0), std::invalid_argument);
}

TEST(LatencyHistogram, CountMinMaxMeanAreExact) {
  LatencyHistogram h;
  h.add(Time::ns(3));
  h.add(Time::ns(5));
  h.add(Time::ps(11));
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.min(), Time::ps(11));
  EXPECT_EQ(h.max(), Time::ps(5000));
  EXPECT_EQ(h.mean(), Time::ps(2670));  // 8011 / 3 = 2670.33
  h.add(Time::ps(1));
  EXPECT_EQ(h.mean(), Time::ps(2003));  // 8012 / 4 = 2003
  h.add(Time::ps(3));
  EXPECT_EQ(h.mean(), Time::ps(1603));  // 8015 / 5 = 1603
}

TEST(LatencyHistogram, MeanRoundsToNearestPicosecond) {
  LatencyHistogram h;
  h.add(Time::ps(1));
  h.add(Time::ps(2));
  EXPECT_EQ(h.mean(), Time::ps(2));  // 1.5 rounds away from zero
  h.add(Time::ps(2));
  EXPECT_EQ(h.mean(), Time::ps(2));  // 1.67
  h.add(Time::ps(1));
  h.add(Time::ps(1));
  EXPECT_EQ(h.mean(), Time::ps(1));  // 1.4
}

TEST(LatencyHistogram, SampleLandsInTheBinHoldingIt) {
  LatencyHistogram h;
  h.add(Time::ps(150));
  const auto edges = h.edges_ps();
  const auto counts = h.counts();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const bool inside = edges[i] <= 150.0 && 150.0 < edges[i + 1];
    EXPECT_EQ(counts[i], inside ? 1u : 0u)
        << "bin " << i << " [" << edges[i] << ", " << edges[i + 1] << ")";
  }
}

TEST(LatencyHistogram, PercentilesOfUniformWithinOneBinWidth) {
  LatencyHistogram h;
  constexpr std::int64_t kN = 100000;
  for (std::int64_t i = 1; i <= kN; ++i) h.add(Time::ns(i));
  EXPECT_EQ(h.count(), static_cast<std::uint64_t>(kN));
  EXPECT_EQ(h.min(), Time::ns(1));
  EXPECT_EQ(h.max(), Time::ns(kN));
  EXPECT_EQ(h.mean(), Time::ps(50000500));  // (1 + 100000) / 2 ns
  EXPECT_EQ(total(h.counts()), static_cast<std::uint64_t>(kN));
  EXPECT_EQ(h.underflow(), 0u);
  EXPECT_EQ(h.overflow(), 0u);
  for (const double q : {0.01, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999}) {
    const double exact = q * static_cast<double>(kN) * 1000.0;  // ps
    const auto got = static_cast<double>(h.percentile(q).ps());
    EXPECT_NEAR(got, exact, kBinWidth * exact) << "q=" << q;
  }
  EXPECT_EQ(h.percentile(0.0), Time::ns(1));
  EXPECT_EQ(h.percentile(1.0), Time::ns(kN));
}

TEST(LatencyHistogram, PercentileIsClampedToObservedRange) {
  LatencyHistogram h;
  h.add(Time::ps(1234));
  for (const double q : {0.0, 0.3, 0.5, 0.999, 1.0}) EXPECT_EQ(h.percentile(q), Time::ps(1234));
  h.add(Time::ps(1240));  // same bin as 1234: interpolation must stay inside [1234, 1240]
  for (const double q : {0.0, 0.5, 0.99, 1.0}) {
    EXPECT_GE(h.percentile(q), Time::ps(1234));
    EXPECT_LE(h.percentile(q), Time::ps(1240));
  }
}

TEST(LatencyHistogram, UnderflowAndOverflowAreCounted) {
  LatencyHistogram h;
  h.add(Time::zero());       // below 1 ps
  h.add(Time::ps(-7));       // below 1 ps
  h.add(Time::ps(1));        // first bin
  h.add(Time::ms(1000000));  // exactly 1000 s: the upper edge is exclusive
  h.add(Time::ms(5000000));  // 5000 s
  h.add(Time::ns(10));
  EXPECT_EQ(h.count(), 6u);
  EXPECT_EQ(h.underflow(), 2u);
  EXPECT_EQ(h.overflow(), 2u);
  EXPECT_EQ(total(h.counts()), 2u);
  EXPECT_EQ(h.counts().front(), 1u);
  EXPECT_EQ(h.min(), Time::ps(-7));
  EXPECT_EQ(h.max(), Time::ms(5000000));
  EXPECT_EQ(h.percentile(1.0), Time::ms(5000000));
  EXPECT_EQ(h.percentile(0.0), Time::ps(-7));
  // 5 of 6 samples are <= 1000 s; the 0.95 quantile is inside the overflow bin [1000 s, max].
  EXPECT_GE(h.percentile(0.95), Time::ms(1000000));
  EXPECT_LE(h.percentile(0.95), Time::ms(5000000));
}

TEST(LatencyHistogram, MoveKeepsEverything) {
  LatencyHistogram a;
  a.add(Time::ns(7));
  a.add(Time::ns(9));
  LatencyHistogram b(std::move(a));
  EXPECT_EQ(b.count(), 2u);
  EXPECT_EQ(b.min(), Time::ns(7));
  EXPECT_EQ(b.max(), Time::ns(9));
  EXPECT_EQ(b.mean(), Time::ns(8));
  EXPECT_EQ(total(b.counts()), 2u);

  LatencyHistogram c(10);
  c.add(Time::ns(1));
  c = std::move(b);
  EXPECT_EQ(c.count(), 2u);
  EXPECT_EQ(c.counts().size(), 1500u);
  EXPECT_EQ(total(c.counts()), 2u);
  EXPECT_EQ(c.mean(), Time::ns(8));
}

}  // namespace
}  // namespace tiersim::stats
