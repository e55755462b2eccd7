// Sweep expansion: grid x zip, explicit points, uniform and Latin-hypercube sampling.
#include <gtest/gtest.h>

#include <set>

#include "sim/config/config_error.h"
#include "sim/sweep/sweep_spec.h"
#include "tests/common/test_util.h"

namespace tiersim::sweep {
namespace {

using test::TempDir;

SweepSpec load(const TempDir& d, const std::string& body) {
  d.write("base.yaml", "name: b\n");
  return load_sweep(d.write("s.yaml", "base: base.yaml\n" + body).string());
}

TEST(SweepSpec, GridIsACartesianProductInAxisOrderCrossedWithZip) {
  TempDir d;
  const auto s = load(d,
                      "grid:\n  a: [1, 2, 3]\n  b: [x, y]\n"
                      "zip:\n  c: [1 ns, 2 ns]\n  d: [10, 20]\n");
  ASSERT_EQ(s.points.size(), 3u * 2u * 2u);
  EXPECT_EQ(s.axes, (std::vector<std::string>{"a", "b", "c", "d"}));
  // First point a=1 b=x c=1 ns d=10; the last axis (the zip group) varies fastest.
  EXPECT_EQ(s.points[0].sets(), (std::vector<std::string>{"a=1", "b=x", "c=1 ns", "d=10"}));
  EXPECT_EQ(s.points[1].sets(), (std::vector<std::string>{"a=1", "b=x", "c=2 ns", "d=20"}));
  EXPECT_EQ(s.points[2].sets(), (std::vector<std::string>{"a=1", "b=y", "c=1 ns", "d=10"}));
  EXPECT_EQ(s.points[11].sets(), (std::vector<std::string>{"a=3", "b=y", "c=2 ns", "d=20"}));
}

TEST(SweepSpec, ZipAxesMustHaveEqualLengths) {
  TempDir d;
  try {
    (void)load(d, "zip:\n  c: [1, 2]\n  d: [10, 20, 30]\n");
    FAIL();
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.message(), "zip axis 'd' has 3 values, the first has 2");
    EXPECT_EQ(e.origin().line, 4);  // the 'd' list
  }
}

TEST(SweepSpec, ExactlyOneKindOfPointSet) {
  TempDir d;
  EXPECT_THROW((void)load(d, "name: x\n"), config::ConfigError);
  EXPECT_THROW((void)load(d, "grid: {a: [1]}\npoints: [{a: 2}]\n"), config::ConfigError);
}

TEST(SweepSpec, ExplicitPointsKeepTheirOrderAndKeys) {
  TempDir d;
  const auto s = load(d, "points:\n  - {a: 1}\n  - {a: 2, b: 5 ns}\n");
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.axes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.points[1].sets(), (std::vector<std::string>{"a=2", "b=5 ns"}));
}

TEST(SweepSpec, LatinHypercubeHasOneSamplePerStratumPerAxisAndKeepsUnits) {
  TempDir d;
  const auto s = load(d,
                      "random:\n  samples: 10\n  seed: 7\n  method: lhs\n"
                      "  ranges:\n    t: [0 ns, 10 ns]\n    n: [0, 9]\n");
  ASSERT_EQ(s.points.size(), 10u);
  std::set<int> t_strata;
  std::set<int> n_values;
  for (const auto& p : s.points) {
    const std::string t = p.params[0].second;
    ASSERT_EQ(t.substr(t.size() - 3), " ns") << t;
    t_strata.insert(static_cast<int>(std::stod(t)));  // stratum i covers [i, i+1) ns
    n_values.insert(std::stoi(p.params[1].second));   // integers: one of each 0..9
  }
  EXPECT_EQ(t_strata.size(), 10u);
  EXPECT_EQ(n_values.size(), 10u);
  // Same seed, same points; another seed, other points.
  const auto again = load(d,
                          "random:\n  samples: 10\n  seed: 7\n  method: lhs\n"
                          "  ranges:\n    t: [0 ns, 10 ns]\n    n: [0, 9]\n");
  EXPECT_EQ(again.points[3].sets(), s.points[3].sets());
  const auto other = load(d,
                          "random:\n  samples: 10\n  seed: 8\n  method: lhs\n"
                          "  ranges:\n    t: [0 ns, 10 ns]\n    n: [0, 9]\n");
  EXPECT_NE(other.points[3].sets(), s.points[3].sets());
}

TEST(SweepSpec, UniformSamplesStayInRange) {
  TempDir d;
  const auto s = load(d, "random:\n  samples: 200\n  ranges:\n    x: [2.5, 3.5]\n");
  for (const auto& p : s.points) {
    const double x = std::stod(p.params[0].second);
    EXPECT_GE(x, 2.5);
    EXPECT_LE(x, 3.5);
  }
}

}  // namespace
}  // namespace tiersim::sweep
