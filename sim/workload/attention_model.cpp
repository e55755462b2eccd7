#include "sim/workload/attention_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace tiersim::workload {

void AttentionParams::validate() const {
  if (!(ratio > 0.0 && ratio <= 1.0)) {
    throw std::invalid_argument(fmt::format("attention ratio {} is not in (0, 1]", ratio));
  }
  if (!(recent_share >= 0.0 && recent_share <= 1.0)) {
    throw std::invalid_argument(
        fmt::format("attention recent share {} is not in [0, 1]", recent_share));
  }
  if (!(run >= 1.0) || !std::isfinite(run)) {
    throw std::invalid_argument(fmt::format("attention run length {} is not >= 1", run));
  }
  if (!(keep >= 0.0 && keep <= 1.0)) {
    throw std::invalid_argument(fmt::format("attention keep {} is not in [0, 1]", keep));
  }
}

std::uint64_t pages_touched(std::span<const std::uint32_t> tokens, Bytes head_bytes,
                            Bytes page_bytes) {
  const std::uint64_t b = head_bytes.count();
  const std::uint64_t page = page_bytes.count();
  if (b == 0 || page == 0) throw std::invalid_argument("head and page bytes must be > 0");
  std::uint64_t pages = 0;
  bool any = false;
  std::uint64_t counted_to = 0;  // last page counted (valid when any)
  for (const std::uint32_t t : tokens) {
    const std::uint64_t first = std::uint64_t{t} * b / page;
    const std::uint64_t last = ((std::uint64_t{t} + 1) * b - 1) / page;
    const std::uint64_t from = any ? std::max(first, counted_to + 1) : first;
    if (last >= from) {
      pages += last - from + 1;
      counted_to = last;
      any = true;
    }
  }
  return pages;
}

std::uint64_t pages_of(std::uint64_t n, Bytes head_bytes, Bytes page_bytes) {
  if (n == 0) return 0;
  return (n * head_bytes.count() - 1) / page_bytes.count() + 1;
}

AttentionModel::AttentionModel(AttentionParams p, std::uint32_t layers, std::uint32_t heads,
                               std::uint64_t seed)
    : p_(p), heads_(heads), rng_(seed), keep_threshold_(Rng::threshold_for(p.keep)) {
  p_.validate();
  runs_.resize(std::size_t{layers} * heads);
}

void AttentionModel::reset() {
  for (auto& r : runs_) r.clear();
}

std::uint32_t AttentionModel::selected_count(std::uint32_t n) const {
  if (n == 0) return 0;
  const auto k = static_cast<std::uint64_t>(std::llround(p_.ratio * static_cast<double>(n)));
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(k, 1, n));
}

std::uint32_t AttentionModel::add_run(std::uint32_t start, std::uint32_t length,
                                      std::uint32_t older, std::uint32_t budget,
                                      std::vector<Run>& runs) {
  std::uint32_t added = 0;
  std::uint32_t pos = start;
  while (added < length && added < budget && pos < older && marked_[pos] == 0) {
    marked_[pos] = 1;
    ++pos;
    ++added;
  }
  if (added > 0) runs.push_back(Run{start, added});
  return added;
}

std::span<const std::uint32_t> AttentionModel::select(std::uint32_t layer, std::uint32_t head,
                                                      std::uint32_t n) {
  selected_.clear();
  if (n == 0) return selected_;
  const std::uint32_t k = selected_count(n);
  const auto r = static_cast<std::uint32_t>(
      std::min<long long>(k, std::llround(p_.recent_share * static_cast<double>(k))));
  marked_.assign(n, 0);
  const std::uint32_t older = n - r;
  std::fill(marked_.begin() + older, marked_.end(), std::uint8_t{1});
  std::uint32_t budget = k - r;

  std::vector<Run>& previous = runs_.at(std::size_t{layer} * heads_ + head);
  std::vector<Run> runs;
  for (const Run& run : previous) {
    if (budget == 0) break;
    if (!rng_.chance(keep_threshold_)) continue;
    budget -= add_run(run.start, run.length, older, budget, runs);
  }
  const double log_continue = p_.run > 1.0 ? std::log(1.0 - 1.0 / p_.run) : 0.0;
  while (budget > 0) {
    auto start = static_cast<std::uint32_t>(rng_.below(older));
    while (marked_[start] != 0) start = static_cast<std::uint32_t>(rng_.below(older));
    const double u = rng_.uniform01_open_low();
    std::uint32_t length = 1;
    if (p_.run > 1.0) {
      const double extra = std::floor(std::log(u) / log_continue);
      length = extra >= 4294967294.0 ? 4294967295u : static_cast<std::uint32_t>(extra) + 1;
    }
    budget -= add_run(start, length, older, budget, runs);
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.start < b.start; });
  previous = std::move(runs);
  for (std::uint32_t t = 0; t < n; ++t) {
    if (marked_[t] != 0) selected_.push_back(t);
  }
  return selected_;
}

double mean_page_fraction(const AttentionParams& p, std::uint32_t context,
                          std::uint32_t tokens_per_page, std::uint32_t samples,
                          std::uint64_t seed) {
  AttentionParams fresh = p;
  fresh.keep = 0.0;
  AttentionModel m(fresh, 1, 1, seed);
  const Bytes head(1);
  const Bytes page(tokens_per_page);
  const auto all = static_cast<double>(pages_of(context, head, page));
  double sum = 0.0;
  for (std::uint32_t s = 0; s < samples; ++s) {
    m.reset();
    sum += static_cast<double>(pages_touched(m.select(0, 0, context), head, page)) / all;
  }
  return sum / samples;
}

AttentionParams AttentionParams::calibrate(AttentionParams base, double page_fraction,
                                           std::uint32_t context, std::uint32_t tokens_per_page,
                                           std::uint32_t samples) {
  constexpr std::uint64_t kSeed = 0x5EED;
  const auto at = [&](double run) {
    AttentionParams p = base;
    p.run = run;
    return mean_page_fraction(p, context, tokens_per_page, samples, kSeed);
  };
  double lo = 1.0;  // fraction falls as run grows
  double hi = static_cast<double>(std::max<std::uint32_t>(context, 2));
  const double f_lo = at(lo);
  const double f_hi = at(hi);
  if (!(page_fraction <= f_lo && page_fraction >= f_hi)) {
    throw std::invalid_argument(
        fmt::format("page fraction {} is out of reach: the model gives {:.4f} (run 1) to {:.4f} "
                    "(run {})",
                    page_fraction, f_lo, f_hi, hi));
  }
  for (int i = 0; i < 40; ++i) {
    const double mid = std::sqrt(lo * hi);
    if (at(mid) > page_fraction) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  base.run = std::sqrt(lo * hi);
  return base;
}

}  // namespace tiersim::workload
