// One scheduled step of a serving run: the sequences that run one forward pass together.
//
// Contract:
//  - A step holds one entry per sequence it advances. A prefill entry processes `tokens` prompt
//    tokens (a whole prompt, or one chunk of it with chunked prefill) on top of `context` tokens
//    already cached for that sequence (0 for the first chunk); a decode entry processes exactly one
//    token (tokens == 1) attending to `context` cached tokens.
//  - After the step, each entry's sequence holds context + tokens cached tokens. A prefill entry
//    whose chunk completes the prompt produces the request's first output token (as in vLLM/Orca);
//    each decode entry produces one more.
//  - Entries are ordered by request id (deterministic).
#pragma once

#include <cstdint>
#include <vector>

namespace tiersim::scheduler {

enum class Phase : std::uint8_t { kPrefill = 0, kDecode = 1 };

struct StepEntry {
  std::uint64_t request = 0;
  Phase phase = Phase::kDecode;
  std::uint32_t tokens = 1;   // tokens processed in this step
  std::uint64_t context = 0;  // tokens cached before this step
  bool last_chunk = true;     // prefill: this chunk completes the prompt (first token produced)
  friend bool operator==(const StepEntry&, const StepEntry&) = default;
};

struct Step {
  std::uint64_t index = 0;
  std::vector<StepEntry> entries;
  [[nodiscard]] std::uint64_t tokens() const {
    std::uint64_t t = 0;
    for (const auto& e : entries) t += e.tokens;
    return t;
  }
  [[nodiscard]] bool has_prefill() const {
    for (const auto& e : entries) {
      if (e.phase == Phase::kPrefill) return true;
    }
    return false;
  }
};

}  // namespace tiersim::scheduler
