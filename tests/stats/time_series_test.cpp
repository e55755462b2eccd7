#include "sim/stats/time_series.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace tiersim::stats {
namespace {

TEST(TimeSeries, IntervalOverThreeAndAHalfWindowsSplitsByOverlap) {
  TimeSeries s("B", Time::ps(1000));
  // [250, 3750) covers 750 + 1000 + 1000 + 750 ps = 3500 ps.
  s.add_interval(Time::ps(250), Time::ps(3750), 7.0);
  ASSERT_EQ(s.values().size(), 4u);
  EXPECT_DOUBLE_EQ(s.values()[0], 1.5);
  EXPECT_DOUBLE_EQ(s.values()[1], 2.0);
  EXPECT_DOUBLE_EQ(s.values()[2], 2.0);
  EXPECT_DOUBLE_EQ(s.values()[3], 1.5);
}

TEST(TimeSeries, IntervalStartingOnABoundarySpanningThreeAndAHalf) {
  TimeSeries s("B", Time::ns(1));
  s.add_interval(Time::ns(2), Time::ps(5500), 35.0);
  const std::vector<double> expected = {0.0, 0.0, 10.0, 10.0, 10.0, 5.0};
  ASSERT_EQ(s.values().size(), expected.size());
  for (std::size_t w = 0; w < expected.size(); ++w) EXPECT_DOUBLE_EQ(s.values()[w], expected[w]);
}

TEST(TimeSeries, EndIsExclusive) {
  TimeSeries s("B", Time::ps(1000));
  s.add_interval(Time::ps(1000), Time::ps(3000), 4.0);
  ASSERT_EQ(s.values().size(), 3u);  // window 3 is not touched
  EXPECT_DOUBLE_EQ(s.values()[0], 0.0);
  EXPECT_DOUBLE_EQ(s.values()[1], 2.0);
  EXPECT_DOUBLE_EQ(s.values()[2], 2.0);
}

TEST(TimeSeries, IntervalInsideOneWindow) {
  TimeSeries s("B", Time::ps(1000));
  s.add_interval(Time::ps(1100), Time::ps(1200), 3.0);
  ASSERT_EQ(s.values().size(), 2u);
  EXPECT_DOUBLE_EQ(s.values()[0], 0.0);
  EXPECT_DOUBLE_EQ(s.values()[1], 3.0);
}

TEST(TimeSeries, ZeroLengthIntervalGoesToWindowHoldingStart) {
  TimeSeries s("B", Time::ps(1000));
  s.add_interval(Time::ps(1500), Time::ps(1500), 5.0);
  ASSERT_EQ(s.values().size(), 2u);
  EXPECT_DOUBLE_EQ(s.values()[1], 5.0);
  s.add_interval(Time::ps(2000), Time::ps(2000), 1.0);  // a boundary belongs to the next window
  ASSERT_EQ(s.values().size(), 3u);
  EXPECT_DOUBLE_EQ(s.values()[2], 1.0);
}

TEST(TimeSeries, AddAtUsesHalfOpenWindows) {
  TimeSeries s("requests", Time::ps(1000));
  s.add_at(Time::ps(999), 1.0);
  s.add_at(Time::ps(1000), 2.0);
  s.add_at(Time::ps(2500), 3.0);
  s.add_at(Time::ps(2999), 4.0);
  ASSERT_EQ(s.values().size(), 3u);
  EXPECT_DOUBLE_EQ(s.values()[0], 1.0);
  EXPECT_DOUBLE_EQ(s.values()[1], 2.0);
  EXPECT_DOUBLE_EQ(s.values()[2], 7.0);
  EXPECT_EQ(s.unit(), "requests");
  EXPECT_EQ(s.window(), Time::ps(1000));
}

TEST(TimeSeries, ContributionsAccumulateAndTotalIsConserved) {
  TimeSeries s("B", Time::ns(1));
  double total = 0;
  for (int i = 0; i < 1000; ++i) {
    const Time start = Time::ps(i * 37);
    s.add_interval(start, start + Time::ps(100 + i * 13), 64.0);
    total += 64.0;
  }
  double sum = 0;
  for (const double v : s.values()) sum += v;
  EXPECT_NEAR(sum, total, 1e-9 * total);
}

TEST(TimeSeries, RejectsBadInput) {
  EXPECT_THROW(TimeSeries("B", Time::zero()), std::invalid_argument);
  TimeSeries s("B", Time::ps(10));
  EXPECT_THROW(s.add_interval(Time::ps(20), Time::ps(10), 1.0), std::invalid_argument);
  EXPECT_THROW(s.add_interval(Time::ps(-1), Time::ps(10), 1.0), std::invalid_argument);
  EXPECT_THROW(s.add_at(Time::ps(-1), 1.0), std::invalid_argument);
  EXPECT_TRUE(s.values().empty());
}

TEST(TimeSeries, CoarsensToStayWithinMaxWindowsAndKeepsSums) {
  // 4 windows of 10 ps at most: a sample at 45 ps doubles the window to 20 ps (45 / 20 = 2 < 4)
  // after pairs (0,1), (2,3) were merged.
  TimeSeries ts("B", Time::ps(10), 4);
  ts.add_at(Time::ps(5), 1.0);   // window 0
  ts.add_at(Time::ps(15), 2.0);  // window 1
  ts.add_at(Time::ps(35), 4.0);  // window 3
  ts.add_at(Time::ps(45), 8.0);  // beyond 4 windows: coarsen to 20 ps
  EXPECT_EQ(ts.window(), Time::ps(20));
  ASSERT_EQ(ts.values().size(), 3u);
  EXPECT_DOUBLE_EQ(ts.values()[0], 3.0);  // [0, 20): 1 + 2
  EXPECT_DOUBLE_EQ(ts.values()[1], 4.0);  // [20, 40)
  EXPECT_DOUBLE_EQ(ts.values()[2], 8.0);  // [40, 60)
  // An interval reaching 200 ps coarsens to 80 ps windows (200 / 80 = 2 < 4; 200/40 = 5 >= 4).
  ts.add_interval(Time::ps(0), Time::ps(200), 10.0);
  EXPECT_EQ(ts.window(), Time::ps(80));
  ASSERT_EQ(ts.values().size(), 3u);
  double total = 0;
  for (double v : ts.values()) total += v;
  EXPECT_DOUBLE_EQ(total, 1.0 + 2.0 + 4.0 + 8.0 + 10.0);
  EXPECT_DOUBLE_EQ(ts.values()[2], 10.0 * 40.0 / 200.0);  // [160, 200) share of the interval
}

}  // namespace
}  // namespace tiersim::stats
