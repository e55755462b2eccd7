#include "models/dram/address_mapping.h"

#include <fmt/format.h>

#include "sim/config/config_error.h"

namespace tiersim::models::dram {

namespace {

constexpr std::array<std::string_view, kFields> kFieldCodes = {"Ro", "Ba", "Bg", "Ra",
                                                               "Co", "Pc", "Ch"};

bool power_of_two(std::uint64_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

std::uint32_t mix(std::uint32_t idx, std::uint64_t key, std::uint32_t n) {
  if (n <= 1) return idx;
  if (power_of_two(n)) return idx ^ static_cast<std::uint32_t>(key & (n - 1));
  return static_cast<std::uint32_t>((idx + key) % n);
}

}  // namespace

AddressMapping::AddressMapping(const DramSpec& spec, const config::Origin& origin)
    : burst_bytes_(spec.burst_bytes.count()),
      xor_(spec.xor_bank),
      bank_groups_(spec.org.count[index(Level::kBankGroup)]),
      banks_(spec.org.count[index(Level::kBank)]) {
  const std::array<std::uint64_t, kFields> radix = {spec.org.rows,
                                                    spec.org.count[index(Level::kBank)],
                                                    spec.org.count[index(Level::kBankGroup)],
                                                    spec.org.count[index(Level::kRank)],
                                                    spec.org.columns,
                                                    spec.org.count[index(Level::kPseudoChannel)],
                                                    spec.org.count[index(Level::kChannel)]};
  const std::string& s = spec.mapping;
  std::vector<Field> msb_first;
  std::array<bool, kFields> seen{};
  for (std::size_t i = 0; i + 1 < s.size() + 1 && i < s.size(); i += 2) {
    const std::string_view code = std::string_view(s).substr(i, 2);
    std::size_t f = kFields;
    for (std::size_t k = 0; k < kFields; ++k) {
      if (kFieldCodes[k] == code) f = k;
    }
    if (f == kFields || seen[f]) {
      throw config::ConfigError(
          origin,
          fmt::format("mapping '{}': '{}' is {} (use Ro, Ba, Bg, Ra, Co, Pc, Ch, each once)", s,
                      code, f == kFields ? "not a field" : "repeated"));
    }
    seen[f] = true;
    msb_first.push_back(static_cast<Field>(f));
  }
  if (msb_first.size() != kFields || s.size() != 2 * kFields) {
    throw config::ConfigError(
        origin, fmt::format("mapping '{}' must name each of Ro, Ba, Bg, Ra, Co, Pc, Ch once", s));
  }
  std::uint64_t place = 1;
  for (auto it = msb_first.rbegin(); it != msb_first.rend(); ++it) {
    const std::size_t f = static_cast<std::size_t>(*it);
    position_[f] = digits_.size();
    digits_.push_back({*it, radix[f], place});
    place *= radix[f];
  }
  total_ = place;
}

void AddressMapping::hash(DramAddress& a) const {
  if (!xor_) return;
  a[Level::kBankGroup] = mix(a[Level::kBankGroup], a.row, bank_groups_);
  a[Level::kBank] = mix(a[Level::kBank], a.row / bank_groups_, banks_);
}

DramAddress AddressMapping::decode(std::uint64_t burst) const {
  DramAddress a;
  const auto d = [&](Field f) { return static_cast<std::uint32_t>(digit(burst, f)); };
  a[Level::kChannel] = d(Field::kChannel);
  a[Level::kPseudoChannel] = d(Field::kPseudoChannel);
  a[Level::kRank] = d(Field::kRank);
  a[Level::kBankGroup] = d(Field::kBankGroup);
  a[Level::kBank] = d(Field::kBank);
  a.row = d(Field::kRow);
  a.column = d(Field::kColumn);
  hash(a);
  return a;
}

std::uint64_t AddressMapping::count_below(std::uint64_t n, const FieldValues& v,
                                          const FieldMask& fixed) const {
  // Numbers x in [0, n) whose fixed digits match: walk n's digits from the most significant.
  if (n >= total_) {
    std::uint64_t c = 1;
    for (const Digit& d : digits_) {
      if (!fixed[static_cast<std::size_t>(d.field)]) c *= d.radix;
    }
    return c;
  }
  // free_below[k]: combinations of the digits below position k.
  std::array<std::uint64_t, kFields + 1> free_below{};
  free_below[0] = 1;
  for (std::size_t k = 0; k < digits_.size(); ++k) {
    const bool fx = fixed[static_cast<std::size_t>(digits_[k].field)];
    free_below[k + 1] = free_below[k] * (fx ? 1 : digits_[k].radix);
  }
  std::uint64_t total = 0;
  for (std::size_t k = digits_.size(); k-- > 0;) {
    const Digit& d = digits_[k];
    const std::uint64_t nd = (n / d.place) % d.radix;
    const std::size_t f = static_cast<std::size_t>(d.field);
    if (fixed[f]) {
      if (v[f] < nd) total += free_below[k];
      if (v[f] != nd) return total;
    } else {
      total += nd * free_below[k];
    }
  }
  return total;
}

std::uint64_t AddressMapping::count(std::uint64_t lo, std::uint64_t hi, const FieldValues& v,
                                    const FieldMask& fixed) const {
  if (hi <= lo) return 0;
  return count_below(hi, v, fixed) - count_below(lo, v, fixed);
}

}  // namespace tiersim::models::dram
