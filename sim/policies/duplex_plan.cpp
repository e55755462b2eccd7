#include "sim/policies/duplex_plan.h"

#include <algorithm>
#include <limits>

namespace tiersim::policies::duplex {

namespace {

double roof(double flops, double bytes, double peak, double bw) {
  const double c = peak > 0 ? flops / peak : std::numeric_limits<double>::infinity();
  const double m = bw > 0 ? bytes / bw : std::numeric_limits<double>::infinity();
  return std::max(c, m);
}

}  // namespace

double xpu_seconds(const Rates& r, double flops, double bytes) {
  return roof(flops, bytes, r.xpu_flops, r.xpu_bandwidth);
}

double pim_seconds(const Rates& r, double flops, double bytes) {
  return roof(flops, bytes, r.pim_flops, r.pim_bandwidth);
}

bool prefer_pim(const Rates& r, double flops, double bytes) {
  return pim_seconds(r, flops, bytes) < xpu_seconds(r, flops, bytes);
}

ExpertSplit split_experts(const Rates& r, std::vector<ExpertWork> experts) {
  std::stable_sort(experts.begin(), experts.end(), [](const ExpertWork& a, const ExpertWork& b) {
    return a.flops * b.bytes > b.flops * a.bytes;  // Op/B, highest first
  });
  const std::size_t n = experts.size();
  // Prefix sums of xPU time over the first i; suffix sums of PIM time from i.
  std::vector<double> x(n + 1, 0.0), p(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    x[i + 1] = x[i] + xpu_seconds(r, experts[i].flops, experts[i].bytes);
  }
  for (std::size_t i = n; i-- > 0;) {
    p[i] = p[i + 1] + pim_seconds(r, experts[i].flops, experts[i].bytes);
  }
  std::size_t best = 0;
  double best_t = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i <= n; ++i) {
    const double t = std::max(x[i], p[i]);
    if (t < best_t) {
      best_t = t;
      best = i;
    }
  }
  ExpertSplit s;
  s.xpu.assign(experts.begin(), experts.begin() + static_cast<std::ptrdiff_t>(best));
  s.pim.assign(experts.begin() + static_cast<std::ptrdiff_t>(best), experts.end());
  return s;
}

std::uint32_t split_sequences(const Rates& r, std::uint32_t sequences, double flops_each,
                              double bytes_each, double xpu_busy) {
  std::uint32_t best = 0;
  double best_t = std::numeric_limits<double>::infinity();
  const double xe = xpu_seconds(r, flops_each, bytes_each);
  const double pe = pim_seconds(r, flops_each, bytes_each);
  for (std::uint32_t n = 0; n <= sequences; ++n) {
    const double t = std::max(xpu_busy + n * xe, (sequences - n) * pe);
    if (t < best_t) {
      best_t = t;
      best = n;
    }
  }
  return best;
}

std::uint32_t critical_device(const Rates& r, const std::vector<ExpertWork>& experts,
                              std::uint32_t total_experts, std::uint32_t devices, bool on_pim) {
  if (devices <= 1) return 0;
  const std::uint32_t per = std::max<std::uint32_t>(1, total_experts / devices);
  std::vector<double> t(devices, 0.0);
  for (const auto& e : experts) {
    const std::uint32_t d = std::min(devices - 1, e.expert / per);
    t[d] += on_pim ? pim_seconds(r, e.flops, e.bytes) : xpu_seconds(r, e.flops, e.bytes);
  }
  std::uint32_t best = 0;
  for (std::uint32_t d = 1; d < devices; ++d) {
    if (t[d] > t[best]) best = d;
  }
  return best;
}

}  // namespace tiersim::policies::duplex
