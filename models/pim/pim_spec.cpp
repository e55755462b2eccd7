#include "models/pim/pim_spec.h"

#include <stdexcept>

#include "sim/config/config_error.h"
#include "sim/config/loader.h"

namespace tiersim::models::pim {

using config::Schema;
using config::Type;
using dram::Level;

const char* to_string(PimKind k) {
  switch (k) {
    case PimKind::kBank:
      return "bank";
    case PimKind::kBankGroup:
      return "bank_group";
    case PimKind::kLogic:
      return "logic";
  }
  return "?";
}

std::uint64_t PimGeometry::units_per_pc(PimKind k) const {
  switch (k) {
    case PimKind::kBank:
      return banks_per_pc();
    case PimKind::kBankGroup:
      return groups_per_pc;
    case PimKind::kLogic:
      return 1;
  }
  return 1;
}

PimGeometry geometry_of(const dram::DramSpec& s) {
  if (dram::index(s.data_bus_level) > dram::index(Level::kPseudoChannel)) {
    throw std::invalid_argument("PIM needs the data bus at the channel or pseudo-channel level");
  }
  PimGeometry g;
  g.pcs = s.nodes(Level::kPseudoChannel);
  g.groups_per_pc = s.count(Level::kRank) * s.count(Level::kBankGroup);
  g.banks_per_group = s.count(Level::kBank);
  g.columns = s.org.columns;
  g.rows = s.org.rows;
  return g;
}

namespace {

config::SchemaPtr pim_map_schema() {
  auto s = std::make_shared<Schema>("pim.pim", "The PIM units and the GEMV data mapping.");
  s->add("kind", Type::kString,
         "bank: a MAC unit per bank, all-bank commands (HBM-PIM/AiM); bank_group: a MAC unit per "
         "bank group; logic: compute on the logic die fed by bank-bundle reads (Duplex).")
      .require()
      .one_of({"bank", "bank_group", "logic"});
  s->add("row_mapping", Type::kString,
         "GEMV output rows to units: cyclic (r mod units) or blocked (contiguous).")
      .default_to("cyclic")
      .one_of({"cyclic", "blocked"});
  s->add("unit_order", Type::kString,
         "Unit numbering: pc_first (consecutive units on different pseudo channels) or "
         "unit_first.")
      .default_to("pc_first")
      .one_of({"pc_first", "unit_first"});
  s->add("vectors_per_read", Type::kUInt,
         "Input vectors one MAC command applies to a burst (MAC lanes / burst elements).")
      .default_to("1")
      .at_least(1);
  s->add("logic_macs", Type::kUInt,
         "logic: MAC lanes per logic-die module (one per pseudo channel).")
      .default_to("512")
      .at_least(1);
  s->add("logic_clock", Type::kFrequency, "logic: logic-die module clock.").default_to("650 MHz");
  s->add("mac_energy", Type::kEnergy, "Energy of one MAC in the PIM unit.").default_to("0 pJ");
  s->add("dual_row_buffer", Type::kBool,
         "NeuPIMs-style second row buffer: normal reads/writes proceed while PIM computes.")
      .default_to("false");
  s->add("source", Type::kString, "Where the PIM numbers come from.").default_to("assumed");
  return s;
}

}  // namespace

config::SchemaPtr pim_schema() {
  auto s = std::make_shared<Schema>(
      "pim",
      "Processing-in-memory on a DRAM stack: a `dram` standard plus PIM units; serves GEMV, "
      "decode attention and MoE FFN compute transactions, and normal reads/writes.");
  const config::SchemaPtr dram = dram::dram_schema();  // held: fields() refers into it
  for (const auto& f : dram->fields()) s->add(f.key, f.type, f.doc) = f;
  s->add("pim", Type::kMap, "PIM units and mapping.").nested(pim_map_schema()).require();
  return s;
}

PimSpec pim_spec_from(const config::Node& m) {
  PimSpec p;
  const std::string kind = m.get_string("kind");
  p.kind = kind == "bank"         ? PimKind::kBank
           : kind == "bank_group" ? PimKind::kBankGroup
                                  : PimKind::kLogic;
  p.rows = m.get_string("row_mapping") == "blocked" ? RowMapping::kBlocked : RowMapping::kCyclic;
  p.units =
      m.get_string("unit_order") == "unit_first" ? UnitOrder::kUnitFirst : UnitOrder::kPcFirst;
  p.vectors_per_read = static_cast<std::uint32_t>(m.get_uint("vectors_per_read"));
  p.logic_macs = static_cast<std::uint32_t>(m.get_uint("logic_macs"));
  p.logic_clock = m.get_frequency("logic_clock");
  if (p.logic_clock.as_hz() <= 0.0) {
    throw config::ConfigError(m.at("logic_clock").origin(), "logic_clock must be > 0");
  }
  p.mac_energy = m.get_energy("mac_energy");
  p.dual_row_buffer = m.get_bool("dual_row_buffer");
  return p;
}

PimPreset load_pim_preset(const std::string& path, const std::string& overrides) {
  config::Node n = config::load_file(path);
  if (!overrides.empty()) config::merge_into(n, config::parse_yaml(overrides, "<overrides>"));
  Schema s("pim");
  const config::SchemaPtr pim = pim_schema();  // held: fields() refers into it
  for (const auto& f : pim->fields()) s.add(f.key, f.type, f.doc) = f;
  s.add("type", Type::kString, "Component type.").one_of({"pim"});
  config::validate(n, s, "pim");
  return {dram::spec_from_config(n), pim_spec_from(n.at("pim"))};
}

}  // namespace tiersim::models::pim
