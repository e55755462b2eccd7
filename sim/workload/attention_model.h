// Seeded statistical model of top-k token selection for sparse attention (SparQ/SparF/H2O-like)
// and its page locality (docs/workloads.md, "Sparse attention").
//
// Per decode step, layer and KV head, the model selects k of the n cached tokens:
//   k = clamp(round(ratio * n), 1, n);
//   recent window: the last r = round(recent_share * k) tokens (local attention, as H2O keeps);
//   the other k - r tokens ("heavy hitters") come from the older tokens [0, n - r) as runs of
//   consecutive tokens (page locality): first, each run of the previous step's selection of the
//   same (layer, head) is kept with probability `keep` (heavy hitters persist from token to token);
//   then new runs start at positions drawn uniformly among the unselected older tokens (a drawn
//   start already selected is drawn again), with geometric lengths of mean `run` tokens (run = 1:
//   k-of-n sampling without replacement; larger: more locality); runs stop at a selected token,
//   at the end of the older tokens, or when k tokens are selected.
//
// Page locality: each head's K (and V) are token-indexed, `head_bytes` per token, laid out
// contiguously in pages of `page_bytes` (InstInfer: 16 tokens x 128 dims x fp16 = one 4 KiB page
// per head). pages_touched() counts the distinct pages holding at least one byte of a selected
// token — exact for any head_bytes and page_bytes.
//
// Contract:
//  - select(layer, head, n) draws in a fixed order (per kept run: one chance; per new run: one
//    below() per start drawn, one uniform for the length) from one Rng shared by all (layer, head)
//    pairs, so the same seed and the same call sequence give the same selections. It returns the
//    selected tokens sorted ascending (a view valid until the next call) and remembers the runs.
//  - calibrate() solves `run` by bisection so the mean page fraction (pages touched / pages of
//    the n tokens) of the model over `samples` independent selections hits a target.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/units/units.h"
#include "sim/workload/rng.h"

namespace tiersim::workload {

struct AttentionParams {
  double ratio = 0.125;       // k / n (SparF's default compression 1/8; SparQ's up to 8x)
  double recent_share = 0.5;  // share of k in the recent window (H2O: half recent, half heavy)
  double run = 1.0;           // mean run length of the older selected tokens (>= 1)
  double keep = 0.0;          // P(a previous step's run is kept) — heavy-hitter persistence

  // Throws std::invalid_argument for values out of range.
  void validate() const;
  // `run` such that the mean page fraction at context n with tokens_per_page is `page_fraction`
  // (deterministic: seeded Monte Carlo over `samples` selections); throws when out of reach.
  [[nodiscard]] static AttentionParams calibrate(AttentionParams base, double page_fraction,
                                                 std::uint32_t context,
                                                 std::uint32_t tokens_per_page,
                                                 std::uint32_t samples = 400);
};

// Pages of `page_bytes` holding at least one byte of the sorted `tokens`, each `head_bytes` long
// and laid out contiguously from byte 0.
[[nodiscard]] std::uint64_t pages_touched(std::span<const std::uint32_t> tokens, Bytes head_bytes,
                                          Bytes page_bytes);
// Pages holding tokens [0, n): the dense read.
[[nodiscard]] std::uint64_t pages_of(std::uint64_t n, Bytes head_bytes, Bytes page_bytes);

// Mean page fraction of `samples` selections from fresh models (one seed, no persistence), for
// calibration and tests.
[[nodiscard]] double mean_page_fraction(const AttentionParams& p, std::uint32_t context,
                                        std::uint32_t tokens_per_page, std::uint32_t samples,
                                        std::uint64_t seed);

class AttentionModel {
 public:
  AttentionModel(AttentionParams p, std::uint32_t layers, std::uint32_t heads, std::uint64_t seed);

  [[nodiscard]] std::span<const std::uint32_t> select(std::uint32_t layer, std::uint32_t head,
                                                      std::uint32_t n);
  // k for n cached tokens.
  [[nodiscard]] std::uint32_t selected_count(std::uint32_t n) const;
  // Forget every remembered run (a new request starts).
  void reset();
  [[nodiscard]] const AttentionParams& params() const { return p_; }

 private:
  struct Run {
    std::uint32_t start;
    std::uint32_t length;
  };
  std::uint32_t add_run(std::uint32_t start, std::uint32_t length, std::uint32_t older,
                        std::uint32_t budget, std::vector<Run>& runs);

  AttentionParams p_;
  std::uint32_t heads_;
  Rng rng_;
  std::uint64_t keep_threshold_ = 0;
  std::vector<std::vector<Run>> runs_;  // per layer * heads + head
  std::vector<std::uint8_t> marked_;    // scratch bitmap over the n tokens
  std::vector<std::uint32_t> selected_;
};

}  // namespace tiersim::workload
