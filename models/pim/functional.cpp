#include "models/pim/functional.h"

#include <map>
#include <stdexcept>

#include "models/pim/command_engine.h"

namespace tiersim::models::pim {

namespace {

void check(const GemvShape& s, const std::vector<double>& w, const std::vector<double>& x) {
  if (w.size() != s.m * s.k || x.size() != s.batch * s.k) {
    throw std::invalid_argument("functional gemv: w must be m x k and x batch x k");
  }
}

}  // namespace

std::vector<double> reference_gemv(const GemvShape& s, const std::vector<double>& w,
                                   const std::vector<double>& x) {
  check(s, w, x);
  std::vector<double> y(s.batch * s.m, 0.0);
  for (std::uint64_t v = 0; v < s.batch; ++v) {
    for (std::uint64_t r = 0; r < s.m; ++r) {
      double acc = 0.0;
      for (std::uint64_t c = 0; c < s.k; ++c) acc += w[r * s.k + c] * x[v * s.k + c];
      y[v * s.m + r] = acc;
    }
  }
  return y;
}

std::vector<double> functional_gemv(const dram::DramSpec& dram, const PimSpec& pim,
                                    const GemvShape& s, const std::vector<double>& w,
                                    const std::vector<double>& x) {
  check(s, w, x);
  const PimGeometry geo = geometry_of(dram);
  const std::uint64_t lanes = dram.burst_bytes.count() / s.elem_bytes;
  const Layout layout(geo, pim, s, lanes);
  const auto key = [&](std::uint64_t pc, std::uint64_t group, std::uint64_t bank, std::uint64_t row,
                       std::uint64_t column) {
    return (((pc * geo.groups_per_pc + group) * geo.banks_per_group + bank) * geo.rows + row) *
               geo.columns +
           column;
  };
  // The array: one burst of `lanes` elements per written (bank, row, column).
  std::map<std::uint64_t, std::vector<double>> array;
  for (std::uint64_t r = 0; r < s.m; ++r) {
    for (std::uint64_t c = 0; c < s.k; ++c) {
      const Location at = layout.place(r, c);
      auto& burst = array[key(at.pc, at.group, at.bank, at.row, at.column)];
      burst.resize(lanes, 0.0);
      burst.at(at.lane) = w[r * s.k + c];
    }
  }
  std::vector<double> y(s.batch * s.m, 0.0);
  const CommandEngine engine(dram, pim);
  const std::uint64_t per_step = pim.kind == PimKind::kBank ? s.batch
                                 : pim.kind == PimKind::kBankGroup
                                     ? (s.batch + pim.vectors_per_read - 1) / pim.vectors_per_read
                                     : 1;
  for (std::uint64_t pc = 0; pc < geo.pcs; ++pc) {
    // One bank's burst at this command -> its unit's output row and input slice.
    const auto consume = [&](const ColumnCommand& c, std::uint64_t group, std::uint64_t bank,
                             std::uint64_t local_unit) {
      const auto it = array.find(key(pc, group, bank, c.row, c.column));
      const std::uint64_t unit = layout.unit_id(pc, local_unit);
      const std::uint64_t q = layout.stream_position(c.step, group);
      const std::uint64_t local_row = q / layout.kc();
      if (local_row >= layout.unit_rows(unit)) return;  // padding steps of a shorter unit
      const std::uint64_t r = layout.global_row(unit, local_row);
      const std::uint64_t c0 = (q % layout.kc()) * lanes;
      if (it == array.end()) return;  // never written: zeros
      for (std::uint64_t v = c.vector_first; v < c.vector_first + c.vector_count; ++v) {
        for (std::uint64_t l = 0; l < lanes && c0 + l < s.k; ++l) {
          y[v * s.m + r] += it->second[l] * x[v * s.k + c0 + l];
        }
      }
    };
    const auto on_column = [&](const ColumnCommand& c) {
      switch (pim.kind) {
        case PimKind::kBank:
          for (std::uint64_t b = 0; b < geo.banks_per_pc(); ++b) {
            consume(c, b / geo.banks_per_group, b % geo.banks_per_group, b);
          }
          break;
        case PimKind::kBankGroup:
          for (std::uint64_t g = 0; g < geo.groups_per_pc; ++g) consume(c, g, c.bank, g);
          break;
        case PimKind::kLogic:
          for (std::uint64_t g = 0; g < geo.groups_per_pc; ++g) consume(c, g, c.bank, 0);
          break;
      }
    };
    (void)engine.run({layout.steps(pc), per_step, s.batch, lanes}, on_column);
  }
  return y;
}

}  // namespace tiersim::models::pim
