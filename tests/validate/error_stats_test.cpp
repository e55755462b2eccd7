// Error statistics on hand-made numbers (synthetic test input, not measurements), each figure
// computed by hand in the comments.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/validate/error_stats.h"

namespace tiersim::validate {
namespace {

TEST(ValidateErrorStats, SignedErrorIsRelativeToTheMeasurement) {
  EXPECT_DOUBLE_EQ(signed_error(100, 110), 0.10);
  EXPECT_DOUBLE_EQ(signed_error(100, 95), -0.05);
  EXPECT_THROW((void)signed_error(0, 1), std::invalid_argument);
}

TEST(ValidateErrorStats, HandComputedFigures) {
  // errors: +10%, -5%, +2%, -20%
  const std::vector<double> m = {100, 200, 50, 10};
  const std::vector<double> p = {110, 190, 51, 8};
  const ErrorStats s = error_stats(m, p);
  EXPECT_EQ(s.n, 4u);
  EXPECT_NEAR(s.mape, (0.10 + 0.05 + 0.02 + 0.20) / 4, 1e-12);  // 9.25%
  EXPECT_NEAR(s.max_abs, 0.20, 1e-12);
  EXPECT_NEAR(s.mean_signed, (0.10 - 0.05 + 0.02 - 0.20) / 4, 1e-12);  // -3.25%
  EXPECT_DOUBLE_EQ(s.within_5, 0.5);    // -5% (exactly at the bound) and +2%
  EXPECT_DOUBLE_EQ(s.within_10, 0.75);  // and +10%
  // Pearson r: means 90 and 89.75; deviations (10, 110, -40, -80) and (20.25, 100.25, -38.75,
  // -81.75): sxy = 19320, sxx = 20200, syy = 18644.75, r = 0.99553.
  EXPECT_NEAR(s.pearson_r, 19320.0 / std::sqrt(20200.0 * 18644.75), 1e-12);
  EXPECT_NEAR(s.pearson_r, 0.99553, 1e-5);
}

TEST(ValidateErrorStats, PerfectPredictionsAndDegenerateSets) {
  const ErrorStats perfect = error_stats({1, 2, 3}, {1, 2, 3});
  EXPECT_DOUBLE_EQ(perfect.mape, 0);
  EXPECT_DOUBLE_EQ(perfect.pearson_r, 1);
  EXPECT_DOUBLE_EQ(perfect.within_5, 1);
  const ErrorStats one = error_stats({2}, {3});
  EXPECT_DOUBLE_EQ(one.mape, 0.5);
  EXPECT_TRUE(std::isnan(one.pearson_r));  // undefined for one point
  const ErrorStats none = error_stats({}, {});
  EXPECT_EQ(none.n, 0u);
  EXPECT_TRUE(std::isnan(none.mape));
  EXPECT_THROW((void)error_stats({1, 2}, {1}), std::invalid_argument);
}

}  // namespace
}  // namespace tiersim::validate
