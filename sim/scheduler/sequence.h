// One request's progress through a serving run, shared by the schedulers.
//
// Invariants: `cached` tokens of KV are held; while cached < target the sequence is prefilling
// (target = prompt, or prompt + generated after a recompute preemption); afterwards each decode
// step processes the last generated token, so cached == prompt + generated - 1 between steps.
// A sequence is done when generated >= wanted() (at least one token: the prefill's).
#pragma once

#include <algorithm>
#include <cstdint>

#include "sim/scheduler/scheduler.h"
#include "sim/scheduler/step.h"
#include "sim/units/units.h"
#include "sim/workload/request.h"

namespace tiersim::scheduler {

struct Sequence {
  std::uint64_t id = 0;
  Time arrival;
  std::uint32_t prompt = 0;
  std::uint32_t output = 0;
  std::uint64_t target = 0;  // tokens to prefill before decoding
  std::uint64_t cached = 0;
  std::uint64_t generated = 0;
  Time first_token = Time::max();
  std::uint64_t admitted = 0;  // admission order (preemption picks the latest)

  static Sequence of(const workload::Request& r) {
    Sequence s;
    s.id = r.id;
    s.arrival = r.arrival;
    s.prompt = r.prompt_tokens;
    s.output = r.output_tokens;
    s.target = std::max<std::uint64_t>(r.prompt_tokens, 1);
    return s;
  }
  [[nodiscard]] std::uint64_t wanted() const { return std::max<std::uint64_t>(output, 1); }
  [[nodiscard]] bool prefilling() const { return cached < target; }
  [[nodiscard]] bool done() const { return generated >= wanted(); }
  // The prefill entry of at most `budget` tokens (budget 0: the rest of the prompt).
  [[nodiscard]] StepEntry prefill_entry(std::uint64_t budget) const {
    const std::uint64_t rest = target - cached;
    const std::uint64_t n = budget == 0 ? rest : std::min(rest, budget);
    return {id, Phase::kPrefill, static_cast<std::uint32_t>(n), cached, n == rest};
  }
  [[nodiscard]] StepEntry decode_entry() const { return {id, Phase::kDecode, 1, cached, true}; }
  // Applies a finished step entry at time `end`.
  void advance(const StepEntry& e, Time end) {
    cached += e.tokens;
    if (e.phase == Phase::kDecode || e.last_chunk) {
      ++generated;
      if (first_token == Time::max()) first_token = end;
    }
  }
  [[nodiscard]] Finished finished(Time end) const {
    return {id, arrival, first_token, end, prompt, static_cast<std::uint32_t>(generated)};
  }
};

}  // namespace tiersim::scheduler
