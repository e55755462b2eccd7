#include "sim/stats/stat_group.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace tiersim::stats {
namespace {

// (Built with append: GCC 12 gives a false -Wrestrict on "literal" + std::string.)
std::string numbered(const char* prefix, int i) {
  return std::string(prefix).append(std::to_string(i));
}

template <class T>
std::vector<std::string> names(const std::deque<StatGroup::Named<T>>& items) {
  std::vector<std::string> out;
  for (const auto& n : items) out.push_back(n.name);
  return out;
}

TEST(StatGroup, SameNameReturnsSameObject) {
  StatGroup g("dram0", Time::us(1));
  Counter& a = g.counter("reads", "reads served");
  a.add();
  a.add(4);
  Counter& b = g.counter("reads");
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(b.value, 5u);
  ASSERT_EQ(g.counters().size(), 1u);
  EXPECT_EQ(g.counters()[0].doc, "reads served");  // the first registration's doc is kept

  LatencyHistogram& h = g.histogram("latency");
  h.add(Time::ns(5));
  EXPECT_EQ(&h, &g.histogram("latency"));
  EXPECT_EQ(g.histograms()[0].value.count(), 1u);

  TimeSeries& s = g.series("bw", "B", "bytes moved");
  EXPECT_EQ(&s, &g.series("bw", "B"));
  EXPECT_EQ(s.window(), Time::us(1));
  EXPECT_THROW(static_cast<void>(g.series("bw", "requests")), std::invalid_argument);
}

TEST(StatGroup, RegistrationOrderIsPreserved) {
  StatGroup g("cache", Time::us(1));
  g.counter("zeta");
  g.counter("alpha");
  g.counter("mid");
  g.counter("alpha");  // again: no new entry
  g.histogram("z_lat");
  g.histogram("a_lat");
  g.series("w2", "B");
  g.series("w1", "B");
  EXPECT_EQ(names(g.counters()), (std::vector<std::string>{"zeta", "alpha", "mid"}));
  EXPECT_EQ(names(g.histograms()), (std::vector<std::string>{"z_lat", "a_lat"}));
  EXPECT_EQ(names(g.all_series()), (std::vector<std::string>{"w2", "w1"}));
}

TEST(StatGroup, ReferencesStayValidAsTheGroupGrows) {
  StatGroup g("big", Time::us(1));
  Counter& first = g.counter("c0");
  LatencyHistogram& first_h = g.histogram("h0");
  TimeSeries& first_s = g.series("s0", "B");
  for (int i = 1; i < 2000; ++i) {
    g.counter(numbered("c", i));
    g.histogram(numbered("h", i));
    g.series(numbered("s", i), "B");
  }
  first.add(3);
  first_h.add(Time::ns(1));
  first_s.add_at(Time::ns(1), 2.0);
  EXPECT_EQ(&first, &g.counter("c0"));
  EXPECT_EQ(g.counters().front().value.value, 3u);
  EXPECT_EQ(g.histograms().front().value.count(), 1u);
  EXPECT_EQ(g.all_series().front().value.values().size(), 1u);
}

TEST(StatGroup, RejectsNamesThatCannotBeHdf5Names) {
  StatGroup g("x", Time::us(1));
  EXPECT_THROW(static_cast<void>(g.counter("")), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(g.counter("a/b")), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(g.histogram(".")), std::invalid_argument);
  EXPECT_THROW(static_cast<void>(g.series("..", "B")), std::invalid_argument);
  EXPECT_TRUE(g.counters().empty());
}

TEST(StatsRegistry, GroupsAreUniqueAndInCreationOrder) {
  StatsRegistry reg(Time::ns(100));
  StatGroup& dram = reg.group("dram");
  reg.group("cache");
  reg.group("link");
  EXPECT_EQ(&dram, &reg.group("dram"));
  ASSERT_EQ(reg.groups().size(), 3u);
  EXPECT_EQ(reg.groups()[0].name(), "dram");
  EXPECT_EQ(reg.groups()[1].name(), "cache");
  EXPECT_EQ(reg.groups()[2].name(), "link");
  EXPECT_EQ(reg.window(), Time::ns(100));
  EXPECT_EQ(dram.series("bw", "B").window(), Time::ns(100));
  EXPECT_THROW(static_cast<void>(reg.group("a/b")), std::invalid_argument);
}

}  // namespace
}  // namespace tiersim::stats
