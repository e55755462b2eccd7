#include "sim/stats/time_series.h"

#include <stdexcept>
#include <utility>

namespace tiersim::stats {

TimeSeries::TimeSeries(std::string unit, Time window, std::size_t max_windows)
    : unit_(std::move(unit)), window_(window), max_windows_(max_windows) {
  if (window_ <= Time::zero()) {
    throw std::invalid_argument("TimeSeries: window must be positive, got " +
                                std::to_string(window_.ps()) + " ps");
  }
  if (max_windows_ < 2) throw std::invalid_argument("TimeSeries: max_windows must be >= 2");
}

void TimeSeries::fit(Time t) {
  while (t.ps() / window_.ps() >= static_cast<std::int64_t>(max_windows_)) {
    const std::size_t half = (values_.size() + 1) / 2;
    for (std::size_t i = 0; i < half; ++i) {
      const double b = 2 * i + 1 < values_.size() ? values_[2 * i + 1] : 0.0;
      values_[i] = values_[2 * i] + b;
    }
    values_.resize(half);
    window_ = window_ * 2;
  }
}

void TimeSeries::grow_to(std::size_t w) {
  if (w >= values_.size()) values_.resize(w + 1, 0.0);
}

void TimeSeries::add_at(Time t, double amount) {
  if (t < Time::zero()) {
    throw std::invalid_argument("TimeSeries::add_at: negative time " + std::to_string(t.ps()) +
                                " ps");
  }
  fit(t);
  const auto w = static_cast<std::size_t>(t.ps() / window_.ps());
  grow_to(w);
  values_[w] += amount;
}

void TimeSeries::add_interval(Time start, Time end, double amount) {
  if (start < Time::zero() || end < start) {
    throw std::invalid_argument("TimeSeries::add_interval: bad interval [" +
                                std::to_string(start.ps()) + ", " + std::to_string(end.ps()) +
                                ") ps");
  }
  if (start == end) {
    add_at(start, amount);
    return;
  }
  fit(end - Time::ps(1));
  const std::int64_t win = window_.ps();
  const std::int64_t s = start.ps();
  const std::int64_t e = end.ps();
  const auto first = static_cast<std::size_t>(s / win);
  const auto last = static_cast<std::size_t>((e - 1) / win);  // end is exclusive
  grow_to(last);
  if (first == last) {
    values_[first] += amount;
    return;
  }
  const auto duration = static_cast<double>(e - s);
  const auto share = [&](std::int64_t overlap) {
    return amount * static_cast<double>(overlap) / duration;
  };
  values_[first] += share(static_cast<std::int64_t>(first + 1) * win - s);
  if (last > first + 1) {
    const double full = share(win);
    for (std::size_t w = first + 1; w < last; ++w) values_[w] += full;
  }
  values_[last] += share(e - static_cast<std::int64_t>(last) * win);
}

}  // namespace tiersim::stats
