// Error statistics of predictions against measurements (docs/validation.md).
//
// Contract, for n pairs (measured m_i > 0, predicted p_i):
//   signed error  e_i = (p_i - m_i) / m_i           (positive: the simulator is slower)
//   mape          mean |e_i|
//   max_abs       max |e_i|
//   mean_signed   mean e_i
//   within_5/10   share of points with |e_i| <= 0.05 / 0.10
//   pearson_r     Pearson correlation of (m_i, p_i); NaN when n < 2 or either side is constant
// An empty set gives n = 0 and NaN everywhere else.
#pragma once

#include <cstddef>
#include <vector>

namespace tiersim::validate {

struct ErrorStats {
  std::size_t n = 0;
  double mape = 0, max_abs = 0, mean_signed = 0, within_5 = 0, within_10 = 0, pearson_r = 0;
};

[[nodiscard]] double signed_error(double measured, double predicted);
[[nodiscard]] ErrorStats error_stats(const std::vector<double>& measured,
                                     const std::vector<double>& predicted);

}  // namespace tiersim::validate
