// Parsing of quantities with units, as written in configs: "120 ns", "64 KiB", "3.35 TB/s".
//
// Contract:
//  - Form: <decimal number><optional spaces><unit>. Numbers are plain decimals (no exponent),
//    non-negative. Units are case-sensitive (GB is bytes, Gb is bits; ms is milli, Ms invalid).
//  - SI prefixes are powers of 1000 (k/K, M, G, T, P for sizes: "1 GB" = 10^9 B); binary prefixes
//    are powers of 1024 ("1 GiB" = 2^30 B). Conversion is exact: the decimal is held as an integer
//    mantissa and scale, so "1.5 KiB" is exactly 1536 B and "3.2 us" exactly 3,200,000 ps.
//  - Time must be a whole number of picoseconds; size a whole number of bytes (bits must make
//    whole bytes). Anything else is rejected with a message saying why.
//  - A quantity of the wrong family ("5 GB" where a time is expected) is rejected naming both the
//    expected and the found family.
//  - Errors throw UnitError (no file position: callers attach the Origin).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/units/units.h"

namespace tiersim::config {

class UnitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Quantity { kTime, kSize, kBandwidth, kFrequency, kTransferRate, kEnergy, kPower };

[[nodiscard]] std::string_view quantity_name(Quantity q);     // "time", "size", ...
[[nodiscard]] std::string_view quantity_example(Quantity q);  // "120 ns", "64 KiB", ...

[[nodiscard]] Time parse_time(std::string_view text);
[[nodiscard]] Bytes parse_size(std::string_view text);
[[nodiscard]] Bandwidth parse_bandwidth(std::string_view text);
[[nodiscard]] Frequency parse_frequency(std::string_view text);
[[nodiscard]] TransferRate parse_transfer_rate(std::string_view text);
[[nodiscard]] Energy parse_energy(std::string_view text);
// Power in watts (no typed quantity yet besides energy; returned as joules per second).
[[nodiscard]] double parse_power_watts(std::string_view text);

// Checks `text` parses as quantity q (throws UnitError otherwise).
void check_quantity(Quantity q, std::string_view text);

}  // namespace tiersim::config
