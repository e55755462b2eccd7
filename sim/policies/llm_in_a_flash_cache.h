// The two pieces of bookkeeping behind `llm_in_a_flash` (llm_in_a_flash.h), separate from the
// policy so tests can check them by hand:
//
// NeuronWindow — the DRAM cache of FFN neurons under windowing ("LLM in a flash", Alizadeh et al.,
// ACL 2024, Sec. 3.1 "Windowing" and Sec. 3.3 "Optimized data management in DRAM"): the cache
// holds, per layer, the neurons predicted active in the last `window` tokens.
//  - advance(layer, active, fresh) at token t (ascending neuron ids of the token's predicted set):
//    a neuron is fresh (read from flash, appended to the cache) when it was not active in any of
//    the previous `window` tokens t-window .. t-1 (workload::ActivationModel::newly_loaded counts
//    the same set); then the neurons whose last activation was token t-window leave the cache
//    (deleted: swap with the last row). Update::cached is the cache size after both, i.e. the
//    union of tokens t-window+1 .. t (what the FFN computes over).
//  - window == 0 (no windowing): nothing is kept between tokens; every active neuron is fresh and
//    nothing is deleted (the buffers are overwritten); cached = the token's active count.
//  - next_token() ends the token (call once after every layer has advanced).
//  - No allocation after construction; deterministic.
//
// IoThreads — `threads` synchronous readers (the paper reads flash with 32 threads, Sec. 4):
// read() issues a request at max(at, the earliest time a thread is free) and keeps that thread
// busy until the request completes, so at most `threads` requests are in flight and each new
// one takes the first free thread (not FIFO by issue order). last() is the latest completion
// since reset(). No allocation per request.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "sim/policies/executor.h"
#include "sim/units/units.h"

namespace tiersim::policies::lif {

class NeuronWindow {
 public:
  struct Update {
    std::uint32_t inserted = 0;
    std::uint32_t deleted = 0;
    std::uint32_t cached = 0;
  };

  NeuronWindow(std::uint32_t layers, std::uint32_t neurons, std::uint32_t window);
  Update advance(std::uint32_t layer, const std::vector<std::uint32_t>& active,
                 std::vector<std::uint32_t>& fresh);
  void next_token() { ++token_; }
  [[nodiscard]] std::uint32_t cached(std::uint32_t layer) const { return cached_[layer]; }
  [[nodiscard]] std::uint64_t token() const { return token_; }

 private:
  std::uint32_t neurons_;
  std::uint32_t window_;
  std::uint64_t token_ = 0;
  std::vector<std::uint64_t> last_;    // layers x neurons: token + 1 of the last activation
  std::vector<std::uint32_t> ring_;    // layers x (window + 1): neurons by last-activation token
  std::vector<std::uint32_t> cached_;  // per layer
};

class IoThreads {
 public:
  explicit IoThreads(std::uint32_t threads);
  void reset(Time at);
  [[nodiscard]] Time read(Executor& exec, ComponentId issuer, ComponentId target,
                          std::uint64_t address, Bytes bytes, Time at);
  // Runs `op(start)` on the first free thread (start = max(at, thread free)); `op` returns the
  // completion, which keeps the thread busy (a read followed by a copy, for example).
  template <class Op>
  Time run(Time at, Op&& op) {
    const Time free = Time::ps(free_.top());
    free_.pop();
    const Time done = op(max(at, free));
    free_.push(done.ps());
    last_ = max(last_, done);
    return done;
  }
  [[nodiscard]] Time last() const { return last_; }
  [[nodiscard]] std::uint32_t threads() const { return threads_; }

 private:
  std::uint32_t threads_;
  std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> free_;
  Time last_;
};

}  // namespace tiersim::policies::lif
