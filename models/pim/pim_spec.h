// A PIM stack's description: the DRAM standard it is built on (models/dram/spec.h, e.g. the HBM3
// preset) plus the PIM kind, the GEMV data mapping and the PIM units (docs/models/pim.md).
//
// Contract:
//  - pim_schema() is the `dram` schema plus a `pim` map (kind, mapping, units, energy); a `pim`
//    component config or a configs/pim/*.yaml preset validates against it.
//  - pim_spec_from() reads a validated `pim` map. It throws config::ConfigError at the offending
//    key for a zero vectors_per_read or logic_macs, or a DRAM organization the kind cannot use
//    (see PimGeometry).
//  - Organization (PimGeometry): a pseudo channel (the level owning a data bus) holds
//    groups_per_pc = ranks x bank_groups bank groups of banks_per_group banks. Bank-PIM has one
//    MAC unit per bank; bank-group PIM one per bank group; logic-die PIM one compute module per
//    pseudo channel on the logic die, fed by bank-bundle reads (one bank of every bank group).
#pragma once

#include <cstdint>
#include <string>

#include "models/dram/spec.h"
#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/units/units.h"

namespace tiersim::models::pim {

enum class PimKind : std::uint8_t { kBank, kBankGroup, kLogic };
[[nodiscard]] const char* to_string(PimKind k);

// Output rows of a GEMV to compute units: cyclic (row r -> unit r mod U) or blocked (contiguous
// ceil(M/U) rows per unit).
enum class RowMapping : std::uint8_t { kCyclic, kBlocked };
// Global unit id -> (pseudo channel, unit in it): pc_first (pc = u mod PCs) or unit_first
// (unit in pc = u mod units per pc).
enum class UnitOrder : std::uint8_t { kPcFirst, kUnitFirst };

struct PimSpec {
  PimKind kind = PimKind::kBank;
  RowMapping rows = RowMapping::kCyclic;
  UnitOrder units = UnitOrder::kPcFirst;
  // Input vectors one MAC command applies to each burst it reads (bank-PIM: 1; bank-group PIM:
  // its MAC lanes / elements per burst). Logic-die PIM reads once and computes on the logic die.
  std::uint32_t vectors_per_read = 1;
  std::uint32_t logic_macs = 512;                // MAC lanes per logic-die module
  Frequency logic_clock = Frequency::hz(650e6);  // logic-die module clock
  Energy mac_energy;                             // one MAC in the PIM unit
  bool dual_row_buffer = false;                  // NeuPIMs: normal accesses overlap PIM
};

struct PimGeometry {
  std::uint64_t pcs = 0;              // pseudo channels (data buses) in the device
  std::uint64_t groups_per_pc = 0;    // bank groups per pseudo channel (ranks x bank_groups)
  std::uint64_t banks_per_group = 0;  // banks per bank group
  std::uint64_t columns = 0;          // bursts per row
  std::uint64_t rows = 0;             // rows per bank
  [[nodiscard]] std::uint64_t banks_per_pc() const { return groups_per_pc * banks_per_group; }
  // Compute units per pseudo channel of a kind: banks, bank groups, or 1 (the logic module).
  [[nodiscard]] std::uint64_t units_per_pc(PimKind k) const;
};

// The pseudo-channel geometry; throws std::invalid_argument unless the data bus is at the
// pseudo-channel (or channel) level, above ranks.
[[nodiscard]] PimGeometry geometry_of(const dram::DramSpec& s);

[[nodiscard]] config::SchemaPtr pim_schema();
[[nodiscard]] PimSpec pim_spec_from(const config::Node& pim_map);

// A configs/pim/*.yaml preset (`type: pim` plus pim_schema keys) loaded, with an optional YAML
// map merged on top (e.g. "pim: {row_mapping: blocked}"), validated and read.
struct PimPreset {
  dram::DramSpec dram;
  PimSpec pim;
};
[[nodiscard]] PimPreset load_pim_preset(const std::string& path, const std::string& overrides = "");

}  // namespace tiersim::models::pim
