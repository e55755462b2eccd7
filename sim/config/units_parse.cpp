#include "sim/config/units_parse.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <limits>
#include <optional>
#include <vector>

#include "sim/config/did_you_mean.h"

namespace tiersim::config {

namespace {

__extension__ using u128 = unsigned __int128;  // GCC/Clang extension, exact arithmetic

// value_in_base_unit = mantissa / 10^frac_digits * num / den
struct UnitDef {
  std::string_view name;
  Quantity q;
  u128 num;
  u128 den;
};

constexpr u128 kK = 1000;
constexpr u128 kKi = 1024;

// Base units: time -> ps, size -> byte, bandwidth -> byte/s, frequency -> Hz,
// transfer rate -> transfers/s, energy -> fJ (so nJ etc. are integers), power -> uW.
const std::vector<UnitDef>& unit_table() {
  static const std::vector<UnitDef> table = [] {
    std::vector<UnitDef> t = {
        {"ps", Quantity::kTime, 1, 1},
        {"ns", Quantity::kTime, kK, 1},
        {"us", Quantity::kTime, kK * kK, 1},
        {"\xC2\xB5s", Quantity::kTime, kK * kK, 1},  // µs
        {"ms", Quantity::kTime, kK * kK * kK, 1},
        {"s", Quantity::kTime, kK * kK * kK * kK, 1},
        {"Hz", Quantity::kFrequency, 1, 1},
        {"kHz", Quantity::kFrequency, kK, 1},
        {"MHz", Quantity::kFrequency, kK * kK, 1},
        {"GHz", Quantity::kFrequency, kK * kK * kK, 1},
        {"T/s", Quantity::kTransferRate, 1, 1},
        {"kT/s", Quantity::kTransferRate, kK, 1},
        {"MT/s", Quantity::kTransferRate, kK * kK, 1},
        {"GT/s", Quantity::kTransferRate, kK * kK * kK, 1},
        {"fJ", Quantity::kEnergy, 1, 1},
        {"pJ", Quantity::kEnergy, kK, 1},
        {"nJ", Quantity::kEnergy, kK * kK, 1},
        {"uJ", Quantity::kEnergy, kK * kK * kK, 1},
        {"mJ", Quantity::kEnergy, kK * kK * kK * kK, 1},
        {"J", Quantity::kEnergy, kK * kK * kK * kK * kK, 1},
        {"uW", Quantity::kPower, 1, 1},
        {"mW", Quantity::kPower, kK, 1},
        {"W", Quantity::kPower, kK * kK, 1},
        {"kW", Quantity::kPower, kK * kK * kK, 1},
    };
    // Sizes (bytes and bits, SI and binary prefixes) and the bandwidths built from them.
    struct Prefix {
      std::string_view p;
      u128 factor;
    };
    const std::array<Prefix, 6> si = {{{"", 1},
                                       {"k", kK},
                                       {"M", kK * kK},
                                       {"G", kK * kK * kK},
                                       {"T", kK * kK * kK * kK},
                                       {"P", kK * kK * kK * kK * kK}}};
    const std::array<Prefix, 5> bin = {{{"Ki", kKi},
                                        {"Mi", kKi * kKi},
                                        {"Gi", kKi * kKi * kKi},
                                        {"Ti", kKi * kKi * kKi * kKi},
                                        {"Pi", kKi * kKi * kKi * kKi * kKi}}};
    static std::vector<std::string> names;  // owns the composed unit names
    names.reserve(64);
    auto add = [&](std::string name, Quantity q, u128 num, u128 den) {
      names.push_back(std::move(name));
      t.push_back({names.back(), q, num, den});
    };
    for (const auto& pre : si) {
      add(fmt::format("{}B", pre.p), Quantity::kSize, pre.factor, 1);
      add(fmt::format("{}b", pre.p), Quantity::kSize, pre.factor, 8);
      add(fmt::format("{}B/s", pre.p), Quantity::kBandwidth, pre.factor, 1);
      add(fmt::format("{}b/s", pre.p), Quantity::kBandwidth, pre.factor, 8);
      if (pre.p == "k") {  // "KB" is common usage for 1000 B in datasheets
        add("KB", Quantity::kSize, pre.factor, 1);
        add("KB/s", Quantity::kBandwidth, pre.factor, 1);
      }
    }
    for (const auto& pre : bin) {
      add(fmt::format("{}B", pre.p), Quantity::kSize, pre.factor, 1);
      add(fmt::format("{}B/s", pre.p), Quantity::kBandwidth, pre.factor, 1);
    }
    return t;
  }();
  return table;
}

struct Decimal {
  u128 mantissa = 0;
  unsigned frac_digits = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

u128 pow10(unsigned n) {
  u128 r = 1;
  for (unsigned i = 0; i < n; ++i) r *= 10;
  return r;
}

struct Parsed {
  Decimal number;
  std::string_view unit;
};

Parsed split(std::string_view text, Quantity want) {
  const std::string_view s = trim(text);
  std::size_t i = 0;
  Decimal d;
  bool digits = false;
  bool dot = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') {
      throw UnitError(fmt::format("'{}' is negative; a {} must be >= 0", s, quantity_name(want)));
    }
    ++i;
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (d.mantissa > (std::numeric_limits<u128>::max() / 10) / 1000) {
        throw UnitError(fmt::format("'{}' is too large", s));
      }
      d.mantissa = d.mantissa * 10 + static_cast<unsigned>(c - '0');
      if (dot) ++d.frac_digits;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if (c == '_' && digits) {
      continue;  // digit separator: 1_000_000 ns
    } else {
      break;
    }
  }
  if (!digits) {
    throw UnitError(fmt::format("'{}' is not a {}: expected a number and a unit, such as '{}'", s,
                                quantity_name(want), quantity_example(want)));
  }
  return {d, trim(s.substr(i))};
}

const UnitDef* find_unit(std::string_view unit) {
  for (const auto& u : unit_table()) {
    if (u.name == unit) return &u;
  }
  return nullptr;
}

std::string article(std::string_view noun) {
  const char c = noun.empty() ? 'x' : noun[0];
  return (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') ? "an" : "a";
}

// Returns the value in the base unit as an exact rational (num/den), checking the unit family.
struct Rational {
  u128 num;
  u128 den;
};

Rational to_base(std::string_view text, Quantity want) {
  const Parsed p = split(text, want);
  const std::string_view s = trim(text);
  if (p.unit.empty()) {
    if (p.number.mantissa == 0) return {0, 1};
    throw UnitError(fmt::format("'{}' has no unit; expected {} {} such as '{}'", s,
                                article(quantity_name(want)), quantity_name(want),
                                quantity_example(want)));
  }
  const UnitDef* u = find_unit(p.unit);
  if (u == nullptr) {
    std::vector<std::string> same;
    for (const auto& d : unit_table()) {
      if (d.q == want) same.emplace_back(d.name);
    }
    const std::string hint = closest(p.unit, same);
    throw UnitError(fmt::format("unknown {} unit '{}' in '{}'{}", quantity_name(want), p.unit, s,
                                hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  if (u->q != want) {
    throw UnitError(fmt::format("expected {} {} such as '{}', got {} {} '{}'",
                                article(quantity_name(want)), quantity_name(want),
                                quantity_example(want), article(quantity_name(u->q)),
                                quantity_name(u->q), s));
  }
  return {p.number.mantissa * u->num, pow10(p.number.frac_digits) * u->den};
}

double to_double(const Rational& r) {
  return static_cast<double>(static_cast<long double>(r.num) / static_cast<long double>(r.den));
}

}  // namespace

std::string_view quantity_name(Quantity q) {
  switch (q) {
    case Quantity::kTime:
      return "time";
    case Quantity::kSize:
      return "size";
    case Quantity::kBandwidth:
      return "bandwidth";
    case Quantity::kFrequency:
      return "frequency";
    case Quantity::kTransferRate:
      return "transfer rate";
    case Quantity::kEnergy:
      return "energy";
    case Quantity::kPower:
      return "power";
  }
  return "quantity";
}

std::string_view quantity_example(Quantity q) {
  switch (q) {
    case Quantity::kTime:
      return "120 ns";
    case Quantity::kSize:
      return "64 KiB";
    case Quantity::kBandwidth:
      return "25 GB/s";
    case Quantity::kFrequency:
      return "1.6 GHz";
    case Quantity::kTransferRate:
      return "6400 MT/s";
    case Quantity::kEnergy:
      return "0.9 nJ";
    case Quantity::kPower:
      return "350 W";
  }
  return "";
}

Time parse_time(std::string_view text) {
  const Rational r = to_base(text, Quantity::kTime);
  if (r.num % r.den != 0) {
    throw UnitError(fmt::format(
        "'{}' is not a whole number of picoseconds (the time resolution is 1 ps)", trim(text)));
  }
  const u128 ps = r.num / r.den;
  if (ps > static_cast<u128>(std::numeric_limits<std::int64_t>::max())) {
    throw UnitError(fmt::format("'{}' is too large a time", trim(text)));
  }
  return Time::ps(static_cast<std::int64_t>(ps));
}

Bytes parse_size(std::string_view text) {
  const Rational r = to_base(text, Quantity::kSize);
  if (r.num % r.den != 0) {
    throw UnitError(fmt::format("'{}' is not a whole number of bytes", trim(text)));
  }
  const u128 b = r.num / r.den;
  if (b > static_cast<u128>(std::numeric_limits<std::uint64_t>::max())) {
    throw UnitError(fmt::format("'{}' is too large a size", trim(text)));
  }
  return Bytes(static_cast<std::uint64_t>(b));
}

Bandwidth parse_bandwidth(std::string_view text) {
  return Bandwidth::bytes_per_second(to_double(to_base(text, Quantity::kBandwidth)));
}

Frequency parse_frequency(std::string_view text) {
  return Frequency::hz(to_double(to_base(text, Quantity::kFrequency)));
}

TransferRate parse_transfer_rate(std::string_view text) {
  return TransferRate::per_second(to_double(to_base(text, Quantity::kTransferRate)));
}

Energy parse_energy(std::string_view text) {
  return Energy::joules(to_double(to_base(text, Quantity::kEnergy)) * 1e-15);
}

double parse_power_watts(std::string_view text) {
  return to_double(to_base(text, Quantity::kPower)) * 1e-6;
}

void check_quantity(Quantity q, std::string_view text) {
  switch (q) {
    case Quantity::kTime:
      (void)parse_time(text);
      return;
    case Quantity::kSize:
      (void)parse_size(text);
      return;
    default:
      (void)to_base(text, q);
      return;
  }
}

}  // namespace tiersim::config
