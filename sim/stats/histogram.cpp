#include "sim/stats/histogram.h"

#include <algorithm>
#include <boost/histogram.hpp>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace tiersim::stats {

namespace bh = boost::histogram;

namespace {

constexpr double kLowestPs = 1.0;    // lower edge of the first bin: 1 ps
constexpr double kHighestPs = 1e15;  // upper edge of the last bin: 1000 s
constexpr int kDecades = 15;         // log10(kHighestPs / kLowestPs)

using LogAxis = bh::axis::regular<double, bh::axis::transform::log>;
using Hist = bh::histogram<std::tuple<LogAxis>, bh::dense_storage<std::uint64_t>>;

}  // namespace

struct LatencyHistogram::Impl {
  explicit Impl(int bins)
      : hist(bh::make_histogram_with(bh::dense_storage<std::uint64_t>(),
                                     LogAxis(bins, kLowestPs, kHighestPs))) {}
  Hist hist;
  // One-entry cache of the last sample's bin: simulated latencies repeat exactly very often, and
  // the axis lookup (a logarithm) dominates the cost of add().
  std::int64_t last_ps = -1;
  int last_index = 0;
};

LatencyHistogram::LatencyHistogram(int bins_per_decade) : impl_(nullptr) {
  if (bins_per_decade < 1) {
    throw std::invalid_argument("LatencyHistogram: bins_per_decade must be >= 1, got " +
                                std::to_string(bins_per_decade));
  }
  impl_ = new Impl(bins_per_decade * kDecades);
}

LatencyHistogram::~LatencyHistogram() {
  delete impl_;
}

LatencyHistogram::LatencyHistogram(LatencyHistogram&& o) noexcept
    : impl_(std::exchange(o.impl_, nullptr)),
      count_(std::exchange(o.count_, 0)),
      min_(std::exchange(o.min_, Time::max())),
      max_(std::exchange(o.max_, Time::zero())),
      sum_ps_(std::exchange(o.sum_ps_, 0)) {}

LatencyHistogram& LatencyHistogram::operator=(LatencyHistogram&& o) noexcept {
  if (this != &o) {
    delete impl_;
    impl_ = std::exchange(o.impl_, nullptr);
    count_ = std::exchange(o.count_, 0);
    min_ = std::exchange(o.min_, Time::max());
    max_ = std::exchange(o.max_, Time::zero());
    sum_ps_ = std::exchange(o.sum_ps_, 0);
  }
  return *this;
}

void LatencyHistogram::add(Time t) {
  // Non-positive samples are below 1 ps: log(0) = -inf lands in the underflow bin.
  Impl& im = *impl_;
  const std::int64_t ps = std::max<std::int64_t>(t.ps(), 0);
  if (ps != im.last_ps) {
    im.last_ps = ps;
    im.last_index = im.hist.axis().index(static_cast<double>(ps));
  }
  ++im.hist.at(im.last_index);
  ++count_;
  min_ = tiersim::min(min_, t);
  max_ = tiersim::max(max_, t);
  sum_ps_ += static_cast<long double>(t.ps());
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (impl_->hist.axis().size() != other.impl_->hist.axis().size()) {
    throw std::invalid_argument("LatencyHistogram::merge: different bins_per_decade");
  }
  impl_->hist += other.impl_->hist;
  count_ += other.count_;
  if (other.count_ != 0) {
    min_ = tiersim::min(min_, other.min_);
    max_ = tiersim::max(max_, other.max_);
  }
  sum_ps_ += other.sum_ps_;
}

Time LatencyHistogram::mean() const {
  if (count_ == 0) return Time::zero();
  return Time::ps(std::llround(sum_ps_ / static_cast<long double>(count_)));
}

Time LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return Time::zero();
  q = std::clamp(q, 0.0, 1.0);
  const auto& axis = impl_->hist.axis();
  const int n = axis.size();
  const double target = q * static_cast<double>(count_);
  const double lo = static_cast<double>(min_.ps());
  const double hi = static_cast<double>(max_.ps());

  // Walk underflow (-1), the regular bins, then overflow (n) until the cumulative count reaches
  // the target rank; interpolate linearly inside that bin. Underflow spans [min, 1 ps) and
  // overflow [1000 s, max]; the clamp below keeps every answer inside the observed range.
  double cumulative = 0.0;
  double value = hi;
  for (int i = -1; i <= n; ++i) {
    const auto c = static_cast<double>(impl_->hist.at(i));
    if (c == 0.0) continue;
    if (cumulative + c >= target) {
      const double lower = i < 0 ? lo : axis.value(i);
      const double upper = i >= n ? hi : axis.value(i + 1);
      const double f = std::clamp((target - cumulative) / c, 0.0, 1.0);
      value = lower + f * (upper - lower);
      break;
    }
    cumulative += c;
  }
  value = std::clamp(value, lo, hi);
  return Time::ps(std::llround(value));
}

std::vector<double> LatencyHistogram::edges_ps() const {
  const auto& axis = impl_->hist.axis();
  const int n = axis.size();
  std::vector<double> edges(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i <= n; ++i) edges[static_cast<std::size_t>(i)] = axis.value(i);
  return edges;
}

std::vector<std::uint64_t> LatencyHistogram::counts() const {
  const int n = impl_->hist.axis().size();
  std::vector<std::uint64_t> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = impl_->hist.at(i);
  return out;
}

std::uint64_t LatencyHistogram::underflow() const {
  return impl_->hist.at(-1);
}

std::uint64_t LatencyHistogram::overflow() const {
  return impl_->hist.at(impl_->hist.axis().size());
}

}  // namespace tiersim::stats
