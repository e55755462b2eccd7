// A DRAM standard as data: organization, timing parameters, the constraint table, refresh,
// controller settings, address mapping and energy, read from a validated config map (a preset
// under configs/dram/ merged with the component's own keys).
//
// Contract:
//  - from_config() expects a map already validated by dram_schema() (defaults filled). It throws
//    config::ConfigError at the offending value for what the schema cannot check: unknown
//    command or level names, an expression naming an unknown parameter, a negative result,
//    counts that are zero, a mapping string that does not name each field once.
//  - Constraint semantics (Ramulator-style): when a command in `from` is issued to a node N at
//    `level`, a later command in `to` aimed at any node under N waits `cycles` (non-sibling), or,
//    with `sibling`, a command aimed at another node at `level` under N's parent waits. With
//    `window` W > 1 the wait counts from the W-th most recent `from` command at N (tFAW).
//  - gap(from, to, rel) is the largest non-window constraint between two commands whose targets
//    first differ at level `rel` (rel == kLevels: same bank). Both fidelities use it or the table.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/dram/dram_types.h"
#include "sim/config/node.h"
#include "sim/config/schema.h"

namespace tiersim::models::dram {

struct Constraint {
  std::string name;  // the rule, e.g. "Hbm3_ActToRd_SameBank_tRCD" minus the standard prefix
  Level level = Level::kBank;
  CommandMask from = 0;
  CommandMask to = 0;
  Cycle cycles = 0;
  std::uint32_t window = 1;
  bool sibling = false;
  std::string expression;  // as written in the preset (for docs and messages)
};

struct Organization {
  std::array<std::uint32_t, kLevels> count{};  // per parent: channels, pseudo channels, ...
  std::uint32_t rows = 0;                      // per bank
  std::uint32_t columns = 0;                   // bursts per row
};

enum class RefreshMode : std::uint8_t { kNone, kAllBank, kPerBank };
enum class Scheduler : std::uint8_t { kFcfs, kFrFcfs };
enum class RowPolicy : std::uint8_t { kOpen, kClosed, kTimeout };

struct RefreshSpec {
  RefreshMode mode = RefreshMode::kAllBank;
  Level level = Level::kRank;   // scope of one all-bank refresh (REFab closes every bank below)
  Cycle interval = 0;           // tREFI: one REFab per scope node per interval
  Cycle duration = 0;           // tRFC
  Cycle per_bank_interval = 0;  // tREFIpb: one REFpb per scope node per interval (round robin)
  Cycle per_bank_duration = 0;  // tRFCpb
};

struct ControllerSpec {
  Scheduler scheduler = Scheduler::kFrFcfs;
  RowPolicy row_policy = RowPolicy::kOpen;
  Cycle row_timeout = 0;
  std::uint32_t read_queue = 32;
  std::uint32_t write_queue = 32;
  std::uint32_t write_high = 24;
  std::uint32_t write_low = 8;
  Cycle front_latency = 0;  // cycles from arrival until the request's first command may issue
};

struct EnergySpec {
  Energy act, pre, rd, wr, ref_ab, ref_pb;  // per command
  double background_watts_per_channel = 0.0;
  // Parts of one burst's read energy, per burst_bytes, for the PIM commands (docs/models/pim.md):
  // array to the bank's I/O; bank to its bank group's I/O (MAC unit or TSV interface); over the
  // TSVs to the logic die. RD = these three + the external I/O (PHY) share.
  Energy column_access, bank_group_bus, tsv;
};

struct DramSpec {
  std::string standard;
  std::string source;
  Organization org;
  Time tck;
  Bytes burst_bytes;                       // data moved by one RD/WR on the data bus
  Level data_bus_level = Level::kChannel;  // the level that owns a data bus (HBM: pseudo channel)
  bool dual_command_bus = false;           // separate row and column command buses (HBM)
  Cycle read_latency = 0;                  // CL: RD to first data beat
  Cycle write_latency = 0;                 // CWL: WR to first data beat
  Cycle burst_cycles = 0;                  // data-bus cycles of one burst
  std::map<std::string, Cycle> params;
  std::vector<Constraint> constraints;
  RefreshSpec refresh;
  ControllerSpec controller;
  std::string mapping;    // bit order, most significant first, e.g. "RoBaRaCoBgPcCh"
  bool xor_bank = false;  // bank group / bank index XORed with low row bits
  EnergySpec energy;

  // Derived.
  std::array<std::array<std::array<Cycle, kLevels + 1>, kCommands>, kCommands> gaps{};

  [[nodiscard]] Cycle gap(Command from, Command to, std::size_t rel) const {
    return gaps[index(from)][index(to)][rel];
  }
  [[nodiscard]] Time cycles(Cycle n) const { return tck * n; }
  [[nodiscard]] std::uint64_t count(Level l) const { return org.count[index(l)]; }
  // Nodes at level l in the whole device (product of counts down to l).
  [[nodiscard]] std::uint64_t nodes(Level l) const;
  [[nodiscard]] std::uint64_t banks_per_channel() const;
  [[nodiscard]] Bytes capacity() const;
  // Peak data bandwidth of the device: data buses * burst_bytes / (burst_cycles * tCK).
  [[nodiscard]] Bandwidth peak_bandwidth() const;
};

// Schema of every key of a `dram` component (and of the presets it extends).
[[nodiscard]] config::SchemaPtr dram_schema();

// Builds the spec from a validated map.
[[nodiscard]] DramSpec spec_from_config(const config::Node& cfg);

// Evaluates "nCL + nBL + 2 - nCWL" against params (integers and parameter names joined by + and
// -). Throws config::ConfigError at `origin` for an unknown name or bad syntax.
[[nodiscard]] Cycle evaluate_cycles(const std::string& expr,
                                    const std::map<std::string, Cycle>& params,
                                    const config::Origin& origin);

}  // namespace tiersim::models::dram
