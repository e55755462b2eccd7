// Vocabulary of the DRAM model: organization levels, commands, decoded addresses, cycle counts.
//
// Contract:
//  - Levels are ordered from the widest (channel) to the narrowest (bank); rows and columns are
//    not levels (a bank holds one open row). A standard without a level (DDR5 has no pseudo
//    channel) gives it a count of 1.
//  - Commands are the JEDEC command set shared by all presets; a standard that lacks one simply
//    has no constraint naming it. REFpb is per-bank refresh (REFsb in HBM3/DDR5 same-bank mode is
//    accepted as an alias in presets).
//  - PIM extensions (models/pim, docs/models/pim.md), timed by the same constraint table: ACTab
//    activates one row in every bank of a pseudo channel (bank-PIM); MACab reads one column of
//    every bank of the pseudo channel into its per-bank MAC unit; MACbg reads one column of one
//    bank in every bank group of the pseudo channel into the bank group's MAC unit; RDbb (bank
//    bundle read, logic-die PIM) reads one column of one bank in every bank group and sends it
//    over extra TSVs to the logic die. Neither MAC nor RDbb uses the external data bus. The DRAM
//    engines never issue them.
//  - Cycle is a count of the device's command clock (tCK); conversion to Time happens only at the
//    model's boundary (cycles * tCK).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tiersim::models::dram {

using Cycle = std::int64_t;

enum class Level : std::uint8_t { kChannel, kPseudoChannel, kRank, kBankGroup, kBank };
inline constexpr std::size_t kLevels = 5;
inline constexpr std::array<std::string_view, kLevels> kLevelNames = {"channel", "pseudo_channel",
                                                                      "rank", "bank_group", "bank"};

enum class Command : std::uint8_t {
  kACT,
  kPRE,
  kPREA,
  kRD,
  kWR,
  kRDA,
  kWRA,
  kREFab,
  kREFpb,
  kACTab,  // PIM: all-bank activate
  kMACab,  // PIM: all-bank MAC
  kMACbg,  // PIM: bank-group MAC
  kRDbb,   // PIM: bank-bundle read to the logic die
};
inline constexpr std::size_t kCommands = 13;
inline constexpr std::array<std::string_view, kCommands> kCommandNames = {
    "ACT",   "PRE",   "PREA",  "RD",    "WR",    "RDA", "WRA",
    "REFab", "REFpb", "ACTab", "MACab", "MACbg", "RDbb"};

[[nodiscard]] constexpr std::size_t index(Level l) {
  return static_cast<std::size_t>(l);
}
[[nodiscard]] constexpr std::size_t index(Command c) {
  return static_cast<std::size_t>(c);
}
[[nodiscard]] constexpr Level level_at(std::size_t i) {
  return static_cast<Level>(i);
}
[[nodiscard]] constexpr Command command_at(std::size_t i) {
  return static_cast<Command>(i);
}
[[nodiscard]] constexpr bool is_column(Command c) {
  return c == Command::kRD || c == Command::kWR || c == Command::kRDA || c == Command::kWRA;
}
[[nodiscard]] constexpr bool is_write(Command c) {
  return c == Command::kWR || c == Command::kWRA;
}

// A set of commands as a bit mask (bit i = command i).
using CommandMask = std::uint16_t;
[[nodiscard]] constexpr CommandMask bit(Command c) {
  return static_cast<CommandMask>(1U << index(c));
}

[[nodiscard]] std::optional<Command> parse_command(std::string_view name);
[[nodiscard]] std::optional<Level> parse_level(std::string_view name);

// A decoded burst address: one index per level, plus row and column (in bursts).
struct DramAddress {
  std::array<std::uint32_t, kLevels> at{};
  std::uint32_t row = 0;
  std::uint32_t column = 0;

  [[nodiscard]] std::uint32_t operator[](Level l) const { return at[index(l)]; }
  std::uint32_t& operator[](Level l) { return at[index(l)]; }
};

}  // namespace tiersim::models::dram
