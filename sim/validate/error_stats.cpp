#include "sim/validate/error_stats.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace tiersim::validate {

double signed_error(double measured, double predicted) {
  if (!(measured > 0)) throw std::invalid_argument("signed_error: measured must be > 0");
  return (predicted - measured) / measured;
}

ErrorStats error_stats(const std::vector<double>& measured, const std::vector<double>& predicted) {
  if (measured.size() != predicted.size()) {
    throw std::invalid_argument("error_stats: measured and predicted differ in length");
  }
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  ErrorStats s;
  s.n = measured.size();
  if (s.n == 0) {
    s.mape = s.max_abs = s.mean_signed = s.within_5 = s.within_10 = s.pearson_r = kNan;
    return s;
  }
  double sum_abs = 0, sum = 0;
  std::size_t in5 = 0, in10 = 0;
  for (std::size_t i = 0; i < s.n; ++i) {
    const double e = signed_error(measured[i], predicted[i]);
    sum += e;
    sum_abs += std::abs(e);
    s.max_abs = std::max(s.max_abs, std::abs(e));
    in5 += std::abs(e) <= 0.05 ? 1 : 0;
    in10 += std::abs(e) <= 0.10 ? 1 : 0;
  }
  const double n = static_cast<double>(s.n);
  s.mape = sum_abs / n;
  s.mean_signed = sum / n;
  s.within_5 = static_cast<double>(in5) / n;
  s.within_10 = static_cast<double>(in10) / n;
  double mm = 0, mp = 0;
  for (std::size_t i = 0; i < s.n; ++i) {
    mm += measured[i];
    mp += predicted[i];
  }
  mm /= n;
  mp /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < s.n; ++i) {
    const double dx = measured[i] - mm, dy = predicted[i] - mp;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  s.pearson_r = (s.n < 2 || sxx == 0 || syy == 0) ? kNan : sxy / std::sqrt(sxx * syy);
  return s;
}

}  // namespace tiersim::validate
