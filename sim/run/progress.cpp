#include "sim/run/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace tiersim::run {

ProgressBar::ProgressBar(std::string label, bool enabled, std::function<double()> fraction)
    : label_(std::move(label)),
      enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      fraction_(std::move(fraction)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressBar::poll() {
  if (!enabled_) return;
  const auto t = std::chrono::steady_clock::now();
  if (t - start_ < std::chrono::seconds(2) || t - last_draw_ < std::chrono::milliseconds(100)) {
    return;
  }
  last_draw_ = t;
  const double f = std::clamp(fraction_(), 0.0, 1.0);
  const double elapsed = std::chrono::duration<double>(t - start_).count();
  const int width = 30;
  const int filled = static_cast<int>(f * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(static_cast<std::size_t>(width), '.');
  const std::string eta =
      f > 0.01 ? fmt::format("eta {:.0f} s", elapsed * (1.0 - f) / f) : std::string("eta ?");
  fmt::print(stderr, "\r{} [{}] {:5.1f}%  {:.0f} s  {}   ", label_, bar, f * 100.0, elapsed, eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) {
    fmt::print(stderr, "\r{:80}\r", "");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace tiersim::run
