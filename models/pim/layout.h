// Where a GEMV's weights live in a PIM stack, and which unit consumes each burst
// (docs/models/pim.md, "Data placement").
//
// y[v][r] = sum_c W[r][c] x[v][c] for r < m, c < k, v < batch. Each output row r belongs to one
// compute unit (bank, bank group or logic module; PimSpec::rows and ::units); a unit's rows are
// laid out one after another, each padded to kc = ceil(k / lanes) bursts (lanes = elements per
// burst), as the unit's "stream" of bursts. Stream burst q of a unit sits at:
//  - bank-PIM: its bank, step t = q: row t / columns, column t mod columns;
//  - bank-group PIM: step t = q, bank set s = t / columns: bank s mod banks_per_group of the
//    unit's group, row s / banks_per_group, column t mod columns;
//  - logic-die PIM: step t = q / groups_per_pc, group g = q mod groups_per_pc, bank set
//    s = t / columns: bank s mod banks_per_group of group g, row s / banks_per_group, column
//    t mod columns.
// One column command at step t reads, in every pseudo channel, the bursts of step t of all the
// pseudo channel's units (bank-PIM: all banks; the others: one bank set = bank s mod
// banks_per_group of every group), so a pseudo channel runs steps_per_pc() steps.
//
// Contract: place() is the forward map (weight element -> location); stream_position() and
// global_row() are what the compute side uses (burst read by a command -> which weights it holds).
// They are written independently; the functional mode (functional.h) checks they agree. Throws
// std::invalid_argument when the weights do not fit the banks' rows or a size is zero.
#pragma once

#include <cstdint>

#include "models/pim/pim_spec.h"

namespace tiersim::models::pim {

struct GemvShape {
  std::uint64_t m = 0;      // output rows
  std::uint64_t k = 0;      // input length
  std::uint64_t batch = 1;  // input vectors
  std::uint32_t elem_bytes = 2;
  // Distinct sets of `batch` input vectors across the output rows (1: one x for all rows; e.g.
  // batched attention: one query group per (sequence, KV head)). Timing only: each pseudo channel
  // loads min(input_sets, its rows) sets; the functional mode uses one set.
  std::uint64_t input_sets = 1;
};

struct Location {
  std::uint64_t pc = 0;
  std::uint64_t group = 0;  // bank group in the pseudo channel (rank x bank_groups + bank_group)
  std::uint64_t bank = 0;   // bank in its group
  std::uint64_t row = 0;
  std::uint64_t column = 0;
  std::uint64_t lane = 0;  // element in the burst
};

class Layout {
 public:
  Layout(const PimGeometry& g, const PimSpec& p, const GemvShape& s, std::uint64_t lanes);

  [[nodiscard]] std::uint64_t lanes() const { return lanes_; }
  [[nodiscard]] std::uint64_t kc() const { return kc_; }
  [[nodiscard]] std::uint64_t units() const { return units_; }
  [[nodiscard]] std::uint64_t units_per_pc() const { return per_pc_; }
  // Global unit id of (pseudo channel, unit in it), and back.
  [[nodiscard]] std::uint64_t unit_id(std::uint64_t pc, std::uint64_t local) const;
  [[nodiscard]] std::uint64_t pc_of(std::uint64_t unit) const;
  [[nodiscard]] std::uint64_t local_of(std::uint64_t unit) const;
  // Output rows a unit computes, and its local row i's global row.
  [[nodiscard]] std::uint64_t unit_rows(std::uint64_t unit) const;
  [[nodiscard]] std::uint64_t global_row(std::uint64_t unit, std::uint64_t local_row) const;
  // Forward map of weight element (r, c).
  [[nodiscard]] Location place(std::uint64_t r, std::uint64_t c) const;
  // Column steps of a pseudo channel (the most of its units), and of the busiest one.
  [[nodiscard]] std::uint64_t steps(std::uint64_t pc) const;
  [[nodiscard]] std::uint64_t steps_per_pc() const { return max_steps_; }
  // Compute side: the stream position of the burst that unit-in-pc `local` consumes at step t
  // from group g (logic: any group; others: ignored).
  [[nodiscard]] std::uint64_t stream_position(std::uint64_t step, std::uint64_t group) const;

 private:
  PimGeometry g_;
  PimSpec p_;
  GemvShape s_;
  std::uint64_t lanes_;
  std::uint64_t kc_;
  std::uint64_t per_pc_;
  std::uint64_t units_;
  std::uint64_t block_;  // rows per unit, blocked mapping
  std::uint64_t max_steps_ = 0;
};

}  // namespace tiersim::models::pim
