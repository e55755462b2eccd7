#include "sim/policies/llm_in_a_flash_cache.h"

#include <algorithm>

namespace tiersim::policies::lif {

NeuronWindow::NeuronWindow(std::uint32_t layers, std::uint32_t neurons, std::uint32_t window)
    : neurons_(neurons),
      window_(window),
      last_(std::uint64_t{layers} * neurons, 0),
      ring_(std::uint64_t{layers} * (window + 1), 0),
      cached_(layers, 0) {}

NeuronWindow::Update NeuronWindow::advance(std::uint32_t layer,
                                           const std::vector<std::uint32_t>& active,
                                           std::vector<std::uint32_t>& fresh) {
  Update u;
  if (window_ == 0) {
    fresh.insert(fresh.end(), active.begin(), active.end());
    u.inserted = static_cast<std::uint32_t>(active.size());
    u.cached = u.inserted;
    cached_[layer] = u.cached;
    return u;
  }
  const std::uint64_t slots = std::uint64_t{window_} + 1;
  std::uint64_t* last = last_.data() + std::uint64_t{layer} * neurons_;
  std::uint32_t* ring = ring_.data() + std::uint64_t{layer} * slots;
  const std::uint64_t t = token_;
  for (const std::uint32_t n : active) {
    const std::uint64_t seen = last[n];  // token + 1, 0 = never
    if (seen != 0 && seen - 1 + window_ >= t) {
      --ring[(seen - 1) % slots];  // in the cache: moves to this token's slot
    } else {
      fresh.push_back(n);
      ++u.inserted;
    }
    last[n] = t + 1;
    ++ring[t % slots];
  }
  std::uint32_t cached = cached_[layer] + u.inserted;
  if (t >= window_) {
    // Last activated at t - window and not since: out of the window now. Its slot is the one
    // token t + 1 will use, so clearing it also prepares the ring.
    std::uint32_t& expired = ring[(t - window_) % slots];
    u.deleted = expired;
    cached -= expired;
    expired = 0;
  }
  cached_[layer] = cached;
  u.cached = cached;
  return u;
}

IoThreads::IoThreads(std::uint32_t threads) : threads_(std::max<std::uint32_t>(threads, 1)) {
  std::vector<std::int64_t> init(threads_, 0);
  free_ = decltype(free_)(std::greater<>(), std::move(init));
}

void IoThreads::reset(Time at) {
  last_ = at;
}

Time IoThreads::read(Executor& exec, ComponentId issuer, ComponentId target, std::uint64_t address,
                     Bytes bytes, Time at) {
  return run(at, [&](Time start) { return exec.read(issuer, target, address, bytes, start); });
}

}  // namespace tiersim::policies::lif
