// Address mapping: physical byte address -> (channel, pseudo channel, rank, bank group, bank, row,
// column) by a bit-order string such as "RoBaRaCoBgPcCh" (most significant field first; the
// burst offset sits below every field).
//
// Contract:
//  - Each of Ro, Ba, Bg, Ra, Co, Pc, Ch appears exactly once. Fields are mixed-radix digits of the
//    burst index (address / burst_bytes), least significant at the right; with power-of-two counts
//    this is exactly the usual bit slicing, and non-power-of-two counts (e.g. 80 channels) work.
//  - xor_bank: the bank-group index is XORed with the low row bits and the bank index with the
//    next ones (a permutation; for non-power-of-two counts modular addition is used instead).
//  - Addresses at or beyond the capacity wrap into it (callers check capacity separately).
//  - count(lo, hi, fixed) counts burst indices in [lo, hi) whose digits equal the given values
//    for the fields marked fixed, in O(fields): the fast fidelity splits a request with it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/dram/spec.h"

namespace tiersim::models::dram {

enum class Field : std::uint8_t {
  kRow,
  kBank,
  kBankGroup,
  kRank,
  kColumn,
  kPseudoChannel,
  kChannel
};
inline constexpr std::size_t kFields = 7;

class AddressMapping {
 public:
  // Throws config::ConfigError at `origin` for a malformed order string.
  AddressMapping(const DramSpec& spec, const config::Origin& origin = {});

  struct Digit {
    Field field;
    std::uint64_t radix;
    std::uint64_t place;  // in bursts
  };

  [[nodiscard]] std::uint64_t burst_index(std::uint64_t address) const {
    return (address / burst_bytes_) % total_;
  }
  [[nodiscard]] std::uint64_t bursts() const { return total_; }
  [[nodiscard]] std::uint64_t digit(std::uint64_t burst, Field f) const {
    const Digit& d = digits_[position_[static_cast<std::size_t>(f)]];
    return (burst / d.place) % d.radix;
  }
  // Decodes one burst index (hashing applied).
  [[nodiscard]] DramAddress decode(std::uint64_t burst) const;
  // Applies the bank hash to an address whose bank fields hold the raw digits.
  void hash(DramAddress& a) const;
  // Digits, least significant first.
  [[nodiscard]] const std::vector<Digit>& digits() const { return digits_; }
  [[nodiscard]] const Digit& digit_of(Field f) const {
    return digits_[position_[static_cast<std::size_t>(f)]];
  }

  // Values per field; fields with fixed[f] false are free.
  using FieldValues = std::array<std::uint64_t, kFields>;
  using FieldMask = std::array<bool, kFields>;
  [[nodiscard]] std::uint64_t count(std::uint64_t lo, std::uint64_t hi, const FieldValues& v,
                                    const FieldMask& fixed) const;

 private:
  [[nodiscard]] std::uint64_t count_below(std::uint64_t n, const FieldValues& v,
                                          const FieldMask& fixed) const;
  std::uint64_t burst_bytes_;
  std::uint64_t total_ = 1;
  std::vector<Digit> digits_;
  std::array<std::size_t, kFields> position_{};
  bool xor_ = false;
  std::uint32_t bank_groups_;
  std::uint32_t banks_;
};

}  // namespace tiersim::models::dram
