#include "models/pim/layout.h"

#include <algorithm>
#include <stdexcept>

namespace tiersim::models::pim {

namespace {
std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}
}  // namespace

Layout::Layout(const PimGeometry& g, const PimSpec& p, const GemvShape& s, std::uint64_t lanes)
    : g_(g), p_(p), s_(s), lanes_(lanes) {
  if (s.m == 0 || s.k == 0 || s.batch == 0 || lanes == 0) {
    throw std::invalid_argument(
        "pim gemv: m, k, batch must be > 0 (and a burst must hold an "
        "element)");
  }
  kc_ = ceil_div(s.k, lanes);
  per_pc_ = g.units_per_pc(p.kind);
  units_ = per_pc_ * g.pcs;
  block_ = ceil_div(s.m, units_);
  for (std::uint64_t pc = 0; pc < g.pcs; ++pc) max_steps_ = std::max(max_steps_, steps(pc));
  const std::uint64_t sets = ceil_div(max_steps_, g.columns);
  const std::uint64_t rows_needed =
      p.kind == PimKind::kBank ? sets : ceil_div(sets, g.banks_per_group);
  if (rows_needed > g.rows) {
    throw std::invalid_argument("pim gemv: the weights do not fit the banks' rows");
  }
}

std::uint64_t Layout::unit_id(std::uint64_t pc, std::uint64_t local) const {
  return p_.units == UnitOrder::kPcFirst ? local * g_.pcs + pc : pc * per_pc_ + local;
}

std::uint64_t Layout::pc_of(std::uint64_t unit) const {
  return p_.units == UnitOrder::kPcFirst ? unit % g_.pcs : unit / per_pc_;
}

std::uint64_t Layout::local_of(std::uint64_t unit) const {
  return p_.units == UnitOrder::kPcFirst ? unit / g_.pcs : unit % per_pc_;
}

std::uint64_t Layout::unit_rows(std::uint64_t unit) const {
  if (p_.rows == RowMapping::kCyclic) return s_.m / units_ + (unit < s_.m % units_ ? 1 : 0);
  const std::uint64_t first = unit * block_;
  return first >= s_.m ? 0 : std::min(block_, s_.m - first);
}

std::uint64_t Layout::global_row(std::uint64_t unit, std::uint64_t local_row) const {
  return p_.rows == RowMapping::kCyclic ? local_row * units_ + unit : unit * block_ + local_row;
}

std::uint64_t Layout::steps(std::uint64_t pc) const {
  std::uint64_t most = 0;
  for (std::uint64_t l = 0; l < per_pc_; ++l) most = std::max(most, unit_rows(unit_id(pc, l)));
  const std::uint64_t bursts = most * kc_;
  return p_.kind == PimKind::kLogic ? ceil_div(bursts, g_.groups_per_pc) : bursts;
}

Location Layout::place(std::uint64_t r, std::uint64_t c) const {
  if (r >= s_.m || c >= s_.k) throw std::out_of_range("pim layout: element outside the matrix");
  std::uint64_t unit = 0;
  std::uint64_t local_row = 0;
  if (p_.rows == RowMapping::kCyclic) {
    unit = r % units_;
    local_row = r / units_;
  } else {
    unit = r / block_;
    local_row = r % block_;
  }
  const std::uint64_t q = local_row * kc_ + c / lanes_;
  Location at;
  at.pc = pc_of(unit);
  at.lane = c % lanes_;
  const std::uint64_t local = local_of(unit);
  switch (p_.kind) {
    case PimKind::kBank:
      at.group = local / g_.banks_per_group;
      at.bank = local % g_.banks_per_group;
      at.row = q / g_.columns;
      at.column = q % g_.columns;
      break;
    case PimKind::kBankGroup: {
      const std::uint64_t set = q / g_.columns;
      at.group = local;
      at.bank = set % g_.banks_per_group;
      at.row = set / g_.banks_per_group;
      at.column = q % g_.columns;
      break;
    }
    case PimKind::kLogic: {
      const std::uint64_t t = q / g_.groups_per_pc;
      const std::uint64_t set = t / g_.columns;
      at.group = q % g_.groups_per_pc;
      at.bank = set % g_.banks_per_group;
      at.row = set / g_.banks_per_group;
      at.column = t % g_.columns;
      break;
    }
  }
  return at;
}

std::uint64_t Layout::stream_position(std::uint64_t step, std::uint64_t group) const {
  return p_.kind == PimKind::kLogic ? step * g_.groups_per_pc + group : step;
}

}  // namespace tiersim::models::pim
