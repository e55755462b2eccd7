// Quantities with units: every family, SI vs binary prefixes exactly, and wrong-family rejection.
#include <gtest/gtest.h>

#include "sim/config/units_parse.h"

namespace tiersim::config {
namespace {

TEST(UnitsTime, EveryPrefixExactInPicoseconds) {
  EXPECT_EQ(parse_time("7 ps").ps(), 7);
  EXPECT_EQ(parse_time("120 ns").ps(), 120'000);
  EXPECT_EQ(parse_time("3.2 us").ps(), 3'200'000);
  EXPECT_EQ(parse_time("3.2 \xC2\xB5s").ps(), 3'200'000);
  EXPECT_EQ(parse_time("1.5 ms").ps(), 1'500'000'000);
  EXPECT_EQ(parse_time("2 s").ps(), 2'000'000'000'000);
  EXPECT_EQ(parse_time("0.001 ns").ps(), 1);
  EXPECT_EQ(parse_time("120ns").ps(), 120'000);  // space optional
  EXPECT_EQ(parse_time("1_000 ns").ps(), 1'000'000);
  EXPECT_EQ(parse_time("0").ps(), 0);
}

TEST(UnitsTime, RejectsSubPicosecondNegativeAndUnitless) {
  EXPECT_THROW((void)parse_time("0.5 ps"), UnitError);
  EXPECT_THROW((void)parse_time("0.0001 ns"), UnitError);
  EXPECT_THROW((void)parse_time("-1 ns"), UnitError);
  EXPECT_THROW((void)parse_time("12"), UnitError);
  EXPECT_THROW((void)parse_time("ns"), UnitError);
}

TEST(UnitsSize, SiIsPowersOf1000AndBinaryPowersOf1024) {
  EXPECT_EQ(parse_size("1 kB").count(), 1000u);
  EXPECT_EQ(parse_size("1 KB").count(), 1000u);
  EXPECT_EQ(parse_size("1 KiB").count(), 1024u);
  EXPECT_EQ(parse_size("64 KiB").count(), 65'536u);
  EXPECT_EQ(parse_size("1 MB").count(), 1'000'000u);
  EXPECT_EQ(parse_size("1 MiB").count(), 1'048'576u);
  EXPECT_EQ(parse_size("1 GB").count(), 1'000'000'000u);
  EXPECT_EQ(parse_size("80 GiB").count(), 85'899'345'920u);
  EXPECT_EQ(parse_size("2 TB").count(), 2'000'000'000'000u);
  EXPECT_EQ(parse_size("1 TiB").count(), 1'099'511'627'776u);
  EXPECT_EQ(parse_size("1 PiB").count(), 1'125'899'906'842'624u);
  EXPECT_EQ(parse_size("1.5 KiB").count(), 1536u);  // exact, no floating point
  EXPECT_EQ(parse_size("4096 B").count(), 4096u);
  EXPECT_EQ(parse_size("16 b").count(), 2u);  // bits
  EXPECT_EQ(parse_size("8 Gb").count(), 1'000'000'000u);
}

TEST(UnitsSize, RejectsFractionalBytes) {
  EXPECT_THROW((void)parse_size("1.3 B"), UnitError);
  EXPECT_THROW((void)parse_size("3 b"), UnitError);      // 3 bits is not whole bytes
  EXPECT_THROW((void)parse_size("0.1 KiB"), UnitError);  // 102.4 B
}

TEST(UnitsBandwidth, BytesAndBitsSiAndBinary) {
  EXPECT_DOUBLE_EQ(parse_bandwidth("3.35 TB/s").bytes_per_second(), 3.35e12);
  EXPECT_DOUBLE_EQ(parse_bandwidth("25 GB/s").bytes_per_second(), 25e9);
  EXPECT_DOUBLE_EQ(parse_bandwidth("1 GiB/s").bytes_per_second(), 1073741824.0);
  EXPECT_DOUBLE_EQ(parse_bandwidth("16 Gb/s").bytes_per_second(), 2e9);
  EXPECT_DOUBLE_EQ(parse_bandwidth("100 MB/s").bytes_per_second(), 1e8);
  EXPECT_DOUBLE_EQ(parse_bandwidth("512 KiB/s").bytes_per_second(), 524288.0);
}

TEST(UnitsOthers, FrequencyTransferRateEnergyPower) {
  EXPECT_DOUBLE_EQ(parse_frequency("1.6 GHz").as_hz(), 1.6e9);
  EXPECT_DOUBLE_EQ(parse_frequency("800 MHz").as_hz(), 8e8);
  EXPECT_DOUBLE_EQ(parse_frequency("32 kHz").as_hz(), 32e3);
  EXPECT_EQ(parse_frequency("1.6 GHz").period().ps(), 625);
  EXPECT_DOUBLE_EQ(parse_transfer_rate("6400 MT/s").transfers_per_second(), 6.4e9);
  EXPECT_DOUBLE_EQ(parse_transfer_rate("16 GT/s").transfers_per_second(), 16e9);
  EXPECT_DOUBLE_EQ(parse_energy("0.9 nJ").as_joules(), 0.9e-9);
  EXPECT_DOUBLE_EQ(parse_energy("4 pJ").as_pJ(), 4.0);
  EXPECT_DOUBLE_EQ(parse_energy("2 mJ").as_joules(), 2e-3);
  EXPECT_DOUBLE_EQ(parse_power_watts("350 W"), 350.0);
  EXPECT_DOUBLE_EQ(parse_power_watts("15 mW"), 0.015);
}

TEST(UnitsFamilies, WrongFamilyNamesBoth) {
  try {
    (void)parse_time("5 GB");
    FAIL() << "5 GB accepted as a time";
  } catch (const UnitError& e) {
    EXPECT_STREQ(e.what(), "expected a time such as '120 ns', got a size '5 GB'");
  }
  try {
    (void)parse_bandwidth("5 GB");
    FAIL() << "5 GB accepted as a bandwidth";
  } catch (const UnitError& e) {
    EXPECT_STREQ(e.what(), "expected a bandwidth such as '25 GB/s', got a size '5 GB'");
  }
  EXPECT_THROW((void)parse_size("5 ns"), UnitError);
  EXPECT_THROW((void)parse_frequency("5 MT/s"), UnitError);
  EXPECT_THROW((void)parse_transfer_rate("5 MHz"), UnitError);
  EXPECT_THROW((void)parse_energy("5 W"), UnitError);
}

TEST(UnitsFamilies, CaseMattersAndTyposGetSuggestions) {
  EXPECT_THROW((void)parse_time("5 NS"), UnitError);
  try {
    (void)parse_bandwidth("25 GBs");
    FAIL();
  } catch (const UnitError& e) {
    EXPECT_STREQ(e.what(), "unknown bandwidth unit 'GBs' in '25 GBs' (did you mean 'GB/s'?)");
  }
}

}  // namespace
}  // namespace tiersim::config
