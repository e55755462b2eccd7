// DRAM addresses of the PIM commands of pseudo channel 0 (shared by the command engine and the
// closed form): a bank set s is bank s mod banks_per_group of every bank group, row
// s / banks_per_group (bank-PIM: every bank, row s).
#pragma once

#include "models/dram/spec.h"
#include "models/pim/pim_spec.h"

namespace tiersim::models::pim {

[[nodiscard]] inline dram::Command column_command(PimKind k) {
  switch (k) {
    case PimKind::kBank:
      return dram::Command::kMACab;
    case PimKind::kBankGroup:
      return dram::Command::kMACbg;
    case PimKind::kLogic:
      return dram::Command::kRDbb;
  }
  return dram::Command::kMACab;
}

class PimAddresses {
 public:
  PimAddresses(const dram::DramSpec& s, PimKind k)
      : bank_groups_(s.count(dram::Level::kBankGroup)),
        banks_(s.count(dram::Level::kBank)),
        all_bank_(k == PimKind::kBank) {}
  [[nodiscard]] dram::DramAddress pc() const { return {}; }
  // Bank of group g (rank g / bank_groups, bank group g mod bank_groups) in bank set s.
  [[nodiscard]] dram::DramAddress bank(std::uint64_t g, std::uint64_t s) const {
    dram::DramAddress a;
    a[dram::Level::kRank] = static_cast<std::uint32_t>(g / bank_groups_);
    a[dram::Level::kBankGroup] = static_cast<std::uint32_t>(g % bank_groups_);
    a[dram::Level::kBank] = static_cast<std::uint32_t>(bank_of_set(s));
    a.row = static_cast<std::uint32_t>(row_of_set(s));
    return a;
  }
  [[nodiscard]] std::uint64_t bank_of_set(std::uint64_t s) const {
    return all_bank_ ? 0 : s % banks_;
  }
  [[nodiscard]] std::uint64_t row_of_set(std::uint64_t s) const {
    return all_bank_ ? s : s / banks_;
  }

 private:
  std::uint64_t bank_groups_;
  std::uint64_t banks_;
  bool all_bank_;
};

}  // namespace tiersim::models::pim
