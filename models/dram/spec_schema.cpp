// The config schema of a `dram` component: every key a preset or a system file may set.
#include "models/dram/spec.h"

namespace tiersim::models::dram {

using config::Schema;
using config::Type;

namespace {

config::SchemaPtr organization_schema() {
  auto s = std::make_shared<Schema>("dram.organization",
                                    "Counts per parent, from the widest level to the bank.");
  s->add("channels", Type::kUInt, "Independent channels (command + data buses).")
      .require()
      .at_least(1);
  s->add("pseudo_channels", Type::kUInt, "Pseudo channels per channel (HBM); 1 elsewhere.")
      .default_to("1")
      .at_least(1);
  s->add("ranks", Type::kUInt, "Ranks per (pseudo) channel; stack IDs (SID) in HBM3.")
      .default_to("1")
      .at_least(1);
  s->add("bank_groups", Type::kUInt, "Bank groups per rank.").default_to("1").at_least(1);
  s->add("banks", Type::kUInt, "Banks per bank group.").require().at_least(1);
  s->add("rows", Type::kUInt, "Rows per bank.").require().at_least(1);
  s->add("row_bytes", Type::kSize, "Page size: bytes of one row on one data bus.").require();
  s->add("data_width", Type::kUInt, "Data-bus width in bits of the level owning a data bus.")
      .require()
      .at_least(1);
  s->add("burst_length", Type::kUInt, "Beats per RD/WR burst (BL).").require().at_least(1);
  s->add("data_bus_level", Type::kString, "The level that owns a data bus.")
      .default_to("channel")
      .one_of({"channel", "pseudo_channel", "rank"});
  s->add("dual_command_bus", Type::kBool,
         "Separate row (ACT/PRE/REF) and column (RD/WR) command buses per channel (HBM).")
      .default_to("false");
  return s;
}

config::SchemaPtr constraint_schema() {
  auto s = std::make_shared<Schema>(
      "dram.constraint",
      "After a `from` command to a node at `level`, a `to` command under that node waits "
      "`cycles` (tCK). `sibling`: applies to the other nodes at `level` under the same parent "
      "instead. `window` W: counts from the W-th most recent `from` (tFAW has window 4).");
  s->add("name", Type::kString, "Rule name, used by tests (e.g. ActToRd_SameBank_tRCD).").require();
  s->add("level", Type::kString, "Level of the node the rule is kept at.")
      .require()
      .one_of({"channel", "pseudo_channel", "rank", "bank_group", "bank"});
  s->add("from", Type::kList, "Preceding commands.").items(Type::kString).require();
  s->add("to", Type::kList, "Following commands.").items(Type::kString).require();
  s->add("cycles", Type::kString,
         "Minimum distance in tCK: an integer, a parameter name or a sum such as "
         "'nCL + nBL + 2 - nCWL'.")
      .require();
  s->add("window", Type::kUInt, "Rolling window of `from` commands (1: the last one).")
      .default_to("1")
      .at_least(1);
  s->add("sibling", Type::kBool, "Applies to the other nodes at `level`.").default_to("false");
  return s;
}

config::SchemaPtr timing_schema() {
  auto s = std::make_shared<Schema>("dram.timing", "Clock and timing parameters in cycles.");
  s->add("tCK", Type::kTime, "Command clock period.").require();
  s->add("params", Type::kDict, "Timing parameters in tCK (nCL, nRCD, ...), each with a source.")
      .items(Type::kUInt)
      .require();
  s->add("read_latency", Type::kString, "RD to first data beat (expression).").require();
  s->add("write_latency", Type::kString, "WR to first data beat (expression).").require();
  s->add("burst_cycles", Type::kString, "Data-bus cycles of one burst (expression).").require();
  return s;
}

config::SchemaPtr refresh_schema() {
  auto s = std::make_shared<Schema>("dram.refresh", "Refresh scheme.");
  s->add("mode", Type::kString, "all_bank (REFab), per_bank (REFpb round robin) or none.")
      .default_to("all_bank")
      .one_of({"all_bank", "per_bank", "none"});
  s->add("level", Type::kString, "Scope of one REFab (every bank below it).")
      .default_to("rank")
      .one_of({"channel", "pseudo_channel", "rank"});
  s->add("interval", Type::kString, "tREFI (expression in tCK).").default_to("nREFI");
  s->add("duration", Type::kString, "tRFC (expression in tCK).").default_to("nRFC");
  s->add("per_bank_interval", Type::kString, "tREFIpb (expression; per_bank mode).")
      .default_to("0");
  s->add("per_bank_duration", Type::kString, "tRFCpb (expression; per_bank mode).").default_to("0");
  return s;
}

config::SchemaPtr controller_schema() {
  auto s = std::make_shared<Schema>("dram.controller", "Memory controller, one per channel.");
  s->add("scheduler", Type::kString, "Command scheduler.")
      .default_to("frfcfs")
      .one_of({"frfcfs", "fcfs"});
  s->add("row_policy", Type::kString,
         "open: rows stay open; closed: auto-precharge when no queued access hits the row; "
         "timeout: precharge a row idle for row_timeout.")
      .default_to("open")
      .one_of({"open", "closed", "timeout"});
  s->add("row_timeout", Type::kTime, "Idle time before a timeout precharge.").default_to("50 ns");
  s->add("read_queue", Type::kUInt, "Read queue entries (bursts) per channel.")
      .default_to("64")
      .at_least(1);
  s->add("write_queue", Type::kUInt, "Write queue entries (bursts) per channel.")
      .default_to("64")
      .at_least(1);
  s->add("write_high_watermark", Type::kUInt, "Start draining writes at this many queued.")
      .default_to("48");
  s->add("write_low_watermark", Type::kUInt, "Stop draining writes at this many queued.")
      .default_to("16");
  s->add("latency", Type::kTime,
         "Front-end delay from arrival until the request's first command may issue.")
      .default_to("0 ns");
  return s;
}

config::SchemaPtr mapping_schema() {
  auto s = std::make_shared<Schema>(
      "dram.mapping",
      "Address mapping: fields from the most significant down (Ro row, Ba bank, Bg bank group, "
      "Ra rank/SID, Co column, Pc pseudo channel, Ch channel); the burst offset is below all.");
  s->add("order", Type::kString, "Bit-order string, each field once.").default_to("RoBaRaCoBgPcCh");
  s->add("xor_bank", Type::kBool, "XOR bank and bank-group indices with the low row bits.")
      .default_to("false");
  return s;
}

config::SchemaPtr energy_schema() {
  auto s = std::make_shared<Schema>("dram.energy", "Energy per command on one data bus.");
  s->add("ACT", Type::kEnergy, "One activate + its precharge share.").default_to("0 pJ");
  s->add("PRE", Type::kEnergy, "One precharge (if not folded into ACT).").default_to("0 pJ");
  s->add("RD", Type::kEnergy, "One read burst (array + I/O).").default_to("0 pJ");
  s->add("WR", Type::kEnergy, "One write burst (array + I/O).").default_to("0 pJ");
  s->add("REFab", Type::kEnergy, "One all-bank refresh of one scope.").default_to("0 pJ");
  s->add("REFpb", Type::kEnergy, "One per-bank refresh.").default_to("0 pJ");
  s->add("column_access", Type::kEnergy,
         "PIM: one burst from the array to its bank's I/O (part of RD).")
      .default_to("0 pJ");
  s->add("bank_group_bus", Type::kEnergy,
         "PIM: one burst from a bank to its bank group's I/O (part of RD).")
      .default_to("0 pJ");
  s->add("tsv", Type::kEnergy, "PIM: one burst over the TSVs to the logic die (part of RD).")
      .default_to("0 pJ");
  s->add("background", Type::kPower, "Background (standby) power per channel.").default_to("0 W");
  s->add("source", Type::kString, "Where the energy numbers come from.").default_to("assumed");
  return s;
}

}  // namespace

config::SchemaPtr dram_schema() {
  auto s = std::make_shared<Schema>(
      "dram", "Command-level DRAM (HBM/DDR/LPDDR) with a standard described as data.");
  s->add("fidelity", Type::kString,
         "fast: requests timed arithmetically per bank/channel timeline; detailed: command by "
         "command (the reference).")
      .default_to("fast")
      .one_of({"fast", "detailed"});
  s->add("standard", Type::kString, "Standard name (HBM3, DDR5, ...).").require();
  s->add("source", Type::kString, "Where the numbers come from.").default_to("assumed");
  s->add("organization", Type::kMap, "Organization.").nested(organization_schema()).require();
  s->add("timing", Type::kMap, "Timing.").nested(timing_schema()).require();
  s->add("constraints", Type::kList, "Timing constraints (the rule table).")
      .items(constraint_schema())
      .require();
  s->add("refresh", Type::kMap, "Refresh.").nested(refresh_schema());
  s->add("controller", Type::kMap, "Controller.").nested(controller_schema());
  s->add("mapping", Type::kMap, "Address mapping.").nested(mapping_schema());
  s->add("energy", Type::kMap, "Energy table.").nested(energy_schema());
  return s;
}

}  // namespace tiersim::models::dram
