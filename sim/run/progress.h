// A progress bar on stderr for long runs.
//
// Contract: draws nothing unless stderr is a terminal and `enabled`; starts drawing only after
// the run has taken ~2 s of wall time; redraws at most 10 times a second; finish() clears it.
// Polling costs one clock read, so callers poll every few thousand requests.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace tiersim::run {

class ProgressBar {
 public:
  ProgressBar(std::string label, bool enabled, std::function<double()> fraction);
  void poll();
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::function<double()> fraction_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace tiersim::run
